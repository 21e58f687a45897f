import { REPORT_SCOPES, SCOPE_BREAKDOWNS } from '../../../projections/shared/rollup';
import { ReadStore } from '../../read-store/read-store.port';
import type { Selection } from '../deals/deal-report-selection';
import { sumSelected } from '../deals/deal-report-selection';
import { calendarGroups, ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import type { Sums } from '../rollup-query';

export type { CollectionNames, Selection } from '../deals/deal-report-selection';

/** One period's sums per group (a dimension value, `all`, or the picked owner). */
export type GroupSums = (from: Date, to: Date) => Promise<Map<string, Sums>>;

export const sumsOf =
  (store: ReadStore, collection: string, selection: Selection): GroupSums =>
  (from, to) =>
    sumSelected(store, collection, from, to, { ...selection, time: undefined });

/**
 * Rows of a report: per value of the grouping dimension, or per calendar group of the period in
 * its time zone (day, week from Monday, month) when the selection asks for time.
 */
export async function rowsOf(
  period: ReportPeriod,
  selection: Selection,
  groupColumn: string,
  compute: (from: Date, to: Date) => Promise<Array<[group: string, row: ReportRow]>>,
): Promise<ReportRow[]> {
  if (selection.time) {
    const rows: ReportRow[] = [];
    for (const group of calendarGroups(period, selection.time)) {
      for (const [key, row] of await compute(group.from, group.to)) {
        rows.push({ [selection.time]: group.key, [groupColumn]: key, ...row });
      }
    }
    return rows;
  }
  const rows = await compute(period.from, period.to);
  return rows
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, row]) => ({ [groupColumn]: key, ...row }));
}

/** The column naming each row's group: the grouping dimension, or `scope` for the whole selection. */
export const groupColumnOf = (selection: Selection): string =>
  selection.groupBy && selection.pick === undefined ? selection.groupBy : 'scope';

/**
 * The grouping a report uses when none is asked for: `preferred`, if the (scoped) filters allow it
 * (rollups group by the filtered dimension only, by owner within a team, or by another dimension
 * within an owner or a team); else none.
 */
export function defaultGrouping(
  filters: Partial<Record<string, string | undefined>>,
  preferred: 'owner' | 'channel',
): 'owner' | 'channel' | undefined {
  const dims = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(([dim]) => dim);
  if (dims.length === 0) return preferred;
  const scope = REPORT_SCOPES.find((candidate) => dims.includes(candidate));
  if (dims.length === 1 && scope && SCOPE_BREAKDOWNS[scope].includes(preferred)) return preferred;
  const compatible = preferred === 'owner' ? ['owner', 'team'] : ['channel'];
  return dims.every((dim) => compatible.includes(dim)) ? preferred : undefined;
}
