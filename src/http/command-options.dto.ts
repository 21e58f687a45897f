import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Min } from 'class-validator';

/** Fields every write accepts besides its own. A `reason`, where a command has one, is its own field. */
export class CommandOptionsDto {
  @ApiPropertyOptional({
    description: 'Back-dated business time (ISO 8601); only for callers allowed to import',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'The revision the client last saw; 409 when it moved on' })
  @IsOptional()
  @IsInt()
  @Min(-1)
  expectedRevision?: number;
}
