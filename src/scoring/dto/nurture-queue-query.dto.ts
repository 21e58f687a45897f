import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: NURTURE_QUEUE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
