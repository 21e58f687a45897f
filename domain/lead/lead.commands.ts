import { AccountProfile, ContactRole, Grade } from '../account/account.commands';
import { ScoreDimension } from '../policies/scoring-policy';
import { Cause } from '../shared/cause';
import { InquiryChannel } from '../shared/channels';

/** How a rep or the customer reached the other side. */
export const RESPONSE_CHANNELS = [
  'email',
  'phone',
  'whatsapp',
  'wechat',
  'linkedin',
  'facebook',
  'b2b_platform',
  'meeting',
  'other',
] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

export const DISQUALIFY_REASONS = [
  'spam',
  'duplicate',
  'no_real_need',
  'unreachable',
  'out_of_scope',
  'competitor',
  'other',
] as const;
export type DisqualifyReason = (typeof DISQUALIFY_REASONS)[number];

/** Who wrote in, as far as the inquiry tells. Personal data: encrypted by the store. */
export interface Inquirer {
  name?: string;
  email?: string;
  /** E.164. */
  phone?: string;
  company?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  website?: string;
  message?: string;
}

/** Drawings, specs and photos travel with the inquiry; the file store keeps the bytes. */
export interface AttachmentMeta {
  sha256: string;
  filename: string;
  mime: string;
  size: number;
}

export interface ReceiveInquiry {
  leadId: string;
  channel: InquiryChannel;
  /** The channel's own reference: platform inquiry id, email Message-ID, form submission id, show name. */
  sourceRef?: string;
  /** sha256 of the raw payload as received, so the original can be proven and re-imports spotted. */
  payloadHash: string;
  inquirer: Inquirer;
  attachments: AttachmentMeta[];
  /** False for imports and back-dated inquiries: they start no first-response clock. */
  live: boolean;
  /**
   * The owner already decided for the new lead (by an assignment rule, named with its version in
   * the cause): the lead is received and assigned in one step, so both are recorded together.
   */
  assignTo?: InitialOwner;
}

export interface InitialOwner {
  to: string;
  reason: string;
  cause: Cause;
}

export interface AssignLead {
  leadId: string;
  to: string;
  reason: string;
  cause: Cause;
}

export interface TransferLeadOwnership {
  leadId: string;
  /** The owner the requester saw; a mismatch means someone else moved the lead meanwhile. */
  from: string;
  to: string;
  reason: string;
  cause: Cause;
}

export interface RecordResponse {
  leadId: string;
  direction: 'inbound' | 'outbound';
  channel: ResponseChannel;
  /** When it was sent or received (ISO, UTC); archived email may arrive late. */
  at: string;
  summary?: string;
}

/** Each dimension is rated 0 (nothing) to 5 (best), in whole points. */
export type ScoreDimensions = Record<ScoreDimension, number>;

export interface RecordScore {
  leadId: string;
  dimensions: ScoreDimensions;
}

export interface QualifyLead {
  leadId: string;
  note?: string;
}

export interface NurtureLead {
  leadId: string;
  reason?: string;
}

export interface DisqualifyLead {
  leadId: string;
  reason: DisqualifyReason;
  /** Required when the reason is "other". */
  note?: string;
}

/** What the new account starts with; owner and source channel come from the lead. */
export type NewAccountDetails = Omit<AccountProfile, 'sourceChannel'> & { grade: Grade };

export interface NewDealDetails {
  title: string;
  productLine: string;
  /** ISO 4217, the currency the deal will be quoted in. */
  currency: string;
}

/**
 * Target ids are derived from the command id by the application, so a retry names the same
 * account, contact and deal.
 */
export interface ConvertLead {
  leadId: string;
  accountId: string;
  contactId: string;
  dealId: string;
  /** Attach to this account instead of registering accountId (dedup found it). */
  existingAccountId?: string;
  /** Attach to this contact of the existing account instead of adding contactId. */
  existingContactId?: string;
  /** Required when no existing account is given. */
  newAccount?: NewAccountDetails;
  /** Completes the new contact; name defaults to the inquirer's, role to purchasing. */
  newContact?: { name?: string; role?: ContactRole; title?: string };
  deal: NewDealDetails;
}

export type LeadCommand =
  | { type: 'ReceiveInquiry'; data: ReceiveInquiry }
  | { type: 'AssignLead'; data: AssignLead }
  | { type: 'TransferLeadOwnership'; data: TransferLeadOwnership }
  | { type: 'RecordResponse'; data: RecordResponse }
  | { type: 'RecordScore'; data: RecordScore }
  | { type: 'QualifyLead'; data: QualifyLead }
  | { type: 'NurtureLead'; data: NurtureLead }
  | { type: 'DisqualifyLead'; data: DisqualifyLead }
  | { type: 'ConvertLead'; data: ConvertLead };
