import { Grade } from '../account/account.commands';
import { InquiryChannel } from '../shared/channels';

export const ASSIGNMENT_STRATEGIES = ['fixed_owner', 'round_robin', 'least_loaded'] as const;
export type AssignmentStrategyKind = (typeof ASSIGNMENT_STRATEGIES)[number];

/** Each list left out or empty matches anything. */
export interface AssignmentMatch {
  /** ISO 3166-1 alpha-2. */
  countries?: string[];
  /** A team id: the countries of that team's region match, in addition to `countries`. */
  regionOf?: string;
  /** Lower-case product line keys, as teams store them. */
  productLines?: string[];
  channels?: InquiryChannel[];
  grades?: Grade[];
}

/**
 * Who may be chosen. With neither `teamId` nor `memberIds`, every active rep is in the pool; a
 * fixed owner has `ownerId` only.
 */
export interface AssignmentStrategy {
  kind: AssignmentStrategyKind;
  ownerId?: string;
  teamId?: string;
  memberIds?: string[];
}

export interface AssignmentRule {
  /** Stable across versions: the rotation of a rule carries over when the policy is republished. */
  key: string;
  match: AssignmentMatch;
  strategy: AssignmentStrategy;
  /** Team leads take leads too; by default only reps do. */
  includeTeamLeads?: boolean;
  /** Who takes the lead when nobody in the pool is eligible; the policy's fallback otherwise. */
  fallbackOwnerId?: string;
}

export interface AssignmentPolicy {
  id: string;
  version: number;
  /** Rules in order: the first that matches decides. */
  rules: AssignmentRule[];
  /** Owner when no rule matches, or a matching rule finds nobody and names no fallback of its own. */
  fallbackOwnerId: string;
}

/**
 * The id an assignment event's cause names for a rule: `assignment.default#gulf-inquiries`. The
 * policy version goes in the cause's version.
 */
export const ruleCauseId = (policyId: string, ruleKey: string): string => `${policyId}#${ruleKey}`;
