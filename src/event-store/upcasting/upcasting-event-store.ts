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
import { UpcasterRegistry } from './upcaster-registry';

/**
 * Wraps any adapter so old events load as the current shape on every read path, and new events
 * are stamped with their current schema version.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    private readonly registry: UpcasterRegistry,
  ) {}

  append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const stamped = events.map((event) => ({
      ...event,
      metadata: {
        ...event.metadata,
        schemaVersion: event.metadata?.schemaVersion ?? this.registry.currentVersion(event.type),
      },
    }));
    return this.inner.append(streamName, stamped, options);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamName, options)).map((e) => this.registry.upcast(e));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((e) => this.registry.upcast(e));
  }

  async readCorrelated(
    correlationId: string,
    options?: CorrelatedReadOptions,
  ): Promise<CorrelatedEvents> {
    const { events, more } = await this.inner.readCorrelated(correlationId, options);
    return { events: events.map((e) => this.registry.upcast(e)), more };
  }

  subscribeToAll(options?: SubscribeOptions): EventSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const registry = this.registry;
    return {
      stop: () => subscription.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const event of subscription) yield registry.upcast(event);
      },
    };
  }

  headPosition(): Promise<string | undefined> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
