import type { NewEvent } from '../../../src/event-store/event-store.port';
import type { BuildWorkers } from '../../../src/projection-runner/build-workers/build-workers';
import { RunnerFixture, tallied } from './runner-fixture';
import { SKEWED_SOURCE, WORKER_TEST_PROJECTIONS, WORKER_TEST_SOURCE } from './worker-projections';

// Each worker compiles its TypeScript with ts-node on start: seconds, not milliseconds.
jest.setTimeout(60_000);

const STREAMS = 12;

/** `perStream` Tallied events on each of STREAMS streams, interleaved, and noise between them. */
async function history(
  fixture: RunnerFixture,
  perStream: number,
  poisonAt?: number,
): Promise<void> {
  let appended = 0;
  for (let round = 0; round < perStream; round += 1) {
    for (let stream = 0; stream < STREAMS; stream += 1) {
      const events: NewEvent[] = [tallied(appended === poisonAt ? 'poison' : 'ok')];
      if (stream % 4 === 0) events.push({ ...tallied(), type: 'SomethingElse' });
      await fixture.append(`acct-${stream}`, ...events);
      appended += 1;
    }
  }
}

async function counts(fixture: RunnerFixture): Promise<Array<number | undefined>> {
  const found: Array<number | undefined> = [];
  for (let stream = 0; stream < STREAMS; stream += 1) {
    found.push(await fixture.count(`acct-${stream}`));
  }
  return found;
}

describe('projection builds in worker threads', () => {
  let fixture: RunnerFixture;
  let workers: BuildWorkers | undefined;
  let logged: Array<Record<string, unknown>>;

  beforeEach(async () => {
    fixture = new RunnerFixture();
    logged = [];
    await fixture.open([]);
  });
  afterEach(async () => {
    await fixture.close().catch(() => undefined);
    await workers?.close();
    fixture.remove();
  });

  const reopen = async (minEvents: number, projections = WORKER_TEST_SOURCE) => {
    await fixture.close();
    workers = fixture.buildWorkers({
      minEvents,
      projections,
      log: (entry) => logged.push(entry),
    });
    await fixture.open(WORKER_TEST_PROJECTIONS, 'test-instance', workers);
  };
  const startedInWorker = () =>
    logged.filter((entry) => entry.msg === 'projection builds started in a worker thread');

  it('a build far behind the log catches up in a worker, then follows the log on the main thread', async () => {
    await history(fixture, 25);
    await reopen(100);

    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 50_000)).toBe(true);
    expect(startedInWorker()).toEqual([expect.objectContaining({ projections: ['tally'] })]);
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(25));

    const next = await fixture.append('acct-3', tallied());
    expect(await fixture.runner.waitFor(next, 5000)).toBe(true);
    expect(await fixture.count('acct-3')).toBe(26);
    const [status] = (await fixture.runner.status()).projections;
    expect(status).toMatchObject({ name: 'tally', role: 'live', state: 'live', thread: 'main' });
  });

  it('while another instance holds the build, no worker starts here; once that lease is free, the build goes to one', async () => {
    await history(fixture, 25);
    const held = await fixture.store.acquireLease(
      'projection:tally:g1',
      'other',
      60_000,
      new Date(),
    );
    expect(held).toBeDefined();
    await reopen(100);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [waiting] = (await fixture.runner.status()).projections;
    expect(waiting).toMatchObject({ state: 'waiting_for_lease', thread: 'main' });
    expect(startedInWorker()).toEqual([]);

    await fixture.store.releaseLease('projection:tally:g1', 'other');
    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 50_000)).toBe(true);
    expect(startedInWorker()).toEqual([expect.objectContaining({ projections: ['tally'] })]);
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(25));
  });

  it('a build a few events behind stays on the main thread', async () => {
    await history(fixture, 2);
    await reopen(1000);

    expect(await fixture.runner.waitFor((await fixture.events.headPosition())!, 5000)).toBe(true);
    expect(startedInWorker()).toEqual([]);
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(2));
  });

  it('an event the projection cannot apply stops the build in the worker; status shows where, and it is never skipped', async () => {
    await history(fixture, 20, 130);
    await reopen(100);

    let status;
    const deadline = Date.now() + 50_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [status] = (await fixture.runner.status()).projections;
    } while (status.state !== 'failed' && Date.now() < deadline);
    expect(startedInWorker()).toHaveLength(1);
    expect(status).toMatchObject({
      role: 'building',
      state: 'failed',
      thread: 'main',
      failure: { eventType: 'Tallied', streamName: 'acct-10', message: 'cannot tally poison' },
    });
    // Nothing after the failed event reached the read model's checkpoint.
    const stored = await fixture.store.checkpoint('tally@g1');
    expect(stored === undefined || stored < status.failure!.position).toBe(true);
  });

  it('a worker that cannot build (here: it runs another version of the projection) leaves the build to the main thread', async () => {
    await history(fixture, 15);
    await reopen(100, SKEWED_SOURCE);

    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 50_000)).toBe(true);
    expect(startedInWorker()).toHaveLength(1);
    expect(logged).toContainEqual({
      msg: 'projection build worker failed',
      error: 'This worker has no tally v1 (found v2)',
    });
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(15));
  });

  it('a worker that cannot open the stores fails or is ended after its start timeout; the main thread builds instead', async () => {
    await history(fixture, 15);
    await fixture.close();
    workers = fixture.buildWorkers({
      minEvents: 100,
      projections: WORKER_TEST_SOURCE,
      startTimeoutMs: 3000,
      log: (entry) => logged.push(entry),
      // A folder: SQLite cannot open it as a database.
      stores: { readStore: { kind: 'sqlite', file: fixture.dir } },
    });
    await fixture.open(WORKER_TEST_PROJECTIONS, 'test-instance', workers);

    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 30_000)).toBe(true);
    expect(startedInWorker()).toHaveLength(1);
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(15));
  });

  it('stopping mid-build stops the worker after a commit; a restart resumes, counting nothing twice', async () => {
    await history(fixture, 60);
    await reopen(100);

    const deadline = Date.now() + 50_000;
    let progressed = false;
    while (!progressed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [status] = (await fixture.runner.status()).projections;
      progressed = status.thread === 'worker' && status.checkpoint !== null;
    }
    expect(progressed).toBe(true);
    const head = (await fixture.events.headPosition())!;
    await fixture.runner.stop();
    await workers!.close();
    const stopped = await fixture.store.checkpoint('tally@g1');
    expect(stopped !== undefined && stopped < head).toBe(true);

    await reopen(100);
    expect(await fixture.runner.waitFor(head, 50_000)).toBe(true);
    expect(await counts(fixture)).toEqual(Array(STREAMS).fill(60));
  });
});
