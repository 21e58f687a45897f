/**
 * The SLA policy: how fast a live inquiry must be answered and proposed to, on which clock, and
 * who is chased when it is not. Tuned by operations; each clock keeps the version in force when it
 * started, so a later change never re-judges a running clock.
 */
export const SLA_POLICY_ID = 'sla.default';

/** `first_response`: the first outbound reply; `proposal`: the initial proposal (quote or proposal stage). */
export const SLA_CLOCKS = ['first_response', 'proposal'] as const;
export type SlaClockKind = (typeof SLA_CLOCKS)[number];

/** Calendar minutes, or working minutes of the owning team's calendar. */
export const SLA_TIME_MODES = ['calendar', 'business'] as const;
export type SlaTimeMode = (typeof SLA_TIME_MODES)[number];

/** What a rung of the ladder does when the clock is still running at its time. */
export const SLA_ACTIONS = [
  /** A task for the owner. */
  'remind_owner',
  /** A task for the lead of the owner's team. */
  'escalate_team_lead',
  /** A task for the manager of the owner's team. */
  'escalate_manager',
  /** Ask the assignment rules for a new owner (recorded as `reassign_requested`). */
  'reassign',
] as const;
export type SlaAction = (typeof SLA_ACTIONS)[number];

/** On a handover mid-clock: start the clock again for the new owner, or keep its deadlines. */
export const SLA_HANDOVER_MODES = ['restart', 'continue'] as const;
export type SlaHandoverMode = (typeof SLA_HANDOVER_MODES)[number];

export interface SlaLadderStep {
  /** 1, 2, 3…: reports count escalations by level. Unique within a clock. */
  level: number;
  /** Minutes after the clock started, in the clock's time mode. */
  afterMinutes: number;
  action: SlaAction;
}

export interface SlaClockPolicy {
  /** A disabled clock never starts. */
  enabled: boolean;
  mode: SlaTimeMode;
  /** The target: answered later than this (in the clock's mode) is a breach. */
  targetMinutes: number;
  /** In order of `afterMinutes`. */
  ladder: SlaLadderStep[];
  onHandover: SlaHandoverMode;
}

export interface SlaProposalClockPolicy extends SlaClockPolicy {
  /** Entering one of these deal stages counts as the proposal (as does sending a quote). */
  stopAtStages: string[];
}

/** The manager chased for a team, when the team has none by role, or to override it. */
export interface SlaTeamManager {
  teamId: string;
  userId: string;
}

export interface SlaRecipients {
  managers: SlaTeamManager[];
  /** The manager for teams without one, and for leads without an owner or team. */
  defaultManagerId?: string;
  /** Gets reminders and escalations nobody else can take (an unassigned lead, a team without a lead). */
  fallbackRecipientId?: string;
}

export interface SlaPolicy {
  id: string;
  version: number;
  /**
   * An inquiry recorded more than this many minutes after its occurredAt is history being entered,
   * not a live inquiry: it starts no clock (as the intake's live window).
   */
  liveWindowMinutes: number;
  /** The calendar (a key of the calendar policy) of leads whose owner has no team calendar. */
  defaultCalendarKey: string;
  firstResponse: SlaClockPolicy;
  proposal: SlaProposalClockPolicy;
  recipients: SlaRecipients;
}

/** The part of the policy a clock needs for its whole life, stored on the clock when it starts. */
export type SlaClockDefinition = SlaClockPolicy & { stopAtStages?: string[] };

export const clockPolicy = (policy: SlaPolicy, clock: SlaClockKind): SlaClockDefinition =>
  clock === 'first_response' ? policy.firstResponse : policy.proposal;

/** Ladder problems a schema cannot see: duplicate levels, rungs out of order. */
export const slaPolicyProblems = (policy: SlaPolicy): string[] =>
  (['firstResponse', 'proposal'] as const).flatMap((key) => {
    const ladder = policy[key].ladder;
    const problems: string[] = [];
    const levels = new Set<number>();
    ladder.forEach((step, index) => {
      if (levels.has(step.level))
        problems.push(`${key}.ladder.${index}.level: level ${step.level} appears twice`);
      levels.add(step.level);
      if (index > 0 && step.afterMinutes < ladder[index - 1].afterMinutes)
        problems.push(`${key}.ladder.${index}.afterMinutes: rungs must be in order of time`);
    });
    return problems;
  });
