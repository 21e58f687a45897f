import { DomainError } from '../../../domain/shared/domain-error';

/** A bitemporal point: business time `asOf`, and optionally what was recorded by `knownAt`. */
export interface TimePoint {
  asOf: Date;
  knownAt?: Date;
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const END_OF_DAY_MS = 24 * 60 * 60 * 1000 - 1;

/** An ISO instant as itself; a bare date as the last millisecond of that day (UTC). */
export function instantOf(value: string, field: string): Date {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) {
    throw new DomainError(
      `${field === 'asOf' ? 'as_of' : 'known_at'}.invalid`,
      `${field} is not an ISO 8601 date or instant`,
      field,
    );
  }
  return new Date(BARE_DATE.test(value) ? millis + END_OF_DAY_MS : millis);
}

/**
 * The point a query names, or undefined for "now". knownAt alone means "as the system showed it
 * then": asOf defaults to knownAt, so events back-dated or recorded later are both left out.
 */
export function timePointOf(query: { asOf?: string; knownAt?: string }): TimePoint | undefined {
  if (query.asOf === undefined && query.knownAt === undefined) return undefined;
  const knownAt = query.knownAt === undefined ? undefined : instantOf(query.knownAt, 'knownAt');
  const asOf = query.asOf === undefined ? knownAt! : instantOf(query.asOf, 'asOf');
  return knownAt ? { asOf, knownAt } : { asOf };
}

/** Whether an event belongs to the state at this point. */
export const inTimePoint = (
  point: TimePoint,
  event: { metadata: { occurredAt: string }; recordedAt: string },
): boolean =>
  Date.parse(event.metadata.occurredAt) <= point.asOf.getTime() &&
  (point.knownAt === undefined || Date.parse(event.recordedAt) <= point.knownAt.getTime());
