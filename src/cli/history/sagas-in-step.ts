import type { Saga, SagaCommand, SagaContext, SagaTimer } from '../../../sagas/saga';
import { canonicalTimer } from '../../../sagas/saga-replay';
import type { EventStore, RecordedEvent } from '../../event-store/event-store.port';
import type { FieldValue, ReadDocument } from '../../read-store/read-store.port';
import type { CommandDispatch } from '../../saga-runner/saga-lane';
import { RecordingClock } from './recording-clock';

const PAGE = 2000;

/** One saga's state: held in memory, the way the what-if replay holds it. */
class SagaInMemory implements SagaContext {
  private readonly documents = new Map<string, ReadDocument>();
  readonly timers = new Map<string, SagaTimer>();
  readonly decided: SagaCommand[] = [];
  /**
   * The latest due time of a timer fired ahead of the log (before a command, not before an event):
   * until an event dated after it is applied, none dated at or before it may be.
   */
  firedAhead = '';
  private sagaNow = '';

  constructor(readonly saga: Saga) {}

  get now(): string {
    return this.sagaNow;
  }

  moveTo(now: string): void {
    this.sagaNow = now;
  }

  get<T extends ReadDocument>(collection: string, id: string): T | undefined {
    return this.documents.get(key(collection, id)) as T | undefined;
  }

  put(collection: string, document: ReadDocument): void {
    this.documents.set(key(collection, document.id), structuredClone(document));
  }

  delete(collection: string, id: string): void {
    this.documents.delete(key(collection, id));
  }

  increment(
    collection: string,
    id: string,
    amounts: Record<string, number>,
    fields?: Record<string, FieldValue>,
  ): void {
    const document = this.documents.get(key(collection, id)) ?? { id };
    Object.assign(document, fields);
    for (const field in amounts)
      document[field] = ((document[field] as number) ?? 0) + amounts[field];
    this.documents.set(key(collection, id), document);
  }

  schedule(timer: SagaTimer): void {
    this.timers.set(timer.id, canonicalTimer(timer));
  }

  cancel(timerId: string): void {
    this.timers.delete(timerId);
  }

  send(command: SagaCommand): void {
    this.decided.push(command);
  }

  nextDue(): SagaTimer | undefined {
    let next: SagaTimer | undefined;
    for (const timer of this.timers.values()) if (!next || byDue(timer, next) < 0) next = timer;
    return next;
  }
}

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

const byDue = (a: SagaTimer, b: SagaTimer) =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Runs sagas beside the generator, in business time: before each command of the plan, the sagas
 * apply what the log holds since they last looked and fire every timer due before the command's
 * time; what they decide goes through the command bus at once, recorded at its own business time.
 * So the automation log holds what really happened, when it happened — and its semantics are
 * those of the durable runner and the what-if replay (`replaySaga`): before each event, every timer
 * due strictly before it fires, in due order. The sagas' own read models are left to the app,
 * which rebuilds them from the log; their commands' ids make that replay send nothing new.
 */
export class SagasInStep {
  private readonly lanes: SagaInMemory[];
  private readonly eventTypes: string[];
  private position?: string;

  constructor(
    private readonly store: EventStore,
    sagas: Saga[],
    private readonly dispatch: CommandDispatch,
    private readonly clock: RecordingClock,
    /**
     * The run's clock. What the log holds after it (the app's own work on a store the generator
     * fills again) is not part of the history: the sagas neither read it nor fire timers for it.
     */
    private readonly until: number,
  ) {
    this.lanes = sagas.map((saga) => new SagaInMemory(saga));
    this.eventTypes = [...new Set(sagas.flatMap((saga) => [...saga.eventTypes]))];
  }

  /** Brings the sagas up to business time `at`: what is logged, then the timers due before it. */
  async advanceTo(at: number): Promise<void> {
    await this.catchUp(new Date(at).toISOString(), false);
  }

  /** At the run's clock: the timers due up to it, inclusive, as the what-if replay fires them. */
  async finish(until: number): Promise<void> {
    await this.catchUp(new Date(until).toISOString(), true);
  }

  /**
   * One timer at a time, each followed by the log it caused: a timer's commands are dated at its
   * due time, so every saga must see them before a later timer fires, as a replay of the log would.
   */
  private async catchUp(limit: string, inclusive: boolean): Promise<void> {
    await this.applyLogged();
    while (await this.fireNext(limit, inclusive, () => true)) await this.applyLogged();
  }

  private async applyLogged(): Promise<void> {
    for (;;) {
      const head = await this.store.headPosition();
      const page = await this.store.readAll({
        ...(this.position !== undefined && { after: this.position }),
        maxCount: PAGE,
        filter: { eventTypes: this.eventTypes },
      });
      for (const event of page) {
        if (Date.parse(event.metadata.occurredAt) <= this.until) await this.apply(event);
        this.position = event.position;
      }
      // Applying may have logged more (the sagas' own commands): read on until nothing is new.
      if (page.length > 0) continue;
      // Nothing the sagas read up to the head: the next look starts there, not at their last event.
      if (head !== undefined && (this.position === undefined || head > this.position))
        this.position = head;
      return;
    }
  }

  private async apply(event: RecordedEvent): Promise<void> {
    const occurredAt = event.metadata.occurredAt;
    // Ahead of the log for a saga that does not take this event: its replay fires them later.
    await this.fireDue(occurredAt, false, (lane) => !lane.saga.eventTypes.includes(event.type));
    for (const lane of this.lanes) {
      if (!lane.saga.eventTypes.includes(event.type)) continue;
      // Dated at the instant of a timer fired ahead: caused by that firing (its own command, or a
      // relay's at the same instant), which a replay meets before the timer and finds done.
      if (lane.firedAhead > occurredAt) {
        // A replay fires that timer after this event: the history would not replay as it ran.
        throw new Error(
          `${event.type} ${event.streamName}@${event.revision} is dated ${occurredAt}, ` +
            `but ${lane.saga.name} already fired a timer due ${lane.firedAhead}`,
        );
      }
      lane.firedAhead = '';
      lane.moveTo(occurredAt);
      lane.saga.handle(event, lane);
      await this.send(lane);
    }
  }

  /** Fires the sagas' timers due before `limit` (or at it), in due order across the sagas. */
  private async fireDue(
    limit: string,
    inclusive: boolean,
    ahead: (lane: SagaInMemory) => boolean,
  ): Promise<void> {
    while (await this.fireNext(limit, inclusive, ahead));
  }

  /** Fires the first timer due before `limit` (or at it) across the sagas; false when none is. */
  private async fireNext(
    limit: string,
    inclusive: boolean,
    ahead: (lane: SagaInMemory) => boolean,
  ): Promise<boolean> {
    let lane: SagaInMemory | undefined;
    let timer: SagaTimer | undefined;
    for (const candidate of this.lanes) {
      const next = candidate.nextDue();
      if (next && (!timer || byDue(next, timer) < 0)) [lane, timer] = [candidate, next];
    }
    if (!lane || !timer || (inclusive ? timer.dueAt > limit : timer.dueAt >= limit)) return false;
    lane.timers.delete(timer.id);
    lane.moveTo(timer.dueAt);
    if (ahead(lane)) lane.firedAhead = timer.dueAt;
    lane.saga.fire(timer, lane);
    await this.send(lane);
    return true;
  }

  private async send(lane: SagaInMemory): Promise<void> {
    for (const command of lane.decided.splice(0)) {
      this.clock.moveTo(Date.parse(command.occurredAt));
      await this.dispatch(command, lane.saga.name);
    }
  }
}
