import type { Projection } from '../../../projections/projection';
import { LaneDependencies, ProjectionLane } from '../projection-lane';
import type { BuildWorkers } from './build-workers';

/**
 * A build generation's lane that first catches up in a worker thread, when the log is far ahead
 * of its checkpoint, and then goes on here from the checkpoint the worker committed: it applies
 * what came since and follows the log as any lane does. Until then it mirrors the worker's
 * progress, so status and read-your-writes see the build as usual. If the worker itself fails
 * (not an event), the build goes on on this thread.
 */
export class OffThreadBuildLane extends ProjectionLane {
  private builtOffThread = false;
  private cancelBuild?: () => void;

  constructor(
    deps: LaneDependencies,
    projection: Projection,
    generation: number,
    private readonly workers: BuildWorkers,
  ) {
    super(deps, projection, generation);
  }

  override async stop(): Promise<void> {
    this.stopping = true;
    this.cancelBuild?.();
    await super.stop();
  }

  protected override async run(): Promise<void> {
    if (!this.builtOffThread && !((await this.leaseIsOurs()) && (await this.buildOffThread()))) {
      return;
    }
    await super.run();
  }

  /**
   * With several instances, another one may hold this build: wait for its lease here, so a worker
   * thread (and its connections) starts only on the instance that builds. The worker renews the
   * lease under the same holder. False when stopped meanwhile.
   */
  private async leaseIsOurs(): Promise<boolean> {
    const { leaseTtlMs, newEvents } = this.deps;
    while (!this.stopping) {
      try {
        if (await this.acquire()) return true;
      } catch {
        // The store is unreachable: the build's own retries deal with that.
        return true;
      }
      this.state = 'waiting_for_lease';
      this.deps.onProgress();
      // New events wake the wait (and so does stop()); only a stop cuts it short.
      const retryAt = Date.now() + leaseTtlMs / 3;
      while (!this.stopping && Date.now() < retryAt) {
        await newEvents.wait(retryAt - Date.now(), newEvents.seen());
      }
    }
    return false;
  }

  /** False when the lane must not go on: stopped, or failed on an event. */
  private async buildOffThread(): Promise<boolean> {
    try {
      const checkpoint = await this.deps.store.checkpoint(this.checkpointName);
      if (!(await this.workers.worthIt(this.deps.events, checkpoint))) {
        this.builtOffThread = true;
        return !this.stopping;
      }
      this.state = 'catching_up';
      this.thread = 'worker';
      const { holder, batchSize, flushEvery, cacheLimit, leaseTtlMs } = this.deps;
      const build = this.workers.build({
        projection: this.projection,
        generation: this.generation,
        lane: { holder, batchSize, flushEvery, cacheLimit, leaseTtlMs },
        onProgress: (progress) => {
          this.state = progress.state === 'live' ? 'catching_up' : progress.state;
          this.checkpoint = progress.checkpoint;
          this.seenUpTo = progress.seenUpTo;
          this.deps.onProgress();
        },
      });
      this.cancelBuild = build.cancel;
      const outcome = await build.done;
      if (outcome.kind === 'failed') {
        this.state = 'failed';
        this.failure = outcome.failure;
        return false;
      }
      this.builtOffThread = outcome.kind === 'caught-up';
    } catch (error) {
      this.deps.log({
        msg: 'projection build worker failed; building on the main thread',
        projection: this.projection.name,
        error: (error as Error).message,
      });
      this.builtOffThread = true;
    } finally {
      this.thread = 'main';
      this.cancelBuild = undefined;
    }
    return !this.stopping;
  }
}
