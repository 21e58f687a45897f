import {
  ALL,
  Dimensions,
  factsCollection,
  OwnerPairs,
  perOwnerDim,
  ReportDimension,
  ReportScope,
  SCOPE_BREAKDOWNS,
  SCOPE_LEVELS,
  scopedDim,
  TEAM_OWNER,
  teamOwnerValue,
} from '../../projections/shared/rollup';
import { BUCKET_LEVELS, BucketLevel, splitPeriod } from '../../projections/shared/time-buckets';
import { ReadDocument, ReadStore } from '../read-store/read-store.port';

export interface RollupQuery {
  from: Date;
  to: Date;
  /**
   * One dimension filter; with groupBy only the same dimension, or a dimension filed per owner
   * (team always, `ownerPairs` besides) with groupBy owner.
   */
  filter?: { dim: ReportDimension; value: string };
  /** Sums per value of this dimension; absent: one total. */
  groupBy?: ReportDimension;
  /** The dimensions this rollup files per owner besides the team (as given to addToRollup). */
  ownerPairs?: OwnerPairs;
  /**
   * Within one owner or one team: `filter` and `groupBy` then name one dimension the scope keeps
   * figures by (SCOPE_BREAKDOWNS).
   */
  within?: { dim: ReportScope; value: string };
}

/** The filter is on a dimension filed per owner, and the groups are reps. */
export const perRepOf = (query: Omit<RollupQuery, 'from' | 'to'>): boolean =>
  query.groupBy === 'owner' &&
  query.filter !== undefined &&
  (query.filter.dim === 'team' || (query.ownerPairs ?? []).includes(query.filter.dim));

export type Sums = Record<string, number>;

const BUCKET_FIELDS = new Set(['id', 'dim', 'value', 'level', 'start']);

/**
 * Sums a rollup's counters over [from, to): whole buckets from the bucket documents, sub-hour
 * edges (and, within a scope, hours) from the facts. Reads a few dozen documents per group, never
 * every fact.
 */
export async function sumRollup(
  store: ReadStore,
  collection: string,
  query: RollupQuery,
): Promise<Map<string, Sums>> {
  const plan = bucketPlan(query);
  const parts = splitPeriod(query.from, query.to);
  const totals = new Map<string, Sums>();
  const factRanges = [...parts.edges];
  for (const run of parts.runs) {
    if (!plan.levels.includes(run.level)) {
      factRanges.push({ from: run.fromStart, to: run.toStart });
      continue;
    }
    const where: Record<string, unknown> = {
      dim: plan.dim,
      level: run.level,
      start: { gte: run.fromStart, lt: run.toStart },
    };
    if (plan.value !== undefined) where.value = plan.value;
    for (const bucket of await store.find(collection, { where: where as never })) {
      const value = bucket.value as string;
      if (!value.startsWith(plan.valuePrefix)) continue;
      addSums(totals, groupKey(query, value.slice(plan.valuePrefix.length)), bucket);
    }
  }
  for (const range of factRanges) {
    const facts = await store.find(factsCollection(collection), {
      where: { ...plan.factScope, at: { gte: range.from, lt: range.to } },
    });
    for (const fact of facts) {
      const dims = fact.dims as Dimensions;
      if (query.filter && dims[query.filter.dim] !== query.filter.value) continue;
      const value = query.groupBy ? dims[query.groupBy] : ALL;
      if (value === undefined) continue;
      addSums(totals, groupKey(query, value), fact.amounts as ReadDocument);
    }
  }
  return totals;
}

export interface BucketPlan {
  /** The buckets' dimension, and the value the filter fixes, if any. */
  dim: string;
  value?: string;
  /** Bucket values start with it (a team's reps); groups are the rest. */
  valuePrefix: string;
  /** Levels with buckets; the other runs are summed from the facts. */
  levels: readonly BucketLevel[];
  /** Narrows the facts by index: within a scope, to that scope's. */
  factScope: Record<string, string>;
}

/** Which buckets answer the query, or UnsupportedFilterError when the rollup keeps none. */
export function bucketPlan({
  filter,
  groupBy,
  within,
  ownerPairs,
}: Omit<RollupQuery, 'from' | 'to'>): BucketPlan {
  const plan = { valuePrefix: '', levels: BUCKET_LEVELS, factScope: {} };
  if (within) {
    // Within an owner or a team: the filter and the grouping name one kept dimension.
    const dim = groupBy ?? filter?.dim;
    if (
      dim === undefined ||
      (filter && groupBy && filter.dim !== groupBy) ||
      !SCOPE_BREAKDOWNS[within.dim].includes(dim)
    ) {
      throw new UnsupportedFilterError(within.dim, dim ?? 'nothing');
    }
    return {
      ...plan,
      dim: scopedDim(within.dim, within.value, dim),
      value: filter?.value,
      levels: SCOPE_LEVELS,
      factScope: { [`dims.${within.dim}`]: within.value },
    };
  }
  if (!perRepOf({ filter, groupBy, ownerPairs })) {
    if (filter && groupBy && filter.dim !== groupBy) {
      throw new UnsupportedFilterError(filter.dim, groupBy);
    }
    return { ...plan, dim: groupBy ?? filter?.dim ?? ALL, value: filter?.value };
  }
  return filter!.dim === 'team'
    ? { ...plan, dim: TEAM_OWNER, valuePrefix: teamOwnerValue(filter!.value, '') }
    : { ...plan, dim: perOwnerDim(filter!.dim, filter!.value) };
}

const groupKey = (query: RollupQuery, value: string) => (query.groupBy ? value : ALL);

function addSums(totals: Map<string, Sums>, key: string, source: ReadDocument | Sums): void {
  const sums = totals.get(key) ?? {};
  for (const [field, amount] of Object.entries(source)) {
    if (BUCKET_FIELDS.has(field) || typeof amount !== 'number') continue;
    sums[field] = (sums[field] ?? 0) + amount;
  }
  totals.set(key, sums);
}

/** Buckets keep one dimension each, so a filter on one and a grouping by another cannot be summed exactly. */
export class UnsupportedFilterError extends Error {
  constructor(
    readonly filter: string,
    readonly groupBy: string,
  ) {
    super(`A report can filter by ${filter} or group by ${groupBy}, not both at once`);
    this.name = 'UnsupportedFilterError';
  }
}
