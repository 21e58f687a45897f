import { distributionValue } from '../../../projections/shared/rollup';
import type { Sums } from '../rollup-query';

export interface DistributionSummary {
  count: number;
  mean: number | null;
  /** Nearest rank: the value at rank ⌈0.5 n⌉. */
  median: number | null;
  /** Nearest rank: the value at rank ⌈0.9 n⌉. */
  p90: number | null;
}

/**
 * Summarises an exact distribution kept in rollup amounts as `<prefix>_<value>` → count. Reads only
 * the keys of the summed buckets, never the facts themselves.
 */
export function summarise(
  sums: Sums | undefined,
  prefix: string,
  decimals = 2,
): DistributionSummary {
  const values: Array<[value: number, count: number]> = [];
  let count = 0;
  let total = 0;
  for (const [key, amount] of Object.entries(sums ?? {})) {
    const value = distributionValue(key, prefix);
    if (value === undefined || amount <= 0) continue;
    values.push([value, amount]);
    count += amount;
    total += value * amount;
  }
  if (count === 0) return { count: 0, mean: null, median: null, p90: null };
  values.sort((a, b) => a[0] - b[0]);
  return {
    count,
    mean: round(total / count, decimals),
    median: nearestRank(values, count, 0.5),
    p90: nearestRank(values, count, 0.9),
  };
}

/** How many measurements are at most `limit`. */
export function countAtMost(sums: Sums | undefined, prefix: string, limit: number): number {
  let within = 0;
  for (const [key, amount] of Object.entries(sums ?? {})) {
    const value = distributionValue(key, prefix);
    if (value !== undefined && value <= limit) within += amount;
  }
  return within;
}

function nearestRank(values: Array<[number, number]>, count: number, p: number): number {
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (const [value, n] of values) {
    seen += n;
    if (seen >= rank) return value;
  }
  return values[values.length - 1][0];
}

export const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export const ratio = (numerator: number, denominator: number, decimals = 4): number | null =>
  denominator > 0 ? round(numerator / denominator, decimals) : null;
