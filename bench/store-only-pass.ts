import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { Projection } from '../projections/projection';
import { physicalName } from '../src/projection-runner/read-models';
import type { CollectionSpec, ReadDocument } from '../src/read-store/read-store.port';
import { SqliteReadStore } from '../src/read-store/sqlite/sqlite-read-store';
import { now, since } from './measure';

/**
 * The write side of a rebuild with no projection work: a rebuilt read model stored again through
 * the read-store port into a fresh file, as a build does it (deferred indexes, transactions of
 * `window` documents, then the indexes), but collection by collection in id order, the cheapest
 * order for SQLite. A rebuild that only stored its output could go no faster than this.
 */
export interface StoreOnlyPass {
  documents: number;
  /** Bytes of document JSON. */
  bytes: number;
  /** Time and CPU inside the read store's commits and index builds only. */
  seconds: number;
  cpuSeconds: number;
}

export async function storeOnlyPass(
  rebuiltFile: string,
  projections: Projection[],
  targetFile: string,
  window: number,
): Promise<StoreOnlyPass> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${targetFile}${suffix}`, { force: true });
  const source = new Database(rebuiltFile, { readonly: true });
  const target = SqliteReadStore.open({ file: targetFile });
  const pass: StoreOnlyPass = { documents: 0, bytes: 0, seconds: 0, cpuSeconds: 0 };
  const timed = async (work: () => Promise<void>) => {
    const started = now();
    const cpu = process.cpuUsage();
    await work();
    const used = process.cpuUsage(cpu);
    pass.seconds += since(started) / 1e9;
    pass.cpuSeconds += (used.user + used.system) / 1e6;
  };
  try {
    for (const spec of builtCollections(source, projections)) {
      await timed(() => target.ensureCollection(spec, { deferIndexes: true }));
      const page = source.prepare<[string, number], { id: string; doc: string }>(
        `SELECT id, doc FROM "docs[${spec.name}]" WHERE id > ? ORDER BY id LIMIT ?`,
      );
      for (let after = ''; ;) {
        const rows = page.all(after, window);
        if (rows.length === 0) break;
        const writes = rows.map((row) => {
          pass.bytes += Buffer.byteLength(row.doc);
          return {
            kind: 'put' as const,
            collection: spec.name,
            document: JSON.parse(row.doc) as ReadDocument,
          };
        });
        await timed(() => target.commit(writes));
        pass.documents += rows.length;
        after = rows[rows.length - 1].id;
      }
      await timed(() => target.buildIndexes(spec.name));
    }
  } finally {
    source.close();
    await target.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${targetFile}${suffix}`, { force: true });
  }
  return pass;
}

/** The collections of the generation each projection built, with their declared specs. */
function builtCollections(source: Database.Database, projections: Projection[]): CollectionSpec[] {
  const tables = new Set(
    source
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name),
  );
  const specs: CollectionSpec[] = [];
  for (const projection of projections) {
    for (const collection of projection.collections) {
      for (let generation = 1; generation < 100; generation += 1) {
        const name = physicalName(projection.name, generation, collection.name);
        if (!tables.has(`docs[${name}]`)) continue;
        const { preload: _preload, ...spec } = collection;
        specs.push({ ...spec, name });
        break;
      }
    }
  }
  return specs;
}
