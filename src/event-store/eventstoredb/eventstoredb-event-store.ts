// Usage: `EventStoreDbEventStore.connect('esdb://localhost:2113?tls=false')`; recordedAt is the server's clock.
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendResult as EsdbAppendResult,
  type EventData,
  type StreamingRead,
} from '@eventstore/db-client';
import { v7 as uuidv7 } from 'uuid';
import { validateAppend } from '../append-validation';
import {
  OccurredAtBeforeStreamError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import {
  AppendResult,
  CorrelatedEvents,
  CorrelatedReadOptions,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { toAppendError, toStoreError } from './eventstoredb-errors';
import { isSystemEvent, matchesFilter, positionOf, toRecordedEvent } from './eventstoredb-events';
import { encodePosition, requirePosition } from './eventstoredb-position';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

/** 'any' and 'stream_exists' re-read and retry when another writer got in between. */
const MAX_APPEND_ATTEMPTS = 10;

export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  constructor(private readonly client: EventStoreDBClient) {}

  async append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options.expectedRevision;
    const occurredMillis = validateAppend(streamName, events, expected);
    const proposed = events.map(toEventData);
    for (let attempt = 1; ; attempt++) {
      // occurredAt is checked against the last event read here, and the append then expects
      // exactly that revision, so no other writer can slip an event in between.
      const last = expected === 'no_stream' ? undefined : await this.lastEvent(streamName);
      const actual = last?.revision ?? -1;
      if (
        (expected === 'stream_exists' && actual === -1) ||
        (typeof expected === 'number' && actual !== expected)
      ) {
        throw new WrongExpectedRevisionError(streamName, expected, actual);
      }
      if (last && occurredMillis[0] < Date.parse(last.metadata.occurredAt)) {
        throw new OccurredAtBeforeStreamError(
          streamName,
          events[0].metadata.occurredAt,
          last.metadata.occurredAt,
        );
      }
      try {
        const result = await this.client.appendToStream(streamName, proposed, {
          expectedRevision: actual === -1 ? NO_STREAM : BigInt(actual),
        });
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          position: await this.appendedPosition(streamName, result),
        };
      } catch (error) {
        const retry =
          error instanceof WrongExpectedVersionError &&
          (expected === 'any' || expected === 'stream_exists') &&
          attempt < MAX_APPEND_ATTEMPTS;
        if (!retry) throw toAppendError(error, streamName, expected);
      }
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backward = options.direction === 'backward';
    const read = this.client.readStream(streamName, {
      direction: backward ? BACKWARDS : FORWARDS,
      fromRevision:
        options.fromRevision === undefined
          ? backward
            ? END
            : START
          : BigInt(options.fromRevision),
      maxCount: options.maxCount,
    });
    const events: RecordedEvent[] = [];
    try {
      await scan(read, (resolved) => {
        if (resolved.event) events.push(toRecordedEvent(resolved.event, positionOf(resolved)));
        return true;
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** readAll in client 6.2.1 takes no server-side filter, so filtering happens here. */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, filter } = options;
    const fromPosition = after === undefined ? START : requirePosition('after', after);
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    await scan(this.client.readAll({ direction: FORWARDS, fromPosition }), (resolved) => {
      const event = resolved.event;
      if (!event || isSystemEvent(event) || !matchesFilter(event, filter)) return true;
      const position = encodePosition(event.position);
      // Reads from a position include the event at it; `after` is exclusive.
      if (after !== undefined && position <= after) return true;
      events.push(toRecordedEvent(event, position));
      return events.length < limit;
    });
    return events;
  }

  /**
   * From the `$bc-<correlationId>` stream of the `$by_correlation_id` system projection (the
   * server must run system projections with that one started: docker-compose.yml does), resolved
   * to the linked events. Its revisions follow the log, so its order is log order. With a type
   * filter every link is resolved to count the matching ones; without, the rest is counted from
   * the newest link's revision.
   */
  async readCorrelated(
    correlationId: string,
    options: CorrelatedReadOptions = {},
  ): Promise<CorrelatedEvents> {
    const links = `$bc-${correlationId}`;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const types = options.eventTypes ? new Set(options.eventTypes) : undefined;
    const events: RecordedEvent[] = [];
    let more = 0;
    let lastLink = -1;
    try {
      const read = this.client.readStream(links, {
        direction: FORWARDS,
        fromRevision: START,
        ...(types === undefined && limit !== Number.POSITIVE_INFINITY ? { maxCount: limit } : {}),
        resolveLinkTos: true,
      });
      await scan(read, (resolved) => {
        if (resolved.link) lastLink = Number(resolved.link.revision);
        // A link to a deleted event resolves to nothing: it is not an event any more.
        const event = resolved.event;
        if (!event || (types && !types.has(event.type))) return true;
        if (events.length < limit) events.push(toRecordedEvent(event, positionOf(resolved)));
        else more += 1;
        return true;
      });
      if (types === undefined && events.length >= limit) {
        more = Math.max(0, ((await this.newestLinkRevision(links)) ?? -1) - lastLink);
      }
      return { events, more };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { events: [], more: 0 };
      throw toStoreError(error);
    }
  }

  /** The revision of the newest link in a link stream, read without resolving it. */
  private async newestLinkRevision(links: string): Promise<number | undefined> {
    let revision: number | undefined;
    const read = this.client.readStream(links, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    await scan(read, (resolved) => {
      const link = resolved.link ?? resolved.event;
      if (link) revision = Number(link.revision);
      return false;
    });
    return revision;
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    if (options.after !== undefined) requirePosition('after', options.after);
    const subscription = new EventStoreDbSubscription(
      {
        client: this.client,
        headPosition: () => this.headPosition(),
        onStopped: () => this.subscriptions.delete(subscription),
      },
      options,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<string | undefined> {
    let head: string | undefined;
    await scan(this.client.readAll({ direction: BACKWARDS, fromPosition: END }), (resolved) => {
      if (!resolved.event || isSystemEvent(resolved.event)) return true;
      head = encodePosition(resolved.event.position);
      return false;
    });
    return head;
  }

  async ping(): Promise<void> {
    try {
      await scan(
        this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }),
        () => false,
      );
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`EventStoreDB did not answer: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async lastEvent(streamName: string): Promise<RecordedEvent | undefined> {
    const [last] = await this.readStream(streamName, { direction: 'backward', maxCount: 1 });
    return last;
  }

  /** The server omits the position when it recognised the events as already written. */
  private async appendedPosition(streamName: string, result: EsdbAppendResult): Promise<string> {
    if (result.position) return encodePosition(result.position);
    const [last] = await this.readStream(streamName, {
      fromRevision: Number(result.nextExpectedRevision),
      maxCount: 1,
    });
    if (!last) throw new Error(`EventStoreDB returned no position for the append to ${streamName}`);
    return last.position;
  }
}

function toEventData(event: NewEvent): EventData {
  return jsonEvent({
    id: event.id ?? uuidv7(),
    type: event.type,
    data: event.data,
    metadata: { schemaVersion: 1, ...event.metadata },
  });
}

/**
 * Reads with `for await` until `visit` returns false, then cancels the gRPC call so the server
 * stops sending. Errors come out mapped to the port's.
 */
async function scan<E>(read: StreamingRead<E>, visit: (item: E) => boolean): Promise<void> {
  try {
    for await (const item of read) {
      if (!visit(item)) {
        read.on('error', () => undefined);
        await read.cancel();
        return;
      }
    }
  } catch (error) {
    throw toStoreError(error);
  }
}
