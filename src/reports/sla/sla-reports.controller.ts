import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SLA_COMPLIANCE } from '../../../projections/sla-compliance.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { scopeFilters } from '../deals/deal-report-selection';
import { reportPeriod } from '../report-period';
import { dimensionFilters, REPORT_PERIOD_NOTE, REPORT_READERS } from '../report-query.dto';
import { sendReport } from '../report-response';
import { slaCompliance } from './sla-compliance.report';
import { SlaReportQueryDto } from './sla-report-query.dto';

/** `GET /api/reports/sla`, from the sla-compliance read model (the SLA saga's own decisions). */
@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class SlaReportsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('sla')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'SLA compliance: clocks met and breached, and escalations by ladder level',
    description:
      'The clock runs (clock=first_response, the default, or proposal) that started in the period, ' +
      'as the SLA saga judged them, each by the policy version in force when it started: met ' +
      '(responded by the deadline), breached (deadline passed first), running, or closed unjudged ' +
      '(a closure, or a restart on handover, which starts a new run). compliance = met ÷ judged ' +
      '(met + breached), null when none. medianMetSeconds: calendar seconds from start to response ' +
      'of met runs (nearest rank). level<n>Fired: ladder rungs that fired (reminders, escalations, ' +
      'reassignment requests); rungsSuppressed: rungs with nobody to send them to. Runs count for ' +
      'the owner and team they were judged under (at the deadline of a breach, at the response of a ' +
      'met run, else the latest); rungs for the owner and team they fired on. Imported and ' +
      'back-dated inquiries start no clock. Filters and groupBy: owner, team, channel, country, ' +
      'region, or day/week/month of the start; default groupBy owner. Unassigned or team-less: ' +
      '"(none)". ' +
      REPORT_PERIOD_NOTE,
  })
  async sla(
    @Query() query: SlaReportQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const period = reportPeriod(query, this.clock.now());
    const filters = scopeFilters(currentRequestContext()?.principal, dimensionFilters(query));
    const clock = query.clock ?? 'first_response';
    const groupBy = query.groupBy ?? 'owner';
    const report = await slaCompliance(
      this.readModels.store,
      (logical) => this.readModels.collection(SLA_COMPLIANCE, logical),
      period,
      { clock, filters, groupBy },
    );
    sendReport(
      request,
      response,
      {
        report: 'sla',
        clock,
        period: { from: period.from.toISOString(), to: period.to.toISOString(), tz: period.tz },
        groupBy,
        levels: report.levels,
        rows: report.rows,
      },
      query.format,
    );
  }
}
