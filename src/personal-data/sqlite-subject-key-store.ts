import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SharedSqliteConnection, SqliteGroupCommit } from '../shared/sqlite-group-commit';
import { randomBytesFromPool } from './random-pool';
import { SubjectKeyStore } from './subject-key-store';

interface KeyRow {
  wrapped: Buffer | null;
  erased_at: string | null;
}

/** Unwrapped keys kept in memory; every read of a sealed event needs one. */
const CACHE_LIMIT = 10_000;

/** A key handed out and not yet durable, with its row as the next commit will write it. */
interface UnconfirmedKey {
  key: Buffer;
  wrapped: Buffer;
}

/**
 * Another connection to the same database created the subject's key first. The batch that would
 * have written ours fails whole, so no event sealed with our key commits; the next one uses theirs.
 */
export class SubjectKeyRaceError extends Error {
  constructor(readonly subjectId: string) {
    super(`The data key for ${subjectId} was created by another writer at the same time; retry`);
    this.name = 'SubjectKeyRaceError';
  }
}

/**
 * Subject keys in the embedded read-store database, each wrapped (AES-256-GCM) with the master key
 * so that a copy of this file alone does not unlock the events.
 *
 * A new key is written by the first group commit after it is handed out, at the start of that
 * batch's transaction: every commit carries the keys not yet durable. Events sealed with a key are
 * appended after it was handed out, so when they share this connection (the embedded event store)
 * they commit in the same transaction as their key or after it, with no commit of the key's own
 * in between: {@link keyForSealing}. A key that is to leave the database before a commit (a file
 * encrypted with it, events in another store) is awaited durable: {@link keyFor}.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;
  private readonly commits: SqliteGroupCommit;
  private readonly cache = new Map<string, Buffer>();
  private readonly unconfirmed = new Map<string, UnconfirmedKey>();
  private readonly select: Database.Statement<[string], KeyRow>;
  private readonly insert: Database.Statement;

  private readonly ownsConnection: boolean;

  /**
   * `connection`: a file of its own, or a connection shared with the embedded event store, so that
   * a new key and the events sealed with it ride the same group commit and fsync.
   */
  constructor(
    connection: string | SharedSqliteConnection,
    private readonly masterKey: Buffer,
  ) {
    this.ownsConnection = typeof connection === 'string';
    if (typeof connection === 'string') {
      if (connection !== ':memory:') mkdirSync(dirname(connection), { recursive: true });
      this.db = new Database(connection);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.commits = new SqliteGroupCommit(this.db);
    } else {
      ({ db: this.db, commits: this.commits } = connection);
    }
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (
      subject_id TEXT PRIMARY KEY,
      wrapped    BLOB,
      created_at TEXT NOT NULL,
      erased_at  TEXT,
      erased_by  TEXT,
      request_ref TEXT
    )`);
    this.select = this.db.prepare(
      'SELECT wrapped, erased_at FROM subject_keys WHERE subject_id = ?',
    );
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO subject_keys (subject_id, wrapped, created_at) VALUES (?, ?, ?)',
    );
    this.commits.addPrelude(() => this.writeUnconfirmed());
  }

  /** Durable before it is handed out: for what leaves the database before its next commit. */
  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    const key = await this.handOut(subjectId);
    if (!key || !this.unconfirmed.has(subjectId)) return key;
    try {
      // Any batch writes the keys not yet durable; this one carries no write of its own.
      await this.commits.run(() => undefined);
    } catch (error) {
      if (!(error instanceof SubjectKeyRaceError)) throw error;
    }
    // Durable now, or lost to another writer's key, which the next look finds.
    return this.keyFor(subjectId);
  }

  /**
   * For sealing events that this store's connection will append (the embedded event store): a new
   * key is handed out at once and becomes durable in the same commit as those events, or before.
   * A store with a file of its own shares no commit with the events, so its keys are awaited.
   */
  keyForSealing(subjectId: string): Promise<Buffer | undefined> {
    return this.ownsConnection ? this.keyFor(subjectId) : this.handOut(subjectId);
  }

  private async handOut(subjectId: string): Promise<Buffer | undefined> {
    const pending = this.unconfirmed.get(subjectId);
    if (pending) return pending.key;
    const known = await this.existingKey(subjectId);
    if (known || (await this.isErased(subjectId))) return known;
    return this.create(subjectId);
  }

  async existingKey(subjectId: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(subjectId);
    if (cached) return cached;
    const row = this.select.get(subjectId);
    if (!row?.wrapped) return undefined;
    return this.remember(subjectId, this.unwrap(row.wrapped));
  }

  async destroy(
    subjectId: string,
    record: { erasedAt: string; erasedBy: string; requestRef: string },
  ): Promise<void> {
    this.cache.delete(subjectId);
    this.unconfirmed.delete(subjectId);
    await this.commits.run(() =>
      this.db
        .prepare(
          `INSERT INTO subject_keys (subject_id, wrapped, created_at, erased_at, erased_by, request_ref)
           VALUES (@subjectId, NULL, @erasedAt, @erasedAt, @erasedBy, @requestRef)
           ON CONFLICT (subject_id) DO UPDATE SET wrapped = NULL, erased_at = @erasedAt,
             erased_by = @erasedBy, request_ref = @requestRef`,
        )
        .run({ subjectId, ...record }),
    );
    this.cache.delete(subjectId);
    // The wrapped key may linger in freed pages and the WAL until they are rewritten.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async isErased(subjectId: string): Promise<boolean> {
    if (this.cache.has(subjectId)) return false;
    return Boolean(this.select.get(subjectId)?.erased_at);
  }

  async close(): Promise<void> {
    if (this.ownsConnection && this.db.open) this.db.close();
  }

  /** Synchronous, so two callers for the same new subject never make two keys. */
  private create(subjectId: string): Buffer {
    const raced = this.unconfirmed.get(subjectId)?.key ?? this.cache.get(subjectId);
    if (raced) return raced;
    const key = randomBytesFromPool(32);
    this.unconfirmed.set(subjectId, { key, wrapped: this.wrap(key) });
    return this.remember(subjectId, key);
  }

  /**
   * The batch prelude: writes every key not yet durable. INSERT OR IGNORE: a key another
   * connection wrote first is theirs, and then events sealed with ours must not commit.
   */
  private writeUnconfirmed(): (() => void) | void {
    if (this.unconfirmed.size === 0) return;
    const written = [...this.unconfirmed];
    const createdAt = new Date().toISOString();
    for (const [subjectId, pending] of written) {
      this.insert.run(subjectId, pending.wrapped, createdAt);
      const row = this.select.get(subjectId);
      if (row?.wrapped?.equals(pending.wrapped)) continue;
      this.unconfirmed.delete(subjectId);
      this.cache.delete(subjectId);
      // Erased meanwhile (by another connection): what was sealed with our key stays unreadable.
      if (!row?.wrapped) continue;
      throw new SubjectKeyRaceError(subjectId);
    }
    return () => {
      for (const [subjectId, pending] of written) {
        if (this.unconfirmed.get(subjectId) === pending) this.unconfirmed.delete(subjectId);
      }
    };
  }

  private remember(subjectId: string, key: Buffer): Buffer {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, key);
    return key;
  }

  private wrap(key: Buffer): Buffer {
    const iv = randomBytesFromPool(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private unwrap(wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, wrapped.subarray(0, 12));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
