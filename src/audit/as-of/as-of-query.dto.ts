import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** An optional `asOf` or `knownAt`: an ISO 8601 date or instant. */
export const TimePointField = (description: string, example?: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional(example === undefined ? { description } : { description, example }),
    IsOptional(),
    IsISO8601({ strict: true }),
  );

/** `?asOf=&knownAt=` on a record read; see docs/audit.md for the time semantics. */
export class AsOfQueryDto {
  @TimePointField(
    'The record as it stood at this business time: its events with occurredAt ≤ asOf, in stream ' +
      'order. A bare date means the end of that day, UTC. Default: knownAt when that is given.',
    '2026-03-01T00:00:00Z',
  )
  asOf?: string;

  @TimePointField(
    'Only what the system had recorded by this instant (recordedAt ≤ knownAt): hides later ' +
      'back-dated imports and corrections. A bare date means the end of that day, UTC.',
    '2026-03-05T00:00:00Z',
  )
  knownAt?: string;
}
