import type { Projection } from '../../projections/projection';
import type { Saga, SagaTimer } from '../../sagas/saga';
import type { RecordedEvent } from '../event-store/event-store.port';
import { LaneDependencies, ProjectionLane } from '../projection-runner/projection-lane';
import { ProjectionBatch } from '../projection-runner/projection-batch';
import type { Lease, ReadDocument } from '../read-store/read-store.port';
import {
  CommandDispatch,
  CommandDispatchInOrder,
  OUTBOX_SENDS_IN_FLIGHT,
  sendOutboxEntries,
} from './outbox-sender';
import { SagaWindow } from './saga-window';

export const TIMERS = 'timers';
export const OUTBOX = 'outbox';

export type { CommandDispatch, CommandDispatchInOrder };

export interface SagaLaneDependencies extends LaneDependencies {
  dispatch: CommandDispatch;
  /** Sends several of a record's commands in one append; without it, each goes alone. */
  dispatchInOrder?: CommandDispatchInOrder;
  /** Most stored timers one window loads (catching up / live); more wait for the next window. */
  timersPerWindow?: { catchingUp: number; live: number };
}

/** A saga as the lanes see it: its documents plus its timers and its outbox. */
export const sagaAsProjection = (saga: Saga): Projection => ({
  name: saga.name,
  version: saga.version,
  collections: [
    ...saga.collections,
    { name: TIMERS, indexes: [['dueAt']] },
    { name: OUTBOX, indexes: [['sequence']] },
  ],
  eventTypes: saga.eventTypes,
  reads: saga.reads?.bind(saga),
  apply: () => {
    throw new Error(`Saga ${saga.name} is applied by its saga lane`);
  },
});

const TIMERS_PER_WINDOW = { catchingUp: 10_000, live: 500 };
const OUTBOX_PAGE = 1000;

/**
 * A projection lane that also keeps timers and an outbox. Events and due timers are applied in saga
 * time; the saga's documents, timers, decided commands and checkpoint commit together; then the
 * commands are sent with their deterministic ids, and removed from the outbox once recorded. So a
 * crash at any point neither loses nor repeats an effect.
 */
export class SagaLane extends ProjectionLane {
  /**
   * The lane holds the saga's lease, so only its own commits change the timers and the outbox:
   * what it last read of them holds until it commits again, and an idle lane woken for events it
   * does not apply queries neither. Forgotten at every commit and whenever the lease is taken anew.
   */
  private nextDueAt?: string | null;
  private nextSequence?: number;
  private outboxMayHoldEntries = true;

  constructor(
    private readonly sagaDeps: SagaLaneDependencies,
    readonly saga: Saga,
    generation: number,
  ) {
    super(sagaDeps, sagaAsProjection(saga), generation);
  }

  protected override async applyWindow(
    events: RecordedEvent[],
    lease: Lease,
    preloaded: Map<string, Map<string, ReadDocument>>,
  ): Promise<void> {
    const window = await this.openWindow(preloaded);
    const horizon = events.reduce(
      (latest, e) => (e.metadata.occurredAt > latest ? e.metadata.occurredAt : latest),
      '',
    );
    if (this.mayHaveTimersBefore(horizon)) {
      await window.loadTimersDueBefore(horizon, false, this.timersPerWindow.catchingUp);
    }
    await window.batch.load(this.deps.store, events);
    let applied: RecordedEvent | undefined;
    for (const event of events) {
      if (!window.knowsTimersBefore(event.metadata.occurredAt)) {
        // More timers fall due before this event than one window loads: fire those loaded now,
        // and the rest in the next windows, before the event.
        window.fireDue(event.metadata.occurredAt, false);
        break;
      }
      if (!window.fireDue(event.metadata.occurredAt, false)) break;
      const opened = this.projection.personalData ? await this.opened(event) : event;
      this.applyOne(opened, () => window.handle(opened));
      applied = event;
    }
    if (!applied) {
      // A timer due first needs documents nobody has read yet, or more timers are due first than
      // one window loads: commit what fired, load again and go on.
      await this.commit(window, lease, this.checkpoint);
      await this.sendOutbox();
      return;
    }
    await this.commit(window, lease, applied.position);
    this.cache.trim();
    this.checkpoint = applied.position;
    this.seenUpTo = applied.position;
    this.deps.onProgress();
    await this.sendOutbox();
  }

