import {
  ACCOUNT_EVENT_TYPES,
  DEAL_EVENT_TYPES,
  DEAL_STALE_EVENT_TYPES,
  LEAD_EVENT_TYPES,
  TASK_EVENT_TYPES,
} from '../../../projections/shared/record-event-types';

/** The events a history links to: of the records people audit, and of who and what moves them. */
export const CORRELATED_EVENT_TYPES = [
  ...LEAD_EVENT_TYPES,
  ...ACCOUNT_EVENT_TYPES,
  ...DEAL_EVENT_TYPES,
  ...DEAL_STALE_EVENT_TYPES,
  ...TASK_EVENT_TYPES,
  // people, automation, privacy
  'UserDeactivated',
  'UserReactivated',
  'AutomationDecisionRecorded',
  'SubjectErased',
] as const;
