/** The lead, people and SLA queries of REPORT_QUERIES. */
import { CHANNEL_QUALITY } from '../../projections/channel-quality.projection';
import { DATA_QUALITY, UNASSIGNED } from '../../projections/data-quality.projection';
import { LEAD_QUEUE, QueueStatus } from '../../projections/lead-queue.projection';
import { REP_PERFORMANCE } from '../../projections/rep-performance.projection';
import { SLA_COMPLIANCE } from '../../projections/sla-compliance.projection';
import { scopeFilters } from '../../src/reports/deals/deal-report-selection';
import { channelQuality } from '../../src/reports/leads/channel-quality.report';
import { LEAD_QUEUE_DEFAULT_LIMIT } from '../../src/reports/leads/dto/lead-queue-query.dto';
import { leadQueue, nurtureQueue } from '../../src/reports/leads/lead-queue.query';
import { dataQuality } from '../../src/reports/people/data-quality.report';
import {
  DEFAULT_SLA_TARGET_MINUTES,
  DEFAULT_STALE_DAYS,
} from '../../src/reports/people/dto/people-query.dto';
import {
  repPerformance,
  slaCompliance as firstResponseCompliance,
} from '../../src/reports/people/rep-performance.report';
import { slaCompliance } from '../../src/reports/sla/sla-compliance.report';
import {
  askedFor,
  drawing,
  drawnValues,
  MANAGER,
  periodShifted,
  pick,
  replayed,
  ReportQuery,
  selectionFor,
} from './report-query';

const LEAD_STATUSES: QueueStatus[][] = [['new', 'working'], ['new'], ['working']];

/** A manager's queue owners: everyone's, one rep's, or the leads nobody holds (owner=unassigned). */
function queueOwners(i: number): Array<string | null> | undefined {
  return pick([undefined, [pick(drawnValues().owners, i)], [null]], i);
}

export const PEOPLE_QUERIES: ReportQuery[] = [
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
