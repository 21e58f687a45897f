import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamId } from '../../../projections/projection';
import type { Saga } from '../../../sagas/saga';
import { replaySaga } from '../../../sagas/saga-replay';
import { AGGREGATES } from '../../../src/commands/aggregates';
import { CommandPipeline } from '../../../src/commands/command-pipeline';
import type { NewEvent } from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';
import { ProjectionRunner } from '../../../src/projection-runner/projection-runner';
import { ReadModels } from '../../../src/projection-runner/read-models';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';
import { createSagaRunner } from '../../../src/saga-runner/saga-runner';

/** Reminds 10 minutes after a request unless it was answered first; each decision on the log. */
const reminderSaga: Saga = {
  name: 'reminder-test',
  version: 1,
  collections: [{ name: 'requests' }],
  eventTypes: ['Requested', 'Answered'],
  reads: (event) => [{ collection: 'requests', id: streamId(event) }],
  readsForTimer: (timer) => [{ collection: 'requests', id: timer.data.recordId as string }],
  handle(event, context) {
    const recordId = streamId(event);
    const timerId = `remind:${recordId}`;
    if (event.type === 'Requested') {
      context.put('requests', { id: recordId, at: context.now });
      context.schedule({
        id: timerId,
        dueAt: new Date(Date.parse(context.now) + 10 * 60_000).toISOString(),
        kind: 'remind',
        data: { recordId },
      });
    } else {
      context.cancel(timerId);
      context.delete('requests', recordId);
    }
  },
  fire(timer, context) {
    const recordId = timer.data.recordId as string;
    if (!context.get('requests', recordId)) return;
    context.send({
      aggregate: 'automation',
      id: recordId,
      commandId: `reminder-test:${recordId}:remind`,
      type: 'RecordAutomationDecision',
      data: {
        saga: 'reminder-test',
        recordKind: 'lead',
        recordId,
        decision: 'fired',
        step: 'remind',
        dueAt: timer.dueAt,
      },
      occurredAt: context.now,
    });
  },
};

const at = (minutes: number) =>
  new Date(Date.parse('2026-03-02T09:00:00.000Z') + minutes * 60_000).toISOString();
const event = (type: string, minutes: number): NewEvent => ({
  type,
  data: {},
  metadata: { occurredAt: at(minutes), $correlationId: randomUUID(), $causationId: randomUUID() },
});

