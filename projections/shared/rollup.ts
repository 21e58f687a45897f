import type { ProjectionCollection, ProjectionView } from '../projection';
import { BUCKET_LEVELS, BucketLevel, bucketStart } from './time-buckets';

/** The dimensions every report filters and groups by (DESIGN.md, "Report definitions"). */
export const REPORT_DIMENSIONS = [
  'channel',
  'country',
  'region',
  'productLine',
  'owner',
  'team',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
export type Dimensions = Partial<Record<ReportDimension, string | undefined>>;

/** Buckets of the whole population carry this dimension. */
export const ALL = 'all';

/**
 * A rollup: counters per (dimension value, UTC month/day/hour), plus one fact per measurement
 * for the sub-hour edges of a period. `<name>` holds buckets, `<name>_facts` the facts.
 */
export const rollupCollections = (name: string): ProjectionCollection[] => [
  {
    name,
    indexes: [
      ['dim', 'level', 'start'],
      ['dim', 'value', 'level', 'start'],
    ],
  },
  {
    name: factsCollection(name),
    indexes: [['at'], ...REPORT_SCOPES.map((scope) => [`dims.${scope}`, 'at'])],
  },
];

/**
 * The scopes reps and team leads see reports in. Within one owner or one team, a rollup also keeps
 * the figures per value of the other dimensions (a rep's by channel, a team's by country), as
 * month and day buckets of dimension `<scope>=<id>.<dim>`; the hours and sub-hour edges of a period
 * come from that scope's facts, which are indexed by `dims.<scope>` and time for it.
 */
export const REPORT_SCOPES = ['owner', 'team'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

export const SCOPE_LEVELS: readonly BucketLevel[] = ['month', 'day'];

/** The dimensions kept within each scope (a team per owner is the `team.owner` dimension). */
export const SCOPE_BREAKDOWNS: Record<ReportScope, readonly ReportDimension[]> = {
  owner: ['channel', 'country', 'region', 'productLine', 'team'],
  team: ['channel', 'country', 'region', 'productLine'],
};

export const scopedDim = (scope: ReportScope, id: string, dim: ReportDimension): string =>
  `${scope}=${id}.${dim}`;

/** The scope breakdowns a measurement is filed under, at SCOPE_LEVELS only. */
export function scopeKeys(dims: Dimensions): Array<[string, string]> {
  const keyed: Array<[string, string]> = [];
  for (const scope of REPORT_SCOPES) {
    const id = dims[scope];
    if (id === undefined) continue;
    for (const dim of SCOPE_BREAKDOWNS[scope]) {
      const value = dims[dim];
      if (value !== undefined) keyed.push([scopedDim(scope, id, dim), value]);
    }
  }
  return keyed;
}

/** How a measurement is filed besides the population and each dimension's value. */
export interface RollupFiling {
  /** See OwnerPairs. */
  ownerPairs?: OwnerPairs;
  /** False for a rollup no report breaks down within a scope (the forecast's). */
  scopeBreakdowns?: boolean;
}

/** Each level's bucket keys: every level has the dimension keys, months and days the scope's too. */
function keysByLevel(
  dims: Dimensions,
  filing: RollupFiling,
): Array<[BucketLevel, Array<[string, string]>]> {
  const keys = dimensionKeys(dims, filing.ownerPairs);
  const withScopes = filing.scopeBreakdowns === false ? keys : [...keys, ...scopeKeys(dims)];
  return BUCKET_LEVELS.map((level) => [level, SCOPE_LEVELS.includes(level) ? withScopes : keys]);
}

export const factsCollection = (name: string) => `${name}_facts`;

/**
 * Adds `amounts` at instant `at` to the population and to each dimension's value. `factId` must
 * be unique per measurement and stable across rebuilds (derive it from the event id).
 */
export function addToRollup(
  view: ProjectionView,
  name: string,
  at: string,
  dims: Dimensions,
  amounts: Record<string, number>,
  factId: string,
  filing: RollupFiling = {},
): void {
  const when = new Date(at);
  for (const [level, keys] of keysByLevel(dims, filing)) {
    const start = bucketStart(level, when);
    for (const [dim, value] of keys) {
      view.increment(name, `${dim}|${value}|${level}|${start}`, amounts, {
        dim,
        value,
        level,
        start,
      });
    }
  }
  view.put(factsCollection(name), { id: factId, at: when.toISOString(), dims, amounts });
}

/** Takes back the measurement recorded under `factId`, e.g. a loss undone by a reopen. */
export function removeFromRollup(
  view: ProjectionView,
  name: string,
  at: string,
  dims: Dimensions,
  amounts: Record<string, number>,
  factId: string,
  filing: RollupFiling = {},
): void {
  const when = new Date(at);
  const negated = Object.fromEntries(Object.entries(amounts).map(([k, v]) => [k, -v]));
  for (const [level, keys] of keysByLevel(dims, filing)) {
    const start = bucketStart(level, when);
    for (const [dim, value] of keys) {
      view.increment(name, `${dim}|${value}|${level}|${start}`, negated, {
        dim,
        value,
        level,
        start,
      });
    }
  }
  view.delete(factsCollection(name), factId);
}

/**
 * Dimensions a rollup also files per owner within each value (dimension `<dim>=<value>.owner`,
 * value the owner), so a report can filter by one of them and group by rep. The team always is,
 * as `team.owner` = `<team>|<owner>` (a team lead's view).
 */
export type OwnerPairs = readonly ReportDimension[];

/** The dimension values a measurement is filed under: the population, each dimension, per owner. */
export function dimensionKeys(
  dims: Dimensions,
  ownerPairs: OwnerPairs = [],
): Array<[string, string]> {
  const keyed: Array<[string, string]> = [[ALL, ALL]];
  for (const dim of REPORT_DIMENSIONS) {
    const value = dims[dim];
    if (value !== undefined) keyed.push([dim, value]);
  }
  if (dims.owner === undefined) return keyed;
  // The team is the one at the time of the event.
  if (dims.team !== undefined) keyed.push([TEAM_OWNER, teamOwnerValue(dims.team, dims.owner)]);
  for (const dim of ownerPairs) {
    const value = dims[dim];
    if (value !== undefined) keyed.push([perOwnerDim(dim, value), dims.owner]);
  }
  return keyed;
}

export const TEAM_OWNER = 'team.owner';
export const teamOwnerValue = (team: string, owner: string) => `${team}|${owner}`;
/** The bucket dimension holding one value of `dim` per owner. */
export const perOwnerDim = (dim: ReportDimension, value: string) => `${dim}=${value}.owner`;

/**
 * The rollup amount counting measurements of one value: `s_93` (93 seconds), `f_m2` (−2 days).
 * Counter fields are plain top-level names (letters, digits, _) on every read-store adapter.
 */
export const distributionKey = (prefix: string, value: number): string =>
  `${prefix}_${value < 0 ? `m${-value}` : value}`;

/** The value a distribution key counts, or undefined when the key is not of that prefix. */
export const distributionValue = (key: string, prefix: string): number | undefined => {
  if (!key.startsWith(`${prefix}_`)) return undefined;
  const text = key.slice(prefix.length + 1);
  const value = text.startsWith('m') ? -Number(text.slice(1)) : Number(text);
  return text !== '' && Number.isInteger(value) ? value : undefined;
};
