import { PageLimitField } from '../../http/page-limit.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIanaTimeZone } from '../../http/validators';

export const LEDGER_DEFAULT_LIMIT = 1000;
export const LEDGER_MAX_LIMIT = 10_000;

/** Who: one owner or a team's members; the caller's scope narrows it (a rep: themselves). */
class OwnerScopeDto {
  @ApiPropertyOptional({
    description: 'User id: entries that gave the record to them or took it from them',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'Team id: its current members, as owner' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone for bare dates (midnight there); UTC when absent',
  })
  @IsOptional()
  @IsIanaTimeZone()
  tz?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** A page of rows: at most `limit`. */
class OwnerPageDto extends OwnerScopeDto {
  @PageLimitField(LEDGER_MAX_LIMIT, LEDGER_DEFAULT_LIMIT)
  limit?: number;
}

export class OwnershipLedgerQueryDto extends OwnerPageDto {
  @ApiPropertyOptional({
    description:
      'Start of the half-open period [from, to) on business time: a date (midnight in tz) or an ' +
      'ISO instant. Absent: from the beginning.',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive. Absent: up to now.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class OwnershipBookQueryDto extends OwnerPageDto {
  @ApiProperty({
    description: 'The instant: ISO 8601 with an offset or Z, or a date (midnight in tz)',
    example: '2026-03-01T00:00:00Z',
  })
  @IsISO8601({ strict: true })
  at!: string;

  @ApiPropertyOptional({
    description: 'The `next` cursor of the page before (also in its Link header, rel="next")',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  after?: string;
}

export class RecordLedgerQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
