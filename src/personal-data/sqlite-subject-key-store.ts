import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SubjectKeyStore } from './subject-key-store';

interface KeyRow {
  wrapped: Buffer | null;
  erased_at: string | null;
}

/**
 * Subject keys in the embedded read-store database, each wrapped (AES-256-GCM) with the master key
 * so that a copy of this file alone does not unlock the events.
 */
export class SqliteSubjectKeyStore implements SubjectKeyStore {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly masterKey: Buffer,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS subject_keys (
      subject_id TEXT PRIMARY KEY,
      wrapped    BLOB,
      created_at TEXT NOT NULL,
      erased_at  TEXT,
      erased_by  TEXT,
      request_ref TEXT
    )`);
  }

  async keyFor(subjectId: string): Promise<Buffer | undefined> {
    const existing = this.row(subjectId);
    if (existing) return existing.wrapped ? this.unwrap(existing.wrapped) : undefined;
    const key = randomBytes(32);
    // INSERT OR IGNORE: if another writer created it first, theirs is the key.
    this.db
      .prepare(
        'INSERT OR IGNORE INTO subject_keys (subject_id, wrapped, created_at) VALUES (?, ?, ?)',
      )
      .run(subjectId, this.wrap(key), new Date().toISOString());
    const row = this.row(subjectId);
    return row?.wrapped ? this.unwrap(row.wrapped) : undefined;
  }

  async existingKey(subjectId: string): Promise<Buffer | undefined> {
    const row = this.row(subjectId);
    return row?.wrapped ? this.unwrap(row.wrapped) : undefined;
  }

  async destroy(
    subjectId: string,
    record: { erasedAt: string; erasedBy: string; requestRef: string },
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO subject_keys (subject_id, wrapped, created_at, erased_at, erased_by, request_ref)
         VALUES (@subjectId, NULL, @erasedAt, @erasedAt, @erasedBy, @requestRef)
         ON CONFLICT (subject_id) DO UPDATE SET wrapped = NULL, erased_at = @erasedAt,
           erased_by = @erasedBy, request_ref = @requestRef`,
      )
      .run({ subjectId, ...record });
    // The wrapped key may linger in freed pages and the WAL until they are rewritten.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async isErased(subjectId: string): Promise<boolean> {
    return Boolean(this.row(subjectId)?.erased_at);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private row(subjectId: string): KeyRow | undefined {
    return this.db
      .prepare('SELECT wrapped, erased_at FROM subject_keys WHERE subject_id = ?')
      .get(subjectId) as KeyRow | undefined;
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
