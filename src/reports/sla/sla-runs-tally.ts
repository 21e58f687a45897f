import { SLA_RUNS, SlaRunFact } from '../../../projections/sla-compliance.projection';
import { runDimensions, rungDimensions } from '../../../projections/sla-compliance-tallies';
import type { ReadStore } from '../../read-store/read-store.port';
import { ALL_GROUP } from '../deals/deal-report-selection';
import { calendarGroups, ReportPeriod } from '../report-period';
import type { CollectionNames, SlaReportQuery, Tally } from './sla-compliance.report';

const TIME_UNITS = ['day', 'week', 'month'] as const;
type TimeUnit = (typeof TIME_UNITS)[number];

export interface RunTallies {
  tallies: Map<string, Tally>;
  levels: Set<number>;
  /** Calendar group keys in order, when grouped by time. */
  timeKeys?: string[];
}

/**
 * The report's tallies from every run started in the period, filtered in memory. It answers the
 * filter combinations the counters cannot (they keep one dimension per bucket): it reads each run
 * of the period, so it is the slower path.
 */
export async function tallyRuns(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  query: SlaReportQuery,
): Promise<RunTallies> {
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
  const dimension = time ? undefined : query.groupBy;
  const groups = time ? calendarGroups(period, time) : [];
  const timeKey = (at: string): string => {
    const instant = Date.parse(at);
    return groups.find((g) => g.from.getTime() <= instant && instant < g.to.getTime())!.key;
  };
  const matches = (dims: Record<string, string | undefined>) =>
    Object.entries(query.filters).every(
      ([dim, value]) => value === undefined || dims[dim] === value,
    );
  const keyOf = (dims: Record<string, string | undefined>, run: SlaRunFact) =>
    time ? timeKey(run.startedAt) : dimension ? dims[dimension]! : ALL_GROUP;

  const tallies = new Map<string, Tally & { responseSeconds: number[] }>();
  const tally = (key: string) => {
    let found = tallies.get(key);
    if (!found) tallies.set(key, (found = { ...emptyTally(), responseSeconds: [] }));
    return found;
  };
  const levels = new Set<number>();
  for (const run of runs) {
    const dims = runDimensions(run);
    if (matches(dims)) {
      const t = tally(keyOf(dims, run));
      t.started += 1;
      t[run.outcome] += 1;
      if (run.outcome === 'met' && run.responseSeconds !== null)
        t.responseSeconds.push(run.responseSeconds);
    }
    for (const rung of run.rungs) {
      levels.add(rung.level);
      const onRung = rungDimensions(run, rung);
      if (!matches(onRung)) continue;
      const t = tally(keyOf(onRung, run));
      if (rung.result === 'suppressed') t.suppressed += 1;
      else t.fired.set(rung.level, (t.fired.get(rung.level) ?? 0) + 1);
    }
  }
  for (const t of tallies.values()) {
    const sorted = t.responseSeconds.sort((a, b) => a - b);
    t.medianMetSeconds = sorted.length ? sorted[Math.ceil(0.5 * sorted.length) - 1] : null;
  }
  return { tallies, levels, ...(time ? { timeKeys: groups.map((g) => g.key) } : {}) };
}

export const emptyTally = (): Tally => ({
  started: 0,
  met: 0,
  breached: 0,
  running: 0,
  closed: 0,
  medianMetSeconds: null,
  fired: new Map(),
  suppressed: 0,
});
