import type Database from 'better-sqlite3';

export function createEventTables(db: Database.Database): void {
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
    -- readCorrelated: within one correlation id, entries follow the rowid, which is log order.
    CREATE INDEX IF NOT EXISTS events_by_correlation
      ON events (json_extract(metadata, '$."$correlationId"'));
  `);
}

/** Positions are fixed-width so that string order equals global order (see comparePositions). */
export const encodePosition = (position: number | bigint): string =>
  position.toString().padStart(20, '0');

export const decodePosition = (token: string): number | undefined =>
  /^\d{20}$/.test(token) ? Number(token) : undefined;
