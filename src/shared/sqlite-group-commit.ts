import type Database from 'better-sqlite3';

/** One SQLite connection and its group commit, shared by stores that live in the same file. */
export interface SharedSqliteConnection {
  db: Database.Database;
  commits: SqliteGroupCommit;
}

/**
 * Work that joins every batch's transaction ahead of its writes: rows the writes may depend on.
 * Throwing fails the whole batch. What it returns is called once the batch is durable.
 */
export type BatchPrelude = () => (() => void) | void;

/**
 * How a committed batch becomes durable when the connection's commit does not make it so itself:
 * resolves once every transaction committed before the call is on stable storage.
 */
export interface CommitDurability {
  sync(): Promise<void>;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: writes queued while the event loop is busy commit together in one transaction, so
 * concurrent requests share one fsync instead of paying one each. Each write runs in its own
 * savepoint, so one write's refusal rolls back only that write. Nothing resolves before the
 * shared commit is durable.
 */
export class SqliteGroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly preludes: BatchPrelude[] = [];

  /**
   * With `durability`, a batch commits without waiting for the disk and is resolved only once
   * `durability.sync()` says it is durable, so the event loop serves other work meanwhile.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly durability?: CommitDurability,
  ) {}

  /** Runs `prelude` at the start of every batch from now on, inside its transaction. */
  addPrelude(prelude: BatchPrelude): void {
    this.preludes.push(prelude);
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const outcomes: Outcome[] = [];
    const durable: Array<() => void> = [];
    try {
      this.db
        .transaction(() => {
          durable.length = 0;
          for (const prelude of this.preludes) {
            const done = prelude();
            if (done) durable.push(done);
          }
          for (const { work } of batch) {
            try {
              // A lone write needs no savepoint: its failure rolls back the whole batch, which then
              // held nothing else but what the preludes write again next time.
              outcomes.push({
                ok: true,
                value: batch.length === 1 ? work() : this.db.transaction(work)(),
              });
            } catch (error) {
              // FULL, IOERR, NOMEM and BUSY can roll back the whole transaction: later writes would
              // then autocommit one by one, outside the batch. Fail the batch instead.
              if (batch.length === 1 || !this.db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (!this.durability) return this.settle(batch, outcomes, durable);
    this.durability.sync().then(
      () => this.settle(batch, outcomes, durable),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    );
  }

  private settle(batch: Pending[], outcomes: Outcome[], durable: Array<() => void>): void {
    for (const done of durable) done();
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}
