import {
  FencedOffError,
  FindQuery,
  ReadDocument,
  ReadStore,
  UnindexedQueryError,
  UnknownCollectionError,
} from '../../src/read-store/read-store.port';

export interface ContractReadStore {
  store: ReadStore;
  /** Every collection, checkpoint and lease the suite names starts with this, so a shared server stays usable. */
  prefix: string;
  cleanup(): Promise<void>;
}

const at = (iso: string) => new Date(iso);
const ids = (documents: ReadDocument[]) => documents.map((document) => document.id);

/** `suite` lets an adapter whose server is absent register the whole suite as skipped. */
export function runReadStoreContract(
  name: string,
  makeStore: () => Promise<ContractReadStore>,
  suite: jest.Describe = describe,
): void {
  suite(`read store contract: ${name}`, () => {
    let store: ReadStore;
    let prefix: string;
    let cleanup: () => Promise<void>;
    const named = (suffix: string) => `${prefix}${suffix}`;

    beforeEach(async () => {
      ({ store, prefix, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('documents by id', () => {
      it('puts, gets, replaces and deletes a document', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals });
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'd1', stage: 'new', amount: 5 } },
        ]);
        expect(await store.get(deals, 'd1')).toEqual({ id: 'd1', stage: 'new', amount: 5 });

        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'd1', stage: 'won' } },
        ]);
        expect(await store.get(deals, 'd1')).toEqual({ id: 'd1', stage: 'won' });

        await store.commit([{ kind: 'delete', collection: deals, id: 'd1' }]);
        expect(await store.get(deals, 'd1')).toBeUndefined();
        await expect(
          store.commit([{ kind: 'delete', collection: deals, id: 'never-there' }]),
        ).resolves.toBeUndefined();
      });

      it('keeps nested values, arrays, booleans and nulls as they were put', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals });
        const document = {
          id: 'd1',
          won: false,
          lost: null,
          tags: ['a', 'b'],
          buyer: { name: 'Ann', seats: 3 },
        };
        await store.commit([{ kind: 'put', collection: deals, document }]);
        expect(await store.get(deals, 'd1')).toEqual(document);
      });

      it('getMany returns documents in the order asked and leaves missing ids out', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals });
        await store.commit(
          ['a', 'b', 'c'].map((id) => ({
            kind: 'put' as const,
            collection: deals,
            document: { id },
          })),
        );
        expect(ids(await store.getMany(deals, ['c', 'missing', 'a', 'b']))).toEqual([
          'c',
          'a',
          'b',
        ]);
        expect(await store.getMany(deals, [])).toEqual([]);
      });

      it('getMany serves thousands of ids at once', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals });
        const wanted = Array.from({ length: 2500 }, (_, index) => `d${index}`);
        await store.commit(
          wanted.map((id) => ({ kind: 'put' as const, collection: deals, document: { id } })),
        );
        const reversed = [...wanted].reverse();
        expect(ids(await store.getMany(deals, reversed))).toEqual(reversed);
      });

      it('refuses an array or an object in an indexed field, naming it, and writes nothing', async () => {
        const tasks = named('tasks');
        await store.ensureCollection({ name: tasks, indexes: [['status'], ['link.kind']] });
        for (const document of [
          { id: 't1', status: ['open'] },
          { id: 't2', status: 'open', link: { kind: { deal: true } } },
        ]) {
          await expect(
            store.commit([
              { kind: 'put', collection: tasks, document: { id: 't0', status: 'fine' } },
              { kind: 'put', collection: tasks, document },
            ]),
          ).rejects.toThrow(/indexed field (status|link\.kind) holds an? (array|object)/);
        }
        await store.commit([
          { kind: 'put', collection: tasks, document: { id: 't3', status: 'open', notes: ['a'] } },
        ]);
        expect(ids(await store.find(tasks))).toEqual(['t3']);
      });

      it('refuses a collection that was never declared, naming it', async () => {
        const ghost = named('ghosts');
        await expect(store.get(ghost, 'x')).rejects.toThrow(UnknownCollectionError);
        await expect(store.find(ghost)).rejects.toThrow(ghost);
      });

      it('refuses collection names outside letters, digits, _ . -', async () => {
        for (const bad of [named('deals; drop'), named('a"b'), named('x/y'), '']) {
          await expect(store.ensureCollection({ name: bad })).rejects.toThrow(/name/);
        }
      });
    });

    describe('batches with a checkpoint', () => {
      it('makes the writes and the checkpoint visible together, and reads the checkpoint back', async () => {
        const deals = named('deals');
        const projection = named('pipeline-v1');
        await store.ensureCollection({ name: deals });
        expect(await store.checkpoint(projection)).toBeUndefined();
        await store.commit(
          [
            { kind: 'put', collection: deals, document: { id: 'd1' } },
            { kind: 'put', collection: deals, document: { id: 'd2' } },
          ],
          { checkpoint: { name: projection, position: '00000000000000000042' } },
        );
        expect(ids(await store.getMany(deals, ['d1', 'd2']))).toEqual(['d1', 'd2']);
        expect(await store.checkpoint(projection)).toBe('00000000000000000042');

        await store.commit([], {
          checkpoint: { name: projection, position: '00000000000000000043' },
        });
        expect(await store.checkpoint(projection)).toBe('00000000000000000043');
        await store.deleteCheckpoint(projection);
        expect(await store.checkpoint(projection)).toBeUndefined();
      });

      it('applies writes in order', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals });
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'gone' } },
          { kind: 'delete', collection: deals, id: 'gone' },
          { kind: 'delete', collection: deals, id: 'back' },
          { kind: 'put', collection: deals, document: { id: 'back', seats: 1 } },
          { kind: 'increment', collection: deals, id: 'back', amounts: { seats: 2 } },
        ]);
        expect(await store.get(deals, 'gone')).toBeUndefined();
        expect(await store.get(deals, 'back')).toEqual({ id: 'back', seats: 3 });
      });

      it('a batch whose later increment fails leaves neither its earlier writes nor its checkpoint', async () => {
        const deals = named('deals');
        const projection = named('pipeline-v1');
        await store.ensureCollection({ name: deals });
        await store.commit(
          [{ kind: 'put', collection: deals, document: { id: 'd1', stage: 'new' } }],
          {
            checkpoint: { name: projection, position: '1' },
          },
        );

        await expect(
          store.commit(
            [
              { kind: 'put', collection: deals, document: { id: 'd2' } },
              { kind: 'increment', collection: deals, id: 'd3', amounts: { seats: 1 } },
              { kind: 'increment', collection: deals, id: 'd1', amounts: { stage: 1 } },
            ],
            { checkpoint: { name: projection, position: '2' } },
          ),
        ).rejects.toThrow();

        expect(await store.getMany(deals, ['d2', 'd3'])).toEqual([]);
        expect(await store.get(deals, 'd1')).toEqual({ id: 'd1', stage: 'new' });
        expect(await store.checkpoint(projection)).toBe('1');
      });

      it('a batch that writes to an undeclared collection leaves nothing', async () => {
        const deals = named('deals');
        const projection = named('pipeline-v1');
        await store.ensureCollection({ name: deals });
        await expect(
          store.commit(
            [
              { kind: 'put', collection: deals, document: { id: 'd1' } },
              { kind: 'put', collection: named('undeclared'), document: { id: 'x' } },
            ],
            { checkpoint: { name: projection, position: '7' } },
          ),
        ).rejects.toThrow(UnknownCollectionError);
        expect(await store.get(deals, 'd1')).toBeUndefined();
        expect(await store.checkpoint(projection)).toBeUndefined();
      });
    });

    describe('finds on declared indexes', () => {
      let deals: string;
      const stages = {
        d1: { stage: 'proposal', amount: 900, owner: 'ann', won: false },
        d2: { stage: 'proposal', amount: 10_000, owner: 'bob', won: false },
        d3: { stage: 'proposal', amount: 50, owner: 'cy', won: true },
        d4: { stage: 'negotiation', amount: 1_200, owner: 'ann', won: true },
        d5: { stage: 'initial_contact', amount: 9, owner: 'Bob', won: 1 },
        d6: { stage: 'initial_contact', amount: 100, owner: null, won: 0 },
        d7: { stage: 'won', amount: 75 },
      };

      beforeEach(async () => {
        deals = named('deals');
        await store.ensureCollection({
          name: deals,
          indexes: [['stage', 'amount'], ['owner'], ['won']],
        });
        await store.commit(
          Object.entries(stages).map(([id, fields]) => ({
            kind: 'put' as const,
            collection: deals,
            document: { id, ...fields },
          })),
        );
      });

      it('finds by equality', async () => {
        expect(ids(await store.find(deals, { where: { stage: 'proposal' } })).sort()).toEqual([
          'd1',
          'd2',
          'd3',
        ]);
        expect(ids(await store.find(deals, { where: { owner: 'bob' } }))).toEqual(['d2']);
      });

      it('finds by equality then a range on the next field of a compound index', async () => {
        const found = await store.find(deals, {
          where: { stage: 'proposal', amount: { gte: 100, lt: 10_000 } },
        });
        expect(ids(found)).toEqual(['d1']);
        const above = await store.find(deals, { where: { stage: 'proposal', amount: { gt: 50 } } });
        expect(ids(above).sort()).toEqual(['d1', 'd2']);
        const upTo = await store.find(deals, {
          where: { stage: 'proposal', amount: { lte: 900 } },
        });
        expect(ids(upTo).sort()).toEqual(['d1', 'd3']);
      });

      it('compares numbers numerically and strings by binary order', async () => {
        const found = await store.find(deals, {
          where: { stage: 'initial_contact', amount: { lt: 10 } },
        });
        expect(ids(found)).toEqual(['d5']);
        const strings = await store.find(deals, {
          where: { stage: { gte: 'n', lt: 'q' } },
          sort: [['stage', 'asc']],
        });
        expect(strings.map((document) => document.stage)).toEqual([
          'negotiation',
          'proposal',
          'proposal',
          'proposal',
        ]);
        const owners = await store.find(deals, { where: { owner: { gte: 'B', lt: 'a' } } });
        expect(ids(owners)).toEqual(['d5']);
      });

      it('finds by in, including null', async () => {
        const found = await store.find(deals, {
          where: { owner: { in: ['ann', 'cy', 'nobody'] } },
        });
        expect(ids(found).sort()).toEqual(['d1', 'd3', 'd4']);
        expect(await store.find(deals, { where: { owner: { in: [] } } })).toEqual([]);
        const withNull = await store.find(deals, { where: { owner: { in: [null, 'cy'] } } });
        expect(ids(withNull).sort()).toEqual(['d3', 'd6', 'd7']);
      });

      it('matches null to null and to a missing field', async () => {
        expect(ids(await store.find(deals, { where: { owner: null } })).sort()).toEqual([
          'd6',
          'd7',
        ]);
      });

      it('does not match booleans to numbers or strings to numbers', async () => {
        expect(ids(await store.find(deals, { where: { won: true } })).sort()).toEqual(['d3', 'd4']);
        expect(ids(await store.find(deals, { where: { won: 1 } }))).toEqual(['d5']);
        expect(ids(await store.find(deals, { where: { won: { in: [false, 1] } } })).sort()).toEqual(
          ['d1', 'd2', 'd5'],
        );
        expect(await store.find(deals, { where: { stage: 900 } })).toEqual([]);
        expect(
          ids(await store.find(deals, { where: { stage: 'proposal', amount: { lt: 'z' } } })),
        ).toEqual([]);
      });

      it('serves a prefix of a compound index', async () => {
        expect(ids(await store.find(deals, { where: { stage: 'proposal', amount: 900 } }))).toEqual(
          ['d1'],
        );
        expect(ids(await store.find(deals, { where: { amount: 900, stage: 'proposal' } }))).toEqual(
          ['d1'],
        );
      });

      it('sorts ascending and descending on the index and limits', async () => {
        const ascending = await store.find(deals, {
          where: { stage: 'proposal' },
          sort: [['amount', 'asc']],
        });
        expect(ids(ascending)).toEqual(['d3', 'd1', 'd2']);
        const top = await store.find(deals, {
          where: { stage: 'proposal' },
          sort: [['amount', 'desc']],
          limit: 2,
        });
        expect(ids(top)).toEqual(['d2', 'd1']);
        const all = await store.find(deals, {
          sort: [
            ['stage', 'asc'],
            ['amount', 'desc'],
          ],
        });
        expect(ids(all)).toEqual(['d6', 'd5', 'd4', 'd2', 'd1', 'd3', 'd7']);
        const ranged = await store.find(deals, {
          where: { stage: 'proposal', amount: { gte: 60 } },
          sort: [['amount', 'desc']],
        });
        expect(ids(ranged)).toEqual(['d2', 'd1']);
        expect(await store.find(deals, { where: { stage: 'proposal' }, limit: 0 })).toEqual([]);
      });

      it('sorts a range by its field then the next fields of the index, and breaks ties by id', async () => {
        const ranged = await store.find(deals, {
          where: { stage: { gte: 'a' } },
          sort: [
            ['stage', 'asc'],
            ['amount', 'asc'],
          ],
        });
        expect(ids(ranged)).toEqual(['d5', 'd6', 'd4', 'd3', 'd1', 'd2', 'd7']);
        const ann = (direction: 'asc' | 'desc') =>
          store.find(deals, { where: { owner: 'ann' }, sort: [['owner', direction]] });
        expect(ids(await ann('asc'))).toEqual(['d1', 'd4']);
        expect(ids(await ann('desc'))).toEqual(['d4', 'd1']);
      });

      it('finds and sorts by id without a declared index', async () => {
        expect(ids(await store.find(deals, { where: { id: 'd4' } }))).toEqual(['d4']);
        const some = await store.find(deals, {
          where: { id: { in: ['d2', 'd9', 'd1'] } },
          sort: [['id', 'asc']],
        });
        expect(ids(some)).toEqual(['d1', 'd2']);
        expect(ids(await store.find(deals, { sort: [['id', 'desc']], limit: 2 }))).toEqual([
          'd7',
          'd6',
        ]);
        expect(
          ids(await store.find(deals, { where: { id: { gt: 'd5' } }, sort: [['id', 'asc']] })),
        ).toEqual(['d6', 'd7']);
      });

      it('refuses queries no declared index serves', async () => {
        const refused: FindQuery[] = [
          { where: { amount: 900 } },
          { where: { amount: { gte: 10 } } },
          { where: { stage: { gte: 'a' }, amount: { gte: 10 } } },
          {
            where: { stage: { gte: 'a' } },
            sort: [['amount', 'asc']],
          },
          { where: { owner: 'ann' }, sort: [['amount', 'asc']] },
          { sort: [['amount', 'asc']] },
          { where: { region: 'EU' } },
        ];
        for (const query of refused) {
          await expect(store.find(deals, query)).rejects.toThrow(UnindexedQueryError);
        }
        await expect(store.count(deals, { amount: 900 })).rejects.toThrow(UnindexedQueryError);
        await expect(store.find(deals, { where: { amount: 1 } })).rejects.toThrow(deals);
      });

      it('counts with and without a where', async () => {
        expect(await store.count(deals)).toBe(7);
        expect(await store.count(deals, { stage: 'proposal' })).toBe(3);
        expect(await store.count(deals, { stage: 'proposal', amount: { gte: 900 } })).toBe(2);
        expect(await store.count(deals, { owner: { in: ['ann', 'bob'] } })).toBe(3);
        expect(await store.count(deals, { stage: 'lost' })).toBe(0);
      });

      it('sees writes in later finds, with index entries following updates and deletes', async () => {
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'd1', stage: 'won', amount: 900 } },
          { kind: 'delete', collection: deals, id: 'd2' },
        ]);
        expect(ids(await store.find(deals, { where: { stage: 'proposal' } }))).toEqual(['d3']);
        expect(
          ids(await store.find(deals, { where: { stage: 'won' }, sort: [['amount', 'asc']] })),
        ).toEqual(['d7', 'd1']);
      });
    });

    describe('counters', () => {
      it('creates the document from the amounts and adds to existing fields', async () => {
        const totals = named('totals');
        await store.ensureCollection({ name: totals });
        await store.commit([
          { kind: 'increment', collection: totals, id: 'ann', amounts: { deals: 1, value: 250.5 } },
        ]);
        expect(await store.get(totals, 'ann')).toEqual({ id: 'ann', deals: 1, value: 250.5 });
        await store.commit([
          { kind: 'put', collection: totals, document: { id: 'bob', name: 'Bob', deals: 2 } },
        ]);
        await store.commit([
          { kind: 'increment', collection: totals, id: 'ann', amounts: { deals: 2, value: -50.5 } },
          { kind: 'increment', collection: totals, id: 'bob', amounts: { deals: -1, won: 1 } },
        ]);
        expect(await store.get(totals, 'ann')).toEqual({ id: 'ann', deals: 3, value: 200 });
        expect(await store.get(totals, 'bob')).toEqual({
          id: 'bob',
          name: 'Bob',
          deals: 1,
          won: 1,
        });
      });

      it('sets the given fields with an increment, so a counter can be found by them', async () => {
        const buckets = named('buckets');
        await store.ensureCollection({ name: buckets, indexes: [['dim', 'start']] });
        const fields = { dim: 'owner', start: '2026-03-01' };
        await store.commit([
          { kind: 'increment', collection: buckets, id: 'b1', amounts: { won: 1 }, fields },
          { kind: 'increment', collection: buckets, id: 'b1', amounts: { won: 2 }, fields },
        ]);
        expect(await store.find(buckets, { where: { dim: 'owner' } })).toEqual([
          { id: 'b1', dim: 'owner', start: '2026-03-01', won: 3 },
        ]);
      });

      it('sums 50 concurrent commits on the same document exactly', async () => {
        const totals = named('totals');
        await store.ensureCollection({ name: totals });
        await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            store.commit([
              {
                kind: 'increment',
                collection: totals,
                id: 'all',
                amounts: { count: 1, sum: index },
              },
            ]),
          ),
        );
        expect(await store.get(totals, 'all')).toEqual({
          id: 'all',
          count: 50,
          sum: (49 * 50) / 2,
        });
      });
    });

    describe('leases', () => {
      const t0 = at('2026-03-02T09:00:00.000Z');
      const plus = (ms: number) => new Date(t0.getTime() + ms);

      it('acquires, renews with the same token, and refuses another holder while held', async () => {
        const lease = named('sla-saga');
        const first = await store.acquireLease(lease, 'node-a', 10_000, t0);
        expect(first).toEqual({ name: lease, holder: 'node-a', token: 1, expiresAt: plus(10_000) });
        const renewed = await store.acquireLease(lease, 'node-a', 10_000, plus(5_000));
        expect(renewed).toEqual({
          name: lease,
          holder: 'node-a',
          token: 1,
          expiresAt: plus(15_000),
        });
        expect(await store.acquireLease(lease, 'node-b', 10_000, plus(14_999))).toBeUndefined();
      });

      it('lets another holder take an expired lease with the next token', async () => {
        const lease = named('sla-saga');
        await store.acquireLease(lease, 'node-a', 10_000, t0);
        const taken = await store.acquireLease(lease, 'node-b', 10_000, plus(10_000));
        expect(taken).toEqual({ name: lease, holder: 'node-b', token: 2, expiresAt: plus(20_000) });
        expect(await store.acquireLease(lease, 'node-a', 10_000, plus(11_000))).toBeUndefined();
      });

      it('releases only for the holder, and the next acquisition gets the next token', async () => {
        const lease = named('sla-saga');
        await store.acquireLease(lease, 'node-a', 60_000, t0);
        await store.releaseLease(lease, 'node-b');
        expect(await store.acquireLease(lease, 'node-b', 60_000, plus(1))).toBeUndefined();
        await store.releaseLease(lease, 'node-a');
        expect(await store.acquireLease(lease, 'node-b', 60_000, plus(2))).toMatchObject({
          holder: 'node-b',
          token: 2,
        });
        await expect(store.releaseLease(named('never-taken'), 'node-a')).resolves.toBeUndefined();
      });

      it('keeps leases of different names apart', async () => {
        const one = await store.acquireLease(named('one'), 'node-a', 1_000, t0);
        const two = await store.acquireLease(named('two'), 'node-b', 1_000, t0);
        expect([one?.token, two?.token]).toEqual([1, 1]);
      });

      it("fences off the old holder's commit after a take-over, writing nothing", async () => {
        const lease = named('sla-saga');
        const timers = named('timers');
        const saga = named('sla-saga-v1');
        await store.ensureCollection({ name: timers });
        const old = (await store.acquireLease(lease, 'node-a', 10_000, t0))!;
        await store.commit([{ kind: 'put', collection: timers, document: { id: 't1', by: 'a' } }], {
          checkpoint: { name: saga, position: '5' },
          fence: { lease, token: old.token },
        });
        const current = (await store.acquireLease(lease, 'node-b', 10_000, plus(30_000)))!;

        const refused = store.commit(
          [
            { kind: 'put', collection: timers, document: { id: 't2', by: 'a' } },
            { kind: 'delete', collection: timers, id: 't1' },
          ],
          { checkpoint: { name: saga, position: '6' }, fence: { lease, token: old.token } },
        );
        await expect(refused).rejects.toThrow(FencedOffError);
        expect(await store.get(timers, 't2')).toBeUndefined();
        expect(await store.get(timers, 't1')).toEqual({ id: 't1', by: 'a' });
        expect(await store.checkpoint(saga)).toBe('5');

        await store.commit([{ kind: 'put', collection: timers, document: { id: 't2', by: 'b' } }], {
          checkpoint: { name: saga, position: '6' },
          fence: { lease, token: current.token },
        });
        expect(await store.get(timers, 't2')).toEqual({ id: 't2', by: 'b' });
      });

      it('fences off commits on a released lease or one never taken', async () => {
        const lease = named('sla-saga');
        const timers = named('timers');
        await store.ensureCollection({ name: timers });
        const held = (await store.acquireLease(lease, 'node-a', 10_000, t0))!;
        await store.releaseLease(lease, 'node-a');
        const write = { kind: 'put' as const, collection: timers, document: { id: 't1' } };
        await expect(
          store.commit([write], { fence: { lease, token: held.token } }),
        ).rejects.toThrow(FencedOffError);
        await expect(
          store.commit([write], { fence: { lease: named('nobody'), token: 1 } }),
        ).rejects.toThrow(FencedOffError);
        expect(await store.get(timers, 't1')).toBeUndefined();
      });
    });

    describe('collections built before anyone reads them (deferIndexes)', () => {
      it('take writes and answer finds while building; after buildIndexes, finds and search see every document', async () => {
        const built = named('built');
        const spec = { name: built, indexes: [['owner', 'at']], textFields: ['name'] };
        await store.ensureCollection(spec, { deferIndexes: true });
        await store.commit([
          {
            kind: 'put',
            collection: built,
            document: { id: 'b1', owner: 'ann', at: 2, name: 'Acme Tools' },
          },
          {
            kind: 'put',
            collection: built,
            document: { id: 'b2', owner: 'bob', at: 1, name: 'Berlin Bearings' },
          },
          {
            kind: 'increment',
            collection: built,
            id: 'b3',
            amounts: { n: 1 },
            fields: { owner: 'ann', at: 1, name: 'Acme Freight' },
          },
        ]);
        await store.ensureCollection(spec, { deferIndexes: true });
        const annsFirst = async () =>
          ids(await store.find(built, { where: { owner: 'ann' }, sort: [['at', 'asc']] }));
        expect(await annsFirst()).toEqual(['b3', 'b1']);

        await store.buildIndexes(built);
        await store.buildIndexes(built);
        expect(await annsFirst()).toEqual(['b3', 'b1']);
        const found = await store.search(built, 'acme');
        expect(ids(found.map((hit) => hit.document)).sort()).toEqual(['b1', 'b3']);
        await store.commit([
          {
            kind: 'put',
            collection: built,
            document: { id: 'b1', owner: 'ann', at: 2, name: 'Zenith Tools' },
          },
        ]);
        expect(ids((await store.search(built, 'acme')).map((hit) => hit.document))).toEqual(['b3']);
        await expect(store.buildIndexes(named('never-declared'))).rejects.toThrow(
          UnknownCollectionError,
        );
      });
    });

    describe('search', () => {
      let accounts: string;
      const put = (document: ReadDocument) =>
        store.commit([{ kind: 'put', collection: accounts, document }]);
      const searchIds = async (text: string, options?: Parameters<ReadStore['search']>[2]) =>
        ids((await store.search(accounts, text, options)).map((hit) => hit.document)).sort();

      beforeEach(async () => {
        accounts = named('accounts');
        await store.ensureCollection({
          name: accounts,
          indexes: [['owner']],
          textFields: ['name', 'city'],
        });
        await store.commit(
          [
            { id: 'a1', name: 'Acme Tools GmbH', city: 'Berlin', owner: 'ann' },
            { id: 'a2', name: 'Acme Logistics', city: 'Hamburg', owner: 'bob' },
            { id: 'a3', name: 'Crème Brûlée Trading', city: 'München', owner: 'ann' },
            { id: 'a4', name: 'Berlin Bearings', city: 'Leipzig', owner: 'bob' },
          ].map((document) => ({ kind: 'put' as const, collection: accounts, document })),
        );
      });

      it('matches words by prefix across the declared text fields', async () => {
        expect(await searchIds('acm')).toEqual(['a1', 'a2']);
        expect(await searchIds('berl')).toEqual(['a1', 'a4']);
        expect(await searchIds('nothing-like-it')).toEqual([]);
      });

      it('ANDs several words', async () => {
        expect(await searchIds('acme berlin')).toEqual(['a1']);
        expect(await searchIds('acme leipzig')).toEqual([]);
      });

      it('ignores case and diacritics', async () => {
        expect(await searchIds('CREME brulee')).toEqual(['a3']);
        expect(await searchIds('munchen')).toEqual(['a3']);
        expect(await searchIds('MÜNCH')).toEqual(['a3']);
      });

      it('returns hits with their collection and a score, best first, up to the limit', async () => {
        await put({ id: 'a5', name: 'Berlin Berlin Berlin', city: 'Berlin', owner: 'cy' });
        const hits = await store.search(accounts, 'berlin', { limit: 2 });
        expect(hits).toHaveLength(2);
        expect(hits[0]).toMatchObject({
          collection: accounts,
          document: { id: 'a5', owner: 'cy' },
        });
        expect(typeof hits[0].score).toBe('number');
        expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
      });

      it('narrows with an equality filter on an indexed field', async () => {
        expect(await searchIds('acme', { filter: { owner: 'bob' } })).toEqual(['a2']);
        expect(await searchIds('berlin', { filter: { owner: 'ann' } })).toEqual(['a1']);
        await expect(
          store.search(accounts, 'acme', { filter: { city: 'Berlin' } }),
        ).rejects.toThrow(UnindexedQueryError);
      });

      it('narrows with the filter before it limits', async () => {
        // Better matches for "acme" than a1, none of them ann's.
        await store.commit(
          [5, 6, 7, 8].map((n) => ({
            kind: 'put' as const,
            collection: accounts,
            document: { id: `a${n}`, name: 'Acme Acme', city: 'Acme', owner: 'cy' },
          })),
        );
        expect(await searchIds('acme', { limit: 1, filter: { owner: 'ann' } })).toEqual(['a1']);
        expect(await searchIds('acme', { limit: 2, filter: { owner: 'dee' } })).toEqual([]);
      });

      it('forgets deleted documents and reindexes updated ones', async () => {
        await store.commit([{ kind: 'delete', collection: accounts, id: 'a2' }]);
        expect(await searchIds('acme')).toEqual(['a1']);
        await put({ id: 'a1', name: 'Zenith Tools', city: 'Berlin', owner: 'ann' });
        expect(await searchIds('acme')).toEqual([]);
        expect(await searchIds('zenith')).toEqual(['a1']);
        await store.commit([
          { kind: 'increment', collection: accounts, id: 'a1', amounts: { deals: 1 } },
        ]);
        expect(await searchIds('zenith')).toEqual(['a1']);
      });

      it('treats hostile input as words, never as query syntax', async () => {
        for (const text of [
          'a"b OR (',
          '"',
          '*',
          'NEAR(acme',
          'acme AND',
          '-acme',
          ')',
          '',
          '   ',
          "o'brien",
          '^acme',
        ]) {
          await expect(store.search(accounts, text)).resolves.toEqual(expect.any(Array));
        }
        expect(await searchIds('(acme)')).toEqual(['a1', 'a2']);
        expect(await searchIds('"acme"')).toEqual(['a1', 'a2']);
      });

      it('refuses to search a collection without text fields', async () => {
        const plain = named('plain');
        await store.ensureCollection({ name: plain });
        await expect(store.search(plain, 'x')).rejects.toThrow(plain);
      });
    });

    describe('collections', () => {
      it('ensureCollection is idempotent and keeps the data', async () => {
        const deals = named('deals');
        const spec = { name: deals, indexes: [['stage']], textFields: ['title'] };
        await store.ensureCollection(spec);
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'd1', stage: 'won', title: 'Pumps' } },
        ]);
        await store.ensureCollection(spec);
        await store.ensureCollection({ ...spec });
        expect(await store.get(deals, 'd1')).toEqual({ id: 'd1', stage: 'won', title: 'Pumps' });
        expect(ids(await store.find(deals, { where: { stage: 'won' } }))).toEqual(['d1']);
        expect(ids((await store.search(deals, 'pump')).map((hit) => hit.document))).toEqual(['d1']);
      });

      it('adds indexes and text fields declared later, covering existing documents', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals, indexes: [['stage']] });
        await store.commit([
          {
            kind: 'put',
            collection: deals,
            document: { id: 'd1', stage: 'won', owner: 'ann', title: 'Pumps' },
          },
        ]);
        await expect(store.find(deals, { where: { owner: 'ann' } })).rejects.toThrow(
          UnindexedQueryError,
        );
        await store.ensureCollection({
          name: deals,
          indexes: [['stage'], ['owner']],
          textFields: ['title'],
        });
        expect(ids(await store.find(deals, { where: { owner: 'ann' } }))).toEqual(['d1']);
        expect(ids(await store.find(deals, { where: { stage: 'won' } }))).toEqual(['d1']);
        expect(ids((await store.search(deals, 'pumps')).map((hit) => hit.document))).toEqual([
          'd1',
        ]);
      });

      it('dropCollection removes the documents and the declaration', async () => {
        const deals = named('deals');
        await store.ensureCollection({ name: deals, indexes: [['stage']], textFields: ['title'] });
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'd1', stage: 'won', title: 'Pumps' } },
        ]);
        await store.dropCollection(deals);
        await expect(store.get(deals, 'd1')).rejects.toThrow(UnknownCollectionError);
        await store.dropCollection(deals);

        await store.ensureCollection({ name: deals, indexes: [['stage']], textFields: ['title'] });
        expect(await store.get(deals, 'd1')).toBeUndefined();
        expect(await store.count(deals)).toBe(0);
        expect(await store.search(deals, 'pumps')).toEqual([]);
      });

      it('keeps collections apart', async () => {
        const deals = named('deals');
        const leads = named('leads');
        await store.ensureCollection({ name: deals });
        await store.ensureCollection({ name: leads });
        await store.commit([
          { kind: 'put', collection: deals, document: { id: 'x', from: 'deals' } },
        ]);
        expect(await store.get(leads, 'x')).toBeUndefined();
        await store.dropCollection(leads);
        expect(await store.get(deals, 'x')).toEqual({ id: 'x', from: 'deals' });
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
