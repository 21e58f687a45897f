/**
 * Child process for the crash test: several worker threads, each with its own connection, append
 * to the same SQLite file as fast as they can until the parent kills the process.
 * Every line goes straight to fd 1 with writeSync, so what the parent reads was really done.
 */
import { writeSync } from 'node:fs';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';

const EVENTS_PER_APPEND = 3;
// One business time for all: concurrent writers to the shared stream must not trip the occurredAt order rule.
const occurredAt = '2026-03-01T09:00:00.000Z';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The pipe to the parent is non-blocking: when a busy parent lets it fill up, wait and retry. */
function writeLine(line: string): void {
  for (;;) {
    try {
      writeSync(1, line);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

async function appendForever(file: string, writer: number): Promise<void> {
  const store = SqliteEventStore.open({ file, synchronous: 'FULL', busyTimeoutMs: 30_000 });
  let ownRevision: number | 'no_stream' = 'no_stream';
  for (let append = 0; ; append++) {
    const shared = append % 3 === 2;
    const stream = shared ? 'crash-shared' : `crash-writer${writer}`;
    const events = Array.from({ length: EVENTS_PER_APPEND }, (_, part) => ({
      type: 'CrashTestAppended',
      data: { writer, append, part, padding: 'x'.repeat(200) },
      metadata: {
        occurredAt,
        $correlationId: `${writer}-${append}`,
        $causationId: `${writer}-${append}`,
      },
    }));
    writeLine(`begin ${writer} ${append}\n`);
    const result = await store.append(stream, events, {
      expectedRevision: shared ? 'any' : ownRevision,
    });
    if (!shared) ownRevision = result.nextExpectedRevision;
    writeLine(
      `ack ${writer} ${append} ${stream} ${result.nextExpectedRevision} ${result.position}\n`,
    );
  }
}

if (isMainThread) {
  const [file, writers] = process.argv.slice(2);
  for (let writer = 0; writer < Number(writers); writer++) {
    const worker = new Worker(
      `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(__filename)});`,
      { eval: true, workerData: { file, writer } },
    );
    worker.on('error', (error) => {
      writeSync(2, `writer ${writer} failed: ${error.stack}\n`);
      process.exit(1);
    });
  }
} else {
  void appendForever(workerData.file, workerData.writer);
}
