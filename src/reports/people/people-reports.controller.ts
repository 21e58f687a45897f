import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DATA_QUALITY, UNASSIGNED } from '../../../projections/data-quality.projection';
import { REP_PERFORMANCE } from '../../../projections/rep-performance.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { scopeFilters, selectionOf } from '../deals/deal-report-selection';
import { reportPeriod } from '../report-period';
import {
  dimensionFilters,
  ReportQueryDto,
  REPORT_READERS,
  REPORT_PERIOD_NOTE,
} from '../report-query.dto';
import { sendReport } from '../report-response';
import { dataQuality } from './data-quality.report';
import { defaultGrouping } from './report-groups';
import {
  DataQualityQueryDto,
  DEFAULT_SLA_TARGET_MINUTES,
  DEFAULT_STALE_DAYS,
  SlaQueryDto,
} from './dto/people-query.dto';
import { repPerformance, slaCompliance } from './rep-performance.report';
import { scopeOwners } from './report-scope';

/**
 * The people reports: rep performance, first-response times against a target, data quality. SLA
 * compliance as the saga judged it is src/reports/sla.
 */
@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class PeopleReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('reps')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Rep performance: first-response time, follow-up density, won amount, won-to-cash',
    description:
      'Each measurement is attributed to the owner at the time of the measured event, and to that ' +
      'owner’s team then. First response: from InquiryReceived to the first outbound response (logged ' +
      'or archived), of the responses made in the period, in calendar seconds and business seconds of ' +
      'the owning team’s calendar: mean, median and p90 (nearest rank). Follow-up density: logged ' +
      'deal activities in the period ÷ average open deals owned over the period, per week (owner and ' +
      'team groupings only). Won: deals won in the period, amount in the base currency at the won ' +
      'date’s rate, rounded per deal. Won-to-cash: days from the won date to the first payment and to ' +
      'full payment, for payments in the period. Default groupBy owner (none when a filter rules ' +
      'it out). ' +
      REPORT_PERIOD_NOTE,
  })
  async reps(
    @Query() query: ReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const period = reportPeriod(query, this.clock.now());
    const filters = scopeFilters(this.principal(), dimensionFilters(query));
    const groupBy = query.groupBy ?? defaultGrouping(filters, 'owner');
    const selection = selectionOf(filters, groupBy);
    const rows = await repPerformance(
      this.readModels.store,
      this.names(REP_PERFORMANCE),
      period,
      selection,
    );
    sendReport(
      request,
      response,
      { report: 'reps', ...this.echo(period, groupBy), rows },
      query.format,
    );
  }

  @Get('first-response')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'First-response times of the live inquiries received in the period, against a target',
    description:
      'Any target, no policy needed (the SLA saga’s own verdicts: /api/reports/sla). ' +
      'Answered within targetMinutes (default 30) of business time on the owning team’s calendar ' +
      '(calendar time where the team has none: measuredInCalendarTime), answered late, not answered. ' +
      'compliance = answered within target ÷ received. Imported and back-dated inquiries start no ' +
      'clock and are left out. Attributed to the owner who answered, or the current owner while ' +
      'unanswered. Default groupBy owner. ' +
      REPORT_PERIOD_NOTE,
  })
  async firstResponse(
    @Query() query: SlaQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const period = reportPeriod(query, this.clock.now());
    const filters = scopeFilters(this.principal(), dimensionFilters(query));
    const groupBy = query.groupBy ?? defaultGrouping(filters, 'owner');
    const selection = selectionOf(filters, groupBy);
    const targetMinutes = query.targetMinutes ?? DEFAULT_SLA_TARGET_MINUTES;
    const rows = await slaCompliance(
      this.readModels.store,
      this.names(REP_PERFORMANCE),
      period,
      selection,
      targetMinutes * 60,
    );
    sendReport(
      request,
      response,
      { report: 'first-response', ...this.echo(period, groupBy), targetMinutes, rows },
      query.format,
    );
  }

  @Get('data-quality')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Missing required fields, unreachable contacts, records not updated in N days',
    description:
      'As of now, over live records (accounts not merged away, leads not converted or disqualified, ' +
      'open deals; contacts with their account), per record type: how many, how many miss each ' +
      'required field, how many contacts (and inquirers) have no email and phone, an invalid one, ' +
      'or were erased, and how many were last changed more than staleDays ago. By the records’ ' +
      'current owner: a rep sees their own, a team lead their team’s.',
  })
  async dataQuality(
    @Query() query: DataQualityQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const owner = query.owner === UNASSIGNED ? undefined : query.owner;
    const scoped = scopeOwners(this.principal(), owner, query.team, this.feed.directory);
    const owners =
      query.owner === UNASSIGNED && this.principal()?.role !== 'rep' ? [UNASSIGNED] : scoped;
    const staleDays = query.staleDays ?? DEFAULT_STALE_DAYS;
    const rows = await dataQuality(this.readModels.store, this.names(DATA_QUALITY), {
      owners,
      staleDays,
      now: this.clock.now(),
    });
    sendReport(request, response, { report: 'data-quality', staleDays, rows }, query.format);
  }

  private principal(): Principal | undefined {
    return currentRequestContext()?.principal;
  }

  private names(projection: string): (logical: string) => string {
    return (logical) => this.readModels.collection(projection, logical);
  }

  private echo(period: { from: Date; to: Date; tz: string }, groupBy: string | undefined) {
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
      groupBy: groupBy ?? null,
    };
  }
}
