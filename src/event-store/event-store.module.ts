import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { EVENT_STORE, EventStore } from './event-store.port';
import { openEventStoreAdapter } from './open-event-store';
import { UpcasterRegistry } from './upcasting/upcaster-registry';
import { UpcastingEventStore } from './upcasting/upcasting-event-store';

export const UPCASTERS = Symbol('UPCASTERS');

@Global()
@Module({
  providers: [
    { provide: UPCASTERS, useValue: new UpcasterRegistry() },
    {
      provide: EVENT_STORE,
      inject: [APP_SETTINGS, UPCASTERS, CLOCK],
      useFactory: async (settings: AppSettings, upcasters: UpcasterRegistry, clock: Clock) =>
        new UpcastingEventStore(await openEventStoreAdapter(settings.eventStore, clock), upcasters),
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
