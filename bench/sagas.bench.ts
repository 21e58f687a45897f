/**
 * `npm run bench:sagas`: durable timers under load, from one run (issue 7).
 *
 * Operations publish an SLA policy whose first-response clock runs 30 calendar minutes with no
 * ladder, so each live inquiry holds exactly one pending timer: its deadline. `--inquiries`
 * (100,000) live inquiries are received through the command pipeline, back-dated (within the
 * policy's live window) so that their deadlines fall evenly over `--window` seconds (120); the saga
 * runner (ALL_SAGAS, SagasModule's settings) runs all along, as in the app. Once it has caught up
 * and sent every decision, the one clock all parts read skips forward to 10 s before the first
 * deadline (see saga-world.ts: from there on it runs at wall speed). Then:
 *
 * - memory: RSS and V8 heap after a full GC, before the stores were filled and with every timer
 *   pending, in this one process (stores, runner and load generator);
 * - firing lag: for every deadline, the `recordedAt` of the breach the saga decided minus the
 *   deadline — wall time from due to committed. The window is cut into `--block` second blocks
 *   (10) that alternate: no writes, then `--writers` (8) closed-loop writers each receiving a new
 *   live inquiry and answering it through the pipeline (the saga starts and stops its clock).
 *   Lag p50/p99 of the timers due in write blocks beside those due in quiet blocks, as a ratio;
 * - write throughput: inquiry + response pairs per second in the write blocks, beside the same
 *   writers with the saga runner stopped, as a ratio.
 *
 * No targets: nothing prints PASS or FAIL. The store lives in bench/data/ (git-ignored) and is
 * deleted afterwards. Exits 0 unless something crashed or a saga stopped on a failure.
 */
import 'reflect-metadata';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { physicalName } from '../src/projection-runner/read-models';
import { SLA_SAGA } from '../sagas/sla-clock';
import { percentile } from './measure';
import { InquirySource, SagaBenchWorld } from './saga-world';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} takes a positive integer`);
  return value;
};

const INQUIRIES = option('inquiries', 100_000);
const WINDOW_S = option('window', 120);
const BLOCK_S = option('block', 10);
const WRITERS = option('writers', 8);
const BASELINE_S = option('baseline', 2 * BLOCK_S);
const SETUP_CONCURRENCY = 32;
const TARGET_MINUTES = 30;
const BREACH_STEP = 'first_response.breach';
/** Idle time on the clock between the skip and the first deadline. */
const LEAD_MS = 10_000;

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => `${n(bytes / 2 ** 20)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

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

interface Memory {
  rss: number;
  heap: number;
  heapTotal: number;
  /** Outside the V8 heap but known to it: buffers, strings handed to SQLite. */
  external: number;
}

function memory(): Memory {
  collectGarbage();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heap: heapUsed, heapTotal, external };
}

/** Runs `task(i)` for i in 0 … count − 1, at most `concurrency` at a time, in order of i. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Closed-loop writers until `until` (epoch ms): each receives a live inquiry and answers it. */
async function writeLoad(world: SagaBenchWorld, source: InquirySource, until: number) {
  let pairs = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (world.clock.ms() < until) {
        const leadId = await source.receive(world.clock.now());
        await source.respond(leadId, world.clock.now());
        pairs++;
      }
    }),
  );
  return pairs;
}

async function main(): Promise<void> {
  const world = await SagaBenchWorld.open(join(__dirname, 'data', `sagas-${process.pid}`));
  // The runner's own timers do not hold the process open (the app's HTTP server does).
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await run(world);
  } finally {
    await world.close();
    clearInterval(keepAlive);
  }
}

