import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../../../src/event-store/event-store.errors';
import { WalDurability } from '../../../src/event-store/sqlite/wal-durability';
import { SqliteGroupCommit } from '../../../src/shared/sqlite-group-commit';

/** A log flush the test completes by hand. */
interface HeldFlush {
  release(): void;
  fail(error: Error): void;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Whether `promise` has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await turn();
  return done;
}

describe('WalDurability: FULL durability with the flush off the event loop', () => {
  let dir: string;
  let db: Database.Database;
  let flushes: HeldFlush[];
  let durability: WalDurability;
  let commits: SqliteGroupCommit;
  const insert = (value: string) => () => db.prepare('INSERT INTO t (value) VALUES (?)').run(value);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradeflow-wal-durability-'));
    const file = join(dir, 'events.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (position INTEGER PRIMARY KEY, value TEXT)');
    flushes = [];
    const head = () =>
      (db.prepare('SELECT MAX(position) AS head FROM t').get() as { head: number | null }).head ??
      0;
    durability = new WalDurability(
      `${file}-wal`,
      head,
      () =>
        new Promise<void>((resolve, reject) => flushes.push({ release: resolve, fail: reject })),
    );
    commits = new SqliteGroupCommit(db, durability);
  });

  afterEach(async () => {
    for (const flush of flushes) flush.release();
    await durability.drain();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges a commit only once its log is flushed, and hides it from readers until then', async () => {
    const appended = commits.run(insert('a'));
    await turn();
    expect(flushes).toHaveLength(1);
    // Committed in SQLite, but neither acknowledged nor visible.
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
    expect(await settled(appended)).toBe(false);
    expect(durability.visibleHead()).toBe(0);
    const read = durability.whenDurable(1);
    expect(await settled(read)).toBe(false);

    flushes[0].release();
    await appended;
    await read;
    expect(durability.visibleHead()).toBe(1);
    expect(durability.pending).toBe(false);
  });

  it('lets the commits made during a flush share the next one', async () => {
    const first = commits.run(insert('a'));
    await turn();
    const second = commits.run(insert('b'));
    await turn();
    const third = commits.run(insert('c'));
    await turn();
    expect(flushes).toHaveLength(1);

    flushes[0].release();
    await first;
    expect(durability.visibleHead()).toBe(1);
    expect(flushes).toHaveLength(2);
    expect(await settled(second)).toBe(false);
    expect(await settled(third)).toBe(false);

    flushes[1].release();
    await Promise.all([second, third]);
    expect(durability.visibleHead()).toBe(3);
  });

  it('fails the commits of a failed flush, and every commit after it', async () => {
    const appended = commits.run(insert('a'));
    await turn();
    flushes[0].fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(appended).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(appended).rejects.toThrow(/flushing the write-ahead log failed/);
    expect(durability.failure).toBeInstanceOf(StoreUnavailableError);
    // Never shown to readers: it may be gone after a power loss.
    expect(durability.visibleHead()).toBe(0);

    await expect(commits.run(insert('b'))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(flushes).toHaveLength(1);
  });
});
