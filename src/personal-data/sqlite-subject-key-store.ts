import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SharedSqliteConnection, SqliteGroupCommit } from '../shared/sqlite-group-commit';
import { SubjectKeyStore } from './subject-key-store';

interface KeyRow {
  wrapped: Buffer | null;
  erased_at: string | null;
}

/** Unwrapped keys kept in memory; every read of a sealed event needs one. */
const CACHE_LIMIT = 10_000;

/**
 * Subject keys in the embedded read-store database, each wrapped (AES-256-GCM) with the master key
 * so that a copy of this file alone does not unlock the events. New keys are group-committed:
 * concurrent inquiries share one fsync, and no key is handed out before it is durable.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;
  private readonly commits: SqliteGroupCommit;
  private readonly cache = new Map<string, Buffer>();
  private readonly creating = new Map<string, Promise<Buffer | undefined>>();
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
  }

  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    const known = await this.existingKey(subjectId);
    if (known || (await this.isErased(subjectId))) return known;
    let creating = this.creating.get(subjectId);
    if (!creating) {
      creating = this.create(subjectId).finally(() => this.creating.delete(subjectId));
      this.creating.set(subjectId, creating);
    }
    return creating;
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

  private async create(subjectId: string): Promise<Buffer | undefined> {
    const key = randomBytes(32);
    // INSERT OR IGNORE: if another writer created it first, theirs is the key.
    const row = await this.commits.run(() => {
      this.insert.run(subjectId, this.wrap(key), new Date().toISOString());
      return this.select.get(subjectId);
    });
    return row?.wrapped ? this.remember(subjectId, this.unwrap(row.wrapped)) : undefined;
  }

  private remember(subjectId: string, key: Buffer): Buffer {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(subjectId, key);
    return key;
  }

  private wrap(key: Buffer): Buffer {
    const iv = randomBytes(12);
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
