import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TimePointField } from '../../audit/as-of/as-of-query.dto';
import { REPORT_DIMENSIONS, ReportDimension } from '../../../projections/shared/rollup';
import { ReportQueryDto } from '../report-query.dto';

export const FORECAST_AXES = ['closeMonth', 'shipMonth'] as const;

/**
 * The shared report parameters, read for the forecast: `from`/`to` choose the target months
 * (expected close, expected ship or won month), not the time the forecast is taken at; that is `asOf`.
 */
export class ForecastQueryDto extends ReportQueryDto {
  @TimePointField(
    'The forecast as it stood at this instant: events with occurredAt ≤ asOf, in stream order, ' +
      'with the stage probabilities, FX rates and teams in force then. A bare date means the end ' +
      'of that day in tz. Default: now.',
    '2026-03-01T00:00:00Z',
  )
  asOf?: string;

  @TimePointField(
    'The forecast as it could have been computed at this instant: only deal changes, policy ' +
      'versions and team moves recorded by then (recordedAt ≤ knownAt) count, so later back-dated ' +
      'imports and corrections are left out. A bare date means the end of that day in tz. asOf ' +
      'defaults to knownAt.',
    '2026-03-05T00:00:00Z',
  )
  knownAt?: string;

  @ApiPropertyOptional({
    enum: FORECAST_AXES,
    default: 'closeMonth',
    description: 'Month open deals are grouped by; won deals count in their won month either way',
  })
  @IsOptional()
  @IsIn(FORECAST_AXES)
  by?: (typeof FORECAST_AXES)[number];

  @ApiPropertyOptional({
    enum: REPORT_DIMENSIONS,
    description: 'Rows per value of this dimension as well as per month',
  })
  @IsOptional()
  @IsIn(REPORT_DIMENSIONS)
  override groupBy?: ReportDimension = undefined;
}
