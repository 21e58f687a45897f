import type { BusinessCalendar } from '../../domain/calendar/business-calendar';
import {
  AUTOMATION_POLICY_ID,
  type AutomationPolicy,
} from '../../domain/policies/automation-policy';
import type { StagePolicy, TaskTemplate } from '../../domain/policies/stage-policy';
import type { ProjectionCollection, ProjectionView } from '../../projections/projection';
import { STAGE_POLICY_ID } from '../../projections/shared/deal-context';
import {
  applyMembership,
  applyPolicy,
  CALENDAR_POLICY_ID,
  latestPolicy,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  ownerCalendarAt,
  POLICY_COLLECTION,
  POLICY_PUBLISHED,
} from '../../projections/team-membership.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';

/**
 * What the deal and account sagas know besides their records, folded from the log into small
 * preloaded collections: the policies they follow (the latest version published, which is the one
 * in force; a what-if publishes its candidate the same way) and, for business time, each user's
 * team and each team's calendar over time.
 */
export const CONTEXT_COLLECTIONS: ProjectionCollection[] = [
  ...MEMBERSHIP_COLLECTIONS,
  POLICY_COLLECTION,
];
export const CONTEXT_EVENT_TYPES = [...MEMBERSHIP_EVENT_TYPES, POLICY_PUBLISHED] as const;

export { AUTOMATION_POLICY_ID, CALENDAR_POLICY_ID, STAGE_POLICY_ID };

/** Folds a membership or policy event; false for any other event. */
export function applyContext(
  event: RecordedEvent,
  view: ProjectionView,
  policyIds: readonly string[],
): boolean {
  return applyMembership(event, view) || applyPolicy(event, view, policyIds);
}

export type Versioned<Policy> = Policy & { id: string; version: number };

export const stagePolicyOf = (view: ProjectionView): Versioned<StagePolicy> | undefined =>
  latestPolicy<StagePolicy>(view, STAGE_POLICY_ID);

export const automationPolicyOf = (view: ProjectionView): Versioned<AutomationPolicy> | undefined =>
  latestPolicy<AutomationPolicy>(view, AUTOMATION_POLICY_ID);

/** The task templates of an open stage or an outcome (`won`, `lost`); none for an unknown key. */
export function templatesOf(policy: StagePolicy, stage: string): TaskTemplate[] {
  if (stage === 'won' || stage === 'lost') return policy.outcomes[stage].taskTemplates;
  return policy.openStages.find((open) => open.key === stage)?.taskTemplates ?? [];
}

/** The owner's team calendar at `at`, or undefined when the owner, team or calendar is unknown. */
export function ownerCalendar(
  view: ProjectionView,
  ownerId: string | undefined,
  at: string,
): { calendarKey: string; calendar: BusinessCalendar } | undefined {
  const found = ownerCalendarAt(view, ownerId, at);
  return found && { calendarKey: found.calendarKey, calendar: found.calendar };
}
