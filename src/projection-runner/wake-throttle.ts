import { Wakeup } from './wakeup';

/**
 * Wakes the lanes for new events at once when they have been quiet, and at most once per
 * `intervalMs` while appends keep coming: under write load each lane then applies the events of
 * many appends in one batch and one commit, instead of a round of reads and commits per append.
 * `flush` wakes them at once (a reader waiting for its own write must not wait out the interval).
 */
export class WakeThrottle {
  private lastWake = Number.NEGATIVE_INFINITY;
  private pending?: NodeJS.Timeout;

  constructor(
    private readonly target: Wakeup,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  signal(): void {
    if (this.pending) return;
    const wait = this.lastWake + this.intervalMs - this.now();
    if (wait <= 0) return this.flush();
    this.pending = setTimeout(() => this.flush(), wait);
    this.pending.unref();
  }

  flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastWake = this.now();
    this.target.notify();
  }

  get waiting(): boolean {
    return this.pending !== undefined;
  }

  stop(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
  }
}
