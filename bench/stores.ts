/**
 * The stores under test, behind one small interface:
 *  - ours: SqliteEventStore, through the EventStore port;
 *  - raw: better-sqlite3 alone on a comparable table, the limit for the same settings;
 *  - Emmett 0.38.5 on sqlite3, a yardstick only (installed in bench/package.json, never in the product).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  appendToStream,
  createEventStoreSchema,
  getSQLiteEventStore,
  readMessagesBatch,
  sqliteConnection,
  type SQLiteConnection,
} from '@event-driven-io/emmett-sqlite';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { BenchEvent } from './workload';

export interface AppendTarget {
  /** One event, one durable transaction, with the exact expected revision. */
  append(event: BenchEvent): unknown;
  close(): Promise<void>;
  /** Attempts that failed inside the store and were retried (their time counts in the append's). */
  retried?: { count: number; lastError?: string };
}

export interface ReadTarget {
  /** Writes the events in bulk, one append (transaction) per stream. Not timed. */
  fill(streams: Iterable<BenchEvent[]>): Promise<void>;
  /** Reads every event from the start, page by page, parsing data and metadata; returns the count. */
  readAll(pageSize: number): Promise<number>;
  close(): Promise<void>;
}

const toNewEvent = (event: BenchEvent) => ({
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

// ---------------------------------------------------------------- ours

export function oursAppend(file: string): AppendTarget {
  const store = SqliteEventStore.open({ file, synchronous: 'FULL' });
  return {
    append: (event) =>
      store.append(event.streamName, [toNewEvent(event)], {
        expectedRevision: event.revision === 0 ? 'no_stream' : event.revision - 1,
      }),
    close: () => store.close(),
  };
}

export function oursRead(file: string): ReadTarget {
  let store: SqliteEventStore | undefined;
  return {
    async fill(streams) {
      // NORMAL only speeds up the untimed fill; the store is reopened with its default for reading.
      const writer = SqliteEventStore.open({ file, synchronous: 'NORMAL' });
      for (const events of streams) {
        await writer.append(events[0].streamName, events.map(toNewEvent), {
          expectedRevision: 'no_stream',
        });
      }
      await writer.close();
      store = SqliteEventStore.open({ file });
    },
    async readAll(pageSize) {
      if (!store) throw new Error('fill first');
      let after: string | undefined;
      let count = 0;
      for (;;) {
        const page = await store.readAll({ after, maxCount: pageSize });
        count += page.length;
        if (page.length < pageSize) return count;
        after = page[page.length - 1].position;
      }
    },
    close: async () => store?.close(),
  };
}

// ---------------------------------------------------------------- raw better-sqlite3

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The same columns and constraints as our events table, so only the code on top differs.
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position     INTEGER PRIMARY KEY,
      stream       TEXT    NOT NULL,
      revision     INTEGER NOT NULL,
      id           TEXT    NOT NULL UNIQUE,
      type         TEXT    NOT NULL,
      data         TEXT    NOT NULL,
      metadata     TEXT    NOT NULL,
      occurred_ms  INTEGER NOT NULL,
      recorded_at  TEXT    NOT NULL,
      UNIQUE (stream, revision)
    );
  `);
  return db;
}

const INSERT_SQL = `INSERT INTO events (stream, revision, id, type, data, metadata, occurred_ms, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

const rawRow = (event: BenchEvent, recordedAt: string) =>
  [
    event.streamName,
    event.revision,
    randomUUID(),
    event.type,
    JSON.stringify(event.data),
    JSON.stringify({ schemaVersion: 1, ...event.metadata }),
    Date.parse(event.metadata.occurredAt),
    recordedAt,
  ] as const;

export function rawAppend(file: string): AppendTarget {
  const db = openRaw(file);
  const insert = db.prepare(INSERT_SQL);
  const appendOne = db.transaction((event: BenchEvent) => {
    insert.run(...rawRow(event, new Date().toISOString()));
  });
  return {
    // One INSERT per BEGIN IMMEDIATE … COMMIT, as our store takes the write lock the same way.
    append: (event) => appendOne.immediate(event),
    close: async () => void db.close(),
  };
}

interface RawRow {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export function rawRead(file: string): ReadTarget {
  const db = openRaw(file);
  return {
    async fill(streams) {
      db.pragma('synchronous = NORMAL');
      const insert = db.prepare(INSERT_SQL);
      const recordedAt = new Date().toISOString();
      const insertMany = db.transaction((batch: BenchEvent[][]) => {
        for (const events of batch)
          for (const event of events) insert.run(...rawRow(event, recordedAt));
      });
      let batch: BenchEvent[][] = [];
      let inBatch = 0;
      for (const events of streams) {
        batch.push(events);
        inBatch += events.length;
        if (inBatch >= 20_000) {
          insertMany(batch);
          batch = [];
          inBatch = 0;
        }
      }
      if (batch.length > 0) insertMany(batch);
      db.pragma('synchronous = FULL');
    },
    async readAll(pageSize) {
      const page = db.prepare<[number, number], RawRow>(
        `SELECT position, stream, revision, id, type, data, metadata, recorded_at
           FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      );
      let after = 0;
      let count = 0;
      for (;;) {
        const rows = page.all(after, pageSize);
        // The least a reader does: decode each row into an event with parsed data and metadata.
        const events = rows.map((row) => ({
          position: row.position,
          streamName: row.stream,
          revision: row.revision,
          id: row.id,
          type: row.type,
          data: JSON.parse(row.data) as unknown,
          metadata: JSON.parse(row.metadata) as unknown,
          recordedAt: row.recorded_at,
        }));
        count += events.length;
        if (events.length < pageSize) return count;
        after = events[events.length - 1].position;
      }
    },
    close: async () => void db.close(),
  };
}

// ---------------------------------------------------------------- Emmett 0.38.5 (yardstick)

const toEmmettEvent = (event: BenchEvent) => ({
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

/**
 * Emmett's store as documented: `getSQLiteEventStore({ fileName })`. For a file it opens a new
 * sqlite3 connection for every call and closes it afterwards.
 */
export function emmettDefaultAppend(fileName: string): AppendTarget {
  const store = getSQLiteEventStore({ fileName });
  const retried = { count: 0 } as NonNullable<AppendTarget['retried']>;
  return {
    append: (event) =>
      retryBusy(retried, () =>
        store.appendToStream(event.streamName, [toEmmettEvent(event)], {
          expectedStreamVersion: BigInt(event.revision),
        }),
      ),
    // Each call closed its connection, but Emmett does not wait for the close (and the WAL
    // checkpoint it runs); give that background work time to end before the next measurement.
    close: () => new Promise((done) => setTimeout(done, 500)),
    retried,
  };
}

/**
 * Emmett 0.38.5 on sqlite3 now and then fails a commit with "SQLITE_BUSY: cannot commit transaction -
 * SQL statements in progress" (a statement of its own is not finalized yet); the transaction is
 * rolled back, so the same append is retried, as an application would.
 */
async function retryBusy<T>(
  retried: NonNullable<AppendTarget['retried']>,
  append: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await append();
    } catch (error) {
      const busy = error instanceof Error && /SQLITE_BUSY/.test(error.message);
      if (!busy || attempt >= 3) throw error;
      retried.count++;
      retried.lastError = error.message;
    }
  }
}

/**
 * Emmett on one persistent connection. 0.38.5's getSQLiteEventStore has no option for that (its
 * options are fileName, projections, schema and hooks), so this uses the functions it exports for
 * the same work: sqliteConnection, createEventStoreSchema and appendToStream.
 */
export function emmettConnectionAppend(fileName: string): AppendTarget {
  const connection = sqliteConnection({ fileName });
  const ready = createEventStoreSchema(connection);
  const retried = { count: 0 } as NonNullable<AppendTarget['retried']>;
  return {
    append: async (event) => {
      await ready;
      const result = await retryBusy(retried, () =>
        appendToStream(connection, event.streamName, 'deal', [toEmmettEvent(event)], {
          expectedStreamVersion: BigInt(event.revision),
        }),
      );
      if (!result.success) throw new Error(`Emmett append to ${event.streamName} failed`);
    },
    close: () => closeEmmett(connection, ready),
    retried,
  };
}

/** Emmett's read of the global log, as its consumers do: readMessagesBatch on one connection. */
export function emmettRead(fileName: string): ReadTarget {
  const connection = sqliteConnection({ fileName });
  const ready = createEventStoreSchema(connection);
  return {
    async fill(streams) {
      await ready;
      await connection.command('PRAGMA synchronous = NORMAL');
      for (const events of streams) {
        const result = await appendToStream(
          connection,
          events[0].streamName,
          'deal',
          events.map(toEmmettEvent),
          { expectedStreamVersion: 0n },
        );
        if (!result.success) throw new Error(`Emmett fill of ${events[0].streamName} failed`);
      }
      await connection.command('PRAGMA synchronous = FULL');
    },
    async readAll(pageSize) {
      let after = 0n;
      let count = 0;
      for (;;) {
        const batch = await readMessagesBatch(connection, { after, batchSize: pageSize });
        count += batch.messages.length;
        if (!batch.areEventsLeft) return count;
        after = batch.currentGlobalPosition;
      }
    },
    close: () => closeEmmett(connection, ready),
  };
}

/** The synchronous level of Emmett's sqlite3 connections (it sets only journal_mode itself). */
export async function emmettSynchronous(fileName: string): Promise<string> {
  const connection = sqliteConnection({ fileName });
  try {
    const row = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    return ['OFF', 'NORMAL', 'FULL', 'EXTRA'][row?.synchronous ?? -1] ?? String(row?.synchronous);
  } finally {
    await closeEmmett(connection, Promise.resolve());
  }
}

async function closeEmmett(connection: SQLiteConnection, ready: Promise<void>): Promise<void> {
  await ready.catch(() => undefined);
  // Emmett's close() does not wait; a query queued behind it tells when the queue has drained.
  await connection.query('SELECT 1').catch(() => undefined);
  connection.close();
  // The close (and its WAL checkpoint) runs on sqlite3's thread pool; let it end.
  await new Promise((done) => setTimeout(done, 500));
}
