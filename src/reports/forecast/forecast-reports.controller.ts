import { REPORT_READERS } from '../report-query.dto';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { DomainError } from '../../../domain/shared/domain-error';
import { REPORT_DIMENSIONS, ReportDimension } from '../../../projections/shared/rollup';
import { WEIGHTED_FORECAST } from '../../../projections/weighted-forecast.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { sendReport } from '../report-response';
import { UnsupportedFilterError } from '../rollup-query';
import { ForecastQueryDto } from './forecast-query.dto';
import { forecastReport } from './forecast.query';
import { DEAL_TIMELINE } from '../../../projections/deal-timeline.projection';
import { forecastAsKnown } from './forecast-as-known.query';

/** Months a forecast may span at once: ten years. */
const MAX_MONTHS = 120;

@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class ForecastReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('forecast')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Weighted forecast by expected close month or ship month, in the base currency; also as of a past date',
    description:
      'Per month: open deals at amount × stage probability (rounded half-even per deal, converted at ' +
      'the rate in force on the first day of the month), won deals at 100 % in their won month (at ' +
      'the rate of the won day), in minor units of the base currency. `asOf` gives the forecast as ' +
      'it stood then; `knownAt` leaves out what was recorded after it (the deals changed after it are ' +
      'refolded from the deal-timeline read model, since the forecast deltas carry business time only). One dimension filter; groupBy the same dimension, or team filter with groupBy ' +
      'owner. A rep sees their own deals, a team lead their team’s.',
  })
  async forecast(
    @Query() query: ForecastQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const now = this.clock.now();
    const tz = query.tz ?? 'UTC';
    const knownAt = query.knownAt ? asOfInstant(query.knownAt, tz, 'knownAt') : undefined;
    const asOf = query.asOf ? asOfInstant(query.asOf, tz) : (knownAt ?? now);
    const filter = this.scopedFilter(currentRequestContext()?.principal, query);
    try {
      const computation = {
        asOf,
        by: query.by ?? 'closeMonth',
        months: monthRange(query, asOf, tz),
        filter,
        groupBy: query.groupBy,
      } as const;
      const report = knownAt
        ? await forecastAsKnown(
            this.readModels.store,
            {
              timeline: (logical) => this.readModels.collection(DEAL_TIMELINE, logical),
              forecast: (logical) => this.readModels.collection(WEIGHTED_FORECAST, logical),
            },
            { ...computation, knownAt },
          )
        : await forecastReport(
            this.readModels.store,
            (logical) => this.readModels.collection(WEIGHTED_FORECAST, logical),
            computation,
          );
      sendReport(request, response, report, query.format);
    } catch (error) {
      if (error instanceof UnsupportedFilterError) {
        throw new DomainError('report.filter_combination_unsupported', error.message, 'groupBy');
      }
      throw error;
    }
  }

  /** The one dimension filter, narrowed to the caller's scope (the same rule as RecordAccess). */
  private scopedFilter(
    principal: Principal | undefined,
    query: ForecastQueryDto,
  ): { dim: ReportDimension; value: string } | undefined {
    const asked = REPORT_DIMENSIONS.filter((dim) => query[dim] !== undefined);
    if (asked.length > 1) {
      throw new DomainError(
        'report.filter_combination_unsupported',
        `The forecast filters by one dimension at a time; got ${asked.join(' and ')}`,
        asked[1],
      );
    }
    const requested = asked.length ? { dim: asked[0], value: query[asked[0]]! } : undefined;
    const role = principal?.role;
    if (
      !principal ||
      role === 'manager' ||
      role === 'analyst' ||
      role === 'operations' ||
      role === 'system'
    ) {
      return requested;
    }
    const own = { dim: 'owner' as const, value: principal.userId };
    if (role === 'team_lead' && principal.teamId) {
      const members = new Set([
        principal.userId,
        ...this.feed.directory.teamMembers(principal.teamId),
      ]);
      if (!requested) return { dim: 'team', value: principal.teamId };
      if (requested.dim === 'team' && requested.value === principal.teamId) return requested;
      if (requested.dim === 'owner' && members.has(requested.value)) return requested;
      throw scopeError(requested.dim, "a team lead's reports cover their own team");
    }
    if (!requested || (requested.dim === 'owner' && requested.value === principal.userId))
      return own;
    throw scopeError(requested.dim, "a rep's reports cover their own deals");
  }
}

/** Another owner or team is out of scope; another dimension cannot be combined with the scope's filter. */
function scopeError(field: ReportDimension, why: string): DomainError {
  if (field === 'owner' || field === 'team') {
    return new DomainError(
      'auth.record_forbidden',
      `These deals are not in your scope: ${why}`,
      field,
    );
  }
  return new DomainError(
    'report.filter_combination_unsupported',
    `Your forecast is already filtered to your scope (${why}); it cannot filter by ${field} as well`,
    field,
  );
}

/** An instant as itself; a bare date as the end of that day in tz (the state at the close of that day). */
export function asOfInstant(value: string, tz: string, field: 'asOf' | 'knownAt' = 'asOf'): Date {
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = DateTime.fromISO(value, { zone: tz });
  if (!parsed.isValid) {
    const code = field === 'asOf' ? 'report.as_of_invalid' : 'report.known_at_invalid';
    throw new DomainError(code, `${field} is not a date or an instant`, field);
  }
  return bareDate ? parsed.endOf('day').toJSDate() : parsed.toJSDate();
}

/**
 * The target months: from the month holding `from` to the month holding the instant just before
 * `to`. Default: the three months before asOf's month, it, and the eleven after.
 */
export function monthRange(
  query: { from?: string; to?: string },
  asOf: Date,
  tz: string,
): string[] {
  const at = (value: string, field: string) => {
    const parsed = DateTime.fromISO(value, { zone: tz });
    if (!parsed.isValid)
      throw new DomainError('report.period.invalid', `${field} is not a date`, field);
    return parsed;
  };
  const anchor = DateTime.fromJSDate(asOf, { zone: tz }).startOf('month');
  const first = query.from ? at(query.from, 'from').startOf('month') : anchor.minus({ months: 3 });
  const end = query.to
    ? at(query.to, 'to').minus({ milliseconds: 1 })
    : anchor.plus({ months: 12 }).minus({ milliseconds: 1 });
  if (end < first) throw new DomainError('report.period.invalid', 'from must be before to', 'from');
  const months: string[] = [];
  for (let month = first; month <= end; month = month.plus({ months: 1 })) {
    months.push(month.toFormat('yyyy-MM'));
    if (months.length > MAX_MONTHS) {
      throw new DomainError(
        'report.period.invalid',
        `A forecast spans at most ${MAX_MONTHS} months`,
        'to',
      );
    }
  }
  return months;
}