  /** Caught up: fires the timers due by the wall clock, then waits for events or the next due time. */
  protected override async idle(
    lease: Lease,
    preloaded: Map<string, Map<string, ReadDocument>>,
    signals: number,
  ): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    if (this.mayHaveTimersBefore(now, true)) {
      const window = await this.openWindow(preloaded);
      const due = await window.loadTimersDueBefore(now, true, this.timersPerWindow.live);
      if (due > 0) {
        window.fireDue(now, true);
        await this.commit(window, lease, this.checkpoint);
        await this.sendOutbox();
        return;
      }
    }
    const untilNext =
      (await this.firstDueAt()) === null
        ? 1000
        : Date.parse(this.nextDueAt!) - this.deps.clock.now().getTime();
    await this.deps.newEvents.wait(Math.max(1, Math.min(1000, Math.ceil(untilNext))), signals);
  }

  private async firstDueAt(): Promise<string | null> {
    if (this.nextDueAt === undefined) {
      const next = await this.deps.store.find(this.collection(TIMERS), {
        sort: [['dueAt', 'asc']],
        limit: 1,
      });
      this.nextDueAt = next[0] ? (next[0].dueAt as string) : null;
    }
    return this.nextDueAt;
  }

  private mayHaveTimersBefore(limit: string, inclusive = false): boolean {
    if (this.nextDueAt === undefined) return true;
    if (this.nextDueAt === null) return false;
    return inclusive ? this.nextDueAt <= limit : this.nextDueAt < limit;
  }

  private async commit(window: SagaWindow, lease: Lease, position: string | undefined) {
    this.nextDueAt = undefined;
    this.nextSequence = undefined;
    await window.commit(lease, position, this.checkpointName);
    this.nextSequence = window.nextSequence;
    if (window.sent > 0) this.outboxMayHoldEntries = true;
  }

  private get timersPerWindow() {
    return this.sagaDeps.timersPerWindow ?? TIMERS_PER_WINDOW;
  }

  protected override async resume(): Promise<void> {
    this.nextDueAt = undefined;
    this.nextSequence = undefined;
    this.outboxMayHoldEntries = true;
    await this.sendOutbox();
  }

  private async openWindow(preloaded: Map<string, Map<string, ReadDocument>>): Promise<SagaWindow> {
    const batch = new ProjectionBatch(
      this.projection,
      (logical) => this.collection(logical),
      preloaded,
      this.cache,
    );
    const sequence = await this.nextOutboxSequence();
    return new SagaWindow(
      this.saga,
      batch,
      this.deps.store,
      (logical) => this.collection(logical),
      sequence,
      this.checkpoint,
    );
  }

  private async nextOutboxSequence(): Promise<number> {
    if (this.nextSequence !== undefined) return this.nextSequence;
    const last = await this.deps.store.find(this.collection(OUTBOX), {
      sort: [['sequence', 'desc']],
      limit: 1,
    });
    this.nextSequence = ((last[0]?.sequence as number | undefined) ?? 0) + 1;
    return this.nextSequence;
  }

  /**
   * Sends the recorded decisions, each record's in order, and removes those recorded; one that
   * fails stays, with its record's later ones, for the next round.
   */
  private async sendOutbox(): Promise<void> {
    if (!this.outboxMayHoldEntries) return;
    for (;;) {
      const pending = await this.deps.store.find(this.collection(OUTBOX), {
        sort: [['sequence', 'asc']],
        limit: OUTBOX_PAGE,
      });
      if (pending.length === 0) {
        this.outboxMayHoldEntries = false;
        return;
      }
      const dispatchInOrder = this.sagaDeps.dispatchInOrder;
      const sent = await sendOutboxEntries(
        pending,
        (command) => this.sagaDeps.dispatch(command, this.saga.name),
        (command, error) =>
          this.deps.log({
            msg: 'saga command not sent yet; will retry',
            saga: this.saga.name,
            commandId: command.commandId,
            error: error.message,
          }),
        OUTBOX_SENDS_IN_FLIGHT,
        dispatchInOrder && ((commands) => dispatchInOrder(commands, this.saga.name)),
      );
      // A crash before this commit sends them again: their ids make that a no-op.
      if (sent.length > 0) {
        await this.deps.store.commit(
          sent.map((id) => ({ kind: 'delete', collection: this.collection(OUTBOX), id })),
        );
      }
      if (sent.length === pending.length && pending.length < OUTBOX_PAGE) {
        this.outboxMayHoldEntries = false;
      }
      if (sent.length < pending.length || pending.length < OUTBOX_PAGE) return;
    }
  }
}

export type { SagaTimer };
