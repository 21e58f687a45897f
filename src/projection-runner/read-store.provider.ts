import { ReadStore } from '../read-store/read-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { ReadStoreSettings } from '../settings/app-settings';

export async function openReadStore(
  settings: ReadStoreSettings,
  /** How long an embedded writer waits for another connection's transaction. */
  options: { busyTimeoutMs?: number } = {},
): Promise<ReadStore> {
  if (settings.kind === 'sqlite') {
    return SqliteReadStore.open({ file: settings.file, busyTimeoutMs: options.busyTimeoutMs });
  }
  // Loaded only in production mode, so the embedded default never loads the MongoDB driver.
  const { MongoReadStore } = await import('../read-store/mongodb/mongodb-read-store');
  return MongoReadStore.connect(settings.url);
}
