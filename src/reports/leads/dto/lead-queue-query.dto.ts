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

export const LEAD_QUEUE_DEFAULT_LIMIT = 200;
export const QUEUE_STATUS_FILTERS = ['open', 'new', 'working'] as const;

/** Who and how much; the lead queue is as of now, so it takes no period. */
export class LeadQueueQueryDto {
  @ApiPropertyOptional({
    description:
      "The owner's queue (user id), or `unassigned` for leads nobody holds. A rep always gets their " +
      "own; a team lead their team's (one member with owner=).",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({
    description: 'A team id: its members’ queues (managers, analysts, operations)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({
    enum: QUEUE_STATUS_FILTERS,
    default: 'open',
    description: 'new: not answered yet; working: answered or qualified; open: both',
  })
  @IsOptional()
  @IsIn(QUEUE_STATUS_FILTERS)
  status?: (typeof QUEUE_STATUS_FILTERS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: LEAD_QUEUE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class NurtureQueueReportQueryDto {
  @ApiPropertyOptional({ description: "Only this owner's leads (user id, or `unassigned`)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner?: string;

  @ApiPropertyOptional({ description: 'A team id: its members’ leads' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  team?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: LEAD_QUEUE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
