/**
 * Part 1 of `npm run bench:projections`: how fast every projection together rebuilds from scratch,
 * against how fast the same store reads and parses its events (the limit for any reader).
 *
 *  - raw: SqliteEventStore.readAll from the start in pages, which returns events with data and
 *    metadata parsed: events/s;
 *  - rebuild: a ProjectionRunner over a fresh SqliteReadStore, as the app builds it (the upcasting
 *    store, the personal-data cipher on the embedded key store, leases, checkpoints), timed from
 *    start() until every projection's live generation holds every stored event;
 *    events/s = events in the store / seconds.
 * Raw passes are interleaved with the rebuilds, so both see the same disk and page cache.
 */
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Projection } from '../projections/projection';
import type { EventStore, ReadAllOptions } from '../src/event-store/event-store.port';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { UpcasterRegistry } from '../src/event-store/upcasting/upcaster-registry';
import { UpcastingEventStore } from '../src/event-store/upcasting/upcasting-event-store';
import { loadMasterKey } from '../src/personal-data/master-key';
import { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../src/personal-data/sqlite-subject-key-store';
import { BuildWorkers } from '../src/projection-runner/build-workers/build-workers';
import { ProjectionRunner } from '../src/projection-runner/projection-runner';
import { ReadModels } from '../src/projection-runner/read-models';
import type {
  Checkpoint,
  CollectionSpec,
  EnsureOptions,
  Fence,
  FieldValue,
  FindQuery,
  ReadStore,
  ReadWrite,
} from '../src/read-store/read-store.port';
import { SqliteReadStore } from '../src/read-store/sqlite/sqlite-read-store';
import { readSettings } from '../src/settings/app-settings';
import { systemClock } from '../src/shared/clock';
import { median, now, since } from './measure';
import type { BenchStore, Log } from './projection-data';
import { StoreOnlyPass, storeOnlyPass } from './store-only-pass';

export const REBUILD_TARGET = 0.4;

// ---------------------------------------------------------------- raw read

export interface RawRead {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of this process (user + system) over the pass. */
  cpuSeconds: number;
}

/** CPU seconds (user + system) of this process since `start`. */
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** Every event from the start, in pages, as SqliteEventStore.readAll returns them (parsed). */
export async function rawReadAll(eventsFile: string, pageSize: number): Promise<RawRead> {
  const store = SqliteEventStore.open({ file: eventsFile, synchronous: 'NORMAL' });
  try {
    const started = now();
    const cpu = process.cpuUsage();
    let after: string | undefined;
    let events = 0;
    for (;;) {
      const page = await store.readAll({ after, maxCount: pageSize });
      events += page.length;
      if (page.length < pageSize) break;
      after = page[page.length - 1].position;
    }
    const seconds = since(started) / 1e9;
    return { events, seconds, eventsPerSecond: events / seconds, cpuSeconds: cpuSince(cpu) };
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------- rebuild

export interface RebuildOptions {
  store: BenchStore;
  projections: Projection[];
  /** Events per read of the log (the runner's batchSize). */
  batchSize: number;
  /** The runner's other settings; absent: the app's (PROJECTION_FLUSH_EVERY, … or their defaults). */
  flushEvery?: number;
  cacheLimit?: number;
  /** The read-store database; deleted first unless `reuse`. */
  readStoreFile: string;
  /** Start on the read models already in `readStoreFile` (as the app starts): times the start-up. */
  reuse?: boolean;
  log: Log;
  /** Keep the runner and stores open and return them (for the query part). */
  keepOpen?: boolean;
  /** Print a progress line this often (ms). */
  progressEveryMs?: number;
  /** Time each projection's reads, loads, apply and commits (adds a little overhead; main thread only). */
  breakdown?: boolean;
  /** Worker threads for the builds; absent: the app's setting (PROJECTION_BUILD_WORKERS). */
  buildWorkers?: number;
}

export interface ProjectionCatchUp {
  name: string;
  /** Seconds from start until this projection's live generation held every event. */
  caughtUpAfter: number;
}

export interface RebuildResult {
  batchSize: number;
  /** The runner's settings in this rebuild, as the app would read them, with the bench's overrides. */
  settings: Record<string, unknown>;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of this process (user + system) over the rebuild. */
  cpuSeconds: number;
  perProjection: ProjectionCatchUp[];
  /** Highest RSS seen while rebuilding (sampled every 100 ms), bytes. */
  peakRss: number;
  /** Time spent in V8's garbage collector on the main thread during the rebuild. */
  gcSeconds: number;
  /** Worker threads the builds could use (0: all on the main thread). */
  buildWorkers: number;
  /**
   * The longest the event loop went without a turn during the rebuild: how long an HTTP request
   * (or a timer) in the same process would have waited.
   */
  longestStallSeconds: number;
  readStoreBytes: number;
  breakdown?: BreakdownResult;
  open?: OpenRebuild;
}

/** A caught-up runner with its stores, for queries; close() stops and closes everything. */
export interface OpenRebuild {
  runner: ProjectionRunner;
  readStore: ReadStore;
  readModels: ReadModels;
  events: EventStore;
  cipher: PersonalDataCipher;
  close(): Promise<void>;
}

export class ProjectionFailedError extends Error {}

export async function rebuildAll(options: RebuildOptions): Promise<RebuildResult> {
  const { store, projections, batchSize, readStoreFile, log } = options;
  if (!options.reuse) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${readStoreFile}${suffix}`, { force: true });
  }
  const adapter = SqliteEventStore.open({ file: store.eventsFile, synchronous: 'NORMAL' });
  const masterKey = loadMasterKey(undefined, store.masterKeyFile);
  const breakdown = options.breakdown ? new CostBreakdown(projections) : undefined;
  const events = new UpcastingEventStore(
    breakdown ? breakdown.eventStore(adapter) : adapter,
    new UpcasterRegistry(),
  );
  const keys = new SqliteSubjectKeyStore(adapter.sharedConnection(), masterKey);
  const cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
  const readStore = SqliteReadStore.open({ file: readStoreFile });
  const readModels = new ReadModels(readStore);
  const monitor = monitored(breakdown ? breakdown.readStore(readStore) : readStore);
  // The app's runner settings (env or defaults), so the bench follows them as they change.
  const {
    run: _run,
    minPositionTimeoutMs: _wait,
    buildWorkers: appBuildWorkers,
    buildWorkerMinEvents,
    ...appSettings
  } = readSettings(process.env).projections;
  const workers = new BuildWorkers({
    workers: options.buildWorkers ?? appBuildWorkers,
    minEvents: buildWorkerMinEvents,
    stores: {
      eventStore: { kind: 'sqlite', file: store.eventsFile, synchronous: 'NORMAL' },
      readStore: { kind: 'sqlite', file: readStoreFile },
      keysFile: join(dirname(store.eventsFile), 'keys.sqlite'),
      masterKey: masterKey.toString('base64'),
    },
    log: (entry) => log(`runner: ${JSON.stringify(entry)}`),
  });
  const settings = {
    ...appSettings,
    batchSize,
    ...(options.flushEvery !== undefined && { flushEvery: options.flushEvery }),
    ...(options.cacheLimit !== undefined && { cacheLimit: options.cacheLimit }),
  };
  const runner = new ProjectionRunner(
    {
      ...settings,
      events,
      store: monitor.store,
      cipher,
      clock: systemClock,
      holder: `bench:${process.pid}`,
      // One process, one holder: the lease only has to outlast the longest batch.
      leaseTtlMs: 60_000,
      buildWorkers: workers,
      log: (entry) => log(`runner: ${JSON.stringify(entry)}`),
    },
    breakdown ? projections.map((p) => breakdown.projection(p)) : projections,
    readModels,
  );
  const close = async () => {
    await runner.stop();
    await workers.close();
    await readStore.close();
    await keys.close();
    await events.close();
  };

  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  // The runner's own timers are unref'd (it lives inside the app): keep this process alive.
  const keepAlive = setInterval(() => undefined, 1000);
  // A 10 ms ticker: the longest gap between its ticks is the longest the loop went without a turn.
  let lastTick = now();
  let longestGapNs = 0;
  const ticker = setInterval(() => {
    longestGapNs = Math.max(longestGapNs, since(lastTick));
    lastTick = now();
  }, 10);
  try {
    const head = await adapter.headPosition();
    if (head === undefined) throw new Error('The bench store is empty');
    const total = Number(head);
    const caughtUp = new Map<string, number>();
    let failure: Error | undefined;
    let peakRss = process.memoryUsage.rss();
    let lastProgress = now();
    let lastSample = now();
    const started = now();
    const cpu = process.cpuUsage();
    // Catching up, the lanes chain only microtasks (the SQLite calls return settled promises), so
    // timers do not fire until every lane is idle: progress, RSS and failures are checked in-band,
    // at every commit, as well as between waits.
    const check = () => {
      if (since(lastSample) >= 100e6) {
        lastSample = now();
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }
      for (const projection of projections) {
        const live = runner.lane(projection.name, 'live');
        if (
          !caughtUp.has(projection.name) &&
          live?.seenUpTo !== undefined &&
          live.seenUpTo >= head
        ) {
          caughtUp.set(projection.name, since(started) / 1e9);
        }
        for (const lane of [live, runner.lane(projection.name, 'building')]) {
          if (lane?.state === 'failed' && !failure) {
            const f = lane.failure!;
            failure = new ProjectionFailedError(
              `projection ${projection.name} stopped on ${f.eventType} at ${Number(f.position)} ` +
                `(${f.streamName}): ${f.message}`,
            );
          }
        }
      }
      if (since(lastProgress) / 1e6 >= (options.progressEveryMs ?? 10_000)) {
        lastProgress = now();
        const behind = projections
          .map((p) => {
            const lane = runner.lane(p.name, 'live') ?? runner.lane(p.name, 'building');
            return { name: p.name, at: Number(lane?.checkpoint ?? 0) };
          })
          .filter((p) => !caughtUp.has(p.name))
          .sort((a, b) => a.at - b.at);
        log(
          `rebuild (batch ${batchSize}): ${Math.round(since(started) / 1e9)} s, ${caughtUp.size}/${projections.length} caught up; ` +
            `behind: ${behind.map((p) => `${p.name} ${Math.round((100 * p.at) / total)} %`).join(', ')}`,
        );
      }
    };
    monitor.onCommit = check;
    await runner.start();
    for (;;) {
      const done = await runner.waitFor(head, 100);
      check();
      if (failure) throw failure;
      if (done) break;
    }
    const seconds = since(started) / 1e9;
    const cpuSeconds = cpuSince(cpu);
    monitor.onCommit = undefined;
    // GC entries reach the observer on a later turn of the event loop.
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
    const storeEvents = store.meta.events;
    const result: RebuildResult = {
      batchSize,
      // The numeric ones: flags such as which lanes run are not the runner's tuning.
      settings: {
        ...Object.fromEntries(Object.entries(settings).filter(([, v]) => typeof v === 'number')),
        leaseTtlMs: 60_000,
      },
      events: storeEvents,
      seconds,
      eventsPerSecond: storeEvents / seconds,
      cpuSeconds,
      perProjection: projections
        .map((p) => ({ name: p.name, caughtUpAfter: caughtUp.get(p.name) ?? seconds }))
        .sort((a, b) => a.caughtUpAfter - b.caughtUpAfter),
      peakRss,
      gcSeconds: gcMs / 1000,
      buildWorkers: options.buildWorkers ?? appBuildWorkers,
      longestStallSeconds: longestGapNs / 1e9,
      readStoreBytes: fileBytes(readStoreFile),
      ...(breakdown && { breakdown: breakdown.finish(seconds) }),
    };
    if (options.keepOpen) {
      result.open = { runner, readStore, readModels, events, cipher, close };
    } else {
      await close();
    }
    return result;
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  } finally {
    gc.disconnect();
    clearInterval(ticker);
    clearInterval(keepAlive);
  }
}

/** The read store as the runner sees it, calling `onCommit` after every commit. */
function monitored(inner: ReadStore): { store: ReadStore; onCommit?: () => void } {
  const monitor: { store: ReadStore; onCommit?: () => void } = { store: inner };
  const commit = async (...args: Parameters<ReadStore['commit']>) => {
    await inner.commit(...args);
    monitor.onCommit?.();
  };
  monitor.store = new Proxy(inner, {
    get(target, property) {
      if (property === 'commit') return commit;
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return monitor;
}

const fileBytes = (file: string): number =>
  ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(`${file}${suffix}`).size;
    } catch {
      return sum;
    }
  }, 0);

// ---------------------------------------------------------------- cost breakdown

export interface ProjectionCost {
  name: string;
  /** Events this projection applied. */
  events: number;
  /** readAll of its event types: SQL scan + JSON.parse (ms). */
  readMs: number;
  /** getMany of the documents its batches name in reads() (ms). */
  loadMs: number;
  /** apply() and reads(): the projection's code and the batch overlay (ms). */
  applyMs: number;
  /** Read-store commits: the writes, their index and FTS upkeep, and the checkpoint (ms). */
  commitMs: number;
  commits: number;
  writes: number;
  /** Distinct documents among the writes, per commit, summed. */
  distinctWrites: number;
}

/**
 * Per-projection time, measured around the synchronous work of each call (the SQLite adapters do
 * all their work before their promise returns, so this is exact even with lanes interleaved).
 * What it cannot see: decrypting `$personal` envelopes (async, between lanes), the event loop, and
 * GC; those are the remainder of the wall time.
 */
export class CostBreakdown {
  private readonly costs = new Map<string, ProjectionCost>();
  private readonly byTypes = new Map<string, string>();

  constructor(projections: Projection[]) {
    for (const p of projections) {
      this.costs.set(p.name, {
        name: p.name,
        events: 0,
        readMs: 0,
        loadMs: 0,
        applyMs: 0,
        commitMs: 0,
        commits: 0,
        writes: 0,
        distinctWrites: 0,
      });
      this.byTypes.set([...p.eventTypes].sort().join(','), p.name);
    }
  }

  /** The projection that owns a physical collection (`<projection>_g<n>_<logical>`). */
  private owner(collection: string): ProjectionCost | undefined {
    const at = collection.search(/_g\d+_/);
    return at < 0 ? undefined : this.costs.get(collection.slice(0, at));
  }

  eventStore(inner: EventStore): EventStore {
    const owner = (options?: ReadAllOptions) =>
      options?.filter?.eventTypes
        ? this.costs.get(this.byTypes.get([...options.filter.eventTypes].sort().join(',')) ?? '')
        : undefined;
    return {
      append: (...args) => inner.append(...args),
      readStream: (...args) => inner.readStream(...args),
      readAll: (options) => {
        const started = now();
        const page = inner.readAll(options);
        const cost = owner(options);
        if (cost) cost.readMs += since(started) / 1e6;
        return page;
      },
      readCorrelated: (...args) => inner.readCorrelated(...args),
      subscribeToAll: (options) => inner.subscribeToAll(options),
      headPosition: () => inner.headPosition(),
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
  }

  readStore(inner: ReadStore): ReadStore {
    const timed = <T>(
      cost: ProjectionCost | undefined,
      field: 'loadMs' | 'commitMs',
      work: () => T,
    ): T => {
      const started = now();
      const result = work();
      if (cost) cost[field] += since(started) / 1e6;
      return result;
    };
    return {
      ensureCollection: (spec: CollectionSpec, options?: EnsureOptions) =>
        inner.ensureCollection(spec, options),
      buildIndexes: (name: string) =>
        timed(this.owner(name), 'commitMs', () => inner.buildIndexes(name)),
      dropCollection: (name: string) => inner.dropCollection(name),
      get: (collection: string, id: string) => inner.get(collection, id),
      getMany: (collection: string, ids: string[]) =>
        timed(this.owner(collection), 'loadMs', () => inner.getMany(collection, ids)),
      find: (collection: string, query?: FindQuery) => inner.find(collection, query),
      count: (collection: string, where?: FindQuery['where']) => inner.count(collection, where),
      commit: (writes: ReadWrite[], options?: { checkpoint?: Checkpoint; fence?: Fence }) => {
        const cost = writes.length > 0 ? this.owner(writes[0].collection) : undefined;
        if (cost) {
          cost.commits++;
          cost.writes += writes.length;
          cost.distinctWrites += new Set(
            writes.map((w) => `${w.collection}\u0000${w.kind === 'put' ? w.document.id : w.id}`),
          ).size;
        }
        return timed(cost, 'commitMs', () => inner.commit(writes, options));
      },
      checkpoint: (name: string) => inner.checkpoint(name),
      deleteCheckpoint: (name: string) => inner.deleteCheckpoint(name),
      search: (
        collection: string,
        text: string,
        options?: { limit?: number; filter?: Record<string, FieldValue> },
      ) => inner.search(collection, text, options),
      acquireLease: (name: string, holder: string, ttlMs: number, at: Date) =>
        inner.acquireLease(name, holder, ttlMs, at),
      releaseLease: (name: string, holder: string) => inner.releaseLease(name, holder),
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
  }

  projection(inner: Projection): Projection {
    const cost = this.costs.get(inner.name)!;
    return {
      ...inner,
      ...(inner.reads && {
        reads: (event, preloaded) => {
          const started = now();
          const refs = inner.reads!(event, preloaded);
          cost.applyMs += since(started) / 1e6;
          return refs;
        },
      }),
      apply: (event, view) => {
        const started = now();
        inner.apply(event, view);
        cost.applyMs += since(started) / 1e6;
        cost.events++;
      },
    };
  }

  finish(wallSeconds: number): BreakdownResult {
    return { wallSeconds, projections: [...this.costs.values()] };
  }
}

export interface BreakdownResult {
  wallSeconds: number;
  projections: ProjectionCost[];
}

// ---------------------------------------------------------------- part 1

export interface RebuildBenchOptions {
  store: BenchStore;
  projections: Projection[];
  batchSizes: number[];
  flushEvery?: number;
  cacheLimit?: number;
  buildWorkers?: number;
  pageSize: number;
  workDir: string;
  log: Log;
}

export interface RebuildBenchResult {
  raw: RawRead[];
  rawEventsPerSecond: number;
  rebuilds: RebuildResult[];
  best: RebuildResult;
  ratio: number;
  /** The same ratio in events per CPU-second: steadier than wall time on a busy machine. */
  cpuRatio: number;
  /** The first rebuild's read model stored again with no projection work (see store-only-pass.ts). */
  storeOnly: StoreOnlyPass;
}

/** Warm-up read, then raw, rebuild, raw, rebuild, … raw: raw is the median of the timed passes. */
export async function runRebuildBench(options: RebuildBenchOptions): Promise<RebuildBenchResult> {
  const { store, projections, batchSizes, pageSize, workDir, log } = options;
  log(`raw read-all: warm-up pass over ${store.meta.events.toLocaleString('en-US')} events`);
  await rawReadAll(store.eventsFile, pageSize);
  const raw: RawRead[] = [];
  const rebuilds: RebuildResult[] = [];
  let storeOnly: StoreOnlyPass | undefined;
  const readRaw = async () => {
    const pass = await rawReadAll(store.eventsFile, pageSize);
    if (pass.events !== store.meta.events) {
      throw new Error(`raw read found ${pass.events} events, the store holds ${store.meta.events}`);
    }
    raw.push(pass);
    log(
      `raw read-all: ${Math.round(pass.eventsPerSecond).toLocaleString('en-US')} events/s (${pass.seconds.toFixed(1)} s)`,
    );
  };
  await readRaw();
  for (const batchSize of batchSizes) {
    log(`rebuild of ${projections.length} projections, batch size ${batchSize}`);
    const result = await rebuildAll({
      store,
      projections,
      batchSize,
      flushEvery: options.flushEvery,
      cacheLimit: options.cacheLimit,
      buildWorkers: options.buildWorkers,
      readStoreFile: join(workDir, `readmodels-b${batchSize}.sqlite`),
      log,
    });
    if (!storeOnly) {
      storeOnly = await storeOnlyPass(
        join(workDir, `readmodels-b${batchSize}.sqlite`),
        projections,
        join(workDir, 'readmodels-store-only.sqlite'),
        result.settings.flushEvery as number,
      );
      log(
        `store-only pass: ${storeOnly.documents.toLocaleString('en-US')} documents stored again in ` +
          `${storeOnly.seconds.toFixed(1)} s`,
      );
    }
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(workDir, `readmodels-b${batchSize}.sqlite${suffix}`), { force: true });
    }
    rebuilds.push(result);
    log(
      `rebuild, batch ${batchSize}: ${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s ` +
        `(${result.seconds.toFixed(1)} s)`,
    );
    await readRaw();
  }
  const rawEventsPerSecond = median(raw.map((r) => r.eventsPerSecond));
  const best = rebuilds.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
  const rawPerCpuSecond = median(raw.map((r) => r.events / r.cpuSeconds));
  return {
    raw,
    rawEventsPerSecond,
    rebuilds,
    best,
    ratio: best.eventsPerSecond / rawEventsPerSecond,
    cpuRatio: best.events / best.cpuSeconds / rawPerCpuSecond,
    storeOnly: storeOnly!,
  };
}
