import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '../../src/read-store/sqlite/sqlite-read-store';
import { runReadStoreContract } from './read-store.contract';

runReadStoreContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradeflow-rs-'));
  const store = SqliteReadStore.open({ file: join(dir, 'read.db') });
  return {
    store,
    prefix: 't_',
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

runReadStoreContract('SQLite :memory:', async () => {
  const store = SqliteReadStore.open({ file: ':memory:' });
  return { store, prefix: 't_', cleanup: () => store.close() };
});
