import { InvalidAppendError } from './event-store.errors';
import { ExpectedRevision, NewEvent } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks shared by every adapter, so a bad append fails the same way everywhere and writes nothing. */
export function validateAppend(
  streamName: string,
  events: NewEvent[],
  expectedRevision: ExpectedRevision,
): number[] {
  if (typeof streamName !== 'string' || streamName.length === 0 || streamName.startsWith('$')) {
    throw new InvalidAppendError('streamName', 'must be a non-empty name not starting with $');
  }
  if (
    typeof expectedRevision === 'number'
      ? !Number.isSafeInteger(expectedRevision) || expectedRevision < 0
      : !['no_stream', 'any', 'stream_exists'].includes(expectedRevision)
  ) {
    throw new InvalidAppendError(
      'expectedRevision',
      'must be no_stream, any, stream_exists or a revision ≥ 0',
    );
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('events', 'must hold at least one event');
  }
  const occurredAtMillis: number[] = [];
  events.forEach((event, index) => {
    const at = `events[${index}]`;
    if (typeof event?.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new InvalidAppendError(`${at}.type`, 'must be a non-empty name not starting with $');
    }
    if (event.data === null || typeof event.data !== 'object') {
      throw new InvalidAppendError(`${at}.data`, 'must be an object');
    }
    if (event.metadata === null || typeof event.metadata !== 'object') {
      throw new InvalidAppendError(`${at}.metadata`, 'must be an object');
    }
    const millis =
      typeof event.metadata.occurredAt === 'string' ? Date.parse(event.metadata.occurredAt) : NaN;
    if (Number.isNaN(millis)) {
      throw new InvalidAppendError(`${at}.metadata.occurredAt`, 'must be an ISO 8601 date-time');
    }
    if (index > 0 && millis < occurredAtMillis[index - 1]) {
      throw new InvalidAppendError(
        `${at}.metadata.occurredAt`,
        'must not be before the previous event in the same append',
      );
    }
    if (event.id !== undefined && (typeof event.id !== 'string' || !UUID.test(event.id))) {
      throw new InvalidAppendError(`${at}.id`, 'must be a UUID');
    }
    occurredAtMillis.push(millis);
  });
  return occurredAtMillis;
}
