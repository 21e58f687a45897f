import {
  type AutomationPolicy,
  DEFAULT_LIVE_WINDOW_MINUTES,
} from '../../domain/policies/automation-policy';
import type { RecordedEvent } from '../../src/event-store/event-store.port';

/** Why an event may not start work: it came through an import, or was recorded long after it happened. */
export type NotLive = 'import' | 'back_dated';

/**
 * The live rule of the deal and account sagas (the SLA saga's, with the automation policy's
 * window): an import, or an event recorded more than `liveWindowMinutes` after its `occurredAt`,
 * starts no work. It is judged on the event's own two times, so a replay judges it the same way,
 * however late the saga reads it.
 */
export function notLive(
  event: RecordedEvent,
  policy: Pick<AutomationPolicy, 'liveWindowMinutes'> | undefined,
): NotLive | undefined {
  if (event.metadata.cause?.kind === 'import') return 'import';
  const window = policy?.liveWindowMinutes ?? DEFAULT_LIVE_WINDOW_MINUTES;
  const lag = Date.parse(event.recordedAt) - Date.parse(event.metadata.occurredAt);
  return lag > window * 60_000 ? 'back_dated' : undefined;
}

/**
 * Whether work skipped for a not-live event would still have been pending when the event was
 * recorded. Only then is the skip logged: work that would have been over before anyone could know
 * of it is explained by the event's own times and cause, and logging it would add a line per
 * imported record.
 */
export const pendingWhenRecorded = (dueAt: string, recordedAt: string): boolean =>
  Date.parse(dueAt) > Date.parse(recordedAt);

/** What a timer carries to judge a skip after the event: why it is not live and when it arrived. */
export interface NotLiveFacts {
  notLive: NotLive;
  recordedAt: string;
  [field: string]: unknown;
}
