import { randomUUID } from 'node:crypto';
import {
  InvalidAppendError,
  OccurredAtBeforeStreamError,
  WrongExpectedRevisionError,
} from '../../src/event-store/event-store.errors';
import {
  comparePositions,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../../src/event-store/event-store.port';
import { reserveKey } from '../../src/event-store/reservation';

export interface ContractStore {
  store: EventStore;
  /** Every stream the suite writes starts with this, so a shared server stays usable. */
  streamPrefix: string;
  cleanup(): Promise<void>;
}

let clockMillis = Date.parse('2026-03-01T08:00:00.000Z');
const meta = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  occurredAt: new Date((clockMillis += 1000)).toISOString(),
  $correlationId: randomUUID(),
  $causationId: randomUUID(),
  ...overrides,
});
const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  data,
  metadata: meta(),
});

async function collect(
  iterable: AsyncIterable<RecordedEvent>,
  count: number,
  onEach?: (event: RecordedEvent, index: number) => Promise<void>,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  for await (const received of iterable) {
    seen.push(received);
    await onEach?.(received, seen.length - 1);
    if (seen.length === count) break;
  }
  return seen;
}

/** `suite` lets an adapter whose server is absent register the whole suite as skipped. */
export function runEventStoreContract(
  name: string,
  makeStore: () => Promise<ContractStore>,
  suite: jest.Describe = describe,
): void {
  suite(`event store contract: ${name}`, () => {
    let store: EventStore;
    let prefix: string;
    let cleanup: () => Promise<void>;
    const stream = (suffix: string) => `${prefix}${suffix}`;

    beforeEach(async () => {
      ({ store, streamPrefix: prefix, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('expected revisions', () => {
      it('no_stream creates a stream and refuses an existing one with its actual revision', async () => {
        const result = await store.append(stream('deal-1'), [event('A'), event('B')], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(1);
        const failure = await store
          .append(stream('deal-1'), [event('C')], { expectedRevision: 'no_stream' })
          .catch((error) => error);
        expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
        expect(failure).toMatchObject({ actualRevision: 1, expectedRevision: 'no_stream' });
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const failure = await store
          .append(stream('deal-2'), [event('A')], { expectedRevision: 'stream_exists' })
          .catch((error) => error);
        expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
        expect(failure).toMatchObject({ actualRevision: -1 });
        await store.append(stream('deal-2'), [event('A')], { expectedRevision: 'no_stream' });
        const result = await store.append(stream('deal-2'), [event('B')], {
          expectedRevision: 'stream_exists',
        });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('any appends whether or not the stream exists', async () => {
        expect(
          (await store.append(stream('deal-3'), [event('A')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(0);
        expect(
          (await store.append(stream('deal-3'), [event('B')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(1);
      });

      it('an exact revision must match the last revision', async () => {
        await store.append(stream('deal-4'), [event('A'), event('B')], {
          expectedRevision: 'no_stream',
        });
        await expect(
          store.append(stream('deal-4'), [event('C')], { expectedRevision: 0 }),
        ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actualRevision: 1 });
        await expect(
          store.append(stream('deal-4'), [event('C')], { expectedRevision: 5 }),
        ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actualRevision: 1 });
        await expect(
          store.append(stream('deal-missing'), [event('C')], { expectedRevision: 0 }),
        ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actualRevision: -1 });
        const result = await store.append(stream('deal-4'), [event('C')], { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);
      });

      it('of concurrent appends expecting the same revision exactly one wins', async () => {
        await store.append(stream('deal-5'), [event('Opened')], { expectedRevision: 'no_stream' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, writer) =>
            store.append(
              stream('deal-5'),
              [event('Moved', { writer }), event('Noted', { writer })],
              {
                expectedRevision: 0,
              },
            ),
          ),
        );
        const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
        const lost = attempts.filter(
          (attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected',
        );
        expect(won).toHaveLength(1);
        for (const failure of lost) {
          expect(failure.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        const events = await store.readStream(stream('deal-5'));
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(events[1].data).toEqual(events[2].data);
      });
    });

    describe('appends', () => {
      it('stores every field and assigns revisions, positions, ids and recordedAt', async () => {
        const id = randomUUID();
        const metadata = meta({
          commandId: 'cmd-1',
          actor: { userId: 'u-1', role: 'rep' },
          cause: { kind: 'rule', id: 'assignment', version: 3 },
          reason: 'round robin',
        });
        const before = Date.now();
        const result = await store.append(
          stream('lead-1'),
          [
            { id, type: 'InquiryReceived', data: { channel: 'alibaba', n: 1.5 }, metadata },
            event('LeadAssigned', { to: 'u-1' }),
          ],
          { expectedRevision: 'no_stream' },
        );
        const [first, second] = await store.readStream(stream('lead-1'));
        expect(first).toMatchObject({
          id,
          streamName: stream('lead-1'),
          revision: 0,
          type: 'InquiryReceived',
          data: { channel: 'alibaba', n: 1.5 },
          metadata: { ...metadata, schemaVersion: 1 },
        });
        expect(typeof first.position).toBe('string');
        expect(second.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(second.id).not.toBe(id);
        expect(comparePositions(first.position, second.position)).toBe(-1);
        expect(result.position).toBe(second.position);
        expect(Date.parse(first.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
      });

      it('refuses an occurredAt before the stream’s last event and writes nothing', async () => {
        await store.append(
          stream('deal-6'),
          [{ type: 'A', data: {}, metadata: meta({ occurredAt: '2026-03-10T10:00:00.000Z' }) }],
          { expectedRevision: 'no_stream' },
        );
        const failure = await store
          .append(
            stream('deal-6'),
            [{ type: 'B', data: {}, metadata: meta({ occurredAt: '2026-03-09T10:00:00.000Z' }) }],
            { expectedRevision: 'any' },
          )
          .catch((error) => error);
        expect(failure).toBeInstanceOf(OccurredAtBeforeStreamError);
        await store.append(
          stream('deal-6'),
          [{ type: 'C', data: {}, metadata: meta({ occurredAt: '2026-03-10T10:00:00.000Z' }) }],
          { expectedRevision: 0 },
        );
        expect((await store.readStream(stream('deal-6'))).map((e) => e.type)).toEqual(['A', 'C']);
      });

      it('refuses malformed appends naming the field, and writes nothing', async () => {
        const cases: Array<[string, () => Promise<unknown>]> = [
          ['streamName', () => store.append('', [event('A')], { expectedRevision: 'any' })],
          ['events', () => store.append(stream('x-1'), [], { expectedRevision: 'any' })],
          [
            'events[0].type',
            () => store.append(stream('x-1'), [event('')], { expectedRevision: 'any' }),
          ],
          [
            'events[1].metadata.occurredAt',
            () =>
              store.append(
                stream('x-1'),
                [event('A'), { type: 'B', data: {}, metadata: meta({ occurredAt: 'yesterday' }) }],
                { expectedRevision: 'any' },
              ),
          ],
          [
            'events[0].id',
            () =>
              store.append(stream('x-1'), [{ ...event('A'), id: 'not-a-uuid' }], {
                expectedRevision: 'any',
              }),
          ],
          [
            'expectedRevision',
            () => store.append(stream('x-1'), [event('A')], { expectedRevision: -3 }),
          ],
        ];
        for (const [field, attempt] of cases) {
          await expect(attempt()).rejects.toMatchObject({ name: 'InvalidAppendError', field });
        }
        await expect(
          store.append(stream('x-1'), [event('A')], { expectedRevision: -3 }),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.readStream(stream('x-1'))).toEqual([]);
      });
    });

    describe('reads', () => {
      beforeEach(async () => {
        await store.append(
          stream('deal-r'),
          ['A', 'B', 'C', 'D', 'E'].map((type) => event(type)),
          { expectedRevision: 'no_stream' },
        );
      });

      it('reads a stream forward and backward from a revision', async () => {
        const types = (events: RecordedEvent[]) => events.map((e) => e.type).join('');
        expect(types(await store.readStream(stream('deal-r')))).toBe('ABCDE');
        expect(types(await store.readStream(stream('deal-r'), { fromRevision: 2 }))).toBe('CDE');
        expect(
          types(await store.readStream(stream('deal-r'), { fromRevision: 1, maxCount: 2 })),
        ).toBe('BC');
        expect(types(await store.readStream(stream('deal-r'), { direction: 'backward' }))).toBe(
          'EDCBA',
        );
        expect(
          types(
            await store.readStream(stream('deal-r'), {
              direction: 'backward',
              fromRevision: 3,
              maxCount: 2,
            }),
          ),
        ).toBe('DC');
        expect(await store.readStream(stream('nothing-here'))).toEqual([]);
      });

      it('reads all in global order from an exclusive position, with filters', async () => {
        await store.append(stream('lead-r'), [event('X'), event('A')], {
          expectedRevision: 'no_stream',
        });
        await store.append(stream('deal-r'), [event('F')], { expectedRevision: 4 });
        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(all.map((e) => e.type).join('')).toBe('ABCDEXAF');
        const positions = all.map((e) => e.position);
        expect([...positions].sort(comparePositions)).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);

        const afterThird = await store.readAll({
          after: all[2].position,
          filter: { streamPrefixes: [prefix] },
        });
        expect(afterThird.map((e) => e.type).join('')).toBe('DEXAF');
        const limited = await store.readAll({
          after: all[2].position,
          maxCount: 2,
          filter: { streamPrefixes: [prefix] },
        });
        expect(limited.map((e) => e.type).join('')).toBe('DE');

        const leads = await store.readAll({ filter: { streamPrefixes: [stream('lead-')] } });
        expect(leads.map((e) => e.type).join('')).toBe('XA');
        const typed = await store.readAll({
          filter: { streamPrefixes: [prefix], eventTypes: ['A', 'F'] },
        });
        expect(typed.map((e) => `${e.streamName.slice(prefix.length)}:${e.type}`)).toEqual([
          'deal-r:A',
          'lead-r:A',
          'deal-r:F',
        ]);
        const both = await store.readAll({
          filter: { streamPrefixes: [stream('lead-')], eventTypes: ['A'] },
        });
        expect(both.map((e) => e.streamName)).toEqual([stream('lead-r')]);
        // ≥, not =: on a shared server other writers may have appended since.
        const head = await store.headPosition();
        expect(comparePositions(head ?? '', all[all.length - 1].position)).toBeGreaterThanOrEqual(
          0,
        );
      });
    });

    describe('correlated reads', () => {
      /** EventStoreDB links by correlation id in a system projection, a moment after the append. */
      async function correlated(id: string, expected: number, maxCount?: number) {
        // Polls until `expected` events are linked (at once on SQLite).
        const deadline = Date.now() + 10_000;
        for (;;) {
          const read = await store.readCorrelated(id, maxCount === undefined ? {} : { maxCount });
          if (read.events.length + read.more >= expected || Date.now() > deadline) return read;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }

      it('reads the events of one correlation id across streams, in log order, and counts the rest', async () => {
        const chain = randomUUID();
        const caused = (type: string): NewEvent => ({
          type,
          data: { type },
          metadata: meta({ $correlationId: chain }),
        });
        await store.append(stream('lead-c'), [caused('LeadConverted')], {
          expectedRevision: 'no_stream',
        });
        await store.append(stream('deal-c'), [event('Unrelated')], {
          expectedRevision: 'no_stream',
        });
        await store.append(
          stream('account-c'),
          [caused('AccountRegistered'), caused('ContactAdded')],
          {
            expectedRevision: 'no_stream',
          },
        );
        await store.append(stream('deal-c'), [caused('DealOpened')], { expectedRevision: 0 });

        const all = await correlated(chain, 4);
        expect(all.events.map((e) => `${e.streamName.slice(prefix.length)}:${e.type}`)).toEqual([
          'lead-c:LeadConverted',
          'account-c:AccountRegistered',
          'account-c:ContactAdded',
          'deal-c:DealOpened',
        ]);
        expect(all.more).toBe(0);
        const positions = all.events.map((e) => e.position);
        expect([...positions].sort(comparePositions)).toEqual(positions);
        expect(all.events[3]).toMatchObject({
          revision: 1,
          data: { type: 'DealOpened' },
          metadata: { $correlationId: chain },
        });

        const first = await correlated(chain, 4, 2);
        expect(first.events.map((e) => e.type)).toEqual(['LeadConverted', 'AccountRegistered']);
        expect(first.more).toBe(2);
        const typed = await store.readCorrelated(chain, {
          maxCount: 1,
          eventTypes: ['AccountRegistered', 'DealOpened'],
        });
        expect(typed.events.map((e) => e.type)).toEqual(['AccountRegistered']);
        expect(typed.more).toBe(1);
        expect(await store.readCorrelated(randomUUID())).toEqual({ events: [], more: 0 });
      });
    });

    describe('subscriptions', () => {
      it('catches up, then goes live in order while appends continue, and stops cleanly', async () => {
        const filter = { streamPrefixes: [prefix] };
        for (let batch = 0; batch < 3; batch++) {
          await store.append(
            stream(`deal-s${batch}`),
            Array.from({ length: 4 }, (_, i) => event('Historic', { batch, i })),
            { expectedRevision: 'no_stream' },
          );
        }
        let caughtUpAt: string | undefined | null = null;
        const subscription = store.subscribeToAll({
          filter,
          onCaughtUp: (position) => (caughtUpAt = position),
        });
        let live = 0;
        const received = await collect(subscription, 12 + 20, async (_received, index) => {
          // Each historic event delivered triggers one live append, so both phases overlap.
          if (index < 20) {
            await store.append(stream(`deal-live`), [event('Live', { n: live++ })], {
              expectedRevision: 'any',
            });
          }
        });
        await subscription.stop();
        expect(received.map((e) => e.type)).toEqual([
          ...Array(12).fill('Historic'),
          ...Array(20).fill('Live'),
        ]);
        expect(received.slice(12).map((e) => e.data.n)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
        const positions = received.map((e) => e.position);
        expect([...positions].sort(comparePositions)).toEqual(positions);
        expect(caughtUpAt).not.toBeNull();
        expect(await store.readAll({ filter })).toHaveLength(32);
      });

      it('resumes strictly after a checkpoint and only delivers matching events', async () => {
        await store.append(stream('lead-c'), [event('A'), event('B'), event('C')], {
          expectedRevision: 'no_stream',
        });
        await store.append(stream('deal-c'), [event('D')], { expectedRevision: 'no_stream' });
        const [first] = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        const subscription = store.subscribeToAll({
          after: first.position,
          filter: { streamPrefixes: [stream('lead-')] },
        });
        const pending = collect(subscription, 3);
        await store.append(stream('deal-c'), [event('E')], { expectedRevision: 0 });
        await store.append(stream('lead-c'), [event('F')], { expectedRevision: 2 });
        const received = await pending;
        await subscription.stop();
        expect(received.map((e) => e.type)).toEqual(['B', 'C', 'F']);
      });

      it('ends the iteration when stopped while waiting for live events', async () => {
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
        const consumed = (async () => {
          const seen: RecordedEvent[] = [];
          for await (const received of subscription) seen.push(received);
          return seen;
        })();
        await store.append(stream('deal-stop'), [event('A')], { expectedRevision: 'no_stream' });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await subscription.stop();
        const seen = await consumed;
        expect(seen.map((e) => e.type)).toEqual(['A']);
      });
    });

    describe('reservation streams', () => {
      it('let exactly one of two simultaneous claims hold a key', async () => {
        const claim = (owner: string) =>
          reserveKey(store, { kind: `${prefix}email`, keyHash: 'k1', ownerStream: owner }, meta());
        const [a, b] = await Promise.all([claim('account-a'), claim('account-b')]);
        const outcomes = [a, b];
        expect(outcomes.filter((outcome) => outcome.reserved)).toHaveLength(1);
        const loser = outcomes.find((outcome) => !outcome.reserved);
        const winner = a.reserved ? 'account-a' : 'account-b';
        expect(loser).toMatchObject({ reserved: false, heldBy: { data: { ownerStream: winner } } });
      });
    });
  });
}
