import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_SETTINGS, AppSettings, EventStoreSettings } from '../settings/app-settings';
import { EVENT_STORE, EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { UpcasterRegistry } from './upcasting/upcaster-registry';
import { UpcastingEventStore } from './upcasting/upcasting-event-store';

export const UPCASTERS = Symbol('UPCASTERS');

async function openAdapter(settings: EventStoreSettings): Promise<EventStore> {
  if (settings.kind === 'sqlite') {
    return SqliteEventStore.open({ file: settings.file, synchronous: settings.synchronous });
  }
  // Loaded only in production mode, so the embedded default never touches the gRPC client.
  const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
  return EventStoreDbEventStore.connect(settings.url);
}

@Global()
@Module({
  providers: [
    { provide: UPCASTERS, useValue: new UpcasterRegistry() },
    {
      provide: EVENT_STORE,
      inject: [APP_SETTINGS, UPCASTERS],
      useFactory: async (settings: AppSettings, upcasters: UpcasterRegistry) =>
        new UpcastingEventStore(await openAdapter(settings.eventStore), upcasters),
    },
  ],
  exports: [EVENT_STORE, UPCASTERS],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
