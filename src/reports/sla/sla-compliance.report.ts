import { DomainError } from '../../../domain/shared/domain-error';
import { SLA_RUNS, SlaRunFact, SlaRung } from '../../../projections/sla-compliance.projection';
import type { ReadStore } from '../../read-store/read-store.port';
import { ratio } from '../people/distribution';
import { calendarGroups, ReportPeriod } from '../report-period';
import type { DimensionFilters, ReportGrouping } from '../report-query.dto';
import type { ReportRow } from '../report-response';

export type CollectionNames = (logical: string) => string;

/** The group of a run or rung without an owner, team or country. */
export const NO_VALUE = '(none)';
const ALL_GROUP = 'all';
const TIME_UNITS = ['day', 'week', 'month'] as const;
type TimeUnit = (typeof TIME_UNITS)[number];
type Dimension = 'owner' | 'team' | 'channel' | 'country' | 'region';

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

interface Tally {
  started: number;
  met: number;
  breached: number;
  running: number;
  closed: number;
  responseSeconds: number[];
  fired: Map<number, number>;
  suppressed: number;
}

const emptyTally = (): Tally => ({
  started: 0,
  met: 0,
  breached: 0,
  running: 0,
  closed: 0,
  responseSeconds: [],
  fired: new Map(),
  suppressed: 0,
});

/** The rungs come with the run's origin, but the owner and team they fired on. */
const runDims = (run: SlaRunFact): Record<Dimension, string> => ({
  owner: run.ownerId ?? NO_VALUE,
  team: run.teamId ?? NO_VALUE,
  channel: run.channel,
  country: run.country ?? NO_VALUE,
  region: run.region ?? NO_VALUE,
});
const rungDims = (run: SlaRunFact, rung: SlaRung): Record<Dimension, string> => ({
  ...runDims(run),
  owner: rung.ownerId ?? NO_VALUE,
  team: rung.teamId ?? NO_VALUE,
});

/**
 * SLA compliance of the clock runs started in the period: how they ended (met, breached, still
 * running, closed unjudged), compliance = met ÷ (met + breached), and the ladder rungs that fired
 * by level. Runs count for the owner and team they were judged under (at the deadline of a breach,
 * at the response of a met run); rungs for the owner and team they fired on.
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
  const runs = (await store.find(names(SLA_RUNS), {
    where: {
      clock: query.clock,
      startedAt: { gte: period.from.toISOString(), lt: period.to.toISOString() },
    },
    sort: [['startedAt', 'asc']],
  })) as SlaRunFact[];
  const time = (TIME_UNITS as readonly string[]).includes(query.groupBy ?? '')
    ? (query.groupBy as TimeUnit)
    : undefined;
  const dimension = time ? undefined : (query.groupBy as Dimension | undefined);
  const groups = time ? calendarGroups(period, time) : [];
  const timeKey = (at: string): string => {
    const instant = Date.parse(at);
    return groups.find((g) => g.from.getTime() <= instant && instant < g.to.getTime())!.key;
  };
  const matches = (dims: Record<Dimension, string>) =>
    (Object.entries(query.filters) as Array<[Dimension, string | undefined]>).every(
      ([dim, value]) => value === undefined || dims[dim] === value,
    );
  const keyOf = (dims: Record<Dimension, string>, run: SlaRunFact) =>
    time ? timeKey(run.startedAt) : dimension ? dims[dimension] : ALL_GROUP;

  const tallies = new Map<string, Tally>();
  const tally = (key: string) => {
    let found = tallies.get(key);
    if (!found) tallies.set(key, (found = emptyTally()));
    return found;
  };
  const levels = new Set<number>();
  for (const run of runs) {
    const dims = runDims(run);
    if (matches(dims)) {
      const t = tally(keyOf(dims, run));
      t.started += 1;
      t[run.outcome] += 1;
      if (run.outcome === 'met' && run.responseSeconds !== null)
        t.responseSeconds.push(run.responseSeconds);
    }
    for (const rung of run.rungs) {
      levels.add(rung.level);
      const onRung = rungDims(run, rung);
      if (!matches(onRung)) continue;
      const t = tally(keyOf(onRung, run));
      if (rung.result === 'suppressed') t.suppressed += 1;
      else t.fired.set(rung.level, (t.fired.get(rung.level) ?? 0) + 1);
    }
  }
  const sortedLevels = [...levels].sort((a, b) => a - b);
  const groupColumn = time ?? dimension ?? 'scope';
  const keys = time ? groups.map((g) => g.key) : [...tallies.keys()].sort();
  const rows = keys.map((key) =>
    rowOf(groupColumn, key, tallies.get(key) ?? emptyTally(), sortedLevels),
  );
  return { levels: sortedLevels, groupColumn, rows };
}

function rowOf(column: string, key: string, t: Tally, levels: number[]): ReportRow {
  const judged = t.met + t.breached;
  const sorted = [...t.responseSeconds].sort((a, b) => a - b);
  const rank = (share: number) =>
    sorted.length ? sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] : null;
  return {
    [column]: key,
    started: t.started,
    judged,
    met: t.met,
    breached: t.breached,
    running: t.running,
    closed: t.closed,
    compliance: ratio(t.met, judged),
    medianMetSeconds: rank(0.5),
    ...Object.fromEntries(levels.map((level) => [`level${level}Fired`, t.fired.get(level) ?? 0])),
    rungsSuppressed: t.suppressed,
  };
}
