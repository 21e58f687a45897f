import { addBusinessSeconds } from '../domain/calendar/business-time';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import type {
  SlaAction,
  SlaClockKind,
  SlaPolicy,
  SlaTimeMode,
} from '../domain/policies/sla-policy';
import type { ReadDocument } from '../src/read-store/read-store.port';

/**
 * The SLA case of one live inquiry: its two clocks, each a list of runs (a handover with
 * `restart` ends a run and starts the next). Keyed `lead:<leadId>` until the lead converts, then
 * `deal:<dealId>`, so the deal's events find it.
 */
export interface SlaCase extends ReadDocument {
  leadId: string;
  dealId?: string;
  channel: string;
  receivedAt: string;
  /** The current owner of the lead, then of its deal. */
  ownerId?: string;
  /** `pending` until the start timer fires (same instant as the inquiry, after its assignment). */
  status: 'pending' | 'open';
  /** The policy in force when the clocks started: it judges them for their whole life. */
  policy: SlaPolicy;
  clocks: Partial<Record<SlaClockKind, SlaClock>>;
}

export interface SlaClock {
  state: 'running' | 'stopped';
  runs: SlaRun[];
}

export interface SlaRun {
  startedAt: string;
  /** The owner and team when the run started; the business calendar is the team's then. */
  ownerId?: string;
  teamId?: string;
  /** The mode the run was measured in: `calendar` also when a business calendar was missing. */
  mode: SlaTimeMode;
  calendarKey?: string;
  deadline: string;
  steps: SlaRunStep[];
  /** Set when the deadline passed with the clock still running; owner and team at that instant. */
  breach?: { at: string; ownerId?: string; teamId?: string };
  end?: SlaRunEnd;
}

export interface SlaRunStep {
  level: number;
  action: SlaAction;
  dueAt: string;
  status: 'pending' | 'fired' | 'suppressed' | 'cancelled';
  /** Who owned the record and which team, when the rung fired. */
  ownerId?: string;
  teamId?: string;
}

export type SlaStopReason =
  | 'responded'
  | 'quote_sent'
  | 'stage_reached'
  | 'handover'
  | 'nurtured'
  | 'disqualified'
  | 'deal_won'
  | 'deal_lost';

export interface SlaRunEnd {
  at: string;
  reason: SlaStopReason;
  /** When the response, quote or stage move happened (an archived email's own time). */
  metAt?: string;
  /** Judged only for reasons that meet the target; absent for handovers and closures. */
  inTime?: boolean;
}

/** `met`, `breached`, `running`, or `closed` (ended without a judgement: closure or restart). */
export type SlaRunOutcome = 'met' | 'breached' | 'running' | 'closed';

export const runOutcome = (run: SlaRun): SlaRunOutcome => {
  if (run.end?.inTime === true) return 'met';
  if (run.breach || run.end?.inTime === false) return 'breached';
  return run.end ? 'closed' : 'running';
};

export const currentRun = (clock: SlaClock): SlaRun => clock.runs[clock.runs.length - 1];

export const toIso = (instant: string): string => new Date(Date.parse(instant)).toISOString();

/** `minutes` after `from`, in calendar time or in the calendar's working time. */
export const addMinutes = (
  from: string,
  minutes: number,
  calendar: BusinessCalendar | undefined,
): string =>
  calendar
    ? addBusinessSeconds(calendar, from, minutes * 60)
    : new Date(Date.parse(from) + minutes * 60_000).toISOString();

// ---- Deterministic ids ------------------------------------------------------------------------

export const SLA_SAGA = 'sla-escalation';

export const startTimerId = (docId: string): string => `${SLA_SAGA}:${docId}:start`;

/** Deadline (`deadline`) or rung (`rung-<level>`) timers of one run of one clock, under the case's key;
 * at one instant the deadline sorts first, so the breach is on record before the escalation. */
export const runTimerId = (
  docId: string,
  clock: SlaClockKind,
  runStart: string,
  part: string,
): string => `${SLA_SAGA}:${docId}:${clock}:${runStart}:${part}`;

/**
 * Command ids name the lead (not the case key, which changes on conversion), the clock, the run
 * and the step: a redelivered timer or a replay sends the very same command.
 */
export const runCommandId = (
  leadId: string,
  clock: SlaClockKind,
  runStart: string,
  part: string,
): string => `${SLA_SAGA}:${leadId}:${clock}:${runStart}:${part}`;