async function run(world: SagaBenchWorld): Promise<void> {
  const clock = world.clock;
  // As late as the clock allows: every back-dated inquiry is in the past when received.
  const windowStart = clock.ms() + TARGET_MINUTES * 60_000 - WINDOW_S * 1000 - 60_000;
  const windowEnd = windowStart + WINDOW_S * 1000;
  const seeded = world.registry.current<Record<string, unknown>>('sla.default');
  const { id: _id, version: _version, ...body } = seeded;
  await world.publishSla({
    ...body,
    firstResponse: {
      enabled: true,
      mode: 'calendar',
      targetMinutes: TARGET_MINUTES,
      ladder: [],
      onHandover: 'restart',
    },
    proposal: { ...(body.proposal as Record<string, unknown>), enabled: false },
  });
  console.log(
    `Saga timers benchmark: ${n(INQUIRIES)} live inquiries, each with a first-response clock of ` +
      `${TARGET_MINUTES} calendar minutes (one pending timer each), deadlines evenly over ${WINDOW_S} s; ` +
      `blocks of ${BLOCK_S} s alternate no writes / ${WRITERS} writers; embedded SQLite ` +
      `(events synchronous=FULL); Node ${process.version}, ${availableParallelism()} CPUs, ` +
      `load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  const before = memory();
  const runner = await world.startSagas();

  // ---- Setup: the inquiries, back-dated so that each deadline falls in the window.
  const setup = new InquirySource(world, 'saga-bench-setup');
  const setupStart = clock.ms();
  await pool(INQUIRIES, SETUP_CONCURRENCY, async (i) => {
    const due = windowStart + ((i + 0.5) / INQUIRIES) * WINDOW_S * 1000;
    await setup.receive(new Date(due - TARGET_MINUTES * 60_000));
  });
  const appended = clock.ms();
  const head = (await world.events.headPosition())!;
  const caughtUp = await runner.waitFor(head, windowStart - LEAD_MS - clock.ms());
  const generation = (await runner.status()).projections.find(
    (p) => p.name === SLA_SAGA,
  )!.generation;
  const timers = physicalName(SLA_SAGA, generation, 'timers');
  const outbox = physicalName(SLA_SAGA, generation, 'outbox');
  while ((await world.store.count(outbox)) > 0 && clock.ms() < windowStart - LEAD_MS)
    await sleep(50);
  const ready = clock.ms();
  const pending = await world.store.count(timers);
  console.log(
    `setup: ${n(INQUIRIES)} inquiries through the pipeline in ${n((appended - setupStart) / 1000, 1)} s ` +
      `(${n(INQUIRIES / ((appended - setupStart) / 1000))}/s, ${SETUP_CONCURRENCY} at a time); ` +
      `saga caught up and outbox sent ${n((ready - appended) / 1000, 1)} s later; ` +
      `${n(pending)} timers pending; the clock skips ${n((windowStart - LEAD_MS - ready) / 60_000, 1)} min ` +
      `to ${LEAD_MS / 1000} s before the first deadline`,
  );
  const failed = await world.failedSagas();
  if (failed.length) throw new Error(`A saga stopped: ${failed.join('; ')}`);
  if (!caughtUp || ready >= windowStart - LEAD_MS || pending < INQUIRIES) {
    throw new Error(
      `Setup did not finish before the first deadline (caught up: ${caughtUp}, ` +
        `${n(pending)} timers pending): try fewer --inquiries or a shorter --window`,
    );
  }
  const firstPosition = (await world.events.headPosition())!;
  clock.skip(windowStart - LEAD_MS - clock.ms());
  await sleep(LEAD_MS / 2);
  const withPending = memory();

  // ---- The window: quiet and write blocks alternate while the deadlines fall due.
  await sleep(windowStart - clock.ms());
  const load = new InquirySource(world, 'saga-bench-load');
  let loadPairs = 0;
  let loadMs = 0;
  for (let block = 0; windowStart + block * BLOCK_S * 1000 < windowEnd; block++) {
    const end = Math.min(windowEnd, windowStart + (block + 1) * BLOCK_S * 1000);
    if (block % 2 === 0) {
      await sleep(end - clock.ms());
      continue;
    }
    const from = clock.ms();
    loadPairs += await writeLoad(world, load, end);
    loadMs += clock.ms() - from;
  }
  const drainDeadline = clock.ms() + 10 * 60_000;
  for (;;) {
    const due = await world.store.count(timers, { dueAt: { lte: clock.now().toISOString() } });
    if (due === 0 && (await world.store.count(outbox)) === 0) break;
    if (clock.ms() > drainDeadline)
      throw new Error('The saga did not fire every due timer in 10 min');
    await sleep(100);
  }
  const drained = clock.ms();
  const after = memory();

  // ---- Baseline: the same writers with the saga runner stopped.
  await world.stopSagas();
  const baselineStart = clock.ms();
  const baselinePairs = await writeLoad(world, load, baselineStart + BASELINE_S * 1000);
  const baselineMs = clock.ms() - baselineStart;

  // ---- Lag of every deadline, from the breaches on the automation logs.
  const lags = { quiet: [] as number[], load: [] as number[] };
  for await (const event of world.read(firstPosition, ['AutomationDecisionRecorded'])) {
    const data = event.data as { step?: string; decision?: string; dueAt?: string };
    if (data.step !== BREACH_STEP || data.decision !== 'flagged') continue;
    const due = Date.parse(data.dueAt!);
    if (due < windowStart || due >= windowEnd) continue;
    const block = Math.floor((due - windowStart) / (BLOCK_S * 1000));
    lags[block % 2 === 0 ? 'quiet' : 'load'].push(Date.parse(event.recordedAt) - due);
  }
  const fired = lags.quiet.length + lags.load.length;

  console.log(`\nmemory (after a full GC; one process: stores, saga runner, writers)`);
  const memoryRow = (label: string, at: Memory) =>
    [label, mib(at.rss), mib(at.heap), mib(at.heapTotal), mib(at.external)];
  table([
    ['when', 'RSS', 'heap used', 'heap total', 'external'],
    memoryRow('before the stores were filled', before),
    memoryRow(`${n(pending)} timers pending, saga live`, withPending),
    memoryRow('after the window, every deadline fired', after),
  ]);

  console.log(
    `\nfiring lag: breach committed (recordedAt) − deadline; ${n(fired)} of ${n(INQUIRIES)} fired, ` +
      `all due by ${n((drained - windowEnd) / 1000, 1)} s after the window`,
  );
  const row = (label: string, samples: number[]) => [
    label,
    n(samples.length),
    n(percentile(samples, 50)),
    n(percentile(samples, 99)),
    n(Math.max(...samples)),
  ];
  table([
    ['timers due during', 'fired', 'p50 ms', 'p99 ms', 'max ms'],
    row('no writes', lags.quiet),
    row(`${WRITERS} writers`, lags.load),
  ]);
  const p99Ratio = percentile(lags.load, 99) / percentile(lags.quiet, 99);
  const p50Ratio = percentile(lags.load, 50) / percentile(lags.quiet, 50);
  console.log(`lag under writes / without: p50 ${n(p50Ratio, 2)}×, p99 ${n(p99Ratio, 2)}×`);

  const withSaga = loadPairs / (loadMs / 1000);
  const withoutSaga = baselinePairs / (baselineMs / 1000);
  console.log(`\nwrites: inquiry + response pairs through the pipeline, ${WRITERS} writers`);
  table([
    ['saga runner', 'pairs', 'seconds', 'pairs/s'],
    ['firing the window’s timers', n(loadPairs), n(loadMs / 1000, 1), n(withSaga)],
    ['stopped', n(baselinePairs), n(baselineMs / 1000, 1), n(withoutSaga)],
  ]);
  console.log(`writes with the saga firing / stopped: ${n((withSaga / withoutSaga) * 100, 1)} %`);
  if (fired !== INQUIRIES) throw new Error(`${n(INQUIRIES - fired)} deadlines never fired`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
