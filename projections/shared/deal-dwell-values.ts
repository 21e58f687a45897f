import type { ProjectionCollection, ProjectionView } from '../projection';
import { BucketLevel, bucketStart } from './time-buckets';
import { dimensionKeys, Dimensions, scopeKeys } from './rollup';

/**
 * Exact dwell distributions without reading every value of a period. A dwell (whole seconds) falls
 * in a coarse bin, four per doubling, so a period's bucket sums carry a small histogram
 * (`b<bin>_<stage>`). The median and p90 ranks pick at most three bins; only the exact values of
 * those bins are read, from `dwell_values` documents, one per (dimension value, UTC month or day,
 * stage, bin), holding `s<seconds>` counts. Hour runs and sub-hour edges of a period are read from
 * the measurements themselves (at most a couple of days' worth).
 */
export const DWELL_VALUES = 'dwell_values';

/** Levels with value documents; hours are answered from the measurement facts. */
export const VALUE_LEVELS: readonly BucketLevel[] = ['month', 'day'];

export const dwellValuesCollection: ProjectionCollection = {
  name: DWELL_VALUES,
  indexes: [
    ['dim', 'level', 'stage', 'bin', 'start'],
    ['dim', 'value', 'level', 'stage', 'bin', 'start'],
  ],
};

/** Integer binning (no floating-point logarithms): 0–3 as themselves, then 4 bins per power of two. */
export function dwellBin(seconds: number): number {
  if (seconds < 4) return seconds;
  // Seconds below 2^31 (68 years) fit clz32; longer dwells share the last bin.
  const clamped = Math.min(seconds, 0x7fffffff);
  const msb = 31 - Math.clz32(clamped);
  return msb * 4 + ((clamped >>> (msb - 2)) & 3);
}

export const valueKey = (seconds: number) => `s${seconds}`;
export const VALUE_KEY = /^s(\d+)$/;

/** Adds (delta 1) or takes back (delta -1) one exact dwell value. */
export function fileDwellValue(
  view: ProjectionView,
  at: string,
  dims: Dimensions,
  stage: string,
  seconds: number,
  delta: 1 | -1,
): void {
  const when = new Date(at);
  const bin = dwellBin(seconds);
  // VALUE_LEVELS are the rollups' SCOPE_LEVELS: the values within a rep or a team are kept too.
  const keys = [...dimensionKeys(dims), ...scopeKeys(dims)];
  const amounts = { [valueKey(seconds)]: delta };
  for (const level of VALUE_LEVELS) {
    const start = bucketStart(level, when);
    for (const [dim, value] of keys) {
      view.increment(DWELL_VALUES, `${dim}|${value}|${level}|${start}|${stage}|${bin}`, amounts, {
        dim,
        value,
        level,
        start,
        stage,
        bin,
      });
    }
  }
}
