/**
 * `npm run bench:intake`: lead-list import and dedup lookups, in one run.
 *
 * 1. CSV import. BENCH_ROWS (100,000) distinct trade-show lead rows from 38 countries are posted to
 *    POST /api/inquiries/import of the real app (a child process on 127.0.0.1 over a temporary
 *    DATA_DIR, an intake key) as files of MAX_ROWS (10,000) rows, the most one file may hold, one
 *    after another: rows imported per second of wall time, end to end. Beside it, in the same run
 *    and over the same text: csv-parse alone with the importer's options and chunking, and the
 *    importer's own reader (csvRows) read twice per file as LeadImport.run does. Then one file is
 *    posted again, every row replayed.
 * 2. Dedup. CompanyNameIndex over 1k, 10k and 100k account names (BENCH_DEDUP_MAX), then
 *    BENCH_LOOKUPS (2,000) lookups of names on file with a typo, another legal form, or another
 *    case or accents, with match(name, 0.85): build time, lookup p50/p95, names compared and
 *    posting entries scanned per lookup, hit rate.
 *
 * No targets: nothing here prints PASS or FAIL. Exits 0 unless something crashed.
 */
import 'reflect-metadata';
import { parse } from 'csv-parse';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { normalizeCompanyName } from '../domain/dedup/company-name';
import { CompanyNameIndex } from '../domain/dedup/company-name-index';
import { csvRows } from '../src/intake/csv-rows';
import { ImportReport, MAX_ROWS } from '../src/intake/lead-import';
import { accountNames, Lookup, lookups, PERTURBATIONS } from './intake-dedup';
import { csvFile, leadRows } from './intake-leads';
import { intakeKey, RunningServer, startServer, stopServer } from './bench-server';
import { BENCH_COUNTRIES } from './intake-world';
import { median, now, percentile, since } from './measure';

const envInt = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer`);
  return parsed;
};

const ROWS = envInt('BENCH_ROWS', 100_000);
const DEDUP_MAX = envInt('BENCH_DEDUP_MAX', 100_000);
const LOOKUPS = envInt('BENCH_LOOKUPS', 2_000);
const WARM_UP_ROWS = 200;
const PARSE_PASSES = 3;
const THRESHOLD = 0.85;
const SEED = 'intake-bench';
/** What the import route reads of a body (MAX_FILE_BYTES in src/intake/lead-import.controller.ts). */
const ROUTE_BODY_BYTES = 8 * 1024 * 1024;
/** As src/intake/csv-rows.ts feeds csv-parse. */
const CHUNK = 64 * 1024;

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)} %`;

function table(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join('  '),
    );
}

// ---------------------------------------------------------------------------------------------
// 1. CSV import

interface LeadFile {
  text: string;
  rows: number;
  bytes: number;
}

function leadFiles(): { warmUp: LeadFile; files: LeadFile[] } {
  const next = leadRows(SEED);
  const file = (rows: string[][]): LeadFile => {
    const text = csvFile(rows);
    return { text, rows: rows.length, bytes: Buffer.byteLength(text) };
  };
  const warmUp = file(Array.from({ length: WARM_UP_ROWS }, next));
  const files: LeadFile[] = [];
  for (let left = ROWS; left > 0; left -= MAX_ROWS)
    files.push(file(Array.from({ length: Math.min(MAX_ROWS, left) }, next)));
  return { warmUp, files };
}

/** The importer's rule (csv-rows.ts): the header's commonest of `,` `;` tab. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

function* chunks(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += CHUNK) yield text.slice(at, at + CHUNK);
}

/** csv-parse alone, streamed in 64 KiB chunks with the importer's options; data rows read. */
async function parseOnly(text: string): Promise<number> {
  const parser = Readable.from(chunks(text)).pipe(
    parse({ delimiter: delimiterOf(text), relax_column_count: true, raw: true }),
  );
  let records = 0;
  for await (const record of parser as AsyncIterable<unknown>) if (record) records++;
  return records - 1;
}

/** The importer's reader, gone through twice as LeadImport.run does (survey, then import). */
async function readTwice(text: string): Promise<number> {
  const source = csvRows(text);
  let rows = 0;
  for (let pass = 0; pass < 2; pass++) for await (const row of source()) if (row.row > 1) rows++;
  return rows / 2;
}

