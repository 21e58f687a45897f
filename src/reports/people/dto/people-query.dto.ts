import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ReportQueryDto } from '../../report-query.dto';

export const DEFAULT_SLA_TARGET_MINUTES = 30;
export const DEFAULT_STALE_DAYS = 30;

export class SlaQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10_080,
    default: DEFAULT_SLA_TARGET_MINUTES,
    description: 'First-response target in business minutes of the owning team’s calendar',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_080)
  targetMinutes?: number;
}

/** Data quality is as of now: no period, an owner or team, and N for "not updated in N days". */
export class DataQualityQueryDto {
  @ApiPropertyOptional({ description: 'User id (or `unassigned` for leads nobody holds)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'Team id: its current members’ records' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    default: DEFAULT_STALE_DAYS,
    description: 'Count live records whose last change is more than this many days ago',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  staleDays?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
