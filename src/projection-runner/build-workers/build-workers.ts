import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Projection } from '../../../projections/projection';
import type { EventStore } from '../../event-store/event-store.port';
import type {
  BuildLaneSettings,
  BuildOrder,
  BuildOutcome,
  BuildProgress,
  BuildWorkerData,
  BuildWorkerStores,
  FromBuildWorker,
  ProjectionSource,
  ToBuildWorker,
} from './build-worker-protocol';
import { ALL_PROJECTIONS_SOURCE, loadProjections } from './projection-source';

export interface BuildWorkersOptions {
  /** Threads at most, for builds requested together. */
  workers: number;
  /** A build fewer events behind than this stays on the calling thread: a worker's start costs more. */
  minEvents: number;
  stores: BuildWorkerStores;
  projections?: ProjectionSource;
  /** A worker that has not opened its stores by then is ended, and its builds go back (30 s). */
  startTimeoutMs?: number;
  log: (entry: Record<string, unknown>) => void;
}

export interface BuildRequest {
  projection: Projection;
  generation: number;
  lane: BuildLaneSettings;
  onProgress: (progress: BuildProgress) => void;
}

export interface OffThreadBuild {
  /** Rejects when the worker itself failed (not an event the projection cannot apply). */
  done: Promise<BuildOutcome>;
  /** Asks the worker to stop the build after its current transaction. */
  cancel(): void;
}

/**
 * Relative cost of a full build (CPU seconds per million events of the rebuild bench's sample,
 * `--breakdown`, 27 November 2026), so that builds requested together are spread evenly over
 * the threads. A projection not named here counts as `DEFAULT_COST`.
 */
const BUILD_COST: Record<string, number> = {
  'data-quality': 9.3,
  'rep-performance': 9.2,
  'search-index': 8.3,
  'weighted-forecast': 8.1,
  'account-360': 8.0,
  'deal-timeline': 6.3,
  'task-list': 5.1,
  'dwell-time': 4.1,
  'channel-quality': 3.7,
  'stage-conversion': 2.0,
  'ownership-ledger': 1.9,
  'sla-compliance': 1.6,
  'lead-queue': 1.6,
  'pipeline-board': 1.5,
  'deal-facts': 1.4,
  'loss-reasons': 0.7,
};
const DEFAULT_COST = 2;
/** Builds requested within this window share threads (the runner requests them one by one). */
const GATHER_MS = 50;

interface Pending {
  order: BuildOrder;
  request: BuildRequest;
  settle: (outcome: BuildOutcome) => void;
  fail: (error: Error) => void;
  worker?: Worker;
}

/**
 * Builds projection generations in worker threads, so a build far behind the log uses the other
 * CPUs and leaves the main thread to requests and live lanes. Builds requested together are
 * grouped into at most `workers` threads; each thread reads the log once for its group. A thread
 * ends when its builds have caught up; the lanes then go on on the calling thread.
 */
export class BuildWorkers {
  private readonly source: ProjectionSource;
  private known?: Map<string, Projection>;
  private gathered: Pending[] = [];
  private gatherTimer?: NodeJS.Timeout;
  private readonly threads = new Set<Worker>();
  private readonly behind = new Map<string, Promise<boolean>>();
  private closed = false;

  constructor(private readonly options: BuildWorkersOptions) {
    this.source = options.projections ?? ALL_PROJECTIONS_SOURCE;
  }

  /** Whether a worker thread would load this very projection (a custom or wrapped one: no). */
  handles(projection: Projection): boolean {
    if (this.options.workers === 0) return false;
    this.known ??= new Map(loadProjections(this.source).map((p) => [p.name, p]));
    return this.known.get(projection.name) === projection;
  }

  /** Whether at least `minEvents` events follow `after`: worth a thread of its own. */
  worthIt(events: EventStore, after: string | undefined): Promise<boolean> {
    const key = after ?? '';
    let answer = this.behind.get(key);
    if (!answer) {
      // One look for every build starting from the same point (every build of a fresh store).
      answer = events
        .readAll({ after, maxCount: this.options.minEvents })
        .then((page) => page.length >= this.options.minEvents);
      this.behind.set(key, answer);
      setTimeout(() => this.behind.delete(key), 1000).unref();
    }
    return answer;
  }

