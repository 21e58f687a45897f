import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { runEventStoreContract } from './event-store.contract';

runEventStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeflow-es-'));
  const store = SqliteEventStore.open({ file: join(dir, 'events.db'), pollIntervalMs: 50 });
  return {
    store,
    streamPrefix: 't-',
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
