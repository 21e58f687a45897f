import type { Saga, SagaCommand, SagaContext, SagaTimer } from '../../sagas/saga';
import { canonicalTimer } from '../../sagas/saga-replay';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { CollectionNames, ProjectionBatch } from '../projection-runner/projection-batch';
import { ProjectionFailure } from '../projection-runner/projection-lane';
import type { FieldValue, Lease, ReadDocument, ReadStore } from '../read-store/read-store.port';

const TIMERS = 'timers';
const OUTBOX = 'outbox';

const byDue = (a: SagaTimer, b: SagaTimer) =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * One transaction's worth of saga work: the saga's documents (through the projection batch), the
 * timers falling due in saga time, and the commands decided, which go to the outbox in the same
 * commit. Semantics match `replaySaga`: before each event every timer due strictly before it fires.
 */
export class SagaWindow implements SagaContext {
  private sagaNow = '';
  /** Timers known to fall due in this window, in due order. */
  private due: SagaTimer[] = [];
  private readonly queued = new Set<string>();
  /**
   * When the stored timers due in this window were more than one load, the last one loaded: those
   * not loaded come after it, so nothing after it may happen in this window.
   */
  private loadedUpTo?: SagaTimer;

  constructor(
    private readonly saga: Saga,
    readonly batch: ProjectionBatch,
    private readonly store: ReadStore,
    private readonly names: CollectionNames,
    private sequence: number,
    /** Where the saga stands, to name a timer that fails. */
    private readonly checkpoint: string | undefined,
  ) {}

  get now(): string {
    return this.sagaNow;
  }

  /** The outbox sequence the next window starts at, once this one has committed. */
  get nextSequence(): number {
    return this.sequence;
  }

  /** Commands this window put in the outbox. */
  sent = 0;

  /**
   * Loads the stored timers due before `limit` (at most `max`, the earliest) and what firing them
   * reads; returns how many. Call once per window.
   */
  async loadTimersDueBefore(limit: string, inclusive = false, max = 10_000): Promise<number> {
    if (!limit) return 0;
    const stored = await this.store.find(this.names(TIMERS), {
      where: { dueAt: inclusive ? { lte: limit } : { lt: limit } },
      sort: [['dueAt', 'asc']],
      limit: max,
    });
    const timers = stored.map((document) => document.timer as SagaTimer);
    await this.batch.loadRefs(this.store, [
      ...timers.map((timer) => ({ collection: TIMERS, id: timer.id })),
      ...timers.flatMap((timer) => this.saga.readsForTimer?.(timer) ?? []),
    ]);
    for (const timer of timers) this.queue(timer);
    if (timers.length >= max)
      this.loadedUpTo = timers.reduce((last, t) => (byDue(t, last) > 0 ? t : last));
    return timers.length;
  }

  /** Whether every stored timer due strictly before `at` is loaded, so an event at `at` may apply. */
  knowsTimersBefore(at: string): boolean {
    return this.loadedUpTo === undefined || at <= this.loadedUpTo.dueAt;
  }

  /**
   * Fires, in due order, the timers due before `limit` (or at it, when inclusive), and none after
   * the last one loaded. False when a timer scheduled in this window needs documents not loaded:
   * the window must end here.
   */
  fireDue(limit: string, inclusive: boolean): boolean {
    while (this.due.length > 0) {
      const next = this.due[0];
      if (inclusive ? next.dueAt > limit : next.dueAt >= limit) return true;
      if (this.loadedUpTo && byDue(next, this.loadedUpTo) > 0) return true;
      if (!this.batch.mayRead(this.saga.readsForTimer?.(next) ?? [])) return false;
      this.due.shift();
      this.queued.delete(next.id);
      this.batch.delete(TIMERS, next.id);
      this.sagaNow = next.dueAt;
      try {
        this.saga.fire(next, this);
      } catch (error) {
        throw new ProjectionFailure({
          position: this.checkpoint ?? '',
          eventId: next.id,
          eventType: `timer:${next.kind}`,
          streamName: `${this.saga.name} timers`,
          message: (error as Error).message,
        });
      }
    }
    return true;
  }

  handle(event: RecordedEvent): void {
    this.sagaNow = event.metadata.occurredAt;
    this.saga.handle(event, this);
  }

  async commit(lease: Lease, position: string | undefined, checkpointName: string): Promise<void> {
    await this.store.commit(this.batch.drain(), {
      checkpoint: position === undefined ? undefined : { name: checkpointName, position },
      fence: { lease: lease.name, token: lease.token },
    });
  }

  // SagaContext

  get<T extends ReadDocument = ReadDocument>(collection: string, id: string): T | undefined {
    return this.batch.get<T>(collection, id);
  }

  put(collection: string, document: ReadDocument): void {
    this.batch.put(collection, document);
  }

  delete(collection: string, id: string): void {
    this.batch.delete(collection, id);
  }

  increment(
    collection: string,
    id: string,
    amounts: Record<string, number>,
    fields?: Record<string, FieldValue>,
  ): void {
    this.batch.increment(collection, id, amounts, fields);
  }

  schedule(scheduled: SagaTimer): void {
    const timer = canonicalTimer(scheduled);
    this.batch.put(TIMERS, { id: timer.id, dueAt: timer.dueAt, timer });
    this.unqueue(timer.id);
    this.queue(structuredClone(timer));
  }

  cancel(timerId: string): void {
    this.batch.delete(TIMERS, timerId);
    this.unqueue(timerId);
  }

  send(command: SagaCommand): void {
    const sequence = this.sequence++;
    this.sent += 1;
    this.batch.put(OUTBOX, {
      id: `${String(sequence).padStart(12, '0')}:${command.commandId}`,
      sequence,
      command: structuredClone(command),
    });
  }

  private queue(timer: SagaTimer): void {
    if (this.queued.has(timer.id)) return;
    this.queued.add(timer.id);
    // Binary search for the first queued timer due after this one.
    let low = 0;
    let high = this.due.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byDue(this.due[middle], timer) <= 0) low = middle + 1;
      else high = middle;
    }
    this.due.splice(low, 0, timer);
  }

  private unqueue(timerId: string): void {
    if (!this.queued.delete(timerId)) return;
    this.due.splice(
      this.due.findIndex((timer) => timer.id === timerId),
      1,
    );
  }
}
