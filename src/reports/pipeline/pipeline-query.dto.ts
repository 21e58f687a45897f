import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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

  @ApiPropertyOptional({
    minimum: 1,
    maximum: PIPELINE_MAX_LIMIT,
    default: PIPELINE_DEFAULT_LIMIT,
    description: 'Cards per column, the longest in their stage first',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PIPELINE_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'Or send Accept: text/csv (one row per card)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
