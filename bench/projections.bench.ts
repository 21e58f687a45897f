/**
 * `npm run bench:projections`: what issue 6 asks the read side to show, from one run.
 *
 * Part 1 — rebuild: every projection in ALL_PROJECTIONS rebuilt together from scratch over a store
 * of at least `--events` events (1,000,000), in events/s, beside the same store's raw read-all
 * (read + JSON.parse) events/s measured in the same run. Target: ≥ 40 % of raw. Batch sizes
 * `--batch-sizes` (1000,2000,5000) are each timed; the best counts.
 *
 * Part 2 — queries, in two child processes: one projects a store of at least `--deals` deals
 * (100,000; the part-1 store when it is big enough) from scratch with the best batch size; a
 * fresh one starts the runner on those read models as the app starts, takes its RSS (a server's,
 * not that of a process that has just rebuilt), then times every REPORT_QUERIES entry over
 * `--runs` (200) runs with varied parameters (p50/p99), beside the same answer computed by
 * folding all the events (FOLD_BASELINES). Target: p99 < 50 ms.
 *
 * Stores are clones of one generated sample (see projection-data.ts) and live in bench/data/
 * (git-ignored), deleted afterwards unless --keep. A FAIL is a measurement and exits 0; only a
 * crash (or a projection that stops on an event) exits 1.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_PROJECTIONS } from '../projections/all-projections';
import type { Projection } from '../projections/projection';
import type { EventStore } from '../src/event-store/event-store.port';
import type { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import type { ReadModels } from '../src/projection-runner/read-models';
import type { ReadStore } from '../src/read-store/read-store.port';
import { LatencyRecorder, median, now, since } from './measure';
import {
  BenchStore,
  buildBenchStore,
  copiesFor,
  ensureSample,
  openBenchStore,
  Sample,
  verifyPersonalData,
} from './projection-data';
import { FOLD_BASELINES } from './fold-baselines';
import {
  BreakdownResult,
  REBUILD_TARGET,
  RebuildBenchResult,
  rebuildAll,
  RebuildResult,
  runRebuildBench,
} from './projection-rebuild';
import { FoldBaseline, QueryContext, REPORT_QUERIES, ReportQuery } from './report-queries';

// ================================================================ report queries
//
// REPORT_QUERIES (report-queries.ts) holds each query the API serves from a read model, and
// FOLD_BASELINES (fold-baselines.ts) the same answers computed from the raw events.
// measureQueries() times them all.

export interface MeasureOptions {
  events: EventStore;
  cipher: PersonalDataCipher;
  until: Date;
  runs: number;
  foldRuns: number;
  log: (line: string) => void;
  queries?: ReportQuery[];
  folds?: FoldBaseline[];
}

export interface FoldResult {
  name: string;
  /** Median over the fold runs. */
  ms: number;
  runs: number;
  answer?: unknown;
  error?: string;
}

export interface QueryResult {
  name: string;
  calls?: string;
  fold?: string;
  recorder?: LatencyRecorder;
  /** Why it did not run, or the error that stopped it. */
  skipped?: string;
  error?: string;
  /** undefined: no check; '' : run 0 equals the fold; otherwise what differs. */
  check?: string;
  /** Size of run 0's answer as JSON: an equal check over an empty answer proves little. */
  answerBytes?: number;
}

const WARMUP_RUNS = 5;

/**
 * Times every fold baseline and report query; the read models must be built and live. Queries
 * prepare first: a replay fold runs its query, with the parameter values prepare() drew.
 */
