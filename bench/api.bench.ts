/**
 * `npm run bench:api`: requests/s and latency of the real HTTP app under autocannon, in one run:
 * GET /health (the floor: routing, middleware, JSON) and POST /api/inquiries (validation, the
 * command bus, the decider, personal-data encryption and a durable SQLite append), each with
 * 10 and 25 connections (BENCH_CONNECTIONS) for BENCH_DURATION seconds (10) each. The server runs in a child process on
 * 127.0.0.1 over a temporary DATA_DIR; target: create-inquiry ≥ 25 % of health requests/s.
 * Each measured phase starts on an idle server, and the server's CPU time per request is counted
 * until it is idle again, so the projections' and sagas' work for the inquiries is in the figure
 * even when they finish it after the load stopped (up to BENCH_SETTLE_LIMIT seconds, 120).
 * A FAIL is a measurement and exits 0; only a crash exits 1.
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inquiryBodies } from './api-inquiries';
import { intakeKey, serverCpuMicros, startServer, stopServer } from './bench-server';

const envInt = (name: string, fallback: number): number => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer`);
  return parsed;
};

const DURATION = envInt('BENCH_DURATION', 10);
/** Both endpoints are measured at each level; writes group-commit, so concurrency matters. */
const CONNECTION_LEVELS = (process.env.BENCH_CONNECTIONS ?? '10,25')
  .split(',')
  .map((level) => Number(level.trim()))
  .filter((level) => Number.isInteger(level) && level > 0);
const TARGET = 0.25;
/** The server counts as settled once it used less than this share of a CPU over a probe. */
const SETTLED_BELOW = 0.05;
const SETTLE_PROBE_MS = 500;
const SETTLE_LIMIT_MS = envInt('BENCH_SETTLE_LIMIT', 120) * 1000;

interface Measured {
  label: string;
  result: autocannon.Result;
  /** Server CPU time per request while the load ran. */
  cpuMsPerRequest: number;
  /** The same, counting on until the server was idle again: the read side's share included. */
  cpuMsPerRequestSettled: number;
  /** How long the server took to fall idle after the load; undefined if it never did. */
  settledMs: number | undefined;
}

function load(
  url: string,
  duration: number,
  request: Pick<autocannon.Options, 'method' | 'headers' | 'requests'>,
  connections: number,
): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration, ...request });
}

/** Waits until the server is idle again (the read side has worked off what the last phase wrote). */
async function settle(child: ChildProcess): Promise<number | undefined> {
  const started = Date.now();
  let before = await serverCpuMicros(child);
  while (Date.now() - started < SETTLE_LIMIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_PROBE_MS));
    const now = await serverCpuMicros(child);
    const busy = (now - before) / 1000 / SETTLE_PROBE_MS;
    before = now;
    if (busy < SETTLED_BELOW) return Date.now() - started;
  }
  return undefined;
}

/** The load phase, with the server's CPU time over it (and, for writes, until it settles after). */
async function phase(
  child: ChildProcess,
  label: string,
  run: () => Promise<autocannon.Result>,
): Promise<Measured> {
  await settle(child);
  const before = await serverCpuMicros(child);
  const result = await run();
  const during = (await serverCpuMicros(child)) - before;
  const settledMs = await settle(child);
  const total = (await serverCpuMicros(child)) - before;
  const perRequest = (micros: number) => micros / 1000 / Math.max(1, result.requests.total);
  return {
    label,
    result,
    cpuMsPerRequest: perRequest(during),
    cpuMsPerRequestSettled: perRequest(total),
    settledMs,
  };
}

async function measure(
  child: ChildProcess,
  baseUrl: string,
  key: string,
  connections: number,
): Promise<Measured[]> {
  const nextBody = inquiryBodies('api-bench');
  const inquiries = {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        method: 'POST' as const,
        path: '/api/inquiries',
        setupRequest: (request: autocannon.Request) => ({ ...request, body: nextBody() }),
      },
    ],
  };
  const health = { method: 'GET' as const };
  // Warm-up: JIT, connection pools, SQLite page cache, key store.
  await load(`${baseUrl}/health`, 2, health, connections);
  await load(baseUrl, 2, inquiries, connections);
  return [
    await phase(child, 'GET /health', () =>
      load(`${baseUrl}/health`, DURATION, health, connections),
    ),
    await phase(child, 'POST /api/inquiries', () =>
      load(baseUrl, DURATION, inquiries, connections),
    ),
  ];
}

function report(measured: Measured[]): void {
  const n = (value: number, digits = 0) =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const rows = [
    [
      'endpoint',
      'requests/s',
      'p50 ms',
      'p99 ms',
      'requests',
      'non-2xx',
      'errors',
      'CPU ms/req',
      'CPU ms/req until idle',
    ],
    ...measured.map(({ label, result, cpuMsPerRequest, cpuMsPerRequestSettled, settledMs }) => [
      label,
      n(result.requests.average),
      n(result.latency.p50, 1),
      n(result.latency.p99, 1),
      n(result.requests.total),
      n(result.non2xx),
      n(result.errors),
      n(cpuMsPerRequest, 2),
      settledMs === undefined
        ? `${n(cpuMsPerRequestSettled, 2)}, still busy after ${SETTLE_LIMIT_MS / 1000} s`
        : `${n(cpuMsPerRequestSettled, 2)} after ${n(settledMs / 1000, 1)} s`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join('  '),
    );
  const [health, inquiries] = measured.map(({ result }) => result);
  const [healthCpu, inquiryCpu] = measured.map((m) => m.cpuMsPerRequestSettled);
  const ratio = inquiries.requests.average / health.requests.average;
  const clean =
    inquiries.non2xx === 0 && inquiries.errors === 0 && health.non2xx === 0 && health.errors === 0;
  const verdict = ratio >= TARGET && clean ? 'PASS' : 'FAIL';
  console.log(
    `\ncreate-inquiry / health: ${(ratio * 100).toFixed(1)} %  (target ≥ ${TARGET * 100} %)  ${verdict}` +
      (clean ? '' : '  (some requests failed: see non-2xx / errors)'),
  );
  console.log(
    `server CPU per request, read side's catch-up included: health / create-inquiry = ${((healthCpu / inquiryCpu) * 100).toFixed(1)} %`,
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-bench-api-'));
  let child: ChildProcess | undefined;
  try {
    const server = await startServer(dataDir);
    child = server.child;
    child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null) console.error(`The server crashed (exit ${code ?? signal})`);
    });
    const baseUrl = `http://127.0.0.1:${server.port}`;
    console.log(
      `API benchmark: ${CONNECTION_LEVELS.join(' and ')} connections, ${DURATION} s per endpoint after a 2 s warm-up; ` +
        `server in a child process on 127.0.0.1:${server.port} (embedded SQLite, synchronous ${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'}); ` +
        `Node ${process.version}, ${availableParallelism()} CPUs\n`,
    );
    const key = await intakeKey(baseUrl, 'website-form');
    for (const connections of CONNECTION_LEVELS) {
      const measured = await measure(child, baseUrl, key, connections);
      if (child.exitCode !== null) throw new Error('The server died during the run');
      console.log(`— ${connections} connections`);
      report(measured);
      console.log('');
    }
  } finally {
    if (child) await stopServer(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
