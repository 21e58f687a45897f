import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { REPORT_DIMENSIONS, ReportDimension } from '../../../projections/shared/rollup';
import { ReportQueryDto } from '../report-query.dto';

export const FORECAST_AXES = ['closeMonth', 'shipMonth'] as const;

/**
 * The shared report parameters, read for the forecast: `from`/`to` choose the target months
 * (expected close, expected ship or won month), not the time the forecast is taken at; that is `asOf`.
 */
export class ForecastQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({
    description:
      'The forecast as it stood at this instant: events with occurredAt ≤ asOf, in stream order, ' +
      'with the stage probabilities, FX rates and teams in force then. A bare date means the end ' +
      'of that day in tz. Default: now.',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

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
