import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../accounts/dto/is-not-blank.validator';

export class ListReviewsQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';
}

export class DecideReviewDto {
  @ApiProperty({ example: 'Same switchboard, different company' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason!: string;
}
