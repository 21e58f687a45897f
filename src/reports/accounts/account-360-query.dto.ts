import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TIMELINE_DEFAULT_LIMIT, TIMELINE_MAX_LIMIT } from './account-360.query';

export class Account360QueryDto {
  @ApiPropertyOptional({
    description: `Timeline entries per page, newest first (default ${TIMELINE_DEFAULT_LIMIT})`,
    minimum: 1,
    maximum: TIMELINE_MAX_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TIMELINE_MAX_LIMIT)
  timelineLimit?: number;

  @ApiPropertyOptional({
    description:
      'Entries before this point: `timeline.next` of the previous page (`<ISO time>|<entry id>`), ' +
      'or an ISO time (entries strictly earlier)',
    example: '2026-03-01T00:00:00.000Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  timelineBefore?: string;
}
