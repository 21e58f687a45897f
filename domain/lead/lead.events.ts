import { Contact } from '../account/account.commands';
import { DomainEvent, PolicyRef } from '../shared/decider';
import { Cause } from '../shared/cause';
import { InquiryChannel } from '../shared/channels';
import {
  AttachmentMeta,
  DisqualifyReason,
  Inquirer,
  NewAccountDetails,
  NewDealDetails,
  ResponseChannel,
  ScoreDimensions,
} from './lead.commands';

export interface InquiryReceived {
  leadId: string;
  channel: InquiryChannel;
  sourceRef?: string;
  payloadHash: string;
  inquirer: Inquirer;
  attachments: AttachmentMeta[];
  /** Only live inquiries start the first-response clock. */
  live: boolean;
  /** Business time of receipt (the event's occurredAt), kept here so the lead can measure from it. */
  receivedAt: string;
}

export interface LeadAssigned {
  leadId: string;
  to: string;
  reason: string;
  cause: Cause;
}

export interface LeadOwnershipTransferred {
  leadId: string;
  from: string;
  to: string;
  reason: string;
  cause: Cause;
}

export interface LeadResponseRecorded {
  leadId: string;
  direction: 'inbound' | 'outbound';
  channel: ResponseChannel;
  at: string;
  summary?: string;
}

/**
 * The earliest outbound response so far: SLA timers and first-response reports rely on this
 * event alone. An archived email can turn out earlier than the response logged first; then this
 * event is emitted again with `supersedes` naming the time it replaces.
 */
export interface FirstResponseRecorded {
  leadId: string;
  at: string;
  channel: ResponseChannel;
  /** Calendar seconds from receipt; business seconds need the team calendar (reports). */
  secondsSinceInquiry: number;
  supersedes?: string;
}

export interface LeadScored {
  leadId: string;
  dimensions: ScoreDimensions;
  /** 0..100, weighted by the scoring policy. */
  total: number;
  recommendation: 'convert' | 'nurture' | 'none';
  policy: PolicyRef;
}

export interface LeadQualified {
  leadId: string;
  note?: string;
}

export interface LeadNurtured {
  leadId: string;
  reason?: string;
}

export interface LeadDisqualified {
  leadId: string;
  reason: DisqualifyReason;
  note?: string;
}

/**
 * The decision of a conversion, recorded on the lead first. It carries everything needed to
 * create the other streams, so a retry or a crash recovery can finish the chain from this event.
 */
export interface LeadConverted {
  leadId: string;
  ownerId: string;
  channel: InquiryChannel;
  accountId: string;
  /** Present when a new account is to be registered; absent when attaching to an existing one. */
  newAccount?: NewAccountDetails;
  contactId: string;
  /** Present when a new contact is to be added; absent when attaching to an existing one. */
  newContact?: Omit<Contact, 'contactId'>;
  dealId: string;
  deal: NewDealDetails;
}

export type LeadEvent =
  | DomainEvent<'InquiryReceived', InquiryReceived>
  | DomainEvent<'LeadAssigned', LeadAssigned>
  | DomainEvent<'LeadOwnershipTransferred', LeadOwnershipTransferred>
  | DomainEvent<'LeadResponseRecorded', LeadResponseRecorded>
  | DomainEvent<'FirstResponseRecorded', FirstResponseRecorded>
  | DomainEvent<'LeadScored', LeadScored>
  | DomainEvent<'LeadQualified', LeadQualified>
  | DomainEvent<'LeadNurtured', LeadNurtured>
  | DomainEvent<'LeadDisqualified', LeadDisqualified>
  | DomainEvent<'LeadConverted', LeadConverted>;
