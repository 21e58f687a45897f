import {
  DWELL,
  OPEN_COUNTS,
  OPEN_STAYS,
  OpenCount,
  STAY_DIMENSIONS,
} from '../../../projections/dwell-time.projection';
import type { FieldCondition, ReadStore } from '../../read-store/read-store.port';
import { calendarGroups, ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import {
  ALL_GROUP,
  CollectionNames,
  groupsOf,
  Selection,
  sumSelected,
} from './deal-report-selection';
import { binsNeeded, dwellFigures, exactValues, stageDistributions } from './dwell-distribution';
import { reportStages } from './deal-stages';

export const DWELL_TIME = 'dwell-time';

type StayDimension = (typeof STAY_DIMENSIONS)[number];

const DAY = 86_400_000;

/**
 * Ages of deals still in a stage, by when they entered it: `[now - upper, now - lower)` holds the
 * deals whose age is in (lower, upper], so a deal exactly 7 days in counts in the first bucket.
 */
export const AGE_BUCKETS = [
  { key: 'age_0_7d', lowerDays: 0, upperDays: 7 },
  { key: 'age_7_30d', lowerDays: 7, upperDays: 30 },
  { key: 'age_30_90d', lowerDays: 30, upperDays: 90 },
  { key: 'age_over_90d', lowerDays: 90, upperDays: Infinity },
] as const;

export interface ClosedDwellRow extends ReportRow {
  kind: 'closed';
  group: string;
  stage: string;
  stageLabel: string;
  deals: number;
  totalSeconds: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface InStageRow extends ReportRow {
  kind: 'in_stage';
  group: string;
  stage: string;
  stageLabel: string;
  deals: number;
  age_0_7d: number;
  age_7_30d: number;
  age_30_90d: number;
  age_over_90d: number;
  /** Age of the deal longest in the stage; null when none is. */
  oldestAgeSeconds: number | null;
}

export interface DwellTimeReport {
  report: typeof DWELL_TIME;
  asOf: string;
  rows: Array<ClosedDwellRow | InStageRow>;
}

/**
 * Dwell time per open stage (DESIGN.md): closed dwells measured in the period (mean, median,
 * p90 by nearest rank, exact from the per-second distribution), and, apart, the deals in each
 * stage now by age. The "now" part ignores the period and any calendar grouping.
 */
export async function dwellTime(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
  now: Date,
): Promise<DwellTimeReport> {
  const closed = await closedDwells(store, names, period, selection);
  const stages = await reportStages(
    store,
    names,
    closed.flatMap(({ distributions }) => [...distributions.keys()]),
  );
  const rows: DwellTimeReport['rows'] = [];
  for (const { group, distributions, values } of closed) {
    for (const stage of stages) {
      const distribution = distributions.get(stage.key) ?? { deals: 0, totalSeconds: 0, bins: [] };
      rows.push({
        kind: 'closed',
        group,
        stage: stage.key,
        stageLabel: stage.label,
        ...dwellFigures(distribution, values.get(stage.key) ?? new Map()),
      });
    }
  }
  const current = await inStageNow(store, names, selection, stages, now);
  for (const [group, perStage] of current) {
    for (const stage of stages) {
      const ages = perStage.get(stage.key) ?? emptyAges();
      rows.push({ kind: 'in_stage', group, stage: stage.key, stageLabel: stage.label, ...ages });
    }
  }
  return { report: DWELL_TIME, asOf: now.toISOString(), rows };
}

interface Ages {
  deals: number;
  age_0_7d: number;
  age_7_30d: number;
  age_30_90d: number;
  age_over_90d: number;
  oldestAgeSeconds: number | null;
}

const emptyAges = (): Ages => ({
  deals: 0,
  age_0_7d: 0,
  age_7_30d: 0,
  age_30_90d: 0,
  age_over_90d: 0,
  oldestAgeSeconds: null,
});

/**
 * Closed dwells per group (calendar periods, dimension values, or one): bucket sums give counts,
 * totals and histograms; then only the exact values of the bins holding the median and p90.
 */
async function closedDwells(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
) {
  const periods = selection.time
    ? calendarGroups(period, selection.time).map((group) => ({
        ...group,
        key: group.key as string | null,
      }))
    : [{ key: null as string | null, from: period.from, to: period.to }];
  const result = [];
  for (const part of periods) {
    const sums = await sumSelected(store, names(DWELL), part.from, part.to, selection);
    const groups = part.key
      ? [{ group: part.key, sums: [...sums.values()][0] ?? {}, source: [...sums.keys()][0] }]
      : groupsOf(sums, selection).map((g) => ({ ...g, source: g.group }));
    const perGroup = groups.map((g) => ({ ...g, distributions: stageDistributions(g.sums) }));
    const needed = new Map(
      perGroup.map((g) => [
        g.source ?? '',
        new Map([...g.distributions].map(([stage, d]) => [stage, binsNeeded(d)])),
      ]),
    );
    const values = await exactValues(store, names, part.from, part.to, selection, needed);
    for (const g of perGroup) {
      result.push({
        group: g.group,
        distributions: g.distributions,
        values: (g.source !== undefined ? values.get(g.source) : undefined) ?? new Map(),
      });
    }
  }
  return result;
}

/**
 * Deals in each stage now, per group, by age. Ungrouped (or split by calendar period, which the
 * "now" part ignores): index range counts per stage and age bucket, and the oldest entry, reading
 * no documents. Grouped by a dimension: the same per group that `open_counts` lists; with a
 * dimension filter as well, or filters beside an owner or a team, the open stays of each stage
 * that pass the indexed filter, filtered and grouped in memory.
 */
async function inStageNow(
  store: ReadStore,
  names: CollectionNames,
  selection: Selection,
  stages: Array<{ key: string }>,
  now: Date,
): Promise<Map<string, Map<string, Ages>>> {
  const collection = names(OPEN_STAYS);
  const base: Record<string, FieldCondition> = {};
  if (selection.pick !== undefined) {
    base.team = selection.filter!.value;
    base.owner = selection.pick;
  } else if (selection.within) {
    base[selection.within.dim] = selection.within.value;
  } else if (selection.filter) {
    base[selection.filter.dim] = selection.filter.value;
  }
  // Within an owner or a team, the other filter is applied to the scope's stays in memory.
  const also = selection.within && selection.filter ? [selection.filter] : [];
  const result = new Map<string, Map<string, Ages>>();
  const grouped = selection.groupBy !== undefined && selection.pick === undefined;
  if (grouped && Object.keys(base).length === 0) {
    return byGroupNow(store, names, selection.groupBy as StayDimension, stages, now);
  }
  // Entry times from which each age bucket starts (the last bucket takes everything older).
  const bounds = AGE_BUCKETS.map((bucket) =>
    bucket.upperDays === Infinity ? '' : daysBefore(now, bucket.upperDays),
  );
  if (!grouped) result.set(selection.pickAs ?? ALL_GROUP, new Map());
  for (const stage of stages) {
    const where = { ...base, stage: stage.key };
    if (grouped || also.length > 0) {
      const stays = await store.find(collection, { where });
      const oldest = new Map<string, string>();
      for (const stay of stays) {
        if (!also.every(({ dim, value }) => stay[dim] === value)) continue;
        const group = (grouped ? stay[selection.groupBy!] : ALL_GROUP) as string | null;
        if (group === null || group === undefined) continue;
        const perStage = result.get(group) ?? new Map<string, Ages>();
        const ages = perStage.get(stage.key) ?? emptyAges();
        const enteredAt = stay.enteredAt as string;
        // ISO strings in one form compare as times.
        const bucket = AGE_BUCKETS[bounds.findIndex((from) => enteredAt >= from)];
        ages[bucket.key] += 1;
        ages.deals += 1;
        if (!oldest.has(group) || enteredAt < oldest.get(group)!) oldest.set(group, enteredAt);
        perStage.set(stage.key, ages);
        result.set(group, perStage);
      }
      for (const [group, enteredAt] of oldest) {
        result.get(group)!.get(stage.key)!.oldestAgeSeconds = ageSeconds(enteredAt, now);
      }
      continue;
    }
    const ages = await agesWhere(store, collection, where, now);
    result.get(selection.pickAs ?? ALL_GROUP)!.set(stage.key, ages);
  }
  return grouped ? byKey(result) : result;
}

const byKey = <V>(map: Map<string, V>): Map<string, V> =>
  new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Open stays matching `where`, by age bucket (index range counts) and the oldest entry. */
async function agesWhere(
  store: ReadStore,
  stays: string,
  where: Record<string, FieldCondition>,
  now: Date,
): Promise<Ages> {
  const ages = emptyAges();
  for (const bucket of AGE_BUCKETS) {
    const enteredAt: Record<string, string> = {};
    if (bucket.upperDays !== Infinity) enteredAt.gte = daysBefore(now, bucket.upperDays);
    if (bucket.lowerDays !== 0) enteredAt.lt = daysBefore(now, bucket.lowerDays);
    const n = await store.count(stays, { ...where, enteredAt });
    ages[bucket.key] = n;
    ages.deals += n;
  }
  if (ages.deals > 0) {
    const [oldest] = await store.find(stays, { where, sort: [['enteredAt', 'asc']], limit: 1 });
    ages.oldestAgeSeconds = ageSeconds(oldest.enteredAt as string, now);
  }
  return ages;
}

/**
 * Grouped by a dimension, no filter: the groups and their deals per stage from `open_counts`, then
 * per group and stage its ages and oldest entry by index, as without a group.
 */
async function byGroupNow(
  store: ReadStore,
  names: CollectionNames,
  dim: StayDimension,
  stages: Array<{ key: string }>,
  now: Date,
): Promise<Map<string, Map<string, Ages>>> {
  const stays = names(OPEN_STAYS);
  const counts = (await store.find(names(OPEN_COUNTS), { where: { dim } })) as OpenCount[];
  const shown = new Set(stages.map((stage) => stage.key));
  const result = new Map<string, Map<string, Ages>>();
  for (const { value, stage, count } of counts) {
    if (!shown.has(stage) || count <= 0) continue;
    const perStage = result.get(value) ?? new Map<string, Ages>();
    perStage.set(stage, await agesWhere(store, stays, { [dim]: value, stage }, now));
    result.set(value, perStage);
  }
  return byKey(result);
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY).toISOString();

const ageSeconds = (enteredAt: string, now: Date) =>
  Math.floor((now.getTime() - Date.parse(enteredAt)) / 1000);
