import { performance } from 'node:perf_hooks';

/** The longest one statement waits inside SQLite for another connection's lock. */
export const LOCK_WAIT_SLICE_MS = 20;

/**
 * Runs `work` (synchronous SQLite calls); while another connection holds the lock it needs, tries
 * again after a pause rather than waiting inside SQLite. SQLite's own busy wait blocks the thread,
 * and on the app's thread that freezes every request for as long as a build worker's commit or
 * index build holds the write lock (seconds). Gives up with SQLite's error after `timeoutMs`.
 * Safe to repeat: a statement or transaction refused as busy has changed nothing.
 */
export async function waitingForLock<T>(work: () => T, timeoutMs: number): Promise<T> {
  const started = performance.now();
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || performance.now() - started >= timeoutMs) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

// By code, not by class: better-sqlite3's native part throws the SqliteError class of the copy of
// the module loaded last, and Jest loads a copy per test file (a test's errors failed instanceof).
const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};
