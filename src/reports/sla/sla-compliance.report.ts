import { DomainError } from '../../../domain/shared/domain-error';
import { distributionValue } from '../../../projections/shared/rollup';
import type { SlaClockName, SlaRunFact } from '../../../projections/sla-compliance.projection';
import {
  countKey,
  metSecondsPrefix,
  rungPrefix,
  SLA_OWNER_PAIRS,
  SLA_TALLIES,
} from '../../../projections/sla-compliance-tallies';
import type { ReadStore } from '../../read-store/read-store.port';
import { selectionOf, Selection, sumGroups, sumSelected } from '../deals/deal-report-selection';
import { ratio, summarise } from '../people/distribution';
import type { ReportPeriod } from '../report-period';
import type { DimensionFilters, ReportGrouping } from '../report-query.dto';
import type { ReportRow } from '../report-response';
import { perRepOf, Sums } from '../rollup-query';
import { emptyTally, tallyRuns } from './sla-runs-tally';

export { NO_VALUE } from '../../../projections/sla-compliance-tallies';

export type CollectionNames = (logical: string) => string;

export interface SlaReportQuery {
  clock: SlaRunFact['clock'];
  filters: DimensionFilters;
  groupBy?: ReportGrouping;
}

export interface SlaReport {
  /** The ladder levels that fired or were suppressed in the period, each a `level<n>Fired` column. */
  levels: number[];
  groupColumn: string;
  rows: ReportRow[];
}

/** One group's figures. */
export interface Tally {
  started: number;
  met: number;
  breached: number;
  running: number;
  closed: number;
  /** Nearest rank ⌈0.5 n⌉ over the met runs' response seconds. */
  medianMetSeconds: number | null;
  fired: Map<number, number>;
  suppressed: number;
}

/**
 * SLA compliance of the clock runs started in the period: how they ended (met, breached, still
 * running, closed unjudged), compliance = met ÷ (met + breached), and the ladder rungs that fired
 * by level. Runs count for the owner and team they were judged under (at the deadline of a breach,
 * at the response of a met run); rungs for the owner and team they fired on.
 *
 * Answered from the counters (a few dozen bucket documents per group) when the filters fit them:
 * one dimension, grouped by itself, by time or by rep, or one dimension and one rep. Other
 * combinations tally the period's runs.
 */
export async function slaCompliance(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  query: SlaReportQuery,
): Promise<SlaReport> {
  if (query.filters.productLine !== undefined || query.groupBy === 'productLine') {
    throw new DomainError(
      'report.dimension_unsupported',
      'SLA clocks run on leads, which have no product line',
      query.groupBy === 'productLine' ? 'groupBy' : 'productLine',
    );
  }
  const selection = countersCanAnswer(query);
  if (!selection) return slaComplianceOfRuns(store, names, period, query);
  const groupColumn = query.groupBy ?? 'scope';
  const tallies = names(SLA_TALLIES);
  const [groups, population] = await Promise.all([
    sumGroups(store, tallies, period, selection),
    // The level columns are every level seen in the period, whoever the rows are about.
    sumSelected(store, tallies, period.from, period.to, {}),
  ]);
  const levels = levelsOf([...population.values()][0], query.clock);
  const rows = groups
    .map(({ group, sums }) => ({ group, tally: tallyOf(sums, query.clock) }))
    .filter(({ tally }) => selection.time !== undefined || !isEmpty(tally))
    .map(({ group, tally }) => rowOf(groupColumn, group, tally, levels));
  return { levels, groupColumn, rows };
}

/** The same report from every run started in the period: for what the counters cannot answer. */
export async function slaComplianceOfRuns(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  query: SlaReportQuery,
): Promise<SlaReport> {
  const { tallies, levels, timeKeys } = await tallyRuns(store, names, period, query);
  const sortedLevels = [...levels].sort((a, b) => a - b);
  const keys = timeKeys ?? [...tallies.keys()].sort();
  const groupColumn = query.groupBy ?? 'scope';
  const rows = keys.map((key) =>
    rowOf(groupColumn, key, tallies.get(key) ?? emptyTally(), sortedLevels),
  );
  return { levels: sortedLevels, groupColumn, rows };
}

/** The counters' selection for the query, or undefined when they keep no bucket for it. */
function countersCanAnswer(query: SlaReportQuery): Selection | undefined {
  try {
    const selection = selectionOf(query.filters, query.groupBy, SLA_OWNER_PAIRS);
    const { filter, groupBy } = selection;
    // Buckets keep one dimension each (or one per owner): a filter on one cannot be grouped by another.
    return !filter || !groupBy || filter.dim === groupBy || perRepOf(selection)
      ? selection
      : undefined;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'report.filter_combination_unsupported')
      return undefined;
    throw error;
  }
}

function tallyOf(sums: Sums, clock: SlaClockName): Tally {
  const fired = new Map<number, number>();
  let suppressed = 0;
  for (const [key, amount] of Object.entries(sums)) {
    if (amount === 0) continue;
    const level = distributionValue(key, rungPrefix(clock, 'fired'));
    if (level !== undefined) fired.set(level, amount);
    else if (distributionValue(key, rungPrefix(clock, 'suppressed')) !== undefined)
      suppressed += amount;
  }
  const count = (name: Parameters<typeof countKey>[1]) => sums[countKey(clock, name)] ?? 0;
  return {
    started: count('started'),
    met: count('met'),
    breached: count('breached'),
    running: count('running'),
    closed: count('closed'),
    medianMetSeconds: summarise(sums, metSecondsPrefix(clock)).median,
    fired,
    suppressed,
  };
}

const isEmpty = (t: Tally) =>
  t.started === 0 && t.suppressed === 0 && [...t.fired.values()].every((n) => n === 0);

function levelsOf(sums: Sums | undefined, clock: SlaClockName): number[] {
  const levels = new Set<number>();
  for (const [key, amount] of Object.entries(sums ?? {})) {
    if (amount === 0) continue;
    const level =
      distributionValue(key, rungPrefix(clock, 'fired')) ??
      distributionValue(key, rungPrefix(clock, 'suppressed'));
    if (level !== undefined) levels.add(level);
  }
  return [...levels].sort((a, b) => a - b);
}

function rowOf(column: string, key: string, t: Tally, levels: number[]): ReportRow {
  const judged = t.met + t.breached;
  return {
    [column]: key,
    started: t.started,
    judged,
    met: t.met,
    breached: t.breached,
    running: t.running,
    closed: t.closed,
    compliance: ratio(t.met, judged),
    medianMetSeconds: t.medianMetSeconds,
    ...Object.fromEntries(levels.map((level) => [`level${level}Fired`, t.fired.get(level) ?? 0])),
    rungsSuppressed: t.suppressed,
  };
}
