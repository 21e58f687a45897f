import {
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type Filter,
  type FilterOptions,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { AllFilter, RecordedEvent } from '../event-store.port';
import { encodePosition } from './eventstoredb-position';

type Stored = Pick<EsdbRecordedEvent, 'streamId' | 'type'>;

/** `$`-prefixed types (links, metadata, stats) and `$`-prefixed streams belong to the server. */
export const isSystemEvent = (event: Stored): boolean =>
  event.type.startsWith('$') || event.streamId.startsWith('$');

export function matchesFilter(event: Stored, filter: AllFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  return (
    (prefixes.length === 0 || prefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
    (types.length === 0 || types.includes(event.type))
  );
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server filters on one criterion only: stream prefixes when given, else exact event types.
 * Callers still apply {@link matchesFilter} and {@link isSystemEvent} to every event they receive.
 */
export function serverFilter(
  filter: AllFilter | undefined,
  checkpointReached: FilterOptions['checkpointReached'],
): Filter {
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length > 0) return streamNameFilter({ prefixes, checkpointReached });
  const types = filter?.eventTypes ?? [];
  if (types.length > 0) {
    const regex = `^(${types.map(escapeRegex).join('|')})$`;
    return eventTypeFilter({ regex, checkpointReached });
  }
  return excludeSystemEvents({ checkpointReached });
}

/** Stream reads carry the position only on servers after 22.6; older ones give the commit position. */
export function positionOf(resolved: ResolvedEvent): string {
  const { event, commitPosition } = resolved;
  if (event?.position) return encodePosition(event.position);
  if (commitPosition !== undefined) {
    return encodePosition({ commit: commitPosition, prepare: commitPosition });
  }
  throw new Error(`EventStoreDB returned no position for ${event?.streamId}@${event?.revision}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof Uint8Array);

export function toRecordedEvent(event: EsdbRecordedEvent, position: string): RecordedEvent {
  const metadata = isObject(event.metadata) ? event.metadata : {};
  return {
    id: event.id,
    streamName: event.streamId,
    revision: Number(event.revision),
    position,
    type: event.type,
    // This adapter writes JSON only; a foreign binary event has no data the port can express.
    data: event.isJson && isObject(event.data) ? event.data : {},
    metadata: { schemaVersion: 1, ...metadata } as RecordedEvent['metadata'],
    recordedAt: event.created.toISOString(),
  };
}