/** Median seconds of a pass over all files. */
async function timedPasses(
  files: LeadFile[],
  read: (text: string) => Promise<number>,
): Promise<number> {
  await read(files[0].text);
  const seconds: number[] = [];
  for (let pass = 0; pass < PARSE_PASSES; pass++) {
    const start = now();
    let rows = 0;
    for (const file of files) rows += await read(file.text);
    seconds.push(since(start) / 1e9);
    const expected = files.reduce((sum, file) => sum + file.rows, 0);
    if (rows !== expected) throw new Error(`Read ${rows} rows, expected ${expected}`);
  }
  return median(seconds);
}

async function post(
  server: RunningServer,
  key: string,
  file: LeadFile,
): Promise<{ report: ImportReport; seconds: number }> {
  const start = now();
  const response = await fetch(`${server.baseUrl}/api/inquiries/import`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${key}` },
    body: file.text,
  });
  const body = (await response.json()) as ImportReport;
  const seconds = since(start) / 1e9;
  if (response.status !== 200)
    throw new Error(`POST /api/inquiries/import: ${response.status} ${JSON.stringify(body)}`);
  if (server.child.exitCode !== null) throw new Error('The server died during the run');
  return { report: body, seconds };
}

const problemSummary = (report: ImportReport): string => {
  const codes = new Map<string, number>();
  for (const problem of report.invalid) codes.set(problem.code, (codes.get(problem.code) ?? 0) + 1);
  return [...codes].map(([code, count]) => `${code} ×${count}`).join(', ');
};

async function importBench(): Promise<void> {
  const generating = now();
  const { warmUp, files } = leadFiles();
  const total = files.reduce((sum, file) => sum + file.rows, 0);
  const largest = Math.max(...files.map((file) => file.bytes));
  console.log(
    `Generated ${n(total)} distinct lead rows (${BENCH_COUNTRIES.length} countries, seed "${SEED}") in ` +
      `${(since(generating) / 1e9).toFixed(1)} s: ${files.length} file${files.length > 1 ? 's' : ''} of up to ${n(MAX_ROWS)} rows ` +
      `(MAX_ROWS, src/intake/lead-import.ts: one file may hold no more, import.too_many_rows), ` +
      `${mb(files.reduce((sum, file) => sum + file.bytes, 0))} in all, largest ${mb(largest)}.`,
  );
  console.log(
    `BODY_LIMIT (default 1mb) is left as is: it governs JSON bodies only; the import route reads a ` +
      `CSV body itself, up to ${n(ROUTE_BODY_BYTES / 1024 / 1024)} MiB (MAX_FILE_BYTES, src/intake/lead-import.controller.ts).`,
  );
  if (largest > ROUTE_BODY_BYTES) throw new Error('A file is larger than the route accepts');

  const parseSeconds = await timedPasses(files, parseOnly);
  const readerSeconds = await timedPasses(files, readTwice);

  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-bench-intake-'));
  let server: RunningServer | undefined;
  const perFile: Array<{ rows: number; seconds: number }> = [];
  let importSeconds = 0;
  let imported = 0;
  let replay: { report: ImportReport; seconds: number } | undefined;
  try {
    server = await startServer(dataDir);
    server.child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null) console.error(`The server crashed (exit ${code ?? signal})`);
    });
    const key = await intakeKey(server.baseUrl, 'trade-show-scanner');
    console.log(
      `\n— CSV import: POST /api/inquiries/import with an intake key, files one after another, after a ` +
        `${WARM_UP_ROWS}-row warm-up file; server in a child process on 127.0.0.1:${server.port} ` +
        `(embedded SQLite, synchronous ${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'})`,
    );
    await post(server, key, warmUp);
    const start = now();
    for (const [i, file] of files.entries()) {
      const { report, seconds } = await post(server, key, file);
      imported += report.imported;
      perFile.push({ rows: report.imported, seconds });
      const clean = report.imported === file.rows && report.replayed === 0;
      console.log(
        `  file ${i + 1}/${files.length}: ${n(report.imported)} of ${n(file.rows)} rows imported in ` +
          `${seconds.toFixed(1)} s (${n(report.imported / seconds)} rows/s)` +
          (clean ? '' : `; replayed ${n(report.replayed)}; ${problemSummary(report)}`),
      );
    }
    importSeconds = since(start) / 1e9;
    replay = await post(server, key, files[0]);
  } finally {
    if (server) await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  if (!replay) throw new Error('The re-import did not run');
  const parseRate = total / parseSeconds;
  const importRate = imported / importSeconds;
  const replayRate = replay.report.replayed / replay.seconds;
  console.log('');
  table([
    ['what', 'rows', 'seconds', 'rows/s', 'vs parse'],
    [
      'csv-parse alone (importer options, 64 KiB chunks)',
      n(total),
      parseSeconds.toFixed(2),
      n(parseRate),
      '100 %',
    ],
    [
      "importer's reader, csvRows, 2 passes a file",
      n(total),
      readerSeconds.toFixed(2),
      n(total / readerSeconds),
      pct(total / readerSeconds / parseRate),
    ],
    [
      `import end to end (${files.length} file${files.length > 1 ? 's' : ''})`,
      n(imported),
      importSeconds.toFixed(1),
      n(importRate),
      pct(importRate / parseRate),
    ],
    [
      're-import of file 1 (every row replayed)',
      n(replay.report.replayed),
      replay.seconds.toFixed(1),
      n(replayRate),
      pct(replayRate / parseRate),
    ],
  ]);
  const fileRates = perFile.map((file) => file.rows / file.seconds);
  console.log(
    `\nimport / raw parse: ${pct(importRate / parseRate)} of the parse rate (1 : ${n(parseRate / importRate)}); ` +
      `reading the files as the importer does is ${pct(readerSeconds / importSeconds)} of the import's wall time.`,
  );
  console.log(
    `per file rows/s: min ${n(Math.min(...fileRates))}, median ${n(median(fileRates))}, max ${n(Math.max(...fileRates))}; ` +
      `re-import: imported ${n(replay.report.imported)}, replayed ${n(replay.report.replayed)} of ${n(files[0].rows)}` +
      (imported === total ? '' : `; NOTE: ${n(total - imported)} rows were not imported`),
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Dedup

/** 1k, 10k, 100k… up to the maximum, and the maximum itself. */
function dedupSizes(max: number): number[] {
  const sizes: number[] = [];
  for (let size = 1_000; size <= max; size *= 10) sizes.push(size);
  if (sizes[sizes.length - 1] !== max) sizes.push(max);
  return sizes;
}

interface DedupResult {
  size: number;
  buildMs: number;
  latenciesMs: number[];
  compared: number[];
  scanned: number[];
  hits: Map<string, [asked: number, found: number]>;
  top: number;
}

function runLookups(index: CompanyNameIndex, asked: Lookup[], result: DedupResult): void {
  for (const lookup of asked) {
    const start = now();
    const { matches, compared, scanned } = index.match(lookup.name, THRESHOLD);
    result.latenciesMs.push(since(start) / 1e6);
    result.compared.push(compared);
    result.scanned.push(scanned);
    const target = `acc-${lookup.target}`;
    const tally = result.hits.get(lookup.kind) ?? [0, 0];
    tally[0]++;
    if (matches.some((match) => match.id === target)) tally[1]++;
    result.hits.set(lookup.kind, tally);
    if (matches[0]?.id === target) result.top++;
  }
}

/** Legal forms in the generated names that normalization does not remove (they stay as words). */
function formsKept(): string[] {
  const kept = new Set<string>();
  for (const country of BENCH_COUNTRIES)
    for (const form of country.forms) {
      const probe = form.endsWith(' ') ? `${form}Zorblex Valves` : `Zorblex Valves ${form}`;
      if (normalizeCompanyName(probe).core !== 'zorblex valves') kept.add(form.trim());
    }
  return [...kept];
}

function dedupBench(): void {
  const sizes = dedupSizes(DEDUP_MAX);
  const max = sizes[sizes.length - 1];
  const generating = now();
  const names = accountNames(`${SEED}-accounts`, max);
  console.log(
    `\n— Dedup: CompanyNameIndex, match(name, ${THRESHOLD}), ${n(LOOKUPS)} lookups per size of names on file ` +
      `changed one way each (${PERTURBATIONS.join(', ')}, in turn); ${n(max)} distinct names from ` +
      `${BENCH_COUNTRIES.length} countries generated in ${(since(generating) / 1e9).toFixed(1)} s; in-process, after a warm-up\n`,
  );
  // Warm-up: the same code paths on a small index, not reported.
  const warm = new CompanyNameIndex();
  const warmSize = Math.min(1_000, max);
  for (let i = 0; i < warmSize; i++) warm.add(`acc-${i}`, names[i].name);
  for (const lookup of lookups(`${SEED}-warm-up`, names.slice(0, warmSize), 500))
    warm.match(lookup.name, THRESHOLD);

  const results: DedupResult[] = [];
  for (const size of sizes) {
    // Small indexes build in milliseconds: the median of a few builds, so one GC pause does not decide.
    const builds: number[] = [];
    let index = new CompanyNameIndex();
    for (let build = 0; build < Math.min(5, Math.max(1, Math.floor(200_000 / size))); build++) {
      index = new CompanyNameIndex();
      const start = now();
      for (let i = 0; i < size; i++) index.add(`acc-${i}`, names[i].name);
      builds.push(since(start) / 1e6);
    }
    const result: DedupResult = {
      size,
      buildMs: median(builds),
      latenciesMs: [],
      compared: [],
      scanned: [],
      hits: new Map(),
      top: 0,
    };
    runLookups(index, lookups(`${SEED}-lookups-${size}`, names.slice(0, size), LOOKUPS), result);
    results.push(result);
  }

  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const hitRate = (result: DedupResult, kinds: readonly string[]) => {
    const [asked, found] = kinds.reduce(
      ([a, f], kind) => {
        const [ka, kf] = result.hits.get(kind) ?? [0, 0];
        return [a + ka, f + kf];
      },
      [0, 0],
    );
    return asked === 0 ? 'n/a' : `${((100 * found) / asked).toFixed(1)} %`;
  };
  table([
    [
      'accounts',
      'build ms',
      'names/s',
      'p50 ms',
      'p95 ms',
      'compared mean',
      'max',
      'scanned mean',
      'hit',
      'top-1',
    ],
    ...results.map((r) => [
      n(r.size),
      n(r.buildMs),
      n(r.size / (r.buildMs / 1000)),
      percentile(r.latenciesMs, 50).toFixed(2),
      percentile(r.latenciesMs, 95).toFixed(2),
      mean(r.compared).toFixed(1),
      n(Math.max(...r.compared)),
      n(mean(r.scanned)),
      hitRate(r, PERTURBATIONS),
      `${((100 * r.top) / r.latenciesMs.length).toFixed(1)} %`,
    ]),
  ]);
  console.log('\nhit rate by change:');
  table([
    ['accounts', ...PERTURBATIONS],
    ...results.map((r) => [n(r.size), ...PERTURBATIONS.map((kind) => hitRate(r, [kind]))]),
  ]);
  const first = results[0];
  const last = results[results.length - 1];
  if (results.length > 1) {
    const grow = (a: number, b: number) => `×${(b / a).toFixed(2)}`;
    console.log(
      `\naccounts ×${n(last.size / first.size)} (${n(first.size)} → ${n(last.size)}): names compared per lookup ` +
        `${grow(mean(first.compared), mean(last.compared))} (${mean(first.compared).toFixed(1)} → ${mean(last.compared).toFixed(1)}, ` +
        `at most the candidate limit of 50); posting entries scanned ${grow(mean(first.scanned), mean(last.scanned))} ` +
        `(${n(mean(first.scanned))} → ${n(mean(last.scanned))}, read budget 20,000); p50 lookup ` +
        `${grow(percentile(first.latenciesMs, 50), percentile(last.latenciesMs, 50))}; build time per name ` +
        `${grow(first.buildMs / first.size, last.buildMs / last.size)}.`,
    );
  }
  const kept = formsKept();
  if (kept.length > 0)
    console.log(
      `\nlegal forms in these names that normalization keeps as words (a lookup with another form then differs ` +
        `in its core): ${kept.join(' · ')}`,
    );
}

async function main(): Promise<void> {
  const started = now();
  console.log(
    `Intake benchmark: Node ${process.version}, ${availableParallelism()} CPUs (load average ${loadavg()[0].toFixed(2)} at start); BENCH_ROWS=${ROWS}, ` +
      `BENCH_DEDUP_MAX=${DEDUP_MAX}, BENCH_LOOKUPS=${LOOKUPS}\n`,
  );
  await importBench();
  dedupBench();
  console.log(
    `\nTotal ${(since(started) / 1e9).toFixed(0)} s (load average ${loadavg()[0].toFixed(2)} at the end).`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
