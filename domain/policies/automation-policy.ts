import type { WorkingInterval } from '../calendar/business-calendar';

/**
 * The automation policy: what the stage-task, follow-up, stale-deal and account-lifecycle sagas
 * need beyond the stage policy. Stage task templates and the stale threshold of each stage live
 * in the stage policy (`stages.default`); this holds only what it lacks. Tuned by operations;
 * every decision taken under it names its id and version.
 */
export const AUTOMATION_POLICY_ID = 'automation.default';
export const DEFAULT_LIVE_WINDOW_MINUTES = 60;

export interface StageTaskRules {
  /**
   * Stage tasks cancelled, while still open, when the deal leaves the stage that created them:
   * `<stage>.<template key>`, or `<stage>.*` for every template of the stage. The stage may be an
   * open stage or an outcome (`won.*`: leaving won means the deal was reopened).
   */
  cancelOnLeave: string[];
  /** Closing the deal as lost cancels every stage task of the deal that is still open. */
  cancelOnLost: boolean;
}

export interface FollowUpRules {
  /** Reminders after a quote is sent, in days of the customer's calendar: [3, 7]. */
  reminderDays: number[];
  /** The customer's working hours, local to the customer: a reminder fires at `from`. */
  customerHours: WorkingInterval;
}

export interface StaleDealRules {
  /** When the "close as lost, with a reason?" task is due, in the owner's business hours. */
  taskDueHours: number;
}

export interface LifecycleRules {
  /** An account with no activity for this many days goes dormant. */
  dormantAfterDays: number;
  /** An account whose deals are all lost goes lost this many days after the last loss. */
  lostAfterDays: number;
}

export interface AutomationPolicy {
  id: string;
  version: number;
  /**
   * An event recorded later than this after its `occurredAt` (or any import) is not live: it
   * starts no task, reminder, timer or lifecycle move, as the SLA policy's window starts no clock.
   * Absent in versions published before the field existed: `DEFAULT_LIVE_WINDOW_MINUTES`.
   */
  liveWindowMinutes?: number;
  stageTasks: StageTaskRules;
  followUps: FollowUpRules;
  staleDeals: StaleDealRules;
  lifecycle: LifecycleRules;
}

/** Whether `cancelOnLeave` names the template `key` of `stage`. */
export const cancelsOnLeave = (rules: StageTaskRules, stage: string, key: string): boolean =>
  rules.cancelOnLeave.includes(`${stage}.${key}`) || rules.cancelOnLeave.includes(`${stage}.*`);
