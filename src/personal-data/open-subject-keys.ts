import type { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { UpcastingEventStore } from '../event-store/upcasting/upcasting-event-store';
import { SqliteSubjectKeyStore } from './sqlite-subject-key-store';

/**
 * Subject keys live beside the events on the embedded store (one transaction erases both), and
 * in `keysFile` otherwise.
 */
export function openSubjectKeys(
  events: EventStore,
  keysFile: string,
  masterKey: Buffer,
): SqliteSubjectKeyStore {
  const adapter = events instanceof UpcastingEventStore ? events.inner : events;
  return new SqliteSubjectKeyStore(
    adapter instanceof SqliteEventStore ? adapter.sharedConnection() : keysFile,
    masterKey,
  );
}