export async function measureQueries(
  store: ReadStore,
  readModels: ReadModels,
  options: MeasureOptions,
): Promise<{ folds: FoldResult[]; queries: QueryResult[] }> {
  const ctx: QueryContext = {
    store,
    readModels,
    names: (projection) => (logical) => readModels.collection(projection, logical),
    events: options.events,
    cipher: options.cipher,
    until: options.until,
  };
  const queries: Array<{ query: ReportQuery; result: QueryResult }> = [];
  for (const query of options.queries ?? REPORT_QUERIES) {
    queries.push({ query, result: await prepareQuery(query, ctx, readModels) });
  }
  const folds: FoldResult[] = [];
  for (const fold of options.folds ?? FOLD_BASELINES) {
    const asking = queries.filter(({ query }) => query.fold === fold.name);
    if (asking.length > 0 && asking.every(({ result }) => result.skipped)) {
      folds.push({ name: fold.name, ms: NaN, runs: 0, error: 'its queries were skipped' });
      continue;
    }
    options.log(`fold baseline "${fold.name}": ${options.foldRuns} run(s) over every event`);
    folds.push(await runFold(fold, ctx, options.foldRuns));
  }
  for (const { query, result } of queries) {
    if (result.skipped) continue;
    options.log(`query "${query.name}": ${WARMUP_RUNS} warm-up + ${options.runs} timed runs`);
    try {
      const first = await query.run(ctx, 0);
      result.answerBytes = JSON.stringify(first)?.length ?? 0;
      const folded = folds.find((f) => f.name === query.fold)?.answer;
      if (query.check && folded !== undefined) result.check = query.check(first, folded) ?? '';
      for (let i = 1; i < WARMUP_RUNS; i++) await query.run(ctx, i);
      const recorder = new LatencyRecorder();
      for (let i = 0; i < options.runs; i++) await recorder.time(() => query.run(ctx, i));
      result.recorder = recorder;
    } catch (error) {
      result.error = errorText(error);
    }
  }
  return { folds, queries: queries.map(({ result }) => result) };
}

async function prepareQuery(
  query: ReportQuery,
  ctx: QueryContext,
  readModels: ReadModels,
): Promise<QueryResult> {
  const result: QueryResult = { name: query.name, calls: query.calls, fold: query.fold };
  const missing = query.projections.filter((name) => !readModels.isLive(name));
  if (missing.length > 0) {
    result.skipped = `not built: ${missing.join(', ')}`;
    return result;
  }
  try {
    await query.prepare?.(ctx);
  } catch (error) {
    result.skipped = `prepare failed: ${errorText(error)}`;
  }
  return result;
}

async function runFold(fold: FoldBaseline, ctx: QueryContext, runs: number): Promise<FoldResult> {
  const times: number[] = [];
  const result: FoldResult = { name: fold.name, ms: NaN, runs: 0 };
  try {
    for (let run = 0; run < runs; run++) {
      const started = now();
      result.answer = await fold.run(ctx);
      times.push(since(started) / 1e6);
    }
    result.ms = median(times);
    result.runs = times.length;
  } catch (error) {
    result.error = errorText(error);
  }
  return result;
}

function printQueries(results: { folds: FoldResult[]; queries: QueryResult[] }): void {
  const { folds, queries } = results;
  const foldMs = (name?: string) => folds.find((f) => f.name === name)?.ms ?? NaN;
  printTable(
    ['fold baseline (all events)', 'runs', 'ms (median)'],
    folds.map((f) => [f.name, String(f.runs), f.error ? `error: ${f.error}` : fmt(f.ms, 0)]),
  );
  console.log('');
  printTable(
    [
      'report query',
      'runs',
      'p50 ms',
      'p99 ms',
      'max ms',
      'fold ms',
      'p99 / fold',
      'fold / p99',
      'p99 < 50 ms',
    ],
    queries.map((q) => {
      if (!q.recorder)
        return [q.name, '—', q.skipped ? `skipped (${q.skipped})` : `error: ${q.error}`];
      const p50 = q.recorder.percentileMs(50);
      const p99 = q.recorder.percentileMs(99);
      const fold = foldMs(q.fold);
      return [
        q.name,
        String(q.recorder.count),
        fmt(p50, 2),
        fmt(p99, 2),
        fmt(Math.max(...q.recorder.samplesNs) / 1e6, 2),
        fmt(fold, 0),
        Number.isFinite(fold) ? `${((100 * p99) / fold).toFixed(3)} %` : '—',
        Number.isFinite(fold) ? `${fmt(fold / p99, 0)}×` : '—',
        p99 < 50 ? 'PASS' : 'FAIL',
      ];
    }),
  );
  console.log('');
  console.log('Each report query calls (src/…), as its controller does for a manager:');
  for (const q of queries) console.log(`  ${q.name}: ${q.calls ?? '—'}`);
  console.log('');
  for (const q of queries) {
    if (q.check === undefined) continue;
    console.log(
      q.check === ''
        ? `check: "${q.name}" run 0 (${fmt(q.answerBytes ?? 0, 0)} bytes of JSON) equals its fold baseline "${q.fold}".`
        : `CHECK FAILED: "${q.name}" run 0 differs from its fold baseline: ${q.check}`,
    );
  }
  if (queries.length === 0) console.log('REPORT_QUERIES is empty: no report query was timed.');
}

