/**
 * `npm run bench:store`: durable single-event appends and read-all for our SqliteEventStore, raw
 * better-sqlite3 (the limit) and Emmett 0.38.5's SQLite store (a yardstick), in one run.
 * Prints a table, then the targets as ratios with PASS/FAIL. A FAIL still exits 0: it is a measurement.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LatencyRecorder, median, now, since } from './measure';
import {
  AppendTarget,
  ReadTarget,
  emmettConnectionAppend,
  emmettDefaultAppend,
  emmettRead,
  emmettSynchronous,
  oursAppend,
  oursRead,
  rawAppend,
  rawRead,
} from './stores';
import { appendEvent, fillStreams } from './workload';

const envInt = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer`);
  return parsed;
};

const APPENDS = envInt('BENCH_APPENDS', 3000);
const EMMETT_DEFAULT_APPENDS = envInt('BENCH_EMMETT_APPENDS', Math.min(500, APPENDS));
const READ_EVENTS = envInt('BENCH_READ_EVENTS', 200_000);
const READ_PAGE = envInt('BENCH_READ_PAGE', 1000);
/** Appends per store per round: small, so interleaved stores meet the disk's changing fsync times alike. */
const APPEND_BLOCK = 25;
const WARMUP_APPENDS = 200;
const READ_PASSES = 3;
/** appends/s is the median rate over this many consecutive slices of a store's appends. */
const APPEND_SEGMENTS = 10;
const FILL_EVENTS_PER_STREAM = 100;

const TARGETS = { appendsVsRaw: 0.8, appendsVsEmmett: 10, readVsRaw: 0.7 };

