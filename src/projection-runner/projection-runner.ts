import type { Projection } from '../../projections/projection';
import type { EventSubscription } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/event-store.port';
import { DomainError } from '../../domain/shared/domain-error';
import type { ReadDocument } from '../read-store/read-store.port';
import {
  checkpointName,
  LaneDependencies,
  LaneFailure,
  LaneState,
  ProjectionLane,
} from './projection-lane';
import type { BuildWorkers } from './build-workers/build-workers';
import { OffThreadBuildLane } from './build-workers/off-thread-build-lane';
import { readModelChecksum } from './read-model-checksum';
import { ReadModels } from './read-models';
import { SharedEventReader } from './shared-event-reader';
import { WakeThrottle } from './wake-throttle';
import { Wakeup } from './wakeup';

/** Which generation of each projection is live, and which one is being built beside it. */
export const PROJECTION_REGISTRY = '_projections';

interface RegistryEntry extends ReadDocument {
  version: number;
  generation: number;
  /** Physical collections of the live generation, so a later definition can drop them. */
  collections: string[];
  building?: { version: number; generation: number };
  /** Superseded generations, dropped once no instance can still be reading them. */
  retired?: Array<{ generation: number; collections: string[]; retiredAt: string }>;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  generation: number;
  role: 'live' | 'building';
  state: LaneState;
  /** `worker` while a build catches up in a worker thread. */
  thread: 'main' | 'worker';
  checkpoint: string | null;
  /** Events this projection applies that are stored but not yet in its read model; capped. */
  behind: number | string;
  failure: LaneFailure | null;
}

export type RunnerDependencies = Omit<LaneDependencies, 'newEvents' | 'onProgress'> & {
  /** Builds far behind the log catch up in worker threads (projections only, not sagas). */
  buildWorkers?: BuildWorkers;
};

export type LaneFactory = (
  deps: LaneDependencies,
  projection: Projection,
  generation: number,
) => ProjectionLane;

const projectionLane: LaneFactory = (deps, projection, generation) =>
  new ProjectionLane(deps, projection, generation);

const BEHIND_CAP = 10_000;
const SYNC_INTERVAL_MS = 2_000;
/** Under write load, lanes wake at most this often (see WakeThrottle). */
const WAKE_INTERVAL_MS = 20;
/** Other instances may still read a superseded generation until their next registry sync. */
const DROP_GRACE_MS = 3 * SYNC_INTERVAL_MS;

/**
 * Runs every projection: one lane per live generation, and one beside it while a new generation
 * is built (a changed definition, or a rebuild on request). Readers switch when the new one has
 * caught up. Several instances share the work through leases; each follows the registry.
 */
export class ProjectionRunner {
  private readonly live = new Map<string, ProjectionLane>();
  private readonly building = new Map<string, ProjectionLane>();
  private readonly newEvents = new Wakeup();
  private readonly wakeLanes = new WakeThrottle(this.newEvents, WAKE_INTERVAL_MS);
  private readonly progress = new Wakeup();
  private readonly reader: SharedEventReader;
  private subscription?: EventSubscription;
  private watching?: Promise<void>;
  private syncTimer?: NodeJS.Timeout;

  private stopped = false;

  constructor(
    private readonly deps: RunnerDependencies,
    private readonly projections: Projection[],
    private readonly readModels: ReadModels,
    /** Sagas run in lanes of their own kind, with timers and an outbox. */
    private readonly makeLane: LaneFactory = projectionLane,
    /**
     * Whether a build generation's indexes wait until it has caught up. Projection lanes never
     * query their own collections, so they may; a saga lane queries its timers while building.
     */
    private readonly deferBuildIndexes = makeLane === projectionLane,
  ) {
    this.reader = new SharedEventReader(deps.events);
  }

  async start(): Promise<void> {
    await this.deps.store.ensureCollection({ name: PROJECTION_REGISTRY });
    this.subscription = this.deps.events.subscribeToAll({
      after: await this.deps.events.headPosition(),
    });
    this.watching = this.watch(this.subscription);
    await this.sync();
    this.syncTimer = setInterval(
      () =>
        void this.sync().catch((error: Error) =>
          this.deps.log({ msg: 'projection registry sync failed', error: error.message }),
        ),
      SYNC_INTERVAL_MS,
    );
    this.syncTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.syncTimer);
    this.wakeLanes.stop();

