import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { decodePosition } from '../../src/event-store/sqlite/sqlite-schema';

const WRITERS = 4;
const ACKS_BEFORE_KILL = 300;
const MIN_ACKS_PER_WRITER = 20;

interface Ack {
  stream: string;
  lastRevision: number;
  position: string;
}

/** Runs the writers, SIGKILLs them mid-flight, and returns what they reported. */
async function runAndKill(file: string) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'append-writers.process.ts'),
      file,
      String(WRITERS),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const begun = new Set<string>();
  const acked = new Map<string, Ack>();
  const acksPerWriter = new Map<string, number>();
  let inFlightAtKill = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_c, s) => resolve(s)),
  );
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const [kind, writer, append, stream, lastRevision, position] = line.split(' ');
    const key = `${writer}/${append}`;
    if (kind === 'begin') begun.add(key);
    if (kind === 'ack') {
      acked.set(key, { stream, lastRevision: Number(lastRevision), position });
      acksPerWriter.set(writer, (acksPerWriter.get(writer) ?? 0) + 1);
    }
    const allWriting =
      acksPerWriter.size === WRITERS && Math.min(...acksPerWriter.values()) >= MIN_ACKS_PER_WRITER;
    if (
      child.exitCode === null &&
      child.signalCode === null &&
      allWriting &&
      acked.size >= ACKS_BEFORE_KILL
    ) {
      inFlightAtKill = begun.size - acked.size;
      if (inFlightAtKill > 0) child.kill('SIGKILL');
    }
  }
  const signal = await exited;
  return { begun, acked, inFlightAtKill, signal, stderr };
}

describe('event store crash safety (SQLite)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tradeflow-crash-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged append, no partial append, and no gaps after SIGKILL', async () => {
    const file = join(dir, 'events.sqlite');
    const { begun, acked, inFlightAtKill, signal, stderr } = await runAndKill(file);
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(inFlightAtKill).toBeGreaterThan(0);
    const unacknowledged = [...begun].filter((key) => !acked.has(key));
    expect(unacknowledged.length).toBeGreaterThan(0);

    const store = SqliteEventStore.open({ file });
    const all = await store.readAll();
    const byAppend = new Map<string, typeof all>();
    for (const event of all) {
      const key = `${event.data.writer}/${event.data.append}`;
      byAppend.set(key, [...(byAppend.get(key) ?? []), event]);
    }

    for (const [key, ack] of acked) {
      const events = byAppend.get(key) ?? [];
      expect(events.map((e) => e.data.part)).toEqual([0, 1, 2]);
      expect(events.every((e) => e.streamName === ack.stream)).toBe(true);
      expect(events[2].revision).toBe(ack.lastRevision);
      expect(events[2].position).toBe(ack.position);
    }
    for (const [key, events] of byAppend) {
      expect(begun.has(key)).toBe(true);
      expect({ key, parts: events.map((e) => e.data.part) }).toEqual({ key, parts: [0, 1, 2] });
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2].map((n) => events[0].revision + n));
    }

    const positions = all.map((e) => decodePosition(e.position));
    expect(positions).toEqual(positions.map((_, index) => index + 1));
    const streams = new Set(all.map((e) => e.streamName));
    expect(streams.size).toBe(WRITERS + 1);
    for (const stream of streams) {
      const revisions = (await store.readStream(stream)).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, index) => index));
    }
    const recovered = unacknowledged.filter((key) => byAppend.has(key)).length;
    console.log(
      `crash test: ${acked.size} acknowledged appends, ${inFlightAtKill} in flight at SIGKILL, ` +
        `${unacknowledged.length} unacknowledged of which ${recovered} committed whole; ${all.length} events, ${streams.size} streams`,
    );

    await store.append(
      'crash-shared',
      [
        {
          type: 'AfterRestart',
          data: {},
          metadata: {
            occurredAt: new Date().toISOString(),
            $correlationId: 'r',
            $causationId: 'r',
          },
        },
      ],
      { expectedRevision: 'any' },
    );
    await store.close();
  }, 120_000);
});
