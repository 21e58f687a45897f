/** Timing helpers for the benchmarks: monotonic nanosecond clock, nearest-rank percentiles. */

export const now = (): bigint => process.hrtime.bigint();

/** Nanoseconds elapsed since `start`, as a number (exact below 2^53 ns, about 104 days). */
export const since = (start: bigint): number => Number(process.hrtime.bigint() - start);

/** Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Collects per-operation latencies across several timed rounds. */
export class LatencyRecorder {
  readonly samplesNs: number[] = [];
  private elapsedNs = 0;

  /** Times one operation (sync or async) and records its latency. */
  async time(operation: () => unknown): Promise<void> {
    const start = now();
    await operation();
    const took = since(start);
    this.samplesNs.push(took);
    this.elapsedNs += took;
  }

  get count(): number {
    return this.samplesNs.length;
  }

  /** Operations per second over all the time spent inside the timed operations. */
  get perSecond(): number {
    return this.count === 0 ? NaN : this.count / (this.elapsedNs / 1e9);
  }

  /**
   * Operations per second as the median over `segments` consecutive slices of the samples. One stall
   * of the machine (another process, the host's disk) then spoils one slice, not the whole figure.
   */
  medianPerSecond(segments: number): number {
    const slices = Math.max(1, Math.min(segments, this.count));
    const rates: number[] = [];
    for (let i = 0; i < slices; i++) {
      const slice = this.samplesNs.slice(
        Math.floor((i * this.count) / slices),
        Math.floor(((i + 1) * this.count) / slices),
      );
      rates.push(slice.length / (slice.reduce((sum, ns) => sum + ns, 0) / 1e9));
    }
    return this.count === 0 ? NaN : median(rates);
  }

  percentileMs(p: number): number {
    return percentile(this.samplesNs, p) / 1e6;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
