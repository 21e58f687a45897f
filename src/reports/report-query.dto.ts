import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { REPORT_DIMENSIONS, ReportDimension } from '../../projections/shared/rollup';
import { IsIanaTimeZone } from '../http/validators';

export const REPORT_GROUPINGS = [...REPORT_DIMENSIONS, 'day', 'week', 'month'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** The parameters every report shares (DESIGN.md, "Report definitions"). */
export class ReportQueryDto {
  @ApiPropertyOptional({
    description:
      'Start of the half-open period [from, to): a date (midnight in tz) or an ISO instant',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive', example: '2026-07-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone for dates and calendar groupings; UTC when absent',
  })
  @IsOptional()
  @IsIanaTimeZone()
  tz?: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPINGS })
  @IsOptional()
  @IsIn(REPORT_GROUPINGS)
  groupBy?: ReportGrouping;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) channel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ description: 'ISO 3166 alpha-2' })
  @IsOptional()
  @IsString()
  @MaxLength(2)
  country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) productLine?: string;
  @ApiPropertyOptional({ description: 'User id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  owner?: string;
  @ApiPropertyOptional({ description: 'Team id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  team?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export type DimensionFilters = Partial<Record<ReportDimension, string>>;

export const dimensionFilters = (query: ReportQueryDto): DimensionFilters =>
  Object.fromEntries(
    REPORT_DIMENSIONS.filter((dim) => query[dim] !== undefined).map((dim) => [dim, query[dim]]),
  );

/** Who reads reports; record scope narrows a rep to their own figures, a team lead to the team's. */
export const REPORT_READERS = ['manager', 'analyst', 'team_lead', 'rep', 'operations'] as const;

/** The OpenAPI note every period report carries. */
export const REPORT_PERIOD_NOTE =
  'Periods are half-open [from, to) in tz (UTC by default). One dimension filter, grouped by ' +
  'that dimension, team with groupBy owner, or a calendar unit (day, week, month); within an ' +
  'owner or a team, one more dimension as a filter, a grouping or both. ' +
  'A rep gets their own figures, a team lead their team’s. JSON, or CSV with format=csv or Accept: text/csv.';
