/**
 * Every query the HTTP API answers from a read model, called as its controller calls it for a
 * manager (who sees everything: the scope helpers hand a manager's filters on as asked). Each run
 * varies the parameters with `i`; run 0 asks what the query's fold baseline computes.
 */
import type { DealFacts } from '../projections/deal-facts.projection';
import type { EventStore } from '../src/event-store/event-store.port';
import type { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import type { ReadModels } from '../src/projection-runner/read-models';
import type { ReadStore } from '../src/read-store/read-store.port';
import { ACCOUNT_360 } from '../projections/account-360.projection';
import { CHANNEL_QUALITY } from '../projections/channel-quality.projection';
import { DATA_QUALITY, UNASSIGNED } from '../projections/data-quality.projection';
import { DEAL_TIMELINE } from '../projections/deal-timeline.projection';
import { LEAD_QUEUE, QueueStatus } from '../projections/lead-queue.projection';
import { OWNERSHIP_LEDGER } from '../projections/ownership-ledger.projection';
import { PIPELINE_BOARD } from '../projections/pipeline-board.projection';
import { REP_PERFORMANCE } from '../projections/rep-performance.projection';
import { SEARCH_INDEX } from '../projections/search-index.projection';
import { SLA_COMPLIANCE } from '../projections/sla-compliance.projection';
import { TASK_LIST } from '../projections/task-list.projection';
import { WEIGHTED_FORECAST } from '../projections/weighted-forecast.projection';
import {
  bookAt,
  ownershipLedger,
  recordLedger,
} from '../src/audit/ownership/ownership-ledger.query';
import { LEDGER_DEFAULT_LIMIT } from '../src/audit/ownership/ownership-query.dto';
import type { Principal } from '../src/identity/identity-events';
import { account360, TIMELINE_MAX_LIMIT } from '../src/reports/accounts/account-360.query';
import { taskList } from '../src/reports/accounts/task-list.query';
import { dealFacts, DealFactsFilter, listDealFacts } from '../src/reports/deals/deal-facts.query';
import { scopeFilters, selectionOf, Selection } from '../src/reports/deals/deal-report-selection';
import { dwellTime } from '../src/reports/deals/dwell-time.query';
import { lossReasons } from '../src/reports/deals/loss-reasons.query';
import { forecastKnownAt } from '../src/reports/forecast/forecast-known-at.query';
import { monthRange } from '../src/reports/forecast/forecast-reports.controller';
import { ForecastQuery, forecastReport } from '../src/reports/forecast/forecast.query';
import { channelQuality } from '../src/reports/leads/channel-quality.report';
import { LEAD_QUEUE_DEFAULT_LIMIT } from '../src/reports/leads/dto/lead-queue-query.dto';
import { leadQueue, nurtureQueue } from '../src/reports/leads/lead-queue.query';
import { dataQuality } from '../src/reports/people/data-quality.report';
import {
  DEFAULT_SLA_TARGET_MINUTES,
  DEFAULT_STALE_DAYS,
} from '../src/reports/people/dto/people-query.dto';
import {
  repPerformance,
  slaCompliance as firstResponseCompliance,
} from '../src/reports/people/rep-performance.report';
import { pipelineBoardAsOf } from '../src/reports/pipeline/pipeline-board-as-of.query';
import {
  PIPELINE_DEFAULT_LIMIT,
  pipelineBoard,
} from '../src/reports/pipeline/pipeline-board.query';
import { slaCompliance } from '../src/reports/sla/sla-compliance.report';
import { searchRecords } from '../src/search/search.query';
import { defaultGrouping } from '../src/reports/people/report-groups';
import type { DimensionFilters, ReportGrouping } from '../src/reports/report-query.dto';

export interface QueryContext {
  store: ReadStore;
  readModels: ReadModels;
  /** Physical collection names of a projection's live generation: names('stage-conversion')('cohort'). */
  names: (projection: string) => (logical: string) => string;
  /** The event store (upcasting, as the app reads it), for the fold baselines. */
  events: EventStore;
  /** Opens the personal fields of an event, for folds over projections that show them. */
  cipher: PersonalDataCipher;
  /** End of the generated history (exclusive): the sample's clock. Vary periods before it. */
  until: Date;
}

export interface ReportQuery {
  name: string;
  /** The src module and function it calls, as the bench prints it. */
  calls: string;
  /** Projections it reads; the query is skipped, and says so, when one is not built. */
  projections: string[];
  /** The FOLD_BASELINES entry computing the same answer from all the events, for the ratio. */
  fold?: string;
  /** Its fold baseline replays `projections` into a fresh store and runs this query once. */
  foldByReplay?: boolean;
  /** One-time setup (load the query module, look up parameter values); throw to skip the query. */
  prepare?(ctx: QueryContext): Promise<void>;
  /** One run. Vary its parameters with `i` (0 … runs − 1); run 0 must ask what the fold computes. */
  run(ctx: QueryContext, i: number): Promise<unknown>;
  /** Compares run 0's answer with the fold's; returns what differs, or undefined when equal. */
  check?(answer: unknown, folded: unknown): string | undefined;
}

export interface FoldBaseline {
  name: string;
  /** Reads every event from the start and folds the answer. */
  run(ctx: QueryContext): Promise<unknown>;
}

/** A year of history up to the clock: what fold baselines and run 0 of each query ask for. */
export const foldPeriod = (until: Date): { from: Date; to: Date } => {
  const from = new Date(until);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  return { from, to: until };
};

/** Twelve months ending `shift` months before the clock. */
export const periodShifted = (until: Date, shift: number): { from: Date; to: Date; tz: string } => {
  const to = monthsBefore(until, shift);
  const from = new Date(to);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  return { from, to, tz: 'UTC' };
};

export const monthsBefore = (until: Date, months: number): Date => {
  const at = new Date(until);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at;
};

/** A report reader who sees everything: the scope helpers hand a manager's filters on as asked. */
const MANAGER: Principal = {
  kind: 'session',
  tokenId: 'bench',
  userId: 'bench-manager',
  role: 'manager',
  teamId: null,
};

export const COUNTRIES = ['DE', 'US', 'AE', 'MX', 'GB', 'SA', 'FR', 'IN'];

export const pick = <T>(values: readonly T[], i: number): T => values[i % values.length];

/** Record ids and dimension values found in the store, to ask about what exists. */
export interface Drawn {
  deals: DealFacts[];
  owners: string[];
  teams: string[];
  stages: string[];
  accounts: string[];
}

let drawn: Drawn | undefined;

/** Drawn once, from the newest deals of the deal-facts read model. */
export async function draw(ctx: QueryContext): Promise<Drawn> {
  drawn ??= await drawFrom(ctx);
  return drawn;
}

/** What `draw` found; only once a query's prepare() has drawn. */
export const drawnValues = (): Drawn => {
  if (!drawn) throw new Error('prepare() draws the parameter values first');
  return drawn;
};

async function drawFrom(ctx: QueryContext): Promise<Drawn> {
  const deals = await listDealFacts(ctx.store, ctx.names('deal-facts'), { limit: 500 });
  if (deals.length === 0) throw new Error('no deal in the deal-facts read model to ask about');
  const distinct = (values: Array<string | null>) =>
    [...new Set(values.filter((v): v is string => v !== null))].sort();
  return {
    deals,
    owners: distinct(deals.map((d) => d.ownerId)),
    teams: distinct(deals.map((d) => d.teamId)),
    stages: distinct(deals.filter((d) => d.status === 'open').map((d) => d.stage)),
    accounts: distinct(deals.map((d) => d.accountId)),
  };
}

/** Filters and a grouping as a caller passes them: none on run 0, then one of each kind. */
export function askedFor(i: number): { filters: DimensionFilters; grouping?: ReportGrouping } {
  const { teams } = drawnValues();
  const asks: Array<{ filters: DimensionFilters; grouping?: ReportGrouping }> = [
    { filters: {} },
    { filters: {}, grouping: 'channel' },
    { filters: {}, grouping: 'owner' },
    { filters: { country: pick(COUNTRIES, i) } },
    { filters: {}, grouping: 'month' },
    { filters: {}, grouping: 'region' },
    ...(teams.length > 0
      ? [{ filters: { team: pick(teams, i) }, grouping: 'owner' as const }]
      : []),
  ];
  return pick(asks, i);
}

/** The rollup selection of run i, grouped by `preferred` when nothing else is asked (channels, reps). */
export function selectionFor(i: number, preferred?: 'owner' | 'channel'): Selection {
  const { filters, grouping } = askedFor(i);
  const scoped = scopeFilters(MANAGER, filters);
  return selectionOf(scoped, grouping ?? (preferred && defaultGrouping(scoped, preferred)));
}

/** Its fold baseline replays the projections the query reads and runs the query once (run 0). */
export const replayed = (query: Omit<ReportQuery, 'fold'>): ReportQuery => ({
  ...query,
  fold: query.name,
  foldByReplay: true,
  check: sameAnswer,
});

/** Deep equality after a JSON round trip; the first path that differs, when one does. */
export function sameAnswer(answer: unknown, folded: unknown): string | undefined {
  return firstDifference(JSON.parse(JSON.stringify(answer)), JSON.parse(JSON.stringify(folded)));
}

function firstDifference(got: unknown, want: unknown, path = '$'): string | undefined {
  if (Object.is(got, want)) return undefined;
  if (typeof got !== 'object' || typeof want !== 'object' || got === null || want === null) {
    return `${path}: ${show(got)} ≠ ${show(want)} (fold)`;
  }
  if (Array.isArray(got) !== Array.isArray(want)) return `${path}: array ≠ object`;
  if (Array.isArray(got) && Array.isArray(want) && got.length !== want.length) {
    return `${path}.length: ${got.length} ≠ ${want.length} (fold)`;
  }
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  for (const key of new Set([...Object.keys(g), ...Object.keys(w)])) {
    const difference = firstDifference(g[key], w[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

// ---------------------------------------------------------------- deals

export interface StageCounts {
  opened: number;
  won: number;
  stages: Record<string, { entered: number; advanced: number }>;
}

type StageConversionModule = typeof import('../src/reports/deals/stage-conversion.query');
let stageConversionModule: StageConversionModule | undefined;

const STAGE_CONVERSION: ReportQuery = {
  // The example: src/reports/deals/stage-conversion.query over the stage-conversion rollup.
  name: 'stage conversion',
  calls: 'reports/deals/stage-conversion.query stageConversion',
  projections: ['stage-conversion'],
  fold: 'stage conversion',
  async prepare() {
    // Loaded at run time, so the bench still runs while the reports are being written.
    stageConversionModule = require('../src/reports/deals/stage-conversion.query');
  },
  async run(ctx, i) {
    const selections = [
      {},
      { groupBy: 'channel' },
      { groupBy: 'owner' },
      { filter: { dim: 'country', value: COUNTRIES[i % COUNTRIES.length] } },
      { time: 'month' },
      { groupBy: 'region' },
    ] as const;
    return stageConversionModule!.stageConversion(
      ctx.store,
      ctx.names('stage-conversion'),
      periodShifted(ctx.until, i % 12),
      selections[i % selections.length] as never,
    );
  },
  check(answer, folded) {
    const report = answer as Awaited<ReturnType<StageConversionModule['stageConversion']>>;
    const fold = folded as StageCounts;
    const all = report.groups.find((g) => g.group === 'all') ?? { opened: 0, won: 0 };
    const got: StageCounts = { opened: all.opened, won: all.won, stages: {} };
    for (const row of report.rows.filter((r) => r.group === 'all')) {
      got.stages[row.stage] = { entered: row.entered, advanced: row.advanced };
    }
    return compareStageCounts(got, fold);
  },
};

function compareStageCounts(got: StageCounts, want: StageCounts): string | undefined {
  const diffs: string[] = [];
  if (got.opened !== want.opened) diffs.push(`opened ${got.opened} ≠ ${want.opened}`);
  if (got.won !== want.won) diffs.push(`won ${got.won} ≠ ${want.won}`);
  for (const key of new Set([...Object.keys(got.stages), ...Object.keys(want.stages)])) {
    const g = got.stages[key] ?? { entered: 0, advanced: 0 };
    const w = want.stages[key] ?? { entered: 0, advanced: 0 };
    if (g.entered !== w.entered || g.advanced !== w.advanced) {
      diffs.push(`${key} ${g.entered}/${g.advanced} ≠ ${w.entered}/${w.advanced}`);
    }
  }
  return diffs.length === 0 ? undefined : diffs.join('; ');
}

/** Every query's prepare: the parameter values come from the store. */
const drawing = { prepare: async (ctx: QueryContext) => void (await draw(ctx)) };

const DEAL_QUERIES: ReportQuery[] = [
  STAGE_CONVERSION,
  replayed({
    name: 'dwell time',
    calls: 'reports/deals/dwell-time.query dwellTime',
    projections: ['dwell-time'],
    ...drawing,
    run: (ctx, i) =>
      dwellTime(
        ctx.store,
        ctx.names('dwell-time'),
        periodShifted(ctx.until, i % 12),
        selectionFor(i),
        ctx.until,
      ),
  }),
  replayed({
    name: 'loss reasons',
    calls: 'reports/deals/loss-reasons.query lossReasons',
    projections: ['loss-reasons'],
    ...drawing,
    run: (ctx, i) =>
      lossReasons(
        ctx.store,
        ctx.names('loss-reasons'),
        periodShifted(ctx.until, i % 12),
        selectionFor(i),
      ),
  }),
  replayed({
    name: 'deal facts, one deal',
    calls: 'reports/deals/deal-facts.query dealFacts',
    projections: ['deal-facts'],
    ...drawing,
    run: (ctx, i) =>
      dealFacts(ctx.store, ctx.names('deal-facts'), pick(drawnValues().deals, i * 7).dealId),
  }),
  replayed({
    name: 'deal facts, list',
    calls: 'reports/deals/deal-facts.query listDealFacts',
    projections: ['deal-facts'],
    ...drawing,
    run(ctx, i) {
      const { owners, teams, stages } = drawnValues();
      const filters: DealFactsFilter[] = [
        {},
        { ownerId: pick(owners, i) },
        { status: 'open' },
        { teamId: pick(teams, i), status: 'won' },
        { status: 'open', stage: pick(stages, i) },
        { ownerId: pick(owners, i), status: 'lost' },
      ];
      return listDealFacts(ctx.store, ctx.names('deal-facts'), pick(filters, i));
    },
  }),
  replayed({
    name: 'forecast',
    calls: 'reports/forecast/forecast.query forecastReport',
    projections: [WEIGHTED_FORECAST],
    ...drawing,
    run(ctx, i) {
      const asOf = monthsBefore(ctx.until, i % 12);
      return forecastReport(ctx.store, ctx.names(WEIGHTED_FORECAST), {
        asOf,
        by: i % 2 === 0 ? 'closeMonth' : 'shipMonth',
        months: monthRange({}, asOf, 'UTC'),
        ...forecastSelection(i),
      });
    },
  }),
  replayed({
    name: 'forecast, knownAt',
    calls: 'reports/forecast/forecast-known-at.query forecastKnownAt',
    projections: [DEAL_TIMELINE],
    ...drawing,
    run(ctx, i) {
      const knownAt = monthsBefore(ctx.until, i % 12);
      // knownAt alone means asOf = knownAt; every other run asks about a month earlier.
      const asOf = i % 2 === 0 ? knownAt : monthsBefore(knownAt, 1);
      return forecastKnownAt(ctx.store, ctx.names(DEAL_TIMELINE), {
        asOf,
        knownAt,
        by: 'closeMonth',
        months: monthRange({}, asOf, 'UTC'),
        ...forecastSelection(i),
      });
    },
  }),
  replayed({
    name: 'pipeline board',
    calls: 'reports/pipeline/pipeline-board.query pipelineBoard',
    projections: [PIPELINE_BOARD],
    ...drawing,
    run(ctx, i) {
      const { owners, stages } = drawnValues();
      return pipelineBoard(ctx.store, ctx.names(PIPELINE_BOARD), {
        owners: i % 3 === 1 ? [pick(owners, i)] : 'all',
        stage: i % 3 === 2 ? pick(stages, i) : undefined,
        limit: PIPELINE_DEFAULT_LIMIT,
      });
    },
  }),
  replayed({
    name: 'pipeline board, asOf',
    calls: 'reports/pipeline/pipeline-board-as-of.query pipelineBoardAsOf',
    projections: [DEAL_TIMELINE, PIPELINE_BOARD],
    ...drawing,
    run(ctx, i) {
      const { owners, stages } = drawnValues();
      const asOf = monthsBefore(ctx.until, i % 12);
      return pipelineBoardAsOf(
        ctx.store,
        { timeline: ctx.names(DEAL_TIMELINE), board: ctx.names(PIPELINE_BOARD) },
        {
          point: i % 2 === 0 ? { asOf } : { asOf, knownAt: monthsBefore(ctx.until, (i % 12) - 1) },
          scope: 'all',
          owner: i % 3 === 1 ? pick(owners, i) : undefined,
          stage: i % 3 === 2 ? pick(stages, i) : undefined,
          limit: PIPELINE_DEFAULT_LIMIT,
        },
      );
    },
  }),
];

/** The forecast takes one dimension filter, and groupBy that dimension or owner within a team. */
function forecastSelection(i: number): Pick<ForecastQuery, 'filter' | 'groupBy'> {
  const { teams } = drawnValues();
  const selections: Array<Pick<ForecastQuery, 'filter' | 'groupBy'>> = [
    {},
    { groupBy: 'owner' },
    { filter: { dim: 'country', value: pick(COUNTRIES, i) } },
    { groupBy: 'channel' },
    ...(teams.length > 0
      ? [{ filter: { dim: 'team' as const, value: pick(teams, i) }, groupBy: 'owner' as const }]
      : []),
  ];
  return pick(selections, i);
}

// ---------------------------------------------------------------- leads, people, SLA

const LEAD_STATUSES: QueueStatus[][] = [['new', 'working'], ['new'], ['working']];

/** A manager's queue owners: everyone's, one rep's, or the leads nobody holds (owner=unassigned). */
function queueOwners(i: number): Array<string | null> | undefined {
  return pick([undefined, [pick(drawnValues().owners, i)], [null]], i);
}

const PEOPLE_QUERIES: ReportQuery[] = [
  replayed({
    name: 'lead queue',
    calls: 'reports/leads/lead-queue.query leadQueue',
    projections: [LEAD_QUEUE],
    ...drawing,
    run: (ctx, i) =>
      leadQueue(ctx.store, ctx.names(LEAD_QUEUE), {
        owners: queueOwners(i),
        statuses: pick(LEAD_STATUSES, i),
        limit: LEAD_QUEUE_DEFAULT_LIMIT,
        now: ctx.until,
      }),
  }),
  replayed({
    name: 'nurture queue',
    calls: 'reports/leads/lead-queue.query nurtureQueue',
    projections: [LEAD_QUEUE],
    ...drawing,
    run: (ctx, i) =>
      nurtureQueue(ctx.store, ctx.names(LEAD_QUEUE), {
        owners: queueOwners(i),
        limit: LEAD_QUEUE_DEFAULT_LIMIT,
      }),
  }),
  replayed({
    // The controller adds the channel-costs policy from the policy registry, which the bench has
    // not got: costs are left out (null), for the query and its fold alike.
    name: 'channel quality',
    calls: 'reports/leads/channel-quality.report channelQuality',
    projections: [CHANNEL_QUALITY],
    ...drawing,
    run: (ctx, i) =>
      channelQuality(
        ctx.store,
        ctx.names(CHANNEL_QUALITY),
        periodShifted(ctx.until, i % 12),
        selectionFor(i, 'channel'),
        undefined,
      ),
  }),
  replayed({
    name: 'rep performance',
    calls: 'reports/people/rep-performance.report repPerformance',
    projections: [REP_PERFORMANCE],
    ...drawing,
    run: (ctx, i) =>
      repPerformance(
        ctx.store,
        ctx.names(REP_PERFORMANCE),
        periodShifted(ctx.until, i % 12),
        selectionFor(i, 'owner'),
      ),
  }),
  replayed({
    name: 'first response vs target',
    calls: 'reports/people/rep-performance.report slaCompliance',
    projections: [REP_PERFORMANCE],
    ...drawing,
    run: (ctx, i) =>
      firstResponseCompliance(
        ctx.store,
        ctx.names(REP_PERFORMANCE),
        periodShifted(ctx.until, i % 12),
        selectionFor(i, 'owner'),
        pick([DEFAULT_SLA_TARGET_MINUTES, 15, 60, 240], i) * 60,
      ),
  }),
  replayed({
    name: 'data quality',
    calls: 'reports/people/data-quality.report dataQuality',
    projections: [DATA_QUALITY],
    ...drawing,
    run: (ctx, i) =>
      dataQuality(ctx.store, ctx.names(DATA_QUALITY), {
        owners: pick([undefined, [pick(drawnValues().owners, i)], [UNASSIGNED]], i),
        staleDays: pick([DEFAULT_STALE_DAYS, 7, 90], i),
        now: ctx.until,
      }),
  }),
  replayed({
    name: 'SLA compliance',
    calls: 'reports/sla/sla-compliance.report slaCompliance',
    projections: [SLA_COMPLIANCE],
    ...drawing,
    run(ctx, i) {
      const { filters, grouping } = askedFor(i);
      return slaCompliance(ctx.store, ctx.names(SLA_COMPLIANCE), periodShifted(ctx.until, i % 12), {
        clock: i % 4 === 3 ? 'proposal' : 'first_response',
        filters: scopeFilters(MANAGER, filters),
        groupBy: grouping ?? 'owner',
      });
    },
  }),
];

// ---------------------------------------------------------------- accounts, search, audit

const ACCOUNT_QUERIES: ReportQuery[] = [
  replayed({
    name: 'account 360',
    calls: 'reports/accounts/account-360.query account360',
    projections: [ACCOUNT_360],
    ...drawing,
    run: (ctx, i) =>
      account360(ctx.store, ctx.names(ACCOUNT_360), pick(drawnValues().accounts, i * 7), {
        timelineLimit: pick([undefined, 20, TIMELINE_MAX_LIMIT], i),
      }),
  }),
  replayed({
    name: 'task list',
    calls: 'reports/accounts/task-list.query taskList',
    projections: [TASK_LIST],
    ...drawing,
    run: (ctx, i) =>
      taskList(ctx.store, ctx.names(TASK_LIST), {
        assignees: i % 2 === 0 ? 'all' : [pick(drawnValues().owners, i)],
        status: pick([undefined, 'open', 'completed', 'cancelled'] as const, i),
        now: ctx.until,
      }),
  }),
  replayed({
    name: 'search',
    calls: 'search/search.query searchRecords',
    projections: [SEARCH_INDEX],
    ...drawing,
    run: (ctx, i) =>
      searchRecords(ctx.store, ctx.names(SEARCH_INDEX), pick(searchTerms(), i * 5), {
        scope: { kind: 'all' },
        kind: pick([undefined, undefined, 'deal', 'account'] as const, i),
      }),
  }),
];

/** What people type: a deal's title, its first word, a prefix of it, the word misspelt. */
function searchTerms(): string[] {
  return drawnValues().deals.flatMap(({ title }) => {
    const word = title.split(/\s+/).find((w) => w.length >= 5) ?? title;
    const misspelt = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    return [title, word, word.slice(0, 3), misspelt];
  });
}

const AUDIT_QUERIES: ReportQuery[] = [
  replayed({
    name: 'ownership ledger',
    calls: 'audit/ownership/ownership-ledger.query ownershipLedger',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run(ctx, i) {
      const { from, to } = periodShifted(ctx.until, i % 12);
      return ownershipLedger(ctx.store, ctx.names(OWNERSHIP_LEDGER), {
        owners: i % 2 === 0 ? undefined : [pick(drawnValues().owners, i)],
        from: from.toISOString(),
        to: to.toISOString(),
        limit: LEDGER_DEFAULT_LIMIT,
      });
    },
  }),
  replayed({
    name: 'ownership book',
    calls: 'audit/ownership/ownership-ledger.query bookAt',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run: (ctx, i) =>
      bookAt(
        ctx.store,
        ctx.names(OWNERSHIP_LEDGER),
        [pick(drawnValues().owners, i)],
        monthsBefore(ctx.until, i % 12).toISOString(),
      ),
  }),
  replayed({
    name: 'ownership ledger, one deal',
    calls: 'audit/ownership/ownership-ledger.query recordLedger',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run: (ctx, i) =>
      recordLedger(
        ctx.store,
        ctx.names(OWNERSHIP_LEDGER),
        `deal-${pick(drawnValues().deals, i * 7).dealId}`,
      ),
  }),
];

export const REPORT_QUERIES: ReportQuery[] = [
  ...DEAL_QUERIES,
  ...PEOPLE_QUERIES,
  ...ACCOUNT_QUERIES,
  ...AUDIT_QUERIES,
];
