import type { AccountEvent } from '../../domain/account/account.events';
import type { DealEvent } from '../../domain/deal/deal.events';
import type { LeadEvent } from '../../domain/lead/lead.events';
import type { TaskEvent } from '../../domain/task/task.events';

/** Every event of a lead's stream, in the order a lead meets them. */
export const LEAD_EVENT_TYPES = [
  'InquiryReceived',
  'LeadAssigned',
  'LeadOwnershipTransferred',
  'LeadResponseRecorded',
  'FirstResponseRecorded',
  'LeadScored',
  'LeadQualified',
  'LeadNurtured',
  'LeadDisqualified',
  'LeadConverted',
] as const satisfies readonly LeadEvent['type'][];

/** Every event of an account's stream. */
export const ACCOUNT_EVENT_TYPES = [
  'AccountRegistered',
  'AccountProfileUpdated',
  'AccountGradeChanged',
  'AccountLifecycleChanged',
  'ContactAdded',
  'ContactUpdated',
  'ContactRemoved',
  'AccountOwnershipTransferred',
  'AccountMergedInto',
  'AccountAbsorbed',
  'AccountUnmerged',
  'MergedAccountReleased',
] as const satisfies readonly AccountEvent['type'][];

/** Every event of a deal's stream that records what the deal is; the stale flags come apart. */
export const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'DealExpectedShipMonthChanged',
  'DealIncotermChanged',
  'DealPaymentTermChanged',
  'DealDeliveryRisksChanged',
  'DealContactChanged',
  'DealMarginTargetsSet',
  'QuoteDrafted',
  'QuoteApprovalRequested',
  'QuoteApproved',
  'QuoteRejected',
  'QuoteSent',
  'QuoteSuperseded',
  'DealActivityLogged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealPaymentRecorded',
  'DealPaidInFull',
  'DealOwnerTransferred',
] as const satisfies readonly DealEvent['type'][];

/** The stale-deals saga's flags on a deal's stream: they say how long it sat, not what it is. */
export const DEAL_STALE_EVENT_TYPES = [
  'DealFlaggedStale',
  'DealStaleFlagCleared',
] as const satisfies readonly DealEvent['type'][];

/** Every event of a task's stream. */
export const TASK_EVENT_TYPES = [
  'TaskCreated',
  'TaskCompleted',
  'TaskCancelled',
  'TaskReassigned',
] as const satisfies readonly TaskEvent['type'][];
