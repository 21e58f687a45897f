import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { validateAppend } from '../append-validation';
import {
  InvalidAppendError,
  InvalidPositionError,
  OccurredAtBeforeStreamError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import {
  AllFilter,
  AppendResult,
  CorrelatedEvents,
  CorrelatedReadOptions,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { SharedSqliteConnection, SqliteGroupCommit } from '../../shared/sqlite-group-commit';
import { createEventTables, decodePosition, encodePosition } from './sqlite-schema';
import { SqliteSubscription } from './sqlite-subscription';
import { WalDurability } from './wal-durability';

export interface SqliteEventStoreOptions {
  /** Database file, or ':memory:'. */
  file: string;
  /**
   * FULL survives an OS crash or power loss: no append is acknowledged before its write-ahead log
   * is flushed to disk (off the event loop: see WalDurability). NORMAL survives a process crash.
   */
  synchronous?: 'FULL' | 'NORMAL';
  clock?: () => Date;
  /** How often live subscriptions look for appends made by other connections. */
  pollIntervalMs?: number;
  busyTimeoutMs?: number;
}

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface PreparedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
  occurredMs: number;
  occurredAt: string;
}

/** A page of readAll, plus how far the scan got, so filtered subscriptions never rescan. */
export interface ScannedPage {
  events: RecordedEvent[];
  scannedTo: number;
  complete: boolean;
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly filteredStatements = new Map<string, Database.Statement>();
  private readonly lastEventOf: Database.Statement<
    [string],
    { revision: number; occurred_ms: number }
  >;
  private readonly insertEvent: Database.Statement;
  private readonly commits: SqliteGroupCommit;
  /** For FULL on a file: commits are flushed off the event loop and held from readers until then. */
  private readonly durability?: WalDurability;
  readonly pollIntervalMs: number;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  private constructor(options: SqliteEventStoreOptions) {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    const synchronous = options.synchronous ?? 'FULL';
    const flushesOffLoop = synchronous === 'FULL' && options.file !== ':memory:';
    // With FULL, SQLite would fsync inside every commit, on the event loop; WalDurability flushes
    // the log itself, off the loop, before any commit is acknowledged or read.
    this.db.pragma(`synchronous = ${flushesOffLoop ? 'NORMAL' : synchronous}`);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    createEventTables(this.db);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.lastEventOf = this.db.prepare(
      'SELECT revision, occurred_ms FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
    );
    this.insertEvent = this.db.prepare(
      `INSERT INTO events (stream, revision, id, type, data, metadata, occurred_ms, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    if (flushesOffLoop)
      this.durability = new WalDurability(`${options.file}-wal`, () => this.headNumber());
    // Each batch is an IMMEDIATE transaction: the write lock is held before any revision check, so
    // another connection cannot interleave.
    this.commits = new SqliteGroupCommit(this.db, this.durability);
  }

  async append(
    streamName: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const occurredMillis = validateAppend(streamName, events, options.expectedRevision);
    const prepared = events.map((event, index): PreparedEvent => ({
      id: event.id ?? uuidv7(),
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify({ schemaVersion: 1, ...event.metadata }),
      occurredMs: occurredMillis[index],
      occurredAt: event.metadata.occurredAt,
    }));
    if (!this.db.open) throw new StoreUnavailableError('The SQLite event store is closed');
    if (this.durability?.failure) throw this.durability.failure;
    let result: AppendResult;
    try {
      result = await this.commits.run(() =>
        this.appendInTransaction(streamName, prepared, options.expectedRevision),
      );
    } catch (error) {
      throw mapSqliteError(error);
    }
    for (const listener of this.appendListeners) listener();
    return result;
  }

  private appendInTransaction(
    streamName: string,
    events: PreparedEvent[],
    expected: ExpectedRevision,
  ): AppendResult {
    const last = this.lastEventOf.get(streamName);
    const actual = last ? last.revision : -1;
    const conflict =
      expected === 'no_stream'
        ? actual !== -1
        : expected === 'stream_exists'
          ? actual === -1
          : typeof expected === 'number' && actual !== expected;
    if (conflict) throw new WrongExpectedRevisionError(streamName, expected, actual);
    if (last && events[0].occurredMs < last.occurred_ms) {
      throw new OccurredAtBeforeStreamError(
        streamName,
        events[0].occurredAt,
        new Date(last.occurred_ms).toISOString(),
      );
    }
    const recordedAt = this.clock().toISOString();
    let position = 0 as number | bigint;
    events.forEach((event, index) => {
      position = this.insertEvent.run(
        streamName,
        actual + 1 + index,
        event.id,
        event.type,
        event.data,
        event.metadata,
        event.occurredMs,
        recordedAt,
      ).lastInsertRowid;
    });
    return { nextExpectedRevision: actual + events.length, position: encodePosition(position) };
  }

  /** For the embedded subject-key store: new keys then share the events' commits and fsyncs. */
  sharedConnection(): SharedSqliteConnection {
    return { db: this.db, commits: this.commits };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backward = options.direction === 'backward';
    const from = options.fromRevision ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
    const limit = options.maxCount ?? -1;
    const sql = backward
      ? 'SELECT * FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?'
      : 'SELECT * FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?';
    const rows = this.guard(() => this.statement(sql).all(streamName, from, limit) as EventRow[]);
    // A stream read may include an append still being flushed: it is answered once that is durable.
    const newest = rows.reduce((max, row) => Math.max(max, row.position), 0);
    if (this.durability) await this.durability.whenDurable(newest);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = this.decodeAfter(options.after);
    return this.scanAll(after, options.maxCount ?? -1, options.filter).events;
  }

  async readCorrelated(
    correlationId: string,
    options: CorrelatedReadOptions = {},
  ): Promise<CorrelatedEvents> {
    return this.guard(() => {
      const head = this.visibleHead();
      const types = options.eventTypes;
      const where =
        `WHERE json_extract(metadata, '$."$correlationId"') = ? AND position <= ?` +
        (types ? ` AND type IN (${types.map(() => '?').join(', ')})` : '');
      const params = [correlationId, head, ...(types ?? [])];
      const limit = options.maxCount ?? -1;
      const rows = this.statement(
        `SELECT * FROM events ${where} ORDER BY position ASC LIMIT ?`,
      ).all(...params, limit) as EventRow[];
      // Fewer rows than the limit are all there is: only a full page needs counting.
      const full = limit >= 0 && rows.length === limit;
      const total = full
        ? (
            this.statement(`SELECT COUNT(*) AS total FROM events ${where}`).get(...params) as {
              total: number;
            }
          ).total
        : rows.length;
      return { events: rows.map(toRecordedEvent), more: total - rows.length };
    });
  }

  /** Synchronous page of readAll, used by subscriptions. */
  scanAll(after: number, limit: number, filter: AllFilter | undefined): ScannedPage {
    return this.guard(() => {
      const head = this.visibleHead();
      // Followers mostly ask when nothing is new: answered without a scan.
      if (after >= head) return { events: [], scannedTo: Math.max(after, head), complete: true };
      const { sql, params } = filteredQuery(filter);
      const rows = this.statement(sql).all(after, head, ...params, limit) as EventRow[];
      const complete = limit < 0 || rows.length < limit;
      return {
        events: rows.map(toRecordedEvent),
        scannedTo: complete ? head : rows[rows.length - 1].position,
        complete,
      };
    });
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const subscription = new SqliteSubscription(
      this,
      this.decodeAfter(options.after),
      options,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Registers a callback for appends made through this connection; returns the unregister. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  async headPosition(): Promise<string | undefined> {
    const head = this.guard(() => this.visibleHead());
    return head === 0 ? undefined : encodePosition(head);
  }

  async ping(): Promise<void> {
    this.guard(() => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.durability?.drain();
    if (this.db.open) this.db.close();
  }

  /** The head readers may see: appends still being flushed are not there yet. */
  private visibleHead(): number {
    return this.durability ? this.durability.visibleHead() : this.headNumber();
  }

  private headNumber(): number {
    const row = this.statement('SELECT MAX(position) AS head FROM events').get() as {
      head: number | null;
    };
    return row.head ?? 0;
  }

  private decodeAfter(after: string | undefined): number {
    if (after === undefined) return 0;
    const decoded = decodePosition(after);
    if (decoded === undefined) throw new InvalidPositionError('after', after);
    return decoded;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.filteredStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.filteredStatements.set(sql, statement);
    }
    return statement;
  }

  private guard<T>(work: () => T): T {
    if (!this.db.open) throw new StoreUnavailableError('The SQLite event store is closed');
    try {
      return work();
    } catch (error) {
      throw mapSqliteError(error);
    }
  }
}

function mapSqliteError(error: unknown): unknown {
  if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new InvalidAppendError('events[].id', 'an event with this id is already stored');
  }
  if (
    error instanceof Database.SqliteError &&
    /^SQLITE_(BUSY|IOERR|CANTOPEN|FULL)/.test(error.code)
  ) {
    return new StoreUnavailableError(`SQLite event store: ${error.message}`, { cause: error });
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new StoreUnavailableError('The SQLite event store is closed', { cause: error });
  }
  return error;
}

function filteredQuery(filter: AllFilter | undefined): { sql: string; params: string[] } {
  const where = ['position > ?', 'position <= ?'];
  const params: string[] = [];
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length > 0) {
    where.push(`(${prefixes.map(() => 'substr(stream, 1, ?) = ?').join(' OR ')})`);
    for (const prefix of prefixes) params.push(String(prefix.length), prefix);
  }
  const types = filter?.eventTypes ?? [];
  if (types.length > 0) {
    where.push(`type IN (${types.map(() => '?').join(', ')})`);
    params.push(...types);
  }
  return {
    sql: `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`,
    params,
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamName: row.stream,
    revision: row.revision,
    position: encodePosition(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
