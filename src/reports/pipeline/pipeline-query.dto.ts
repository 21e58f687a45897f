import { PageLimitField } from '../../http/page-limit.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TimePointField } from '../../audit/as-of/as-of-query.dto';
import { PIPELINE_DEFAULT_LIMIT, PIPELINE_MAX_LIMIT } from './pipeline-board.query';

export class PipelineQueryDto {
  @ApiPropertyOptional({
    description: "User id. Default: a rep's own deals, a team lead's team's, everyone's otherwise",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  owner?: string;

  @ApiPropertyOptional({ description: 'Open stage key; default: every column' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stage?: string;

  @PageLimitField(
    PIPELINE_MAX_LIMIT,
    PIPELINE_DEFAULT_LIMIT,
    'Cards per column, the longest in their stage first',
  )
  limit?: number;

  @TimePointField(
    'The board as it stood at this business time: deals open then, with the stage, owner and ' +
      'amount they had then. A bare date means the end of that day (UTC). Default: now, or knownAt.',
    '2026-03-01T00:00:00Z',
  )
  asOf?: string;

  @TimePointField(
    'Only what had been recorded by this instant (recordedAt ≤ knownAt): the board as it could ' +
      'have been seen then, before later back-dated imports and corrections.',
  )
  knownAt?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'Or send Accept: text/csv (one row per card)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
