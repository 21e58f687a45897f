import { formatMajor } from '../../../domain/shared/money';
import {
  FIELD,
  FX_POLICY_ID,
  FxVersion,
  inForce,
  monthField,
} from '../../../projections/shared/forecast-contribution';
import {
  ALL,
  ReportDimension,
  TEAM_OWNER,
  teamOwnerValue,
} from '../../../projections/shared/rollup';
import {
  CHANGES,
  POLICIES,
  PolicyTimelineDocument,
  TOTALS,
} from '../../../projections/weighted-forecast.projection';
import { ReadDocument, ReadStore } from '../../read-store/read-store.port';
import { ReportRow } from '../report-response';
import { Sums, sumRollup } from '../rollup-query';

export type ForecastAxis = 'closeMonth' | 'shipMonth';

export interface ForecastQuery {
  /** Events with occurredAt ≤ asOf count. */
  asOf: Date;
  by: ForecastAxis;
  /** 'YYYY-MM', in order. */
  months: string[];
  filter?: { dim: ReportDimension; value: string };
  groupBy?: ReportDimension;
  /** Which side of asOf to sum; both give the same answer. Default: the side with fewer months. */
  side?: 'before' | 'after';
}

export interface ForecastReport {
  report: 'forecast';
  asOf: string;
  by: ForecastAxis;
  /** The base currency in force at asOf; null before any FX policy was published. */
  currency: string | null;
  rows: ReportRow[];
  [extra: string]: unknown;
}

export const UNSCHEDULED_ROW = 'unscheduled';

/** Later than any business time an event may carry (occurredAt is never in the future). */
const END_OF_TIME = new Date('9999-01-01T00:00:00Z');

/**
 * The weighted forecast as of `asOf`: the sum of the projection's contribution deltas dated
 * ≤ asOf, never recomputed from the deals. Read from the rollup's buckets on the change-time
 * axis, from whichever side of asOf holds fewer months of changes: the deltas up to asOf, or the
 * all-time totals minus the deltas after asOf (for a recent asOf, next to none). Either way a few
 * dozen bucket documents per group, plus the facts of asOf's partial hour.
 */
export async function forecastReport(
  store: ReadStore,
  collection: (logical: string) => string,
  query: ForecastQuery,
): Promise<ForecastReport> {
  const { sums, base } = await forecastSums(store, collection, query);
  return {
    report: 'forecast',
    asOf: query.asOf.toISOString(),
    by: query.by,
    currency: base,
    rows: forecastRows(sums, query, base),
  };
}

/** The summed contributions per group, and the base currency in force at asOf. */
export async function forecastSums(
  store: ReadStore,
  collection: (logical: string) => string,
  query: ForecastQuery,
): Promise<{ sums: Map<string, Sums>; base: string | null }> {
  const changes = collection(CHANGES);
  const after = new Date(query.asOf.getTime() + 1);
  const [span, fx] = await Promise.all([
    monthSpan(store, changes),
    store.get(collection(POLICIES), FX_POLICY_ID) as Promise<PolicyTimelineDocument | undefined>,
  ]);
  const month = after.toISOString().slice(0, 7);
  const fromTheEnd =
    query.side === 'after' ||
    (query.side === undefined &&
      span !== undefined &&
      monthsBetween(span.first, month) > monthsBetween(month, span.last));
  let sums: Map<string, Sums>;
  if (fromTheEnd) {
    const [totals, later] = await Promise.all([
      readTotals(store, collection(TOTALS), query),
      // Half-open: [asOf + 1 ms, end) leaves asOf itself in the forecast.
      sumRollup(store, changes, {
        from: after,
        to: END_OF_TIME,
        filter: query.filter,
        groupBy: query.groupBy,
      }),
    ]);
    sums = new Map();
    for (const [group, all] of totals) {
      const tail = later.get(group) ?? {};
      sums.set(
        group,
        Object.fromEntries(
          Object.entries(all).map(([field, value]) => [field, value - (tail[field] ?? 0)]),
        ),
      );
    }
  } else {
    sums = await sumRollup(store, changes, {
      from: new Date(0),
      to: after,
      filter: query.filter,
      groupBy: query.groupBy,
    });
  }
  const base = inForce((fx?.versions ?? []) as FxVersion[], query.asOf.toISOString())?.base ?? null;
  return { sums, base };
}

