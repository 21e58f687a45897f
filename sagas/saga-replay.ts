import type { ReadDocument, FieldValue } from '../src/read-store/read-store.port';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { Saga, SagaCommand, SagaContext, SagaTimer } from './saga';

export interface ReplayResult {
  commands: SagaCommand[];
  /** Timers still pending at the end, in due order. */
  pending: SagaTimer[];
  documents: Map<string, ReadDocument>;
}

/**
 * Runs a saga over recorded history in memory, with the saga clock, and no side effects: the
 * what-if of a candidate policy, and the specification tests. Semantics match the durable runner:
 * before each event, every timer due strictly before the event's `occurredAt` fires, in due order;
 * after the last event, timers due up to `until` fire.
 */
export function replaySaga(saga: Saga, events: RecordedEvent[], until: string): ReplayResult {
  const documents = new Map<string, ReadDocument>();
  const timers = new Map<string, SagaTimer>();
  const commands: SagaCommand[] = [];
  const key = (collection: string, id: string) => `${collection}\u0000${id}`;
  let now = '';

  const context: SagaContext = {
    get now() {
      return now;
    },
    get: <T extends ReadDocument>(collection: string, id: string) =>
      documents.get(key(collection, id)) as T | undefined,
    put: (collection, document) =>
      void documents.set(key(collection, document.id), structuredClone(document)),
    delete: (collection, id) => void documents.delete(key(collection, id)),
    increment: (collection, id, amounts, fields?: Record<string, FieldValue>) => {
      const document = documents.get(key(collection, id)) ?? { id };
      Object.assign(document, fields);
      for (const field in amounts)
        document[field] = ((document[field] as number) ?? 0) + amounts[field];
      documents.set(key(collection, id), document);
    },
    schedule: (timer) => void timers.set(timer.id, canonicalTimer(timer)),
    cancel: (timerId) => void timers.delete(timerId),
    send: (command) => void commands.push(command),
  };

  const fireBefore = (limit: string, inclusive: boolean) => {
    for (;;) {
      const next = nextDue(timers);
      if (!next || (inclusive ? next.dueAt > limit : next.dueAt >= limit)) return;
      timers.delete(next.id);
      now = next.dueAt;
      saga.fire(next, context);
    }
  };

  for (const event of events) {
    if (!saga.eventTypes.includes(event.type)) continue;
    fireBefore(event.metadata.occurredAt, false);
    now = event.metadata.occurredAt;
    saga.handle(event, context);
  }
  fireBefore(until, true);
  return { commands, pending: [...timers.values()].sort(byDue), documents };
}

const byDue = (a: SagaTimer, b: SagaTimer) =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function nextDue(timers: Map<string, SagaTimer>): SagaTimer | undefined {
  let next: SagaTimer | undefined;
  for (const timer of timers.values()) if (!next || byDue(timer, next) < 0) next = timer;
  return next;
}

/** Times compare as strings, so every due time is held in one form: toISOString's. */
export const canonicalTimer = (timer: SagaTimer): SagaTimer => ({
  ...structuredClone(timer),
  dueAt: new Date(timer.dueAt).toISOString(),
});
