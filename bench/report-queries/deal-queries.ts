/**
 * The deal queries of REPORT_QUERIES: stage conversion (with its hand-folded baseline's counts),
 * dwell time, loss reasons, deal facts, the forecast and the pipeline board.
 */
import { DEAL_TIMELINE } from '../../projections/deal-timeline.projection';
import { PIPELINE_BOARD } from '../../projections/pipeline-board.projection';
import { WEIGHTED_FORECAST } from '../../projections/weighted-forecast.projection';
import {
  dealFacts,
  DealFactsFilter,
  listDealFacts,
} from '../../src/reports/deals/deal-facts.query';
import { dwellTime } from '../../src/reports/deals/dwell-time.query';
import { lossReasons } from '../../src/reports/deals/loss-reasons.query';
import { forecastAsKnown } from '../../src/reports/forecast/forecast-as-known.query';
import { monthRange } from '../../src/reports/forecast/forecast-reports.controller';
import { ForecastQuery, forecastReport } from '../../src/reports/forecast/forecast.query';
import { pipelineBoardAsOf } from '../../src/reports/pipeline/pipeline-board-as-of.query';
import {
  PIPELINE_DEFAULT_LIMIT,
  pipelineBoard,
} from '../../src/reports/pipeline/pipeline-board.query';
import {
  COUNTRIES,
  drawing,
  drawnValues,
  monthsBefore,
  periodShifted,
  pick,
  replayed,
  ReportQuery,
  selectionFor,
} from './report-query';

export interface StageCounts {
  opened: number;
  won: number;
  stages: Record<string, { entered: number; advanced: number }>;
}

type StageConversionModule = typeof import('../../src/reports/deals/stage-conversion.query');
let stageConversionModule: StageConversionModule | undefined;

const STAGE_CONVERSION: ReportQuery = {
  // The example: src/reports/deals/stage-conversion.query over the stage-conversion rollup.
  name: 'stage conversion',
  calls: 'reports/deals/stage-conversion.query stageConversion',
  projections: ['stage-conversion'],
  fold: 'stage conversion',
  async prepare() {
    // Loaded at run time, so the bench still runs while the reports are being written.
    stageConversionModule = require('../../src/reports/deals/stage-conversion.query');
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

export const DEAL_QUERIES: ReportQuery[] = [
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
    calls: 'reports/forecast/forecast-as-known.query forecastAsKnown',
    projections: [DEAL_TIMELINE, WEIGHTED_FORECAST],
    ...drawing,
    run(ctx, i) {
      const knownAt = monthsBefore(ctx.until, i % 12);
      // knownAt alone means asOf = knownAt; every other run asks about a month earlier.
      const asOf = i % 2 === 0 ? knownAt : monthsBefore(knownAt, 1);
      const models = { timeline: ctx.names(DEAL_TIMELINE), forecast: ctx.names(WEIGHTED_FORECAST) };
      return forecastAsKnown(ctx.store, models, {
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
