import { PageLimitField } from '../../http/page-limit.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const NURTURE_QUEUE_DEFAULT_LIMIT = 50;

export class NurtureQueueQueryDto {
  @ApiPropertyOptional({
    description: "Only this owner's leads; ignored for reps (always their own)",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner?: string;

  @PageLimitField(500, NURTURE_QUEUE_DEFAULT_LIMIT)
  limit?: number;
}