describe('saga runner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;
  let runner: ProjectionRunner;
  let now: Date;
  let failSends = 0;

  /** `history` is recorded before the runner starts, so the saga catches up on all of it. */
  const open = async (
    timersPerWindow?: { catchingUp: number; live: number },
    history: () => Promise<void> = async () => undefined,
  ) => {
    events = SqliteEventStore.open({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    store = await SqliteReadStore.open({ file: join(dir, 'readmodels.sqlite') });
    const cipher = new PersonalDataCipher(
      new SqliteSubjectKeyStore(join(dir, 'keys.sqlite'), Buffer.alloc(32, 3)),
      PERSONAL_FIELDS,
    );
    const clock = { now: () => now };
    const pipeline = new CommandPipeline(events, cipher, clock);
    runner = createSagaRunner(
      {
        events,
        store,
        cipher,
        clock,
        holder: 'test',
        batchSize: 3,
        flushEvery: 3,
        cacheLimit: 10,
        leaseTtlMs: 60_000,
        log: () => undefined,
      },
      [reminderSaga],
      async (command, saga) => {
        if (failSends > 0) {
          failSends -= 1;
          throw new Error('store unavailable');
        }
        await pipeline.execute(
          AGGREGATES[command.aggregate].kind,
          command.id,
          { type: command.type, data: command.data } as never,
          {
            commandId: command.commandId,
            actor: { userId: 'system', role: 'system' },
            cause: { kind: 'saga', id: saga },
            occurredAt: command.occurredAt,
            mayBackdate: true,
          },
          undefined as never,
        );
      },
      new ReadModels(store),
      { timersPerWindow },
    );
    await history();
    await runner.start();
  };
  const close = async () => {
    await runner.stop();
    await store.close();
    await events.close();
  };
  const reminders = async (record: string) =>
    (await events.readStream(`automation-${record}`)).map((e) => e.data.dueAt);
  const settle = async (record: string, count: number) => {
    const deadline = Date.now() + 5000;
    while ((await reminders(record)).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} reminders for ${record}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradeflow-sagas-'));
    now = new Date(at(24 * 60));
    failSends = 0;
  });
  afterEach(async () => {
    await close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('catching up on history, fires a timer only if no earlier event cancels it, as the replay does', async () => {
    await open();
    await events.append('req-a', [event('Requested', 0), event('Answered', 5)], {
      expectedRevision: 'no_stream',
    });
    await events.append('req-b', [event('Requested', 1), event('Answered', 30)], {
      expectedRevision: 'no_stream',
    });
    await events.append('req-c', [event('Requested', 2)], { expectedRevision: 'no_stream' });
    await settle('b', 1);
    await settle('c', 1);
    expect(await reminders('a')).toEqual([]);
    expect(await reminders('b')).toEqual([at(11)]);
    expect(await reminders('c')).toEqual([at(12)]);

    const replayed = replaySaga(reminderSaga, await events.readAll(), now.toISOString());
    expect(replayed.commands.map((c) => c.id).sort()).toEqual(['b', 'c']);
  });

  it('catching up, fires every timer due before an event first, even when they are more than one window loads', async () => {
    await open({ catchingUp: 2, live: 2 }, async () => {
      for (const [record, minute] of [
        ['f', 0],
        ['g', 1],
        ['h', 2],
      ] as const) {
        await events.append(`req-${record}`, [event('Requested', minute)], {
          expectedRevision: 'no_stream',
        });
      }
      // Answered after h's reminder fell due (minute 12): the reminder must have fired first.
      await events.append('req-h', [event('Answered', 12.5)], { expectedRevision: 0 });
    });
    await settle('h', 1);
    expect(await reminders('f')).toEqual([at(10)]);
    expect(await reminders('g')).toEqual([at(11)]);
    expect(await reminders('h')).toEqual([at(12)]);
  });

  it('catching up on a random history with small windows, decides exactly what the replay decides', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const appended: Array<{ stream: string; events: NewEvent[] }> = [];
    for (let i = 0; i < 30; i++) {
      const asked = Math.floor(random() * 60);
      const stream: NewEvent[] = [event('Requested', asked)];
      // Answered before, at or after the reminder's due time, or never.
      if (random() < 0.7) stream.push(event('Answered', asked + 5 + Math.floor(random() * 11)));
      appended.push({ stream: `req-r${i}`, events: stream });
    }
    // The log in business order, as live intake would have recorded it.
    const log = appended
      .flatMap(({ stream, events: batch }) => batch.map((e, revision) => ({ stream, e, revision })))
      .sort((a, b) => a.e.metadata.occurredAt.localeCompare(b.e.metadata.occurredAt));
    await open({ catchingUp: 2, live: 3 }, async () => {
      for (const { stream, e, revision } of log) {
        await events.append(stream, [e], {
          expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
        });
      }
    });
    const expected = replaySaga(reminderSaga, await events.readAll(), now.toISOString());
    const wanted = expected.commands.map((c) => c.id).sort();
    expect(wanted.length).toBeGreaterThan(5);
    const deadline = Date.now() + 10_000;
    const decided = async () =>
      (await events.readAll({ filter: { streamPrefixes: ['automation-'] } }))
        .map((e) => e.streamName.slice('automation-'.length))
        .sort();
    while ((await decided()).length < wanted.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await decided()).toEqual(wanted);
  });

  it('live, fires when the clock passes the due time, not before', async () => {
    now = new Date(at(0));
    await open();
    await events.append('req-d', [event('Requested', 0)], { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await reminders('d')).toEqual([]);
    now = new Date(at(10));
    await settle('d', 1);
    expect(await reminders('d')).toEqual([at(10)]);
  });

  it('a decision whose send failed is sent after a restart, exactly once; a replay from scratch repeats nothing', async () => {
    failSends = 100;
    await open();
    await events.append('req-e', [event('Requested', 0)], { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await reminders('e')).toEqual([]);
    await close();

    failSends = 0;
    await open();
    await settle('e', 1);
    await runner.rebuild('reminder-test');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await reminders('e')).toEqual([at(10)]);
  });
});
