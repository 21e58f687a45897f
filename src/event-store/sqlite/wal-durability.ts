import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommitDurability } from '../../shared/sqlite-group-commit';
import { StoreUnavailableError } from '../event-store.errors';

interface Waiters {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const flushInThreadPool = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

const waiters = (): Waiters => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
};

/**
 * synchronous=FULL without blocking the event loop. The connection commits with
 * synchronous=NORMAL (WAL frames written, not flushed), then the WAL file is flushed with
 * fdatasync on libuv's thread pool, and only then is the commit acknowledged. One flush covers
 * every commit made before it began; commits made while it runs wait for the next, so flushes never
 * overlap and batch themselves under load.
 *
 * Until its flush completes, a commit is kept from this process's readers: `visibleHead` stays at
 * what the last flush covered, and `whenDurable` holds back a read that includes a newer event. So
 * nothing is acknowledged, projected or replayed before it is on stable storage, as with FULL.
 * A failed flush fails every commit it covered and every later one: after an fdatasync error the
 * kernel may have dropped the pages, so the store must be reopened.
 */
export class WalDurability implements CommitDurability {
  private fd?: number;
  private inode?: number;
  /** The flush in progress and the position it covers. */
  private flushing?: { promise: Promise<void>; covers: number };
  /** Commits made after the flush in progress began: the next flush is theirs. */
  private next?: Waiters;
  private durableHead: number;
  failure?: StoreUnavailableError;

  /**
   * `head()`: the highest position committed so far, read on this connection. `flushLog`: the
   * flush itself (fdatasync on the thread pool; replaced only by tests).
   */
  constructor(
    private readonly walFile: string,
    private readonly head: () => number,
    private readonly flushLog: (fd: number) => Promise<void> = flushInThreadPool,
  ) {
    // Whatever an earlier process committed and never flushed becomes durable before anyone reads it.
    this.flushSync();
    this.durableHead = head();
  }

  /** Called right after a transaction committed. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.flushing) return this.flush();
    this.next ??= waiters();
    return this.next.promise;
  }

  /** Whether some commit has not been flushed yet. */
  get pending(): boolean {
    return this.flushing !== undefined;
  }

  /**
   * The head readers in this process may see: only flushed events. It never moves back, even when
   * another process's appends were seen before one of ours began its flush.
   */
  visibleHead(): number {
    if (!this.pending && !this.failure) this.durableHead = Math.max(this.durableHead, this.head());
    return this.durableHead;
  }

  /** Resolves once the event at `position` is durable (at once if it already is). */
  whenDurable(position: number): Promise<void> {
    if (position <= this.durableHead) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    if (!this.pending) return Promise.resolve();
    if (this.flushing && position <= this.flushing.covers) return this.flushing.promise;
    return this.sync();
  }

  /** Waits for the flushes in progress, for a clean close. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing.promise.catch(() => undefined);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): Promise<void> {
    const covers = this.head();
    const promise = this.flushWal().then(
      () => this.flushed(covers),
      (error: unknown) => this.failed(error),
    );
    this.flushing = { promise, covers };
    return promise;
  }

  private flushed(covers: number): void {
    this.durableHead = Math.max(this.durableHead, covers);
    this.flushing = undefined;
    this.startNext();
  }

  private failed(error: unknown): never {
    this.failure = new StoreUnavailableError(
      `SQLite event store: flushing the write-ahead log failed (${(error as Error).message}); ` +
        'commits since the last flush may be lost, reopen the store',
      { cause: error },
    );
    this.flushing = undefined;
    this.startNext();
    throw this.failure;
  }

  private startNext(): void {
    const next = this.next;
    if (!next) return;
    this.next = undefined;
    if (this.failure) return next.reject(this.failure);
    this.flush().then(next.resolve, next.reject);
  }

  private async flushWal(): Promise<void> {
    await this.flushLog(this.walDescriptor());
  }

  private flushSync(): void {
    const fd = this.walDescriptor();
    fsyncSync(fd);
    this.flushDirectory();
  }

  /** The log's directory entry: a WAL file created since the last boot must survive too. */
  private flushDirectory(): void {
    const directory = openSync(dirname(this.walFile), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }

  /**
   * The WAL file stays the same file while this connection is open (SQLite deletes it only when
   * the last connection closes); should another process have recreated it, the new one is used,
   * and its directory entry is flushed as at open.
   */
  private walDescriptor(): number {
    const inode = statSync(this.walFile).ino;
    if (this.fd !== undefined && inode === this.inode) return this.fd;
    const recreated = this.fd !== undefined;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.walFile, 'r');
    this.inode = fstatSync(this.fd).ino;
    if (recreated) this.flushDirectory();
    return this.fd;
  }
}