    await this.subscription?.stop();
    await this.watching;
    await Promise.all(
      [...this.live.values(), ...this.building.values()].map((lane) => lane.stop()),
    );
  }

  /** Builds a new generation from the start of the log beside the live one. */
  async rebuild(name: string): Promise<{ generation: number }> {
    const projection = this.projection(name);
    const entry = await this.entry(name);
    if (entry?.building) {
      throw new DomainError(
        'projection.rebuild_in_progress',
        `${name} is already being rebuilt (generation ${entry.building.generation})`,
        'name',
      );
    }
    const generation = (entry?.generation ?? 0) + 1;
    await this.putEntry({
      ...(entry ?? { id: name, version: projection.version, generation: 0, collections: [] }),
      building: { version: projection.version, generation },
    });
    await this.sync();
    return { generation };
  }

  /**
   * Drops what a projection no longer defined left in the read store: its live and retired
   * collections, its checkpoints and its registry entry. Run it once no instance runs a version
   * that still defines the projection: such an instance would build it again.
   */
  async forget(name: string): Promise<{ dropped: string[] }> {
    if (this.projections.some((projection) => projection.name === name)) {
      throw new DomainError(
        'projection.still_defined',
        `${name} is a projection of this version; only one no longer defined can be forgotten`,
        'name',
      );
    }
    const entry = await this.entry(name);
    if (!entry)
      throw new DomainError('projection.not_found', `No projection is named ${name}`, 'name');
    const generations = [
      { generation: entry.generation, collections: entry.collections },
      ...(entry.retired ?? []),
    ];
    for (const { generation, collections } of generations) {
      for (const collection of collections) await this.deps.store.dropCollection(collection);
      await this.deps.store.deleteCheckpoint(checkpointName(name, generation));
    }
    if (entry.building)
      await this.deps.store.deleteCheckpoint(checkpointName(name, entry.building.generation));
    await this.deps.store.commit([{ kind: 'delete', collection: PROJECTION_REGISTRY, id: name }]);
    return { dropped: generations.flatMap(({ collections }) => collections) };
  }

  /** Restarts a lane stopped by an event it could not apply (after the projection was fixed). */
  retry(name: string): void {
    const lanes = [this.live.get(name), this.building.get(name)].filter(
      (lane) => lane?.state === 'failed',
    );
    if (lanes.length === 0) {
      throw new DomainError(
        'projection.not_failed',
        `${this.projection(name).name} has not stopped on a failure`,
        'name',
      );
    }
    for (const lane of lanes) lane!.start();
  }

  /** Resolves once every live read model holds every event up to `position`; false on timeout. */
  async waitFor(position: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const signals = this.progress.seen();
      if (this.reached(position)) return true;
      if (this.wakeLanes.waiting) this.wakeLanes.flush();
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await this.progress.wait(remaining, signals);
    }
  }

  async status(): Promise<{ head: string | null; projections: ProjectionStatus[] }> {
    const head = (await this.deps.events.headPosition()) ?? null;
    const lanes = [
      ...[...this.live.values()].map((lane) => ({ lane, role: 'live' as const })),
      ...[...this.building.values()].map((lane) => ({ lane, role: 'building' as const })),
    ];
    const projections: ProjectionStatus[] = [];
    for (const { lane, role } of lanes) {
      const pending = await this.deps.events.readAll({
        after: lane.seenUpTo,
        maxCount: BEHIND_CAP + 1,
        filter: { eventTypes: [...lane.projection.eventTypes] },
      });
      projections.push({
        name: lane.projection.name,
        version: lane.projection.version,
        generation: lane.generation,
        role,
        state: lane.state,
        thread: lane.thread,
        checkpoint: lane.checkpoint ?? null,
        behind: pending.length > BEHIND_CAP ? `>${BEHIND_CAP}` : pending.length,
        failure: lane.failure ?? null,
      });
    }
    return { head, projections };
  }

  /** A digest of each live read model, for comparing a long-running build with a fresh one. */
  async checksums(): Promise<Record<string, string>> {
    const sums: Record<string, string> = {};
    for (const projection of this.projections) {
      sums[projection.name] = await readModelChecksum(this.deps.store, projection, (logical) =>
        this.readModels.collection(projection.name, logical),
      );
    }
    return sums;
  }

  /** Lanes by role, for tests and the CLI. */
  lane(name: string, role: 'live' | 'building'): ProjectionLane | undefined {
    return (role === 'live' ? this.live : this.building).get(name);
  }

  private reached(position: string): boolean {
    for (const projection of this.projections) {
      const lane = this.live.get(projection.name);
      if (!lane) return false;
      if (lane.seenUpTo === undefined || comparePositions(lane.seenUpTo, position) < 0)
        return false;
    }
    return true;
  }

  private async watch(subscription: EventSubscription): Promise<void> {
    try {
      for await (const _event of subscription) this.wakeLanes.signal();
    } catch (error) {
      // Lanes still look for work every second; only the prompt wake-up is lost until restart.
      this.deps.log({
        msg: 'projection wake-up subscription ended',
        error: (error as Error).message,
      });
    }
  }

  /** Brings this instance in line with the registry: live generations, builds, switch-overs. */
  private async sync(): Promise<void> {
    if (this.stopped) return;
    for (const projection of this.projections) {
      let entry = await this.entry(projection.name);
      if (!entry) {
        entry = {
          id: projection.name,
          version: projection.version,
          generation: 0,
          collections: [],
          building: { version: projection.version, generation: 1 },
        };
        await this.putEntry(entry);
      }
      this.followLive(projection, entry);
      this.followBuild(projection, entry);
      await this.dropRetired(entry);
    }
  }

  private followLive(projection: Projection, entry: RegistryEntry): void {
    if (entry.generation === 0) return;
    const current = this.live.get(projection.name);
    if (current?.generation === entry.generation) return;
    this.readModels.setLive(projection.name, entry.generation);
    if (current) void current.stop();
    if (entry.version !== projection.version) {
      // Written by another definition: it serves reads until this definition's build takes over.
      if (!entry.building || entry.building.version !== projection.version) {
        entry.building = { version: projection.version, generation: entry.generation + 1 };
        void this.putEntry(entry);
      }
      return;
    }
    const building = this.building.get(projection.name);
    const lane =
      building?.generation === entry.generation
        ? building
        : this.newLane(projection, entry.generation);
    this.building.delete(projection.name);
    this.live.set(projection.name, lane);
  }

  private followBuild(projection: Projection, entry: RegistryEntry): void {
    const build = entry.building;
    if (!build || build.version !== projection.version) return;
    if (this.building.get(projection.name)?.generation === build.generation) return;
    const lane = this.newLane(projection, build.generation, this.deferBuildIndexes);
    this.building.set(projection.name, lane);
    void lane.caughtUp.then(() => this.switchOver(projection, lane));
  }

  private async switchOver(projection: Projection, lane: ProjectionLane): Promise<void> {
    if (this.stopped || this.building.get(projection.name) !== lane) return;
    const entry = await this.entry(projection.name);
    if (entry?.building?.generation !== lane.generation) return;
    const retired =
      entry.generation === 0
        ? []
        : [
            {
              generation: entry.generation,
              collections: entry.collections,
              retiredAt: this.deps.clock.now().toISOString(),
            },
          ];
    await this.putEntry({
      id: projection.name,
      version: projection.version,
      generation: lane.generation,
      collections: projection.collections.map((spec) => lane.collection(spec.name)),
      retired: [...(entry.retired ?? []), ...retired],
    });
    const superseded = this.live.get(projection.name);
    this.building.delete(projection.name);
    this.live.set(projection.name, lane);
    this.readModels.setLive(projection.name, lane.generation);
    this.progress.notify();
    await superseded?.stop();
    this.deps.log({
      msg: 'projection switched to a new generation',
      projection: projection.name,
      generation: lane.generation,
    });
  }

  /** Drops generations superseded long enough ago that every instance has followed the switch. */
  private async dropRetired(entry: RegistryEntry): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const due = (entry.retired ?? []).filter(
      (retired) => now - Date.parse(retired.retiredAt) >= DROP_GRACE_MS,
    );
    if (due.length === 0) return;
    for (const retired of due) {
      for (const collection of retired.collections)
        await this.deps.store.dropCollection(collection);
      await this.deps.store.deleteCheckpoint(checkpointName(entry.id, retired.generation));
    }
    const current = await this.entry(entry.id);
    if (!current) return;
    await this.putEntry({
      ...current,
      retired: (current.retired ?? []).filter(
        (retired) => !due.some((d) => d.generation === retired.generation),
      ),
    });
  }

  private newLane(projection: Projection, generation: number, building = false): ProjectionLane {
    const { buildWorkers, ...deps } = this.deps;
    const laneDeps: LaneDependencies = {
      ...deps,
      deferIndexes: building,
      reader: this.reader,
      newEvents: this.newEvents,
      onProgress: () => this.progress.notify(),
    };
    const lane =
      building && buildWorkers?.handles(projection) && this.makeLane === projectionLane
        ? new OffThreadBuildLane(laneDeps, projection, generation, buildWorkers)
        : this.makeLane(laneDeps, projection, generation);
    lane.start();
    return lane;
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection)
      throw new DomainError('projection.not_found', `No projection is named ${name}`, 'name');
    return projection;
  }

  private async entry(name: string): Promise<RegistryEntry | undefined> {
    return (await this.deps.store.get(PROJECTION_REGISTRY, name)) as RegistryEntry | undefined;
  }

  private putEntry(entry: RegistryEntry): Promise<void> {
    return this.deps.store.commit([
      { kind: 'put', collection: PROJECTION_REGISTRY, document: entry },
    ]);
  }
}