/** The report's rows from the sums of contributions per group ('all' without groupBy). */
export function forecastRows(
  sums: Map<string, Sums>,
  query: Pick<ForecastQuery, 'by' | 'months' | 'groupBy'>,
  base: string | null,
): ReportRow[] {
  const axis =
    query.by === 'closeMonth'
      ? {
          weighted: FIELD.closeWeighted,
          deals: FIELD.closeDeals,
          unconverted: FIELD.closeUnconverted,
        }
      : {
          weighted: FIELD.shipWeighted,
          deals: FIELD.shipDeals,
          unconverted: FIELD.shipUnconverted,
        };

  const rows: ReportRow[] = [];
  const groups = [...sums.keys()].sort();
  for (const group of query.groupBy ? groups : ['all']) {
    const totals: Sums = sums.get(group) ?? {};
    const groupRows: ReportRow[] = [];
    for (const month of [...query.months, null]) {
      const value = (prefix: string) => totals[monthField(prefix, month)] ?? 0;
      const weighted = value(axis.weighted);
      // Won actuals sit in their won month in both views (DESIGN.md); none is unscheduled.
      const won = month === null ? 0 : value(FIELD.wonAmount);
      const row: ReportRow = {
        month: month ?? UNSCHEDULED_ROW,
        ...(query.groupBy ? { [query.groupBy]: group } : {}),
        openDeals: value(axis.deals),
        weightedMinor: weighted,
        wonDeals: value(FIELD.wonDeals),
        wonMinor: won,
        totalMinor: weighted + won,
        currency: base,
        weighted: base ? formatMajor({ minor: weighted, currency: base }) : null,
        won: base ? formatMajor({ minor: won, currency: base }) : null,
        total: base ? formatMajor({ minor: weighted + won, currency: base }) : null,
        unconvertedDeals:
          value(axis.unconverted) + (month === null ? 0 : value(FIELD.wonUnconverted)),
      };
      groupRows.push(row);
    }
    // Per-group rows only for groups with something in the range; the whole population always.
    const empty = groupRows.every(
      (row) => row.openDeals === 0 && row.wonDeals === 0 && row.unconvertedDeals === 0,
    );
    if (!query.groupBy || !empty) rows.push(...groupRows);
  }
  return rows;
}

/** The first and last months holding changes ('YYYY-MM'), from the population's month buckets. */
async function monthSpan(
  store: ReadStore,
  changes: string,
): Promise<{ first: string; last: string } | undefined> {
  const edge = (direction: 'asc' | 'desc') =>
    store.find(changes, {
      where: { dim: ALL, level: 'month' },
      sort: [['start', direction]],
      limit: 1,
    });
  const [[first], [last]] = await Promise.all([edge('asc'), edge('desc')]);
  if (!first || !last) return undefined;
  return { first: (first.start as string).slice(0, 7), last: (last.start as string).slice(0, 7) };
}

const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7));

const TOTAL_FIELDS = new Set(['id', 'dim', 'value']);

/** The all-time sums per group, keyed like sumRollup's answer (the group value, or 'all'). */
async function readTotals(
  store: ReadStore,
  collection: string,
  query: ForecastQuery,
): Promise<Map<string, Sums>> {
  const { filter, groupBy } = query;
  let docs: ReadDocument[];
  let groupOf: (doc: ReadDocument) => string = () => ALL;
  if (filter?.dim === 'team' && groupBy === 'owner') {
    const prefix = teamOwnerValue(filter.value, '');
    docs = await store.find(collection, {
      where: { dim: TEAM_OWNER, value: { gte: prefix, lt: `${prefix}\uffff` } },
    });
    groupOf = (doc) => (doc.value as string).slice(prefix.length);
  } else if (groupBy) {
    // sumRollup refuses the other combinations; the same check keeps the answers consistent.
    const where: Record<string, string> = { dim: groupBy };
    if (filter) where.value = filter.value;
    docs = filter && filter.dim !== groupBy ? [] : await store.find(collection, { where });
    groupOf = (doc) => doc.value as string;
  } else {
    const doc = await store.get(
      collection,
      filter ? `${filter.dim}|${filter.value}` : `${ALL}|${ALL}`,
    );
    docs = doc ? [doc] : [];
  }
  const totals = new Map<string, Sums>();
  for (const doc of docs) {
    const sums: Sums = {};
    for (const [field, value] of Object.entries(doc)) {
      if (!TOTAL_FIELDS.has(field) && typeof value === 'number') sums[field] = value;
    }
    totals.set(groupOf(doc), sums);
  }
  return totals;
}
