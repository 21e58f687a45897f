import type Database from 'better-sqlite3';
import { FencedOffError, Fence, Lease } from '../read-store.port';

interface LeaseRow {
  holder: string | null;
  token: number;
  expires_at: number;
}

/**
 * Leases with fencing tokens. A released lease keeps its row (holder NULL) so the next holder's
 * token still grows. Time is always passed in: nothing here reads the wall clock.
 */
export class SqliteLeases {
  private readonly select: Database.Statement<[string], LeaseRow>;
  private readonly save: Database.Statement<[string, string, number, number]>;
  private readonly release: Database.Statement<[string, string]>;
  private readonly acquireInTransaction: Database.Transaction<
    (name: string, holder: string, ttlMs: number, now: Date) => Lease | undefined
  >;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS read_store_leases (
      name       TEXT PRIMARY KEY,
      holder     TEXT,
      token      INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
    this.select = db.prepare(
      'SELECT holder, token, expires_at FROM read_store_leases WHERE name = ?',
    );
    this.save = db.prepare(
      `INSERT INTO read_store_leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token,
         expires_at = excluded.expires_at`,
    );
    this.release = db.prepare(
      'UPDATE read_store_leases SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ?',
    );
    this.acquireInTransaction = db.transaction(
      (name: string, holder: string, ttlMs: number, now: Date) => {
        const nowMs = now.getTime();
        const expiresAt = nowMs + ttlMs;
        const row = this.select.get(name);
        const live = row !== undefined && row.holder !== null && row.expires_at > nowMs;
        if (live && row.holder !== holder) return undefined;
        // Renewal keeps the token; any new acquisition (even by the same holder after expiry) bumps it.
        const token = live ? row.token : (row?.token ?? 0) + 1;
        this.save.run(name, holder, token, expiresAt);
        return { name, holder, token, expiresAt: new Date(expiresAt) };
      },
    );
  }

  acquire(name: string, holder: string, ttlMs: number, now: Date): Lease | undefined {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new Error(`Lease ${name}: ttlMs must be positive, got ${ttlMs}`);
    if (!(now instanceof Date) || Number.isNaN(now.getTime()))
      throw new Error(`Lease ${name}: now is not a valid Date`);
    return this.acquireInTransaction.immediate(name, holder, ttlMs, now);
  }

  releaseIfHeldBy(name: string, holder: string): void {
    this.release.run(name, holder);
  }

  /**
   * Commits carry no clock, so expiry is not checked here: an expired lease that nobody took over
   * still admits its holder's writes (its token is unchanged). Taking a lease over bumps the token,
   * and releasing it clears the holder, so either one fences the old holder off.
   */
  assertFence(fence: Fence): void {
    const row = this.select.get(fence.lease);
    if (!row || row.holder === null || row.token !== fence.token) {
      throw new FencedOffError(fence.lease, fence.token);
    }
  }
}
