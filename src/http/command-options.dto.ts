import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Matches, Min } from 'class-validator';

/** Fields every write accepts besides its own. A `reason`, where a command has one, is its own field. */
export class CommandOptionsDto {
  @ApiPropertyOptional({
    description: 'Back-dated business time (ISO 8601); only for callers allowed to import',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  // Without an offset the instant would depend on the server's time zone.
  @Matches(/(Z|[+-]\d\d:\d\d)$/, {
    message: 'occurredAt must end with Z or an offset such as +08:00',
  })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'The revision the client last saw; 409 when it moved on' })
  @IsOptional()
  @IsInt()
  @Min(-1)
  expectedRevision?: number;
}
