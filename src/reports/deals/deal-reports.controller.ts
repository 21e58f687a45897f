import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../../../domain/shared/domain-error';
import { DealFacts, dealFactsProjection } from '../../../projections/deal-facts.projection';
import { dwellTimeProjection } from '../../../projections/dwell-time.projection';
import { lossReasonsProjection } from '../../../projections/loss-reasons.projection';
import { stageConversionProjection } from '../../../projections/stage-conversion.projection';
import { RecordIdPipe } from '../../http/record-id.pipe';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { reportPeriod } from '../report-period';
import {
  dimensionFilters,
  ReportQueryDto,
  REPORT_READERS,
  REPORT_PERIOD_NOTE,
} from '../report-query.dto';
import { sendReport } from '../report-response';
import { DealFactsListQueryDto } from './deal-facts-query.dto';
import { dealFacts, DealFactsFilter, listDealFacts } from './deal-facts.query';
import { CollectionNames, scopeFilters, selectionOf } from './deal-report-selection';
import { dwellTime } from './dwell-time.query';
import { lossReasons } from './loss-reasons.query';
import { stageConversion } from './stage-conversion.query';

/** The deal-side analytical reports: stage conversion, dwell time, loss reasons, deal facts. */
@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class DealReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('stage-conversion')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Stage conversion of the deals opened in the period: entered, advanced, conversion per stage; won rate',
    description:
      'Cohort: deals whose opening falls in the period, attributed to the owner who opened them. ' +
      'entered(S): ever entered open stage S; advanced(S): after first entering S, entered a later ' +
      'open stage or was won. ' +
      REPORT_PERIOD_NOTE,
  })
  async stageConversion(
    @Query() query: ReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const period = reportPeriod(query, now);
    const selection = this.selection(query);
    const report = await stageConversion(
      this.readModels.store,
      this.names(stageConversionProjection.name),
      period,
      selection,
    );
    sendReport(request, response, { ...report, ...this.echo(period, query) }, query.format);
  }

  @Get('dwell-time')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Time deals spend in each open stage: closed dwells in the period, and deals in a stage now by age',
    description:
      'A deal’s dwell in S is the sum of its stays in S; it is closed (and counted in the period it ' +
      'closed) once the deal is won, lost or in a later stage. Rows of kind in_stage are as of now ' +
      '(ages 0–7, 7–30, 30–90, over 90 days) and ignore the period. ' +
      REPORT_PERIOD_NOTE,
  })
  async dwellTime(
    @Query() query: ReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const period = reportPeriod(query, now);
    const selection = this.selection(query);
    const report = await dwellTime(
      this.readModels.store,
      this.names(dwellTimeProjection.name),
      period,
      selection,
      now,
    );
    sendReport(request, response, { ...report, ...this.echo(period, query) }, query.format);
  }

  @Get('loss-reasons')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Lost deals by reason and sub-reason: counts and lost amount in the base currency',
    description:
      'By the period of the loss, attributed to the owner at the loss. Amounts are converted per ' +
      'deal at the rate in force on the loss date. A reopened deal’s loss is taken back. ' +
      REPORT_PERIOD_NOTE,
  })
  async lossReasons(
    @Query() query: ReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const period = reportPeriod(query, now);
    const selection = this.selection(query);
    const report = await lossReasons(
      this.readModels.store,
      this.names(lossReasonsProjection.name),
      period,
      selection,
    );
    sendReport(request, response, { ...report, ...this.echo(period, query) }, query.format);
  }

  @Get('deal-facts')
  @ApiOperation({
    summary: 'Deal facts, newest opening first, by owner or team, status and stage',
    description: 'A rep sees their own deals; a team lead those of their team.',
  })
  async listDealFacts(@Query() query: DealFactsListQueryDto): Promise<{ items: DealFacts[] }> {
    const filter: DealFactsFilter = {
      ...this.holderScope(this.principal(), query.owner, query.team),
      status: query.status,
      stage: query.stage,
      openedBefore: query.openedBefore ? new Date(query.openedBefore).toISOString() : undefined,
      limit: query.limit,
    };
    return {
      items: await listDealFacts(
        this.readModels.store,
        this.names(dealFactsProjection.name),
        filter,
      ),
    };
  }

  @Get('deal-facts/:dealId')
  @ApiOperation({
    summary: 'One deal’s facts: dimensions, amount, outcome dates and its path through the stages',
  })
  async dealFacts(@Param('dealId', RecordIdPipe) dealId: string): Promise<DealFacts> {
    const facts = await dealFacts(
      this.readModels.store,
      this.names(dealFactsProjection.name),
      dealId,
    );
    if (!facts)
      throw new DomainError('deal.not_found', `No deal with id ${dealId}`, 'dealId', { dealId });
    this.assertMaySee(this.principal(), facts);
    return facts;
  }

  /** The caller's filters within their scope, and the grouping. */
  private selection(query: ReportQueryDto) {
    return selectionOf(scopeFilters(this.principal(), dimensionFilters(query)), query.groupBy);
  }

  private principal(): Principal | undefined {
    return currentRequestContext()?.principal;
  }

  private names(projection: string): CollectionNames {
    return (logical) => this.readModels.collection(projection, logical);
  }

  private echo(period: { from: Date; to: Date; tz: string }, query: ReportQueryDto) {
    return {
      period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
      groupBy: query.groupBy ?? null,
    };
  }

  /** The same holders RecordAccess lets each role see: a rep their own, a team lead their team's. */
  private holderScope(
    principal: Principal | undefined,
    owner: string | undefined,
    team: string | undefined,
  ): Pick<DealFactsFilter, 'ownerId' | 'teamId'> {
    if (!principal || !['rep', 'team_lead'].includes(principal.role)) {
      return owner !== undefined ? { ownerId: owner } : team !== undefined ? { teamId: team } : {};
    }
    if (principal.role === 'rep') {
      if (owner === undefined || owner === principal.userId) return { ownerId: principal.userId };
    } else if (owner !== undefined) {
      if (this.inTeam(principal, owner)) return { ownerId: owner };
    } else if (principal.teamId && (team === undefined || team === principal.teamId)) {
      return { teamId: principal.teamId };
    }
    throw new DomainError(
      'auth.record_forbidden',
      'These deals are not in your scope',
      owner ? 'owner' : 'team',
    );
  }

  private assertMaySee(principal: Principal | undefined, facts: DealFacts): void {
    if (!principal || !['rep', 'team_lead'].includes(principal.role)) return;
    if (facts.ownerId === principal.userId) return;
    if (principal.role === 'team_lead' && this.inTeam(principal, facts.ownerId)) return;
    throw new DomainError('auth.record_forbidden', 'This deal is not in your scope', 'dealId', {
      aggregate: 'deal',
    });
  }

  private inTeam(principal: Principal, userId: string): boolean {
    if (userId === principal.userId) return true;
    return !!principal.teamId && this.feed.directory.user(userId)?.teamId === principal.teamId;
  }
}
