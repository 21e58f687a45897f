/**
 * UTC month, day and hour buckets for pre-aggregated counters. A period [from, to) splits into
 * contiguous runs of whole buckets at each level, plus sub-hour edges that are answered from the
 * measured facts themselves. So any period in any time zone (India's +05:30 included) is exact,
 * and a query reads a few dozen bucket documents, never every fact.
 */
export type BucketLevel = 'month' | 'day' | 'hour';

export const BUCKET_LEVELS: readonly BucketLevel[] = ['month', 'day', 'hour'];

/** The start of the bucket holding `at`, as an ISO string (which sorts like time). */
export function bucketStart(level: BucketLevel, at: Date): string {
  return floorTo(level, at).toISOString();
}

/** Contiguous whole buckets: starts in [fromStart, toStart). */
export interface BucketRun {
  level: BucketLevel;
  fromStart: string;
  toStart: string;
}

export interface PeriodParts {
  runs: BucketRun[];
  /** Sub-hour pieces at either end, as half-open ISO ranges. */
  edges: Array<{ from: string; to: string }>;
}

export function splitPeriod(from: Date, to: Date): PeriodParts {
  const parts: PeriodParts = { runs: [], edges: [] };
  if (from >= to) return parts;
  splitLevel(parts, 2, from, to);
  return parts;
}

const LEVELS_FINE_TO_COARSE: readonly BucketLevel[] = ['hour', 'day', 'month'];

function splitLevel(parts: PeriodParts, coarsest: number, from: Date, to: Date, depth = 0): void {
  // depth 0 cuts at hours, 1 at days, 2 at months; what lies outside the cut goes one level finer.
  const level = LEVELS_FINE_TO_COARSE[depth];
  const inner = { from: ceilTo(level, from), to: floorTo(level, to) };
  if (inner.from >= inner.to) {
    addFiner(parts, depth, from, to);
    return;
  }
  addFiner(parts, depth, from, inner.from);
  if (depth < coarsest) {
    splitLevel(parts, coarsest, inner.from, inner.to, depth + 1);
  } else {
    parts.runs.push(run(level, inner.from, inner.to));
  }
  addFiner(parts, depth, inner.to, to);
}

function addFiner(parts: PeriodParts, depth: number, from: Date, to: Date): void {
  if (from >= to) return;
  if (depth === 0) parts.edges.push({ from: from.toISOString(), to: to.toISOString() });
  else parts.runs.push(run(LEVELS_FINE_TO_COARSE[depth - 1], from, to));
}

const run = (level: BucketLevel, from: Date, to: Date): BucketRun => ({
  level,
  fromStart: from.toISOString(),
  toStart: to.toISOString(),
});

function floorTo(level: BucketLevel, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (level === 'month') return new Date(Date.UTC(y, m, 1));
  if (level === 'day') return new Date(Date.UTC(y, m, at.getUTCDate()));
  return new Date(Date.UTC(y, m, at.getUTCDate(), at.getUTCHours()));
}

function ceilTo(level: BucketLevel, at: Date): Date {
  const floor = floorTo(level, at);
  if (floor.getTime() === at.getTime()) return floor;
  if (level === 'month')
    return new Date(Date.UTC(floor.getUTCFullYear(), floor.getUTCMonth() + 1, 1));
  return new Date(floor.getTime() + (level === 'day' ? 86_400_000 : 3_600_000));
}