// ================================================================ command line

interface Args {
  events: number;
  deals: number;
  batchSizes: number[];
  batchSize?: number;
  flushEvery?: number;
  cacheLimit?: number;
  pageSize: number;
  seed: string;
  sampleDeals: number;
  runs: number;
  foldRuns: number;
  /** `project` is internal: the child that projects the query store. */
  part: 'all' | 'rebuild' | 'queries' | 'project';
  reuseReadModels: boolean;
  keep: boolean;
  dataDir?: string;
  storeDir?: string;
  breakdown: boolean;
  /** Worker threads for the builds; absent: the app's setting. */
  buildWorkers?: number;
  discover: boolean;
  only?: string[];
}

const USAGE = `Usage: npm run bench:projections -- [options]

  --events N          part 1: rebuild over at least N events (1000000)
  --deals N           part 2: queries over at least N deals (100000); the part-1 store is reused if big enough
  --batch-sizes LIST  part 1: runner batch sizes to time (1000,2000,5000); the best is reported and used in part 2
  --part P            all | rebuild | queries (all)
  --runs N            timed runs per report query (200)
  --fold-runs N       runs per fold baseline; the median counts (3)
  --breakdown         part 1: one more rebuild at the best batch size, timing each projection's reads,
                      loads, apply and commits (on the main thread: no build workers)
  --build-workers N   worker threads for the builds (the app's PROJECTION_BUILD_WORKERS; 0: main thread)
  --seed S            sample seed (1);  --sample-deals N: deals in the generated sample (500)
  --flush-every N     runner: events per read-store transaction while catching up (the app's setting)
  --cache-limit N     runner: documents a lane keeps between transactions (the app's setting)
  --page-size N       raw read-all page (1000)
  --reuse-read-models part 2: with --data-dir, query the read models a kept run projected (no projecting)
  --keep              keep the bench stores (bench/data/…) and print where;  --data-dir DIR: use DIR,
                      reusing a store there built from the same sample and size
  --discover          every Projection exported from projections/*.projection.ts instead of ALL_PROJECTIONS
  --only a,b          only these projections`;

