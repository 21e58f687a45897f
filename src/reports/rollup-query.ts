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
import { splitPeriod } from '../../projections/shared/time-buckets';
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
 * edges from the facts. Reads a few dozen documents per group, never every fact.
 */
export async function sumRollup(
  store: ReadStore,
  collection: string,
  query: RollupQuery,
): Promise<Map<string, Sums>> {
  if (query.within) return sumWithin(store, collection, query, query.within);
  const perRep = perRepOf(query);
  if (query.filter && query.groupBy && query.filter.dim !== query.groupBy && !perRep) {
    throw new UnsupportedFilterError(query.filter.dim, query.groupBy);
  }
  const parts = splitPeriod(query.from, query.to);
  const totals = new Map<string, Sums>();
  const teamPerRep = perRep && query.filter!.dim === 'team';
  const dim = teamPerRep
    ? TEAM_OWNER
    : perRep
      ? perOwnerDim(query.filter!.dim, query.filter!.value)
      : (query.groupBy ?? query.filter?.dim ?? ALL);
  const teamPrefix = teamPerRep ? teamOwnerValue(query.filter!.value, '') : '';
  for (const run of parts.runs) {
    const where: Record<string, unknown> = {
      dim,
      level: run.level,
      start: { gte: run.fromStart, lt: run.toStart },
    };
    if (query.filter && !perRep) where.value = query.filter.value;
    const buckets = await store.find(collection, { where: where as never });
    for (const bucket of buckets) {
      const value = bucket.value as string;
      if (teamPerRep && !value.startsWith(teamPrefix)) continue;
      addSums(totals, groupKey(query, value.slice(teamPrefix.length)), bucket);
    }
  }
  for (const edge of parts.edges) {
    const facts = await store.find(factsCollection(collection), {
      where: { at: { gte: edge.from, lt: edge.to } },
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

/**
 * Sums within one owner or one team: month and day runs from the scope's buckets of the filtered
 * or grouped dimension, the hours and sub-hour edges from the scope's facts (found by index: at
 * most a couple of days of one rep's or one team's measurements).
 */
async function sumWithin(
  store: ReadStore,
  collection: string,
  query: RollupQuery,
  within: { dim: ReportScope; value: string },
): Promise<Map<string, Sums>> {
  const { filter, groupBy } = query;
  const dim = groupBy ?? filter?.dim;
  if (
    dim === undefined ||
    (filter && groupBy && filter.dim !== groupBy) ||
    !SCOPE_BREAKDOWNS[within.dim].includes(dim)
  ) {
    throw new UnsupportedFilterError(within.dim, dim ?? 'nothing');
  }
  const parts = splitPeriod(query.from, query.to);
  const totals = new Map<string, Sums>();
  const factRanges = [...parts.edges];
  for (const run of parts.runs) {
    if (!SCOPE_LEVELS.includes(run.level)) {
      factRanges.push({ from: run.fromStart, to: run.toStart });
      continue;
    }
    const where: Record<string, unknown> = {
      dim: scopedDim(within.dim, within.value, dim),
      level: run.level,
      start: { gte: run.fromStart, lt: run.toStart },
    };
    if (filter) where.value = filter.value;
    for (const bucket of await store.find(collection, { where: where as never })) {
      addSums(totals, groupBy ? (bucket.value as string) : ALL, bucket);
    }
  }
  for (const range of factRanges) {
    const facts = await store.find(factsCollection(collection), {
      where: { [`dims.${within.dim}`]: within.value, at: { gte: range.from, lt: range.to } },
    });
    for (const fact of facts) {
      const dims = fact.dims as Dimensions;
      if (filter && dims[filter.dim] !== filter.value) continue;
      const value = groupBy ? dims[groupBy] : ALL;
      if (value === undefined) continue;
      addSums(totals, value, fact.amounts as ReadDocument);
    }
  }
  return totals;
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
