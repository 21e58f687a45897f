import { PolicyRef } from '../shared/decider';
import { InquiryChannel } from '../shared/channels';
import { Inquirer } from './lead.commands';

export type LeadStatus = 'new' | 'qualified' | 'nurturing' | 'disqualified' | 'converted';

export interface Lead {
  leadId: string;
  status: LeadStatus;
  channel: InquiryChannel;
  live: boolean;
  receivedAt: string;
  inquirer: Inquirer;
  ownerId?: string;
  firstResponseAt?: string;
  score?: { total: number; recommendation: 'convert' | 'nurture' | 'none'; policy: PolicyRef };
  convertedTo?: { accountId: string; contactId: string; dealId: string };
}

/** null until InquiryReceived. */
export type LeadState = Lead | null;

export const initialLeadState: LeadState = null;
