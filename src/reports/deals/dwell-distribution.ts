import { BIN_KEY, DWELL } from '../../../projections/dwell-time.projection';
import { DWELL_VALUES, dwellBin, VALUE_KEY } from '../../../projections/shared/deal-dwell-values';
import { ALL, Dimensions, factsCollection } from '../../../projections/shared/rollup';
import { splitPeriod } from '../../../projections/shared/time-buckets';
import type { FieldCondition, ReadDocument, ReadStore } from '../../read-store/read-store.port';
import { bucketPlan, type Sums } from '../rollup-query';
import type { CollectionNames, Selection } from './deal-report-selection';

/** One stage's closed dwells in a group: count, total seconds, and the coarse histogram. */
export interface StageDistribution {
  deals: number;
  totalSeconds: number;
  /** [bin, count], ascending. */
  bins: Array<[number, number]>;
}

export interface DwellFigures {
  deals: number;
  totalSeconds: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Exact values by seconds → count (only those of the bins that were asked for). */
export type ExactValues = Map<number, number>;

/** Per stage, from a group's bucket sums. */
export function stageDistributions(sums: Sums): Map<string, StageDistribution> {
  const byStage = new Map<string, StageDistribution>();
  const of = (stage: string) => {
    const found = byStage.get(stage) ?? { deals: 0, totalSeconds: 0, bins: [] };
    byStage.set(stage, found);
    return found;
  };
  for (const [key, value] of Object.entries(sums)) {
    if (key.startsWith('n_')) of(key.slice(2)).deals = value;
    else if (key.startsWith('sum_')) of(key.slice(4)).totalSeconds = value;
    else {
      const match = BIN_KEY.exec(key);
      if (match && value !== 0) of(match[2]).bins.push([Number(match[1]), value]);
    }
  }
  for (const distribution of byStage.values()) distribution.bins.sort((a, b) => a[0] - b[0]);
  return byStage;
}

/** 1-based ranks: the median's one or two middle ranks, and p90's nearest rank ⌈0.9 n⌉. */
const ranksOf = (n: number) => ({
  median: n % 2 === 1 ? [(n + 1) / 2] : [n / 2, n / 2 + 1],
  p90: Math.ceil(0.9 * n),
});

/** The bins holding the ranks the figures need. */
export function binsNeeded(distribution: StageDistribution): number[] {
  if (distribution.deals === 0) return [];
  const { median, p90 } = ranksOf(distribution.deals);
  return [...new Set([...median, p90].map((rank) => locate(distribution, rank).bin))];
}

function locate(distribution: StageDistribution, rank: number): { bin: number; offset: number } {
  let before = 0;
  for (const [bin, count] of distribution.bins) {
    if (rank <= before + count) return { bin, offset: rank - before };
    before += count;
  }
  const [bin, count] = distribution.bins[distribution.bins.length - 1] ?? [0, 0];
  return { bin, offset: count };
}

/**
 * Mean (2 decimals), median (the middle value, or the mean of the two middle values) and p90 by
 * nearest rank (the value at rank ⌈0.9 n⌉), exact: the histogram finds the bin of each rank, the
 * exact values of that bin the value.
 */
export function dwellFigures(distribution: StageDistribution, values: ExactValues): DwellFigures {
  const { deals, totalSeconds } = distribution;
  if (deals === 0) {
    return { deals, totalSeconds, meanSeconds: null, medianSeconds: null, p90Seconds: null };
  }
  const sorted = [...values.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const atRank = (rank: number): number => {
    const { bin, offset } = locate(distribution, rank);
    let seen = 0;
    let last = 0;
    for (const [seconds, count] of sorted) {
      if (dwellBin(seconds) !== bin) continue;
      seen += count;
      last = seconds;
      if (seen >= offset) return seconds;
    }
    return last;
  };
  const { median, p90 } = ranksOf(deals);
  return {
    deals,
    totalSeconds,
    meanSeconds: Math.round((totalSeconds / deals) * 100) / 100,
    medianSeconds: median.reduce((sum, rank) => sum + atRank(rank), 0) / median.length,
    p90Seconds: atRank(p90),
  };
}

/** The same figures from every exact value: [seconds, count] pairs. */
export function closedFigures(values: Array<[number, number]>, totalSeconds: number): DwellFigures {
  const bins = new Map<number, number>();
  for (const [seconds, count] of values) {
    bins.set(dwellBin(seconds), (bins.get(dwellBin(seconds)) ?? 0) + count);
  }
  const distribution: StageDistribution = {
    deals: values.reduce((n, [, count]) => n + count, 0),
    totalSeconds,
    bins: [...bins.entries()].sort((a, b) => a[0] - b[0]),
  };
  return dwellFigures(distribution, new Map(values));
}

/**
 * The exact values of the asked bins, per group of the selection (keyed as sumSelected keys its
 * groups) and stage, over [from, to): month and day runs from the value documents of each group
 * (within an owner or a team, the scope's), hour runs and sub-hour edges from the measurement facts.
 */
export async function exactValues(
  store: ReadStore,
  names: CollectionNames,
  from: Date,
  to: Date,
  selection: Selection,
  needed: Map<string, Map<string, number[]>>,
): Promise<Map<string, Map<string, ExactValues>>> {
  const out = new Map<string, Map<string, ExactValues>>();
  const add = (group: string, stage: string, seconds: number, count: number) => {
    const stages = out.get(group) ?? new Map<string, ExactValues>();
    const values = stages.get(stage) ?? new Map<number, number>();
    values.set(seconds, (values.get(seconds) ?? 0) + count);
    stages.set(stage, values);
    out.set(group, stages);
  };
  const { filter, groupBy } = selection;
  // The buckets sumSelected read: the value documents are filed under the same keys.
  const plan = bucketPlan(selection);
  /** The bucket value holding a group's figures: sumSelected's key back to the stored value. */
  const storedValue = (group: string): string => {
    if (selection.pick !== undefined) return plan.valuePrefix + selection.pick;
    if (groupBy) return plan.valuePrefix + group;
    return plan.value ?? ALL;
  };
  const parts = splitPeriod(from, to);
  const factRanges = [...parts.edges];
  for (const run of parts.runs) {
    if (run.level === 'hour') {
      factRanges.push({ from: run.fromStart, to: run.toStart });
      continue;
    }
    // One find per stage for all groups: the union of their bins, each group keeping its own.
    const stages = new Set([...needed.values()].flatMap((perStage) => [...perStage.keys()]));
    for (const stage of stages) {
      const groupOf = new Map<string, string>();
      const bins = new Set<number>();
      for (const [group, perStage] of needed) {
        const groupBins = perStage.get(stage) ?? [];
        if (groupBins.length === 0) continue;
        groupOf.set(storedValue(group), group);
        groupBins.forEach((bin) => bins.add(bin));
      }
      if (bins.size === 0) continue;
      const where: Record<string, FieldCondition> = {
        dim: plan.dim,
        value: { in: [...groupOf.keys()] },
        level: run.level,
        stage,
        bin: { in: [...bins] },
        start: { gte: run.fromStart, lt: run.toStart },
      };
      for (const doc of await store.find(names(DWELL_VALUES), { where })) {
        const group = groupOf.get(doc.value as string)!;
        if (
          !needed
            .get(group)
            ?.get(stage)
            ?.includes(doc.bin as number)
        )
          continue;
        for (const [field, count] of Object.entries(doc)) {
          const match = VALUE_KEY.exec(field);
          if (match && typeof count === 'number' && count !== 0) {
            add(group, stage, Number(match[1]), count);
          }
        }
      }
    }
  }
  for (const range of factRanges) {
    const facts = await store.find(names(factsCollection(DWELL)), {
      where: {
        ...plan.factScope,
        at: { gte: range.from, lt: range.to },
      },
    });
    for (const fact of facts as Array<
      ReadDocument & { stage: string; seconds: number; bin: number }
    >) {
      const dims = fact.dims as Dimensions;
      if (filter && dims[filter.dim] !== filter.value) continue;
      let group = groupBy ? dims[groupBy] : ALL;
      if (group === undefined) continue;
      if (selection.pick !== undefined) {
        if (group !== selection.pick) continue;
        group = selection.pickAs!;
      }
      if (!needed.get(group)?.get(fact.stage)?.includes(fact.bin)) continue;
      add(group, fact.stage, fact.seconds, 1);
    }
  }
  return out;
}
