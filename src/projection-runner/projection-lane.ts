import type { Projection } from '../../projections/projection';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/event-store.port';
import type { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import type { Lease, ReadDocument, ReadStore } from '../read-store/read-store.port';
import { FencedOffError } from '../read-store/read-store.port';
import type { Clock } from '../shared/clock';
import { DocumentCache } from './document-cache';
import type { SharedEventReader } from './shared-event-reader';
import { ProjectionBatch } from './projection-batch';
import { physicalName } from './read-models';
import { Wakeup } from './wakeup';

/** Where a generation of a projection keeps its position in the log. */
export const checkpointName = (projection: string, generation: number): string =>
  `${projection}@g${generation}`;

export interface LaneDependencies {
  events: EventStore;
  store: ReadStore;
  cipher: PersonalDataCipher;
  clock: Clock;
  /** Notified when the store has new events. */
  newEvents: Wakeup;
  /** Shared by the lanes of one runner, so events near the end of the log are read once. */
  reader?: SharedEventReader;
  /** Called whenever this lane's read model moved forward or caught up. */
  onProgress: () => void;
  /** This instance, as a lease holder. */
  holder: string;
  /** Events per read. */
  batchSize: number;
  /** While catching up, events per read-store transaction. */
  flushEvery: number;
  /** Documents a lane keeps in memory between transactions. */
  cacheLimit: number;
  leaseTtlMs: number;
  /**
   * A build generation nobody reads until it has caught up: its indexes are built once, when it
   * first catches up, rather than kept up at every write (see EnsureOptions.deferIndexes).
   */
  deferIndexes?: boolean;
  log: (entry: Record<string, unknown>) => void;
}

export type LaneState =
  'starting' | 'waiting_for_lease' | 'catching_up' | 'live' | 'retrying' | 'failed' | 'stopped';

export interface LaneFailure {
  position: string;
  eventId: string;
  eventType: string;
  streamName: string;
  message: string;
}

/** An event the projection could not apply: the lane stops there, and never skips it. */
export class ProjectionFailure extends Error {
  constructor(readonly failure: LaneFailure) {
    super(failure.message);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * One build generation of one projection: reads the events after its checkpoint in batches, and
 * commits each batch's writes with the new checkpoint in one read-store transaction, under the
 * projection's lease. So effects happen exactly once, and a restart resumes at the checkpoint.
 */
export class ProjectionLane {
  state: LaneState = 'starting';
  checkpoint?: string;
  /** Every event up to here that this projection applies is in its read model. */
  seenUpTo?: string;
  failure?: LaneFailure;
  /** Where the lane applies events now: a build far behind may run in a worker thread first. */
  thread: 'main' | 'worker' = 'main';
  /** Resolves the first time the lane has applied everything stored. */
  readonly caughtUp: Promise<void>;
  private markCaughtUp!: () => void;
  private indexesBuilt = false;
  protected stopping = false;
  protected cache = new DocumentCache(false, 0);
  private running?: Promise<void>;

  constructor(
    protected readonly deps: LaneDependencies,
    readonly projection: Projection,
    readonly generation: number,
  ) {
    this.caughtUp = new Promise((resolve) => (this.markCaughtUp = resolve));
  }

  get checkpointName(): string {
    return checkpointName(this.projection.name, this.generation);
  }

  get leaseName(): string {
    return `projection:${this.projection.name}:g${this.generation}`;
  }

  collection(logical: string): string {
    return physicalName(this.projection.name, this.generation, logical);
  }

  start(): void {
    this.stopping = false;
    this.failure = undefined;
    this.running = this.run();
  }

  /** Resolves when the lane has stopped: asked to, or on an event it cannot apply. */
  get ended(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.deps.newEvents.notify();
    await this.running;
    this.state = this.state === 'failed' ? 'failed' : 'stopped';
  }

  /** Drops this generation's collections and checkpoint: for a superseded or abandoned build. */
  async drop(): Promise<void> {
    for (const spec of this.projection.collections) {
      await this.deps.store.dropCollection(this.collection(spec.name));
    }
    await this.deps.store.deleteCheckpoint(this.checkpointName);
    await this.deps.store.releaseLease(this.leaseName, this.deps.holder);
  }

  protected async run(): Promise<void> {
    let pause = 250;
    while (!this.stopping) {
      try {
        const lease = await this.acquire();
        if (!lease) {
          this.state = 'waiting_for_lease';
          await sleep(this.deps.leaseTtlMs / 3);
          continue;
        }
        const preloaded = await this.prepare();
        await this.resume(lease);
        await this.follow(lease, preloaded);
        pause = 250;
      } catch (error) {
        if (error instanceof ProjectionFailure) {
          this.state = 'failed';
          this.failure = error.failure;
          this.deps.log({
            msg: 'projection stopped on an event it cannot apply',
            projection: this.projection.name,
            ...error.failure,
          });
          return;
        }
        this.state = 'retrying';
        this.deps.log({
          msg: 'projection lane error; retrying',
          projection: this.projection.name,
          error: (error as Error).message,
        });
        await sleep(pause);
        pause = Math.min(pause * 2, 10_000);
      }
    }
    await this.deps.store.releaseLease(this.leaseName, this.deps.holder).catch(() => undefined);
  }

  protected acquire(): Promise<Lease | undefined> {
    return this.deps.store.acquireLease(
      this.leaseName,
      this.deps.holder,
      this.deps.leaseTtlMs,
      this.deps.clock.now(),
    );
  }

  private async prepare(): Promise<Map<string, Map<string, ReadDocument>>> {
    for (const spec of this.projection.collections) {
      await this.deps.store.ensureCollection(
        { ...spec, name: this.collection(spec.name) },
        { deferIndexes: this.deps.deferIndexes && !this.indexesBuilt },
      );
    }
    const preloaded = new Map<string, Map<string, ReadDocument>>();
    for (const spec of this.projection.collections.filter((c) => c.preload)) {
      const documents = await this.deps.store.find(this.collection(spec.name));
      preloaded.set(spec.name, new Map(documents.map((document) => [document.id, document])));
    }
    this.checkpoint = await this.deps.store.checkpoint(this.checkpointName);
    this.seenUpTo = this.checkpoint;
    // Whatever an earlier attempt cached may hold writes that never committed.
    this.cache = new DocumentCache(this.checkpoint === undefined, this.deps.cacheLimit);
    return preloaded;
  }

  /** Returns when the lease is lost; throws on a failure. */
  private async follow(
    lease: Lease,
    preloaded: Map<string, Map<string, ReadDocument>>,
  ): Promise<void> {
    let renewAt = this.deps.clock.now().getTime() + this.deps.leaseTtlMs / 3;
    while (!this.stopping) {
      if (this.deps.clock.now().getTime() >= renewAt) {
        const renewed = await this.acquire();
        if (!renewed || renewed.token !== lease.token) return;
        renewAt = this.deps.clock.now().getTime() + this.deps.leaseTtlMs / 3;
      }
      const signals = this.deps.newEvents.seen();
      const head = await this.deps.events.headPosition();
      const events = await this.read(this.checkpoint);
      if (events.length === 0) {
        if (
          head !== undefined &&
          (this.seenUpTo === undefined || comparePositions(head, this.seenUpTo) > 0)
        ) {
          this.seenUpTo = head;
        }
        // None of this lane's events lie between the checkpoint and the head seen before the read:
        // go on from there, or a lane whose events are rare rescans the log after every append.
        // The moved checkpoint is stored with the next commit.
        if (
          this.seenUpTo !== undefined &&
          (this.checkpoint === undefined || comparePositions(this.seenUpTo, this.checkpoint) > 0)
        ) {
          this.checkpoint = this.seenUpTo;
        }
        await this.buildIndexes();
        this.state = 'live';
        this.markCaughtUp();
        this.deps.onProgress();
        try {
          await this.idle(lease, preloaded, signals);
        } catch (error) {
          if (error instanceof FencedOffError) return;
          throw error;
        }
        continue;
      }
      this.state = this.state === 'live' ? 'live' : 'catching_up';
      try {
        await this.applyWindow(events, lease, preloaded);
      } catch (error) {
        if (error instanceof FencedOffError) return;
        throw error;
      }
    }
  }

  /** Before anyone may read this generation: the indexes its build left out. */
  private async buildIndexes(): Promise<void> {
    if (this.indexesBuilt || !this.deps.deferIndexes) return;
    for (const spec of this.projection.collections) {
      await this.deps.store.buildIndexes(this.collection(spec.name));
    }
    this.indexesBuilt = true;
  }

  /** Caught up: waits for new events. A saga also fires the timers that fall due meanwhile. */
  protected async idle(
    _lease: Lease,
    _preloaded: Map<string, Map<string, ReadDocument>>,
    signals: number,
  ): Promise<void> {
    await this.deps.newEvents.wait(1000, signals);
  }

  /** After (re)acquiring the lease, before reading on: a saga sends what it decided but never sent. */
  protected async resume(_lease: Lease): Promise<void> {}

  /**
   * Applies `events` and, while the log has more, the pages after them, up to `flushEvery` events,
   * then commits every touched document's final state with the checkpoint in one transaction.
   */
  protected async applyWindow(
    events: RecordedEvent[],
    lease: Lease,
    preloaded: Map<string, Map<string, ReadDocument>>,
  ): Promise<void> {
    const batch = new ProjectionBatch(
      this.projection,
      (logical) => this.collection(logical),
      preloaded,
      this.cache,
    );
    let page = events;
    let applied = 0;
    for (;;) {
      await batch.load(this.deps.store, page);
      for (const event of page) {
        const opened = this.projection.personalData ? await this.opened(event) : event;
        this.applyOne(opened, () => batch.apply(opened));
      }
      applied += page.length;
      // Give the event loop a turn between pages: a long catch-up must not freeze HTTP or leases.
      await new Promise((resolve) => setImmediate(resolve));
      // Pages from the shared reader may be short without the log having ended.
      // A full cache ends the window too: it is trimmed only after a commit.
      if (applied >= this.deps.flushEvery || this.cache.full || this.stopping) break;
      const next = await this.read(page[page.length - 1].position);
      if (next.length === 0) break;
      page = next;
    }
    const last = page[page.length - 1].position;
    await this.deps.store.commit(batch.drain(), {
      checkpoint: { name: this.checkpointName, position: last },
      fence: { lease: this.leaseName, token: lease.token },
    });
    this.cache.trim();
    this.checkpoint = last;
    this.seenUpTo = last;
    this.deps.onProgress();
  }

  protected applyOne(event: RecordedEvent, apply: () => void): void {
    try {
      apply();
    } catch (error) {
      throw new ProjectionFailure({
        position: event.position,
        eventId: event.id,
        eventType: event.type,
        streamName: event.streamName,
        message: (error as Error).message,
      });
    }
  }

  protected read(after: string | undefined): Promise<RecordedEvent[]> {
    const filter = { eventTypes: [...this.projection.eventTypes] };
    return this.deps.reader
      ? this.deps.reader.read(after, this.deps.batchSize, filter)
      : this.deps.events.readAll({ after, maxCount: this.deps.batchSize, filter });
  }

  /** The event with its personal fields opened; once for all lanes reading it from the shared reader. */
  protected opened(event: RecordedEvent): Promise<RecordedEvent> {
    const open = async (sealed: RecordedEvent): Promise<RecordedEvent> => ({
      ...sealed,
      data: await this.deps.cipher.open(sealed.data),
    });
    return this.deps.reader ? this.deps.reader.openOnce(event, open) : open(event);
  }
}