function parseArgs(argv: string[]): Args {
  const args: Args = {
    events: 1_000_000,
    deals: 100_000,
    batchSizes: [1000, 2000, 5000],
    pageSize: 1000,
    seed: '1',
    sampleDeals: 500,
    runs: 200,
    foldRuns: 3,
    part: 'all',
    keep: false,
    reuseReadModels: false,
    breakdown: false,
    discover: false,
  };
  const int = (flag: string, value: string | undefined): number => {
    const n = Number(String(value).replace(/[_,]/g, ''));
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`${flag} needs a whole number ≥ 1 (got ${value})`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--events':
        args.events = int(flag, value());
        break;
      case '--deals':
        args.deals = int(flag, value());
        break;
      case '--batch-sizes':
        args.batchSizes = value()
          .split(',')
          .map((v) => int(flag, v.trim()));
        break;
      case '--batch-size':
        args.batchSize = int(flag, value());
        break;
      case '--flush-every':
        args.flushEvery = int(flag, value());
        break;
      case '--cache-limit':
        args.cacheLimit = int(flag, value());
        break;
      case '--page-size':
        args.pageSize = int(flag, value());
        break;
      case '--seed':
        args.seed = value();
        break;
      case '--sample-deals':
        args.sampleDeals = int(flag, value());
        break;
      case '--runs':
        args.runs = int(flag, value());
        break;
      case '--fold-runs':
        args.foldRuns = int(flag, value());
        break;
      case '--part': {
        const part = value();
        if (part !== 'all' && part !== 'rebuild' && part !== 'queries' && part !== 'project')
          throw new Error(`--part: ${part}?`);
        args.part = part;
        break;
      }
      case '--keep':
        args.keep = true;
        break;
      case '--data-dir':
        args.dataDir = resolve(value());
        args.keep = true;
        break;
      case '--store-dir':
        args.storeDir = resolve(value());
        break;
      case '--reuse-read-models':
        args.reuseReadModels = true;
        break;
      case '--breakdown':
        args.breakdown = true;
        break;
      case '--build-workers': {
        const raw = value();
        args.buildWorkers = raw === '0' ? 0 : int(flag, raw);
        break;
      }
      case '--discover':
        args.discover = true;
        break;
      case '--only':
        args.only = value()
          .split(',')
          .map((v) => v.trim());
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${flag}\n\n${USAGE}`);
    }
  }
  return args;
}

const progress = (line: string) => process.stderr.write(`  · ${line}\n`);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const fmt = (n: number, digits: number) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '—';
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 0)} MiB`;

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

function isProjection(value: unknown): value is Projection {
  const p = value as Projection;
  return (
    p !== null &&
    typeof p === 'object' &&
    typeof p.name === 'string' &&
    p.name !== '' &&
    typeof p.apply === 'function' &&
    Array.isArray(p.eventTypes) &&
    Array.isArray(p.collections)
  );
}

function selectProjections(args: Args): { projections: Projection[]; source: string } {
  let projections = ALL_PROJECTIONS;
  let source = 'ALL_PROJECTIONS';
  if (args.discover || projections.length === 0) {
    const dir = resolve(__dirname, '..', 'projections');
    const found = new Map<string, Projection>();
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.projection.ts'))
      .sort()) {
      for (const value of Object.values(require(join(dir, file)) as Record<string, unknown>)) {
        if (isProjection(value)) found.set(value.name, value);
      }
    }
    projections = [...found.values()];
    source = args.discover
      ? 'every projection exported from projections/*.projection.ts (--discover)'
      : 'ALL_PROJECTIONS IS EMPTY: every projection exported from projections/*.projection.ts instead';
  }
  if (args.only) {
    const unknown = args.only.filter((name) => !projections.some((p) => p.name === name));
    if (unknown.length > 0) throw new Error(`--only: no projection named ${unknown.join(', ')}`);
    projections = projections.filter((p) => args.only!.includes(p.name));
    source += ` (--only ${args.only.join(',')})`;
  }
  if (projections.length === 0) throw new Error('No projection to rebuild');
  return { projections, source };
}

function environment(): string {
  const memory = new Database(':memory:');
  const sqlite = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  return `node ${process.version}, ${availableParallelism()} CPUs, SQLite ${sqlite} (better-sqlite3)`;
}

function describeStore(store: BenchStore, sample: Sample | undefined): string {
  const m = store.meta;
  const origin = store.built ? `built in ${fmt(m.buildMs / 1000, 1)} s` : 'reused';
  const generated = sample
    ? sample.generated
      ? `, sample generated in ${fmt(sample.meta.generatedInMs / 1000, 0)} s`
      : ', sample from the cache'
    : '';
  return (
    `${fmt(m.events, 0)} events, ${fmt(m.deals, 0)} deals: sample of ${m.sample.deals} deals (seed ${m.sample.seed}, ` +
    `${fmt(m.sample.events, 0)} events, history up to ${m.sample.until.slice(0, 10)}) × ${m.copies} copies, ` +
    `${m.sharedEvents} shared staff/team/policy events once; ${mib(m.bytes)}; ${origin}${generated}`
  );
}

// ---------------------------------------------------------------- part 1

function printRebuild(
  store: BenchStore,
  sample: Sample,
  result: RebuildBenchResult,
  source: string,
  projections: Projection[],
  pageSize: number,
): void {
  console.log('');
  console.log(`Projection rebuild — ${environment()}`);
  console.log(`Store: ${describeStore(store, sample)}.`);
  console.log(
    `Projections (${projections.length}, ${source}): ${projections.map((p) => p.name).join(', ')}.`,
  );
  console.log(
    `Raw: SqliteEventStore.readAll from the start in pages of ${pageSize}, data and metadata parsed; ` +
      `median of ${result.raw.length} passes interleaved with the rebuilds (after a warm-up pass).`,
  );
  console.log(
    'Rebuild: ProjectionRunner over a fresh SqliteReadStore (upcasting store, personal-data cipher, leases, ' +
      'checkpoints), from start() until every live read model holds the head; events/s = events in the store / seconds.',
  );
  const { batchSize: _b, ...settings } = result.best.settings;
  console.log(
    `Runner settings besides the batch size (events per read): ${Object.entries(settings)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} (the app's, unless given on the command line).`,
  );
  console.log('');
  const rows = [
    [
      'raw read-all + parse',
      fmt(result.rawEventsPerSecond, 0),
      fmt(median(result.raw.map((r) => r.seconds)), 1),
      fmt(median(result.raw.map((r) => r.cpuSeconds)), 1),
      '',
    ],
    ...result.rebuilds.map((r) => [
      `rebuild, batch ${r.batchSize}`,
      fmt(r.eventsPerSecond, 0),
      fmt(r.seconds, 1),
      fmt(r.cpuSeconds, 1),
      `${((100 * r.eventsPerSecond) / result.rawEventsPerSecond).toFixed(1)} %`,
      fmt(r.gcSeconds, 1),
      fmt(r.longestStallSeconds, 1),
      mib(r.peakRss),
      mib(r.readStoreBytes),
    ]),
  ];
  printTable(
    ['pass', 'events/s', 'seconds', 'CPU s', 'vs raw', 'GC s', 'stall s', 'peak RSS', 'read store'],
    rows,
  );
  console.log(
    'CPU s: this process (every thread), user + system. GC s: time in V8 garbage collection on the ' +
      'main thread (build workers collect their own). stall s: the longest ' +
      'the event loop went without a turn (a timer or an HTTP request in the same process waits that long).',
  );
  console.log('');
  console.log(
    `Catch-up times, batch ${result.best.batchSize} (${
      result.best.buildWorkers > 0
        ? `up to ${result.best.buildWorkers} build worker threads`
        : 'lanes share the main thread'
    }; the last one ends the rebuild):`,
  );
  console.log(
    '  ' +
      result.best.perProjection.map((p) => `${p.name} ${fmt(p.caughtUpAfter, 1)} s`).join(', '),
  );
  console.log('');
  const verdict = result.ratio >= REBUILD_TARGET ? 'PASS' : 'FAIL';
  console.log(
    `${verdict}  rebuild of all projections vs raw read-all  ${(result.ratio * 100).toFixed(1)} %  ` +
      `(target ≥ ${REBUILD_TARGET * 100} %; best batch size ${result.best.batchSize}: ` +
      `${fmt(result.best.eventsPerSecond, 0)} vs ${fmt(result.rawEventsPerSecond, 0)} events/s)`,
  );
  console.log(
    `      per CPU-second instead of per second (steadier on a busy machine): ${(result.cpuRatio * 100).toFixed(1)} %`,
  );
  const { storeOnly } = result;
  const ceiling = store.meta.events / storeOnly.seconds / result.rawEventsPerSecond;
  console.log(
    `      storing alone: the rebuilt read model (${fmt(storeOnly.documents, 0)} documents, ` +
      `${mib(storeOnly.bytes)} of JSON) written again through the read store with no projection work, ` +
      `in id order, takes ${fmt(storeOnly.seconds, 1)} s (${fmt(storeOnly.cpuSeconds, 1)} CPU s); ` +
      `a rebuild that only stored its output would reach ${(ceiling * 100).toFixed(1)} % of raw`,
  );
}

function printBreakdown(result: RebuildResult, breakdown: BreakdownResult): void {
  console.log('');
  console.log(
    `Cost breakdown, batch ${result.batchSize}, instrumented rebuild (${fmt(result.eventsPerSecond, 0)} events/s, ` +
      `${fmt(breakdown.wallSeconds, 1)} s wall, GC ${fmt(result.gcSeconds, 1)} s):`,
  );
  const ms = (n: number) => fmt(n / 1000, 1);
  const rows = [...breakdown.projections]
    .map((p) => ({ ...p, total: p.readMs + p.loadMs + p.applyMs + p.commitMs }))
    .sort((a, b) => b.total - a.total);
  const sum = (f: (p: (typeof rows)[number]) => number) => rows.reduce((s, p) => s + f(p), 0);
  printTable(
    [
      'projection',
      'events',
      'read s',
      'load s',
      'apply s',
      'commit s',
      'total s',
      'µs/event',
      'writes',
      'distinct',
      'writes/event',
    ],
    [
      ...rows.map((p) => [
        p.name,
        fmt(p.events, 0),
        ms(p.readMs),
        ms(p.loadMs),
        ms(p.applyMs),
        ms(p.commitMs),
        ms(p.total),
        fmt((1000 * p.total) / Math.max(1, p.events), 1),
        fmt(p.writes, 0),
        fmt(p.distinctWrites, 0),
        fmt(p.writes / Math.max(1, p.events), 1),
      ]),
      [
        'all',
        fmt(
          sum((p) => p.events),
          0,
        ),
        ms(sum((p) => p.readMs)),
        ms(sum((p) => p.loadMs)),
        ms(sum((p) => p.applyMs)),
        ms(sum((p) => p.commitMs)),
        ms(sum((p) => p.total)),
        '',
        fmt(
          sum((p) => p.writes),
          0,
        ),
        fmt(
          sum((p) => p.distinctWrites),
          0,
        ),
        '',
      ],
    ],
  );
  const measured = sum((p) => p.total) / 1000;
  console.log(
    `Unattributed: ${fmt(breakdown.wallSeconds - measured, 1)} s of ${fmt(breakdown.wallSeconds, 1)} s ` +
      '(decrypting $personal envelopes, the event loop between lanes, GC outside the timed calls).',
  );
}

// ---------------------------------------------------------------- part 2

const QUERY_READ_STORE = 'readmodels-queries.sqlite';

function printQueryHeader(store: BenchStore, projections: Projection[], source: string): void {
  console.log('');
  console.log(`Report queries — ${environment()}`);
  console.log(`Store: ${describeStore(store, undefined)}.`);
  console.log(`Projections (${projections.length}, ${source}).`);
}

/** Part 2a, in a child process: projects the query store from scratch and reports it. */
async function runProjectPart(args: Args, store: BenchStore): Promise<void> {
  const { projections, source } = selectProjections(args);
  const batchSize = args.batchSize ?? args.batchSizes[0];
  progress(
    `queries: projecting ${fmt(store.meta.events, 0)} events (${fmt(store.meta.deals, 0)} deals), batch ${batchSize}`,
  );
  const rebuild = await rebuildAll({
    store,
    projections,
    batchSize,
    flushEvery: args.flushEvery,
    cacheLimit: args.cacheLimit,
    buildWorkers: args.buildWorkers,
    readStoreFile: join(store.dir, QUERY_READ_STORE),
    log: progress,
  });
  printQueryHeader(store, projections, source);
  console.log(
    `Projected from scratch in ${fmt(rebuild.seconds, 1)} s (${fmt(rebuild.eventsPerSecond, 0)} events/s; ` +
      `${Object.entries(rebuild.settings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); read store ${mib(rebuild.readStoreBytes)}; ` +
      `peak RSS while projecting ${mib(rebuild.peakRss)}.`,
  );
}

/**
 * Part 2b, in a fresh child process: starts the runner on the read models part 2a built (as the
 * app starts), takes the RSS, then times the queries and the folds.
 */
async function runQueryPart(args: Args, store: BenchStore): Promise<void> {
  const { projections, source } = selectProjections(args);
  const readStoreFile = join(store.dir, QUERY_READ_STORE);
  if (args.reuseReadModels) {
    printQueryHeader(store, projections, source);
    console.log(`Read models: those projected by an earlier run (--reuse-read-models).`);
  }
  if (!existsSync(readStoreFile)) throw new Error(`${readStoreFile} is missing: project first`);
  const started = await rebuildAll({
    store,
    projections,
    batchSize: args.batchSize ?? args.batchSizes[0],
    flushEvery: args.flushEvery,
    cacheLimit: args.cacheLimit,
    readStoreFile,
    reuse: true,
    log: progress,
    keepOpen: true,
  });
  const open = started.open!;
  try {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const memory = process.memoryUsage();
    console.log(
      `A fresh process started the runner on those read models (every projection live at the head) in ` +
        `${fmt(started.seconds, 1)} s. RSS with ${fmt(store.meta.deals, 0)} deals loaded` +
        `${gc ? ', after a full GC' : ''}: ${mib(memory.rss)} (V8 heap used ${mib(memory.heapUsed)}).`,
    );
    // Queries run with the lanes stopped: live lanes poll the log every second, which is not a query's cost.
    await open.runner.stop();
    const results = await measureQueries(open.readStore, open.readModels, {
      events: open.events,
      cipher: open.cipher,
      until: new Date(store.meta.sample.until),
      runs: args.runs,
      foldRuns: args.foldRuns,
      log: progress,
    });
    console.log(
      `Each query: ${WARMUP_RUNS} warm-up runs, then ${args.runs} timed runs, parameters varied per run; ` +
        'fold baselines read every event the query needs through the store (parsed, personal data ' +
        'opened where the projection shows it): stage conversion folds in plain code; the others ' +
        'replay the projections the query reads into a fresh in-memory read store and run the query once.',
    );
    console.log('');
    printQueries(results);
  } finally {
    await open.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // The runner's timers are unref'd (it lives inside the app); a ref'd one keeps this process up
  // while everything else waits on them. And should the loop still run dry, the exit is not a 0.
  const keepAlive = setInterval(() => undefined, 1000);
  process.exitCode = 1;
  try {
    await run(args);
    process.exitCode = 0;
  } finally {
    clearInterval(keepAlive);
  }
}

async function run(args: Args): Promise<void> {
  if (args.part === 'project' && args.storeDir) {
    await runProjectPart(args, openBenchStore(args.storeDir));
    return;
  }
  if (args.part === 'queries' && args.storeDir) {
    await runQueryPart(args, openBenchStore(args.storeDir));
    return;
  }
  const { projections, source } = selectProjections(args);
  const workDir = args.dataDir ?? resolve(__dirname, 'data', `projections-${process.pid}`);
  const cleanUp = () => {
    if (!args.keep) rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  const started = now();
  try {
    if (source !== 'ALL_PROJECTIONS') progress(`projections: ${source}`);
    const sample = await ensureSample(args.seed, args.sampleDeals, progress);
    let rebuildStore: BenchStore | undefined;
    let best: number | undefined = args.batchSize;
    if (args.part !== 'queries') {
      const copies = copiesFor(sample, { events: args.events });
      progress(`building the rebuild store: ${copies} copies of the sample`);
      rebuildStore = await buildBenchStore({
        sample,
        copies,
        dir: join(workDir, 'rebuild-store'),
        log: progress,
      });
      progress(`built: ${describeStore(rebuildStore, sample)}`);
      progress(
        `personal data: ${await verifyPersonalData(rebuildStore)} envelopes of the last copy opened`,
      );
      const result = await runRebuildBench({
        store: rebuildStore,
        projections,
        batchSizes: args.batchSizes,
        flushEvery: args.flushEvery,
        cacheLimit: args.cacheLimit,
        buildWorkers: args.buildWorkers,
        pageSize: args.pageSize,
        workDir: rebuildStore.dir,
        log: progress,
      });
      best = result.best.batchSize;
      printRebuild(rebuildStore, sample, result, source, projections, args.pageSize);
      if (args.breakdown) {
        progress(`breakdown: instrumented rebuild, batch ${best}`);
        const instrumented = await rebuildAll({
          store: rebuildStore,
          projections,
          batchSize: best,
          flushEvery: args.flushEvery,
          cacheLimit: args.cacheLimit,
          readStoreFile: join(rebuildStore.dir, 'readmodels-breakdown.sqlite'),
          log: progress,
          breakdown: true,
        });
        printBreakdown(instrumented, instrumented.breakdown!);
      }
    }
    if (args.part !== 'rebuild') {
      let queryStore: BenchStore;
      if (rebuildStore && rebuildStore.meta.deals >= args.deals) {
        queryStore = rebuildStore;
      } else {
        if (rebuildStore && !args.keep) rmSync(rebuildStore.dir, { recursive: true, force: true });
        const copies = copiesFor(sample, { deals: args.deals });
        progress(`building the query store: ${copies} copies of the sample`);
        queryStore = await buildBenchStore({
          sample,
          copies,
          dir: join(workDir, 'query-store'),
          log: progress,
        });
        progress(`built: ${describeStore(queryStore, sample)}`);
      }
      // Child processes: one projects; a fresh one starts on the result, so its RSS is a server's.
      const passOn = [
        '--runs',
        String(args.runs),
        '--fold-runs',
        String(args.foldRuns),
        '--batch-size',
        String(best ?? args.batchSizes[0]),
        ...(args.flushEvery ? ['--flush-every', String(args.flushEvery)] : []),
        ...(args.cacheLimit ? ['--cache-limit', String(args.cacheLimit)] : []),
        ...(args.discover ? ['--discover'] : []),
        ...(args.only ? ['--only', args.only.join(',')] : []),
      ];
      const child = (part: 'project' | 'queries') =>
        new Promise<number>((resolveExit) => {
          spawn(
            process.execPath,
            [
              '--expose-gc',
              '-r',
              require.resolve('ts-node/register/transpile-only'),
              __filename,
              '--part',
              part,
              '--store-dir',
              queryStore.dir,
              ...passOn,
            ],
            { stdio: 'inherit' },
          ).on('exit', (exitCode, signal) => resolveExit(exitCode ?? (signal ? 1 : 0)));
        });
      if (args.reuseReadModels && existsSync(join(queryStore.dir, QUERY_READ_STORE))) {
        progress(`queries: reusing the read models in ${queryStore.dir} (--reuse-read-models)`);
        passOn.push('--reuse-read-models');
      } else {
        const projected = await child('project');
        if (projected !== 0)
          throw new Error(`projecting the query store failed (exit ${projected})`);
      }
      const queried = await child('queries');
      if (queried !== 0) throw new Error(`the query part failed (exit ${queried})`);
    }
    console.log('');
    console.log(
      `Whole run: ${fmt(since(started) / 60e9, 1)} min.${args.keep ? ` Stores kept in ${workDir}.` : ''}`,
    );
  } finally {
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
