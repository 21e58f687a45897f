import { accountLifecycleSaga } from './account-lifecycle.saga';
import { followUpRemindersSaga } from './follow-up-reminders.saga';
import type { Saga } from './saga';
import { slaEscalationSaga } from './sla-escalation.saga';
import { staleDealsSaga } from './stale-deals.saga';
import { stageTasksSaga } from './stage-tasks.saga';

/**
 * Every process manager the saga runner keeps; a saga not listed here never runs. The deal and
 * account sagas start work only from live events (`shared/live-window.ts`), so switching them on
 * over generated or imported history does not create tasks or moves for the past.
 */
export const ALL_SAGAS: Saga[] = [
  slaEscalationSaga,
  stageTasksSaga,
  followUpRemindersSaga,
  staleDealsSaga,
  accountLifecycleSaga,
];
