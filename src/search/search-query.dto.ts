import { PageLimitField } from '../http/page-limit.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { SEARCH_KINDS, SearchKind } from '../../projections/search-index.projection';
import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from './search.query';

export class SearchQueryDto {
  @ApiProperty({
    description:
      'Name (by prefix, and misspelt), email, phone (any format), web or email domain, or words ' +
      'from activity notes and inquiry messages',
    example: 'mueller',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q!: string;

  @ApiPropertyOptional({ enum: SEARCH_KINDS, description: 'Only this kind of record' })
  @IsOptional()
  @IsIn(SEARCH_KINDS)
  kind?: SearchKind;

  @PageLimitField(SEARCH_MAX_LIMIT, SEARCH_DEFAULT_LIMIT)
  limit?: number;
}
