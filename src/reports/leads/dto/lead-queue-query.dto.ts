import { PageLimitField } from '../../../http/page-limit.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

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

  @PageLimitField(1000, LEAD_QUEUE_DEFAULT_LIMIT)
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

  @PageLimitField(1000, LEAD_QUEUE_DEFAULT_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