const dataDir = join(resolve(__dirname, '..', '..', 'data'), `store-${process.pid}`);
const cleanUp = () => {
  rmSync(dataDir, { recursive: true, force: true });
  try {
    rmdirSync(dirname(dataDir)); // bench/data, when no other run is using it
  } catch {
    // not empty, or already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}
const progress = (line: string) => process.stderr.write(`  · ${line}\n`);

interface AppendCase {
  key: 'ours' | 'raw' | 'emmett' | 'emmettConnection';
  label: string;
  appends: number;
  open: (file: string) => AppendTarget;
}

const APPEND_CASES: AppendCase[] = [
  { key: 'ours', label: 'ours: SqliteEventStore', appends: APPENDS, open: oursAppend },
  { key: 'raw', label: 'raw better-sqlite3 (limit)', appends: APPENDS, open: rawAppend },
  {
    key: 'emmett',
    label: 'Emmett getSQLiteEventStore (default)',
    appends: EMMETT_DEFAULT_APPENDS,
    open: emmettDefaultAppend,
  },
  {
    key: 'emmettConnection',
    label: 'Emmett, one persistent connection',
    appends: APPENDS,
    open: emmettConnectionAppend,
  },
];

/**
 * Ours and raw are measured together, interleaved, so drift in the disk's fsync times falls on both
 * alike. Emmett runs apart: sqlite3 works on libuv's thread pool and its default store leaves each
 * connection's close (with its WAL checkpoint) running after the append returns, which would land
 * on whichever store is timed next.
 */
const APPEND_PHASES: AppendCase['key'][][] = [['ours', 'raw'], ['emmettConnection'], ['emmett']];

interface AppendResult {
  recorder: LatencyRecorder;
  retried?: AppendTarget['retried'];
  error?: unknown;
}

async function runAppendPhase(
  cases: AppendCase[],
  results: Map<AppendCase['key'], AppendResult>,
): Promise<void> {
  const targets = new Map<AppendCase['key'], AppendTarget>();
  const done = new Map<AppendCase['key'], number>();
  for (const c of cases) {
    const result: AppendResult = { recorder: new LatencyRecorder() };
    results.set(c.key, result);
    try {
      const target = c.open(join(dataDir, `append-${c.key}.db`));
      targets.set(c.key, target);
      result.retried = target.retried;
      const warmups = Math.min(WARMUP_APPENDS, c.appends);
      for (let i = 0; i < warmups; i++) await target.append(appendEvent('warm-', i));
      done.set(c.key, 0);
    } catch (error) {
      result.error = error;
    }
  }
  // Each round appends the next slice of every store's events, in a rotating order.
  const rounds = Math.max(1, Math.ceil(Math.max(...cases.map((c) => c.appends)) / APPEND_BLOCK));
  for (let round = 0; round < rounds; round++) {
    const order = cases.map((_, i) => cases[(i + round) % cases.length]);
    for (const c of order) {
      const target = targets.get(c.key);
      const result = results.get(c.key)!;
      if (!target || result.error) continue;
      const until = Math.round((c.appends * (round + 1)) / rounds);
      try {
        for (let i = done.get(c.key)!; i < until; i++) {
          const event = appendEvent('', i);
          await result.recorder.time(() => target.append(event));
        }
        done.set(c.key, until);
      } catch (error) {
        result.error = error;
      }
    }
  }
  for (const [key, target] of targets) {
    await target.close().catch((error) => (results.get(key)!.error ??= error));
  }
}

async function runAppends(): Promise<Map<AppendCase['key'], AppendResult>> {
  const results = new Map<AppendCase['key'], AppendResult>();
  for (const phase of APPEND_PHASES) {
    const cases = APPEND_CASES.filter((c) => phase.includes(c.key));
    progress(`durable appends: ${cases.map((c) => `${c.appends} ${c.key}`).join(', ')}`);
    await quietEmmett(() => runAppendPhase(cases, results));
  }
  return results;
}

/** Emmett console.logs every failed transaction; keep stdout for the results. */
async function quietEmmett<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) =>
    progress(
      `(logged inside Emmett) ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`,
    );
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

interface ReadCase {
  key: 'ours' | 'raw' | 'emmettConnection';
  open: (file: string) => ReadTarget;
}

const READ_CASES: ReadCase[] = [
  { key: 'ours', open: oursRead },
  { key: 'raw', open: rawRead },
  { key: 'emmettConnection', open: emmettRead },
];

/** As for appends: ours and raw interleave their passes; Emmett's garbage and thread pool stay apart. */
const READ_PHASES: ReadCase['key'][][] = [['ours', 'raw'], ['emmettConnection']];

interface ReadResult {
  eventsPerSecond: number;
  error?: unknown;
}

async function runReadPhase(
  cases: ReadCase[],
  results: Map<ReadCase['key'], ReadResult>,
): Promise<void> {
  const targets = new Map<ReadCase['key'], ReadTarget>();
  const rates = new Map<ReadCase['key'], number[]>();
  for (const c of cases) {
    progress(`read-all: writing ${READ_EVENTS} events for ${c.key} (not timed)`);
    const result: ReadResult = { eventsPerSecond: NaN };
    results.set(c.key, result);
    rates.set(c.key, []);
    try {
      const target = c.open(join(dataDir, `read-${c.key}.db`));
      targets.set(c.key, target);
      await target.fill(fillStreams(READ_EVENTS, FILL_EVENTS_PER_STREAM));
      const warm = await target.readAll(READ_PAGE);
      if (warm !== READ_EVENTS) throw new Error(`read ${warm} events, expected ${READ_EVENTS}`);
    } catch (error) {
      result.error = error;
    }
  }
  progress(`read-all: ${READ_PASSES} timed passes of ${cases.map((c) => c.key).join(', ')}`);
  for (let pass = 0; pass < READ_PASSES; pass++) {
    const order = cases.map((_, i) => cases[(i + pass) % cases.length]);
    for (const c of order) {
      const result = results.get(c.key)!;
      const target = targets.get(c.key);
      if (!target || result.error) continue;
      try {
        const start = now();
        const count = await target.readAll(READ_PAGE);
        const seconds = since(start) / 1e9;
        if (count !== READ_EVENTS) throw new Error(`read ${count} events, expected ${READ_EVENTS}`);
        rates.get(c.key)!.push(count / seconds);
      } catch (error) {
        result.error = error;
      }
    }
  }
  for (const c of cases) {
    const result = results.get(c.key)!;
    if (!result.error) result.eventsPerSecond = median(rates.get(c.key)!);
    await targets
      .get(c.key)
      ?.close()
      .catch((error) => (result.error ??= error));
  }
}

async function runReads(): Promise<Map<ReadCase['key'], ReadResult>> {
  const results = new Map<ReadCase['key'], ReadResult>();
  for (const phase of READ_PHASES) {
    await quietEmmett(() =>
      runReadPhase(
        READ_CASES.filter((c) => phase.includes(c.key)),
        results,
      ),
    );
  }
  return results;
}

// ---------------------------------------------------------------- report

const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const fmtMs = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function versions(): string {
  const sqlite3 = require('sqlite3') as { VERSION: string };
  const memory = new Database(':memory:');
  const betterSqlite = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  const emmettMain = require.resolve('@event-driven-io/emmett-sqlite');
  const emmett = JSON.parse(
    readFileSync(join(dirname(emmettMain), '..', 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return (
    `node ${process.version}, ${availableParallelism()} CPUs; SQLite ${betterSqlite} (better-sqlite3), ` +
    `${sqlite3.VERSION} (sqlite3, under Emmett ${emmett.version})`
  );
}

/**
 * bench/dist/src resolves bench/node_modules before the root's: our store must still load the
 * product's own dependencies, not copies installed here for Emmett.
 */
function productDependencyWarnings(): string[] {
  const root = resolve(__dirname, '..', '..', '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {})
    .filter((dep) => existsSync(join(root, 'bench', 'node_modules', dep)))
    .map(
      (dep) => `WARNING: bench/node_modules/${dep} shadows the product's own ${dep} for our store.`,
    );
}

function report(
  appends: Map<AppendCase['key'], AppendResult>,
  reads: Map<ReadCase['key'], ReadResult>,
  emmettSync: string,
  seconds: number,
): void {
  const rows = APPEND_CASES.map((c) => {
    const a = appends.get(c.key)!;
    const r = reads.get(c.key as ReadCase['key']);
    const ok = !a.error;
    return [
      c.label,
      ok ? fmtInt(a.recorder.count) : 'error',
      ok ? fmtInt(a.recorder.medianPerSecond(APPEND_SEGMENTS)) : '—',
      ok ? fmtInt(a.recorder.perSecond) : '—',
      ok ? fmtMs(a.recorder.percentileMs(50)) : '—',
      ok ? fmtMs(a.recorder.percentileMs(99)) : '—',
      r === undefined ? 'n/a' : r.error ? 'error' : fmtInt(r.eventsPerSecond),
    ];
  });
  const header = ['store', 'appends', 'appends/s', 'all/s', 'p50 ms', 'p99 ms', 'read-all ev/s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');

  console.log('');
  console.log(`Event-store benchmark — ${versions()}`);
  console.log(
    `Appends: one event per durable transaction (WAL, synchronous=FULL), exact expected revision, ` +
      `streams of 10, after ${WARMUP_APPENDS} warm-up appends; ours and raw interleaved in blocks of ${APPEND_BLOCK}.`,
  );
  console.log(
    `appends/s: median rate over ${APPEND_SEGMENTS} consecutive slices of a store's appends (all/s: over ` +
      `all of them, which one stall of the machine can drag down); p50/p99 over all appends.`,
  );
  console.log(
    `Emmett's sqlite3 connections: journal_mode=WAL (set by Emmett), synchronous=${emmettSync} (default).`,
  );
  console.log(
    `Read-all: ${fmtInt(READ_EVENTS)} events from the start in pages of ${READ_PAGE}, JSON.parse of ` +
      `data and metadata; median of ${READ_PASSES} passes after one warm-up pass.`,
  );
  for (const warning of productDependencyWarnings()) console.log(warning);
  console.log('');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    'Emmett 0.38.5 has no read-all on its store: its row "one persistent connection" reads with ' +
      'readMessagesBatch, as its consumers do.',
  );
  for (const c of APPEND_CASES) {
    const retried = appends.get(c.key)!.retried;
    if (retried && retried.count > 0) {
      console.log(
        `${c.label}: ${retried.count} append attempt(s) failed inside Emmett and were retried, ` +
          `their time counted ("${retried.lastError}").`,
      );
    }
    const error = appends.get(c.key)!.error ?? reads.get(c.key as ReadCase['key'])?.error;
    if (error) console.log(`ERROR in ${c.label}: ${errorText(error)}`);
  }

  const ours = appends.get('ours')!;
  const raw = appends.get('raw')!;
  const emmett = appends.get('emmett')!;
  const ratio = (
    a: AppendResult | ReadResult,
    b: AppendResult | ReadResult,
    value: (x: never) => number,
  ) => (a.error || b.error ? NaN : value(a as never) / value(b as never));
  const appendRate = (x: AppendResult) => x.recorder.medianPerSecond(APPEND_SEGMENTS);
  const readRate = (x: ReadResult) => x.eventsPerSecond;
  const checks = [
    {
      what: 'appends/s, ours vs raw better-sqlite3',
      value: ratio(ours, raw, appendRate),
      target: TARGETS.appendsVsRaw,
      show: (v: number) => `${(v * 100).toFixed(1)} %`,
    },
    {
      what: 'appends/s, ours vs Emmett default store',
      value: ratio(ours, emmett, appendRate),
      target: TARGETS.appendsVsEmmett,
      show: (v: number) => `${v.toFixed(1)}×`,
    },
    {
      what: 'read-all events/s, ours vs raw better-sqlite3',
      value: ratio(reads.get('ours')!, reads.get('raw')!, readRate),
      target: TARGETS.readVsRaw,
      show: (v: number) => `${(v * 100).toFixed(1)} %`,
    },
  ];
  console.log('');
  const whatWidth = Math.max(...checks.map((c) => c.what.length));
  for (const check of checks) {
    const verdict = Number.isNaN(check.value)
      ? 'n/a '
      : check.value >= check.target
        ? 'PASS'
        : 'FAIL';
    const shown = Number.isNaN(check.value) ? '—' : check.show(check.value);
    console.log(
      `${verdict}  ${check.what.padEnd(whatWidth)}  ${shown.padStart(8)}  (target ≥ ${check.show(check.target)})`,
    );
  }
  console.log('');
  console.log(`Took ${seconds.toFixed(1)} s.`);
}

async function main(): Promise<void> {
  const start = now();
  cleanUp();
  mkdirSync(dataDir, { recursive: true });
  let failed = false;
  try {
    const emmettSync = await emmettSynchronous(join(dataDir, 'emmett-settings.db')).catch(
      errorText,
    );
    const appends = await runAppends();
    const reads = await runReads();
    report(appends, reads, emmettSync, since(start) / 1e9);
    failed =
      [...appends.values()].some((r) => r.error !== undefined) ||
      [...reads.values()].some((r) => r.error !== undefined);
  } finally {
    cleanUp();
  }
  // Missing targets are results, not failures; a store that errored means there is no measurement.
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  cleanUp();
  process.exitCode = 1;
});
