import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PolicyVersion } from '../policy-registry';

class PublishedByDto {
  @ApiProperty() userId!: string;
  @ApiProperty() role!: string;
}

export class PolicyVersionDto {
  @ApiProperty({ example: 'stages.default' }) id!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ type: PublishedByDto }) publishedBy!: PublishedByDto;
  @ApiPropertyOptional({ description: 'Why this version was published' }) note?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) body!: Record<string, unknown>;
}

export const policyVersionView = ({
  id,
  version,
  publishedAt,
  publishedBy,
  note,
  body,
}: PolicyVersion): PolicyVersionDto => ({
  id,
  version,
  publishedAt,
  publishedBy,
  ...(note ? { note } : {}),
  body,
});

/** The guard and the note may come in the query; the body is the policy itself. */
export class PublishPolicyQueryDto {
  @ApiPropertyOptional({ description: 'The version being replaced; If-Match takes precedence' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @ApiPropertyOptional({ description: 'Why this version is published' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
