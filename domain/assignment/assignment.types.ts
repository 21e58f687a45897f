import { AssignmentStrategyKind } from '../policies/assignment-policy';
import { CalendarPolicy } from '../policies/calendar-policy';
import { AssignableTeam, AssignableUser, Skipped } from './eligibility';
import { InquiryFacts } from './matching';
import { RotationState } from './rotation';

export interface AssignmentInput extends InquiryFacts {
  /** The owner of the account the inquiry is from, when it is from an existing account. */
  accountOwnerId?: string;
  /** When the lead is assigned (ISO 8601 UTC): availability and shifts are judged at this instant. */
  at: string;
}

export interface AssignmentContext {
  users: readonly AssignableUser[];
  teams: readonly AssignableTeam[];
  calendars: CalendarPolicy;
  /** Folded from past assignment events with rotationFromAssignments. */
  rotation: RotationState;
  /** Open leads plus open deals per user id; a user missing from it has none. */
  openLoad: ReadonlyMap<string, number>;
}

export interface AssignmentDecision {
  ownerId: string;
  /** The rule that decided; null when the account's owner was kept or no rule matched. */
  rule: { policyId: string; version: number; ruleKey: string } | null;
  strategy: AssignmentStrategyKind | 'existing_owner' | 'fallback';
  /** Pool members passed over, in rotation order. */
  skipped: Skipped[];
  /** For the assignment event's reason. */
  reason: string;
  /** For the assignment event's cause: the rule (policy#key), or the policy itself when no rule decided. */
  cause: { kind: 'rule'; id: string; version: number };
}
