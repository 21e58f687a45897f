import { PageLimitField } from '../../http/page-limit.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEAL_FACTS_DEFAULT_LIMIT, DEAL_FACTS_MAX_LIMIT, DEAL_STATUSES } from './deal-facts.query';

export class DealFactsListQueryDto {
  @ApiPropertyOptional({ description: "Owner's user id; a rep always gets their own deals" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  owner?: string;

  @ApiPropertyOptional({
    description: "Team id (the owner's team as of the deal's latest event); ignored with owner",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  team?: string;

  @ApiPropertyOptional({ enum: DEAL_STATUSES })
  @IsOptional()
  @IsIn(DEAL_STATUSES)
  status?: (typeof DEAL_STATUSES)[number];

  @ApiPropertyOptional({
    description: 'Open stage key (for closed deals: the stage they were closed from)',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'stage must be a stage key like proposal' })
  @MaxLength(100)
  stage?: string;

  @ApiPropertyOptional({
    description: 'Only deals opened strictly before this instant, to read further back',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  openedBefore?: string;

  @PageLimitField(
    DEAL_FACTS_MAX_LIMIT,
    DEAL_FACTS_DEFAULT_LIMIT,
    'Deals to return, newest opening first',
  )
  limit?: number;
}
