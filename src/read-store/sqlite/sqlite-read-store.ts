import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  Checkpoint,
  CollectionSpec,
  EnsureOptions,
  Fence,
  FieldValue,
  FindQuery,
  Lease,
  ReadDocument,
  ReadStore,
  ReadWrite,
  SearchHit,
  UnknownCollectionError,
} from '../read-store.port';
import {
  assertCollectionName,
  assertCollectionSpec,
  assertFilterIndexed,
  mergeSpecs,
  planQuery,
} from '../query-plan';
import {
  installCollection,
  installIndex,
  installTable,
  SqliteCollection,
  uninstallCollection,
} from './sqlite-collection';
import { SqliteLeases } from './sqlite-leases';
import { LOCK_WAIT_SLICE_MS, waitingForLock } from './sqlite-lock-wait';
import {
  filterSizeSql,
  ftsPhrases,
  LISTED_FILTER_MAX,
  bestOf,
  docsByRowidSql,
  namedWalk,
  ScoredRow,
  SEARCH_CANDIDATES,
  SearchFilterSql,
  searchWalk,
  WalkedRow,
} from './sqlite-search';
import { orderBySql, whereSql } from './sqlite-where';

export interface SqliteReadStoreOptions {
  /** Database file, or ':memory:'. */
  file: string;
  /** NORMAL survives a process crash, FULL also an OS crash or power loss. Read models can be rebuilt. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long an operation waits for another connection's lock (5000), without blocking the thread. */
  busyTimeoutMs?: number;
  /** Page cache, MiB (64). */
  cacheMib?: number;
}

/** Find, count and search statements are built per query shape; this bounds how many stay prepared. */
const MAX_CACHED_STATEMENTS = 256;

/** How long a search filter found large is taken to be large without counting again. */
const LARGE_FILTER_TTL_MS = 60_000;

