import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ChannelCostPolicy } from '../../../domain/policies/channel-cost-policy';
import { CHANNEL_QUALITY } from '../../../projections/channel-quality.projection';
import { LEAD_QUEUE, QueueStatus } from '../../../projections/lead-queue.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { POLICY_REGISTRY, PolicyRegistry } from '../../policies/policy-registry';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { scopeFilters, selectionOf } from '../deals/deal-report-selection';
import { defaultGrouping } from '../people/report-groups';
import { scopeOwners } from '../people/report-scope';
import { reportPeriod } from '../report-period';
import { dimensionFilters, ReportQueryDto, REPORT_READERS } from '../report-query.dto';
import { sendReport } from '../report-response';
import { channelQuality } from './channel-quality.report';
import {
  LEAD_QUEUE_DEFAULT_LIMIT,
  LeadQueueQueryDto,
  NurtureQueueReportQueryDto,
} from './dto/lead-queue-query.dto';
import { leadQueue, nurtureQueue, UNASSIGNED_OWNER } from './lead-queue.query';

export const CHANNEL_COSTS_POLICY = 'channel-costs.default';

const STATUSES: Record<NonNullable<LeadQueueQueryDto['status']>, QueueStatus[]> = {
  open: ['new', 'working'],
  new: ['new'],
  working: ['working'],
};

/** The lead-side reports: the lead queue, the nurture queue and channel quality. */
@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class LeadReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('lead-queue')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Open leads per owner, oldest first: received time, channel, country, score, first response',
    description:
      'Status new: nobody has answered yet (waitingSeconds counts from receipt); working: answered ' +
      'or qualified, not converted. Nurtured, converted and disqualified leads are not in it. A rep ' +
      'gets their own queue and the unassigned leads they entered; a team lead their team’s and the ' +
      'leads nobody holds; others anyone’s (owner=, owner=unassigned, team=, or everyone).',
  })
  async leadQueue(
    @Query() query: LeadQueueQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const owners = this.queueOwners(query.owner, query.team);
    const rows = await leadQueue(this.readModels.store, this.names(LEAD_QUEUE), {
      owners,
      createdBy: this.enteredBy(),
      statuses: STATUSES[query.status ?? 'open'],
      limit: query.limit ?? LEAD_QUEUE_DEFAULT_LIMIT,
      now: this.clock.now(),
    });
    sendReport(request, response, { report: 'lead-queue', rows }, query.format);
  }

  @Get('nurture-queue')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Leads in the nurture queue, latest arrivals first, with when and why',
    description:
      'Set aside by a rep (nurtureReason nurtured; reasonNoted says a note was given, read it in the ' +
      'lead history), or still new with a latest score that recommends nurturing (nurtureReason ' +
      'score, with the score and its policy). Same scope as the lead queue.',
  })
  async nurtureQueue(
    @Query() query: NurtureQueueReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const rows = await nurtureQueue(this.readModels.store, this.names(LEAD_QUEUE), {
      owners: this.queueOwners(query.owner, query.team),
      createdBy: this.enteredBy(),
      limit: query.limit ?? LEAD_QUEUE_DEFAULT_LIMIT,
    });
    sendReport(request, response, { report: 'nurture-queue', rows }, query.format);
  }

  @Get('channels')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Channel quality: volume, qualified rate, conversion to deal and to won, cost per lead and per won deal',
    description:
      'Cohort: the inquiries received in the period; qualified (or converted), converted and won ' +
      'are counted for that cohort whenever they happen. Owner and team: the lead’s first owner. ' +
      'Cost: the channel-costs policy, each month (in tz) prorated by the days of it the period ' +
      'covers, in minor units of its currency; known per channel (groupBy=channel, channel=, or the ' +
      'total without filters), null otherwise. Default groupBy channel (none when a filter other ' +
      'than owner or team rules it out). Periods are half-open [from, to); one dimension filter ' +
      'grouped by that dimension, team with groupBy owner, or day/week/month; within an owner or a ' +
      'team, one more dimension as a filter, a grouping or both (no cost there).',
  })
  async channels(
    @Query() query: ReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const period = reportPeriod(query, this.clock.now());
    const filters = scopeFilters(this.principal(), dimensionFilters(query));
    const groupBy = query.groupBy ?? defaultGrouping(filters, 'channel');
    const selection = selectionOf(filters, groupBy);
    const costs = this.policies.has(CHANNEL_COSTS_POLICY)
      ? this.policies.current<ChannelCostPolicy>(CHANNEL_COSTS_POLICY)
      : undefined;
    const rows = await channelQuality(
      this.readModels.store,
      this.names(CHANNEL_QUALITY),
      period,
      selection,
      costs,
    );
    sendReport(
      request,
      response,
      {
        report: 'channels',
        period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
        groupBy: groupBy ?? null,
        costPolicy: costs ? { id: costs.id, version: costs.version } : null,
        rows,
      },
      query.format,
    );
  }

  private queueOwners(
    owner: string | undefined,
    team: string | undefined,
  ): Array<string | null> | undefined {
    const principal = this.principal();
    const asked = owner === UNASSIGNED_OWNER ? undefined : owner;
    const owners = scopeOwners(principal, asked, team, this.feed.directory);
    if (owner === UNASSIGNED_OWNER) {
      // Leads nobody holds: for triage by team leads and managers, not for reps.
      if (principal?.role === 'rep') return owners;
      return [null];
    }
    // A team lead also sees the leads nobody holds yet, as the record scope allows.
    if (principal?.role === 'team_lead' && owner === undefined) return [...(owners ?? []), null];
    return owners;
  }

  /** A rep keeps sight of the unassigned leads they entered, as the record scope allows. */
  private enteredBy(): string | undefined {
    const principal = this.principal();
    return principal?.role === 'rep' ? principal.userId : undefined;
  }

  private principal(): Principal | undefined {
    return currentRequestContext()?.principal;
  }

  private names(projection: string): (logical: string) => string {
    return (logical) => this.readModels.collection(projection, logical);
  }
}