  build(request: BuildRequest): OffThreadBuild {
    if (this.closed) throw new Error('The projection build workers are closed');
    let pending!: Pending;
    const done = new Promise<BuildOutcome>((settle, fail) => {
      pending = {
        order: {
          name: request.projection.name,
          version: request.projection.version,
          generation: request.generation,
          lane: request.lane,
        },
        request,
        settle,
        fail,
      };
    });
    this.gathered.push(pending);
    this.gatherTimer ??= setTimeout(() => this.spawn(), GATHER_MS);
    return {
      done,
      cancel: () => {
        if (pending.worker) {
          const stop: ToBuildWorker = {
            kind: 'stop',
            name: pending.order.name,
            generation: pending.order.generation,
          };
          pending.worker.postMessage(stop);
        } else {
          this.gathered = this.gathered.filter((other) => other !== pending);
          pending.settle({ kind: 'stopped' });
        }
      },
    };
  }

  /** Stops every thread at once: for shutdown, after the lanes were asked to stop. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.gatherTimer);
    for (const pending of this.gathered) pending.settle({ kind: 'stopped' });
    this.gathered = [];
    await Promise.all([...this.threads].map((thread) => thread.terminate()));
  }

  private spawn(): void {
    this.gatherTimer = undefined;
    const gathered = this.gathered;
    this.gathered = [];
    if (gathered.length === 0) return;
    const free = Math.max(1, this.options.workers - this.threads.size);
    for (const group of spread(gathered, Math.min(free, gathered.length))) {
      try {
        this.start(group);
      } catch (error) {
        // No thread (e.g. out of memory for one): the lanes build on the main thread instead.
        for (const pending of group) pending.fail(error as Error);
      }
    }
  }

  private start(group: Pending[]): void {
    const data: BuildWorkerData = {
      stores: this.options.stores,
      projections: this.source,
      builds: group.map((pending) => pending.order),
    };
    // Under ts-node (tests, the CLI, the benches) the worker compiles its TypeScript the same way.
    const typescript = extname(__filename) === '.ts';
    const thread = new Worker(join(__dirname, `build-worker.main${extname(__filename)}`), {
      workerData: data,
      execArgv: typescript ? ['--require', 'ts-node/register/transpile-only'] : [],
    });
    this.threads.add(thread);
    const open = new Map(group.map((pending) => [key(pending.order), pending]));
    for (const pending of group) pending.worker = thread;
    let lastError: Error | undefined;
    const startTimeoutMs = this.options.startTimeoutMs ?? 30_000;
    const startTimer = setTimeout(() => {
      lastError = new Error(`it did not open the stores within ${startTimeoutMs} ms`);
      void thread.terminate();
    }, startTimeoutMs);
    thread.on('message', (message: FromBuildWorker) => {
      if (message.kind === 'ready') {
        clearTimeout(startTimer);
        return;
      }
      if (message.kind === 'log') {
        this.options.log(message.entry);
        return;
      }
      const pending = open.get(key(message));
      if (!pending) return;
      if (message.kind === 'progress') {
        pending.request.onProgress(message.progress);
      } else {
        open.delete(key(message));
        pending.settle(message.outcome);
      }
    });
    thread.on('error', (error) => (lastError = error));
    thread.on('exit', (code) => {
      clearTimeout(startTimer);
      this.threads.delete(thread);
      for (const pending of open.values()) {
        pending.fail(
          new Error(
            lastError
              ? `The projection build worker failed: ${lastError.message ?? String(lastError)}`
              : `The projection build worker exited (code ${code}) mid-build`,
          ),
        );
      }
    });
    this.options.log({
      msg: 'projection builds started in a worker thread',
      projections: group.map((pending) => pending.order.name),
      threadId: thread.threadId,
    });
  }
}

const key = (order: { name: string; generation: number }) => `${order.name}@g${order.generation}`;

/**
 * Groups by estimated cost, greedily: the dearest unit goes to the cheapest group so far. The
 * builds that open personal data are one unit, so each event's envelopes are opened once.
 */
function spread(builds: Pending[], groups: number): Pending[][] {
  const cost = (pending: Pending) => BUILD_COST[pending.order.name] ?? DEFAULT_COST;
  const personal = builds.filter((pending) => pending.request.projection.personalData);
  const units = [
    ...(personal.length > 0 ? [personal] : []),
    ...builds.filter((pending) => !pending.request.projection.personalData).map((p) => [p]),
  ].map((unit) => ({ builds: unit, cost: unit.reduce((sum, p) => sum + cost(p), 0) }));
  const result = Array.from({ length: groups }, () => ({ cost: 0, builds: [] as Pending[] }));
  for (const unit of units.sort((a, b) => b.cost - a.cost)) {
    const cheapest = result.reduce((a, b) => (b.cost < a.cost ? b : a));
    cheapest.builds.push(...unit.builds);
    cheapest.cost += unit.cost;
  }
  return result.map((group) => group.builds).filter((group) => group.length > 0);
}