/**
 * The embedded read store: one table per collection (`docs[name]`: id, JSON doc), expression
 * indexes on json_extract for each declared index, and an FTS5 table (`fts[name]`) for collections
 * that declare text fields. Every call is synchronous underneath, so commits never interleave.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly busyTimeoutMs: number;
  private readonly leases: SqliteLeases;
  private readonly collections = new Map<string, SqliteCollection>();
  private readonly statements = new Map<string, Database.Statement>();
  /** Search filters found to pass LISTED_FILTER_MAX documents or more, and when (see search). */
  private readonly largeFilters = new Map<string, number>();
  private readonly selectSpec: Database.Statement<[string], { name: string; spec: string }>;
  private readonly saveSpec: Database.Statement<[string, string]>;
  private readonly deleteSpec: Database.Statement<[string]>;
  private readonly selectCheckpoint: Database.Statement<[string], { position: string }>;
  private readonly saveCheckpoint: Database.Statement<[string, string]>;
  private readonly removeCheckpoint: Database.Statement<[string]>;
  private readonly selectOne: Database.Statement;
  private readonly selectDeferred: Database.Statement<[string], { name: string }>;
  private readonly saveDeferred: Database.Statement<[string]>;
  private readonly removeDeferred: Database.Statement<[string]>;
  private readonly commitInTransaction: Database.Transaction<
    (writes: ReadWrite[], checkpoint?: Checkpoint, fence?: Fence) => void
  >;

  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    return new SqliteReadStore(options);
  }

  private constructor(options: SqliteReadStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    // Opening waits inside SQLite; afterwards each operation waits in slices (see waitingForLock).
    this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    // Erased personal values must not survive in freed pages: SQLite zeroes them on delete.
    this.db.pragma('secure_delete = ON');
    // A rebuild writes all over a large file: SQLite's default 2 MiB page cache spills and rereads.
    this.db.pragma(`cache_size = -${(options.cacheMib ?? 64) * 1024}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS read_store_collections (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS read_store_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS read_store_deferred (name TEXT PRIMARY KEY);
    `);
    this.leases = new SqliteLeases(this.db);
    this.selectSpec = this.db.prepare(
      'SELECT name, spec FROM read_store_collections WHERE name = ? COLLATE NOCASE',
    );
    this.saveSpec = this.db.prepare(
      'INSERT INTO read_store_collections (name, spec) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec',
    );
    this.deleteSpec = this.db.prepare('DELETE FROM read_store_collections WHERE name = ?');
    this.selectCheckpoint = this.db.prepare(
      'SELECT position FROM read_store_checkpoints WHERE name = ?',
    );
    this.saveCheckpoint = this.db.prepare(
      `INSERT INTO read_store_checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.removeCheckpoint = this.db.prepare('DELETE FROM read_store_checkpoints WHERE name = ?');
    this.selectOne = this.db.prepare('SELECT 1');
    this.selectDeferred = this.db.prepare('SELECT name FROM read_store_deferred WHERE name = ?');
    this.saveDeferred = this.db.prepare(
      'INSERT INTO read_store_deferred (name) VALUES (?) ON CONFLICT (name) DO NOTHING',
    );
    this.removeDeferred = this.db.prepare('DELETE FROM read_store_deferred WHERE name = ?');
    this.db.pragma(`busy_timeout = ${Math.min(this.busyTimeoutMs, LOCK_WAIT_SLICE_MS)}`);
    this.commitInTransaction = this.db.transaction(
      (writes: ReadWrite[], checkpoint?: Checkpoint, fence?: Fence) => {
        if (fence) this.leases.assertFence(fence);
        for (const write of writes) this.apply(write);
        if (checkpoint) this.saveCheckpoint.run(checkpoint.name, checkpoint.position);
      },
    );
  }

  async ensureCollection(spec: CollectionSpec, options: EnsureOptions = {}): Promise<void> {
    assertCollectionSpec(spec);
    const changed = await this.waiting(() =>
      this.db
        .transaction(() => {
          const stored = this.storedSpec(spec.name);
          const merged = mergeSpecs(stored, spec);
          const deferred = this.selectDeferred.get(spec.name) !== undefined;
          const unchanged = JSON.stringify(merged) === JSON.stringify(stored);
          if (options.deferIndexes && (!stored || deferred)) {
            if (unchanged && deferred) return undefined;
            installTable(this.db, spec.name);
            this.saveDeferred.run(spec.name);
            this.saveSpec.run(spec.name, JSON.stringify(merged));
            return { spec: merged, deferred: true };
          }
          if (deferred) {
            this.buildDeferred(merged);
            this.saveSpec.run(spec.name, JSON.stringify(merged));
            return { spec: merged, deferred: false };
          }
          if (unchanged) return undefined;
          installCollection(this.db, merged, stored);
          this.saveSpec.run(spec.name, JSON.stringify(merged));
          return { spec: merged, deferred: false };
        })
        .immediate(),
    );
    if (changed) {
      this.collections.set(
        spec.name,
        new SqliteCollection(this.db, changed.spec, changed.deferred),
      );
    }
  }

  async buildIndexes(name: string): Promise<void> {
    const target = this.collection(name);
    if (!target.deferred) return;
    // One index at a time, with a turn of the event loop between: each one blocks while it sorts.
    for (const index of target.spec.indexes ?? []) {
      await this.waiting(() => installIndex(this.db, name, index));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const spec = await this.waiting(() =>
      this.db
        .transaction(() => {
          const stored = this.storedSpec(name);
          if (!stored) throw new UnknownCollectionError(name);
          if (this.selectDeferred.get(name)) this.buildDeferred(stored);
          return stored;
        })
        .immediate(),
    );
    this.collections.set(name, new SqliteCollection(this.db, spec));
  }

  async dropCollection(name: string): Promise<void> {
    assertCollectionName(name);
    await this.waiting(() =>
      this.db
        .transaction(() => {
          if (!this.storedSpec(name)) return;
          uninstallCollection(this.db, name);
          this.deleteSpec.run(name);
          this.removeDeferred.run(name);
        })
        .immediate(),
    );
    this.collections.delete(name);
    this.statements.clear();
  }

  // Reads wait for locks like writes do: in WAL mode that is rare (a recovery, a WAL reset).
  async get(collection: string, id: string): Promise<ReadDocument | undefined> {
    return this.waiting(() => this.collection(collection).get(id));
  }

  async getMany(collection: string, ids: string[]): Promise<ReadDocument[]> {
    return this.waiting(() => this.collection(collection).getMany(ids));
  }

  async find(collection: string, query: FindQuery = {}): Promise<ReadDocument[]> {
    return this.waiting(() => this.findNow(collection, query));
  }

  private findNow(collection: string, query: FindQuery): ReadDocument[] {
    const target = this.collection(collection);
    const plan = planQuery(target.spec, query);
    const where = whereSql(collection, query.where);
    const sql = `SELECT doc FROM ${target.table} WHERE ${where.sql}${orderBySql(plan)} LIMIT ?`;
    const rows = this.statement(sql).all(
      ...where.params,
      limitOf(collection, query.limit),
    ) as Array<{
      doc: string;
    }>;
    return rows.map((row) => JSON.parse(row.doc));
  }

  async count(collection: string, where?: FindQuery['where']): Promise<number> {
    return this.waiting(() => {
      const target = this.collection(collection);
      planQuery(target.spec, { where });
      const condition = whereSql(collection, where);
      const sql = `SELECT count(*) AS n FROM ${target.table} WHERE ${condition.sql}`;
      return (this.statement(sql).get(...condition.params) as { n: number }).n;
    });
  }

  async commit(
    writes: ReadWrite[],
    options: { checkpoint?: Checkpoint; fence?: Fence } = {},
  ): Promise<void> {
    const { checkpoint, fence } = options;
    if (
      checkpoint &&
      (typeof checkpoint.name !== 'string' || typeof checkpoint.position !== 'string')
    ) {
      throw new Error('A checkpoint needs a string name and a string position');
    }
    // IMMEDIATE takes the write lock up front, so the fence check and the writes see one state.
    await this.waiting(() => this.commitInTransaction.immediate(writes, checkpoint, fence));
  }

  async checkpoint(name: string): Promise<string | undefined> {
    return this.waiting(() => this.selectCheckpoint.get(name)?.position);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.waiting(() => this.removeCheckpoint.run(name));
  }

  /**
   * Scores are -bm25: higher is a better match. With a limit, a bounded set of the newest matches
   * is ranked (see SEARCH_CANDIDATES); without one, every match.
   */
  async search(
    collection: string,
    text: string,
    options: { limit?: number; filter?: Record<string, FieldValue> } = {},
  ): Promise<SearchHit[]> {
    return this.waiting(() => this.searchNow(collection, text, options));
  }

  private searchNow(
    collection: string,
    text: string,
    options: { limit?: number; filter?: Record<string, FieldValue> },
  ): SearchHit[] {
    const target = this.collection(collection);
    if (target.deferred) {
      throw new Error(`Collection ${collection} is still being built: its text index is not ready`);
    }
    if (!target.searchable) {
      throw new Error(`Collection ${collection} declares no textFields, so it cannot be searched`);
    }
    const filter = options.filter ?? {};
    for (const [field, value] of Object.entries(filter)) {
      if (value !== null && typeof value === 'object') {
        throw new Error(
          `Search filter on ${collection}.${field}: only equality on a value is allowed`,
        );
      }
    }
    assertFilterIndexed(target.spec, filter);
    const limit = limitOf(collection, options.limit);
    const phrases = ftsPhrases(String(text ?? ''));
    if (phrases.length === 0 || limit === 0) return [];
    const match = phrases.join(' ');
    const filtered =
      Object.keys(filter).length > 0
        ? this.searchFilter(collection, target.table, filter)
        : undefined;
    if (filtered === 'none') return [];
    // See SEARCH_CANDIDATES.
    const bound = limit < 0 ? -1 : Math.max(limit, SEARCH_CANDIDATES);
    const newest = searchWalk(target.table, target.fts, match, filtered, bound, limit);
    const rows: ScoredRow[] = this.statement(newest.sql).all(...newest.params) as WalkedRow[];
    const walked = rows[0] as WalkedRow | undefined;
    if (
      walked &&
      bound >= 0 &&
      walked.walked > bound &&
      phrases.length === 1 &&
      (target.spec.textFields ?? []).length > 1
    ) {
      const named = namedWalk(target.table, target.fts, match, filtered, bound, walked.oldest);
      rows.push(...(this.statement(named.sql).all(...named.params) as ScoredRow[]));
    }
    const best = bestOf(rows, limit);
    if (best.length === 0) return [];
    const docs = new Map(
      (
        this.statement(docsByRowidSql(target.table)).all(
          JSON.stringify(best.map((row) => row.rowid)),
        ) as Array<{ rowid: number; doc: string }>
      ).map((row) => [row.rowid, row.doc]),
    );
    return best.map((row) => ({
      collection,
      document: JSON.parse(docs.get(row.rowid)!),
      score: -row.score,
    }));
  }

  /**
   * How a search applies its filter: as a list of rowids when few documents pass it, else on each
   * match; 'none' when no document passes. Counting up to the bound costs ~1 ms; a large filter (a
   * kind) stays large for a while, and either way of applying a filter finds the same documents.
   */
  private searchFilter(
    collection: string,
    table: string,
    filter: Record<string, FieldValue>,
  ): SearchFilterSql | 'none' {
    const where = whereSql(collection, filter);
    const filtered = { where: where.sql, params: where.params, listed: false };
    const key = JSON.stringify([collection, where.sql, where.params]);
    const now = Date.now();
    if (now - (this.largeFilters.get(key) ?? -Infinity) <= LARGE_FILTER_TTL_MS) return filtered;
    const passing = this.statement(filterSizeSql(table, where.sql)).get(
      ...where.params,
      LISTED_FILTER_MAX,
    ) as { n: number };
    if (passing.n === 0) return 'none';
    if (passing.n < LISTED_FILTER_MAX) {
      this.largeFilters.delete(key);
      return { ...filtered, listed: true };
    }
    if (this.largeFilters.size >= MAX_CACHED_STATEMENTS) this.largeFilters.clear();
    this.largeFilters.set(key, now);
    return filtered;
  }

  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
  ): Promise<Lease | undefined> {
    return this.waiting(() => this.leases.acquire(name, holder, ttlMs, now));
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.waiting(() => this.leases.releaseIfHeldBy(name, holder));
  }

  /**
   * After an erasure: rewrites each full-text index without the entries deleted from it (FTS5
   * keeps a deleted row's terms in its segments until they merge), then folds the WAL into the
   * file and truncates it, so no copy of an overwritten page is left behind.
   */
  async purgeDeleted(): Promise<void> {
    const rows = this.db.prepare('SELECT name, spec FROM read_store_collections').all() as Array<{
      name: string;
      spec: string;
    }>;
    for (const row of rows) {
      const spec = JSON.parse(row.spec) as CollectionSpec;
      const target = this.collection(row.name);
      // A collection still being built has no text index yet; it is built from erased values.
      if ((spec.textFields ?? []).length === 0 || target.deferred) continue;
      await this.waiting(() =>
        this.db.prepare(`INSERT INTO ${target.fts} (${target.fts}) VALUES ('optimize')`).run(),
      );
    }
    await this.waiting(() => {
      // A checkpoint kept from finishing by another connection reports busy rather than failing.
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (result.busy) throw new Database.SqliteError('The WAL is still in use', 'SQLITE_BUSY');
    });
  }

  async ping(): Promise<void> {
    this.selectOne.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private waiting<T>(work: () => T): Promise<T> {
    return waitingForLock(work, this.busyTimeoutMs);
  }

  private apply(write: ReadWrite): void {
    const target = this.collection(write.collection);
    switch (write.kind) {
      case 'put':
        return target.put(write.document);
      case 'delete':
        return target.delete(write.id);
      case 'increment':
        return target.increment(write.id, write.amounts, write.fields);
      default:
        throw new Error(
          `Unknown read-store write kind ${JSON.stringify((write as { kind: unknown }).kind)}`,
        );
    }
  }

  private collection(name: string): SqliteCollection {
    let collection = this.collections.get(name);
    if (!collection) {
      assertCollectionName(name);
      const spec = this.storedSpec(name);
      if (!spec) throw new UnknownCollectionError(name);
      collection = new SqliteCollection(this.db, spec, this.selectDeferred.get(name) !== undefined);
      this.collections.set(name, collection);
    }
    return collection;
  }

  /** Every index and the text index, over the documents already stored; in a transaction. */
  private buildDeferred(spec: CollectionSpec): void {
    installCollection(this.db, spec, { name: spec.name });
    this.removeDeferred.run(spec.name);
  }

  /** SQLite table names ignore case, so "Deals" and "deals" would share a table: refuse that. */
  private storedSpec(name: string): CollectionSpec | undefined {
    const row = this.selectSpec.get(name);
    if (!row) return undefined;
    if (row.name !== name) {
      throw new Error(
        `Collection ${name} clashes with collection ${row.name}: names must differ by more than case`,
      );
    }
    return JSON.parse(row.spec);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) {
        this.statements.delete(this.statements.keys().next().value!);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** No limit means all; SQLite reads LIMIT -1 that way. */
function limitOf(collection: string, limit: number | undefined): number {
  if (limit === undefined) return -1;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new Error(
      `Query on ${collection}: limit must be a whole number of at least 0, got ${limit}`,
    );
  }
  return limit;
}
