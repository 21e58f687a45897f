import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_SETTINGS, AppSettings, EventStoreSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { EVENT_STORE, EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { UpcasterRegistry } from './upcasting/upcaster-registry';
import { UpcastingEventStore } from './upcasting/upcasting-event-store';

export const UPCASTERS = Symbol('UPCASTERS');

async function openAdapter(settings: EventStoreSettings, clock: Clock): Promise<EventStore> {
  if (settings.kind === 'sqlite') {
    // recordedAt comes from the injected clock too, so a test clock keeps both times consistent.
    return SqliteEventStore.open({
      file: settings.file,
      synchronous: settings.synchronous,
      clock: () => clock.now(),
    });
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
      inject: [APP_SETTINGS, UPCASTERS, CLOCK],
      useFactory: async (settings: AppSettings, upcasters: UpcasterRegistry, clock: Clock) =>
        new UpcastingEventStore(await openAdapter(settings.eventStore, clock), upcasters),
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
