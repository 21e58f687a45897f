/**
 * The event-store port. Both adapters (SQLite, EventStoreDB) implement exactly these semantics,
 * and test/contract/event-store.contract.ts holds them to it.
 */

/** What the writer believes about the stream before its append. A number is an exact revision. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

/** Who or what caused an event: a person, a rule (id + version), a saga, or the system itself. */
export interface EventCause {
  kind: 'person' | 'rule' | 'saga' | 'system' | 'import';
  id: string;
  version?: number;
}

export interface EventActor {
  userId: string;
  role: string;
}

export interface EventMetadata {
  /** Business time, ISO 8601. Never before the stream's last event. */
  occurredAt: string;
  $correlationId: string;
  $causationId: string;
  commandId?: string;
  actor?: EventActor;
  cause?: EventCause;
  reason?: string;
  /** Set from the upcaster registry on append when missing; 1 when nothing is registered. */
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface NewEvent<Data = Record<string, unknown>> {
  /** UUID; generated when absent. Unique across the store. */
  id?: string;
  type: string;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Data = Record<string, unknown>> {
  id: string;
  streamName: string;
  /** 0-based, per stream, without gaps. */
  revision: number;
  /** Opaque global position. Positions from one store compare with {@link comparePositions}. */
  position: string;
  type: string;
  data: Data;
  metadata: EventMetadata & { schemaVersion: number };
  /** Set by the store, ISO 8601. */
  recordedAt: string;
}

export interface AppendResult {
  /** Revision of the last event written. */
  nextExpectedRevision: number;
  /** Position of the last event written. */
  position: string;
}

export interface ReadStreamOptions {
  direction?: 'forward' | 'backward';
  /** Inclusive. Defaults to the start (forward) or the end (backward). */
  fromRevision?: number;
  maxCount?: number;
}

export interface AllFilter {
  /** Stream-name prefixes, e.g. `deal-`. */
  streamPrefixes?: string[];
  /** Exact event types. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Absent: from the beginning. */
  after?: string;
  maxCount?: number;
  filter?: AllFilter;
}

export interface CorrelatedReadOptions {
  maxCount?: number;
  /** Exact event types; absent: every type. */
  eventTypes?: readonly string[];
}

/** The events of one correlation id, as {@link EventStore.readCorrelated} answers. */
export interface CorrelatedEvents {
  /** In log order. */
  events: RecordedEvent[];
  /** Events with this correlation id beyond those returned. */
  more: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: delivery starts strictly after it. Absent: from the beginning. */
  after?: string;
  filter?: AllFilter;
  /** Called once, the first time the subscription has delivered everything stored so far. */
  onCaughtUp?: (position: string | undefined) => void;
}

/**
 * A catch-up-then-live subscription. Consume it with `for await`: the next event is not fetched
 * until the consumer asks for it, which is the back-pressure. `stop()` ends the iteration cleanly.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
}

export interface EventStore {
  append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** An empty array for a stream that does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The events whose metadata carries this `$correlationId`, across streams, in log order: the
   * first `maxCount` (default all) of the `eventTypes` given (default every type), and how many
   * more of those there are. On EventStoreDB this is the `$bc-<correlationId>` stream of the
   * server's `$by_correlation_id` system projection, which follows the log with that projection's
   * lag.
   */
  readCorrelated(correlationId: string, options?: CorrelatedReadOptions): Promise<CorrelatedEvents>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Position of the last event in the store, or undefined when it is empty. */
  headPosition(): Promise<string | undefined>;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Positions are fixed-width strings, so plain string order is global order. */
export const comparePositions = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const EVENT_STORE = Symbol('EVENT_STORE');
