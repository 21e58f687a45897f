import type { EventStoreSettings } from '../settings/app-settings';
import type { Clock } from '../shared/clock';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The event-store adapter the settings name (the app's, and a projection build worker's own). */
export async function openEventStoreAdapter(
  settings: EventStoreSettings,
  clock: Clock,
): Promise<EventStore> {
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
