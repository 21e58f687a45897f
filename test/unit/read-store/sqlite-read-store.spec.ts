import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindQuery, UnindexedQueryError } from '../../../src/read-store/read-store.port';
import { planQuery } from '../../../src/read-store/query-plan';
import { docsTable } from '../../../src/read-store/sqlite/sqlite-collection';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';
import { orderBySql, whereSql } from '../../../src/read-store/sqlite/sqlite-where';

describe('SQLite read store', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradeflow-rs-unit-'));
    file = join(dir, 'read.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a deferred collection keeps no index or text index until they are built, across a reopen', async () => {
    const indexesOf = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare(
            "SELECT name FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL AND tbl_name = 'docs[accounts]') OR name = 'fts[accounts]'",
          )
          .all()
          .map((row) => (row as { name: string }).name)
          .sort();
      } finally {
        db.close();
      }
    };
    const spec = { name: 'accounts', indexes: [['owner']], textFields: ['name'] };
    const first = SqliteReadStore.open({ file });
    await first.ensureCollection(spec, { deferIndexes: true });
    await first.commit([
      { kind: 'put', collection: 'accounts', document: { id: 'a1', name: 'Acme', owner: 'ann' } },
    ]);
    expect(indexesOf()).toEqual([]);
    await expect(first.search('accounts', 'acme')).rejects.toThrow(/still being built/);
    await first.close();

    // A plain ensure (a live lane, another instance) builds what the deferred one left out.
    const second = SqliteReadStore.open({ file });
    await second.ensureCollection(spec, { deferIndexes: true });
    expect(indexesOf()).toEqual([]);
    await second.ensureCollection(spec);
    expect(indexesOf()).toEqual(['docs[accounts](owner)', 'fts[accounts]']);
    expect((await second.search('accounts', 'acme')).map((hit) => hit.document.id)).toEqual(['a1']);
    // Once built, a deferred ensure changes nothing.
    await second.ensureCollection(spec, { deferIndexes: true });
    expect((await second.search('accounts', 'acme')).map((hit) => hit.document.id)).toEqual(['a1']);
    await second.close();
  });

  it('keeps documents, declarations, checkpoints and leases across a close and reopen', async () => {
    const first = SqliteReadStore.open({ file, synchronous: 'FULL' });
    await first.ensureCollection({ name: 'accounts', indexes: [['owner']], textFields: ['name'] });
    await first.commit(
      [
        {
          kind: 'put',
          collection: 'accounts',
          document: { id: 'a1', name: 'Acme Tools', owner: 'ann' },
        },
        { kind: 'increment', collection: 'accounts', id: 'a1', amounts: { deals: 2 } },
      ],
      { checkpoint: { name: 'accounts-v1', position: '00000000000000000009' } },
    );
    const lease = await first.acquireLease(
      'accounts-v1',
      'node-a',
      60_000,
      new Date('2026-03-02T09:00:00Z'),
    );
    await first.close();

    const reopened = SqliteReadStore.open({ file });
    expect(await reopened.get('accounts', 'a1')).toEqual({
      id: 'a1',
      name: 'Acme Tools',
      owner: 'ann',
      deals: 2,
    });
    expect(await reopened.checkpoint('accounts-v1')).toBe('00000000000000000009');
    expect(
      (await reopened.find('accounts', { where: { owner: 'ann' } })).map((document) => document.id),
    ).toEqual(['a1']);
    expect((await reopened.search('accounts', 'acm')).map((hit) => hit.document.id)).toEqual([
      'a1',
    ]);
    expect(
      await reopened.acquireLease(
        'accounts-v1',
        'node-b',
        60_000,
        new Date('2026-03-02T09:00:30Z'),
      ),
    ).toBeUndefined();
    await expect(
      reopened.commit([], { fence: { lease: 'accounts-v1', token: lease!.token } }),
    ).resolves.toBeUndefined();
    await reopened.close();
  });

  describe("while another connection holds the write lock (a build worker's commit)", () => {
    /** A second connection to the file, inside a write transaction until released. */
    const holdWriteLock = () => {
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      return () => {
        other.exec('COMMIT');
        other.close();
      };
    };

    it('a commit waits with the event loop free, then writes once the lock is released', async () => {
      const store = SqliteReadStore.open({ file });
      await store.ensureCollection({ name: 'accounts' });
      const release = holdWriteLock();
      let turns = 0;
      const ticker = setInterval(() => (turns += 1), 10);
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          release();
          resolve();
        }, 300),
      );
      const started = Date.now();
      await store.commit([{ kind: 'put', collection: 'accounts', document: { id: 'a1' } }], {
        checkpoint: { name: 'accounts@g1', position: '7' },
      });
      clearInterval(ticker);
      await released;
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // SQLite's own busy wait would have blocked the thread for the whole 300 ms: no turns.
      expect(turns).toBeGreaterThanOrEqual(10);
      expect(await store.get('accounts', 'a1')).toEqual({ id: 'a1' });
      expect(await store.checkpoint('accounts@g1')).toBe('7');
      await store.close();
    });

    it('past its busy timeout, a commit fails with SQLITE_BUSY and writes nothing', async () => {
      const store = SqliteReadStore.open({ file, busyTimeoutMs: 100 });
      await store.ensureCollection({ name: 'accounts' });
      const release = holdWriteLock();
      try {
        await expect(
          store.commit([{ kind: 'put', collection: 'accounts', document: { id: 'a1' } }], {
            checkpoint: { name: 'accounts@g1', position: '7' },
          }),
        ).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      } finally {
        release();
      }
      expect(await store.get('accounts', 'a1')).toBeUndefined();
      expect(await store.checkpoint('accounts@g1')).toBeUndefined();
      // Leases wait the same way, and work again once the lock is free.
      expect(await store.acquireLease('l', 'me', 1000, new Date(0))).toMatchObject({ token: 1 });
      await store.close();
    });
  });

  it('finds Chinese and Japanese words anywhere in a run of characters', async () => {
    const store = SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollection({ name: 'accounts', textFields: ['name'] });
    await store.commit([
      { kind: 'put', collection: 'accounts', document: { id: 'c1', name: '深圳华强电子有限公司' } },
      { kind: 'put', collection: 'accounts', document: { id: 'j1', name: '東京精密株式会社' } },
    ]);
    const found = async (text: string) =>
      (await store.search('accounts', text)).map((hit) => hit.document.id);
    expect(await found('华强')).toEqual(['c1']);
    expect(await found('有限公司')).toEqual(['c1']);
    expect(await found('精密')).toEqual(['j1']);
    expect(await found('华精')).toEqual([]);
    await store.close();
  });

  it('refuses a collection whose name differs from an existing one only by case', async () => {
    const store = SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollection({ name: 'deals' });
    await expect(store.ensureCollection({ name: 'Deals' })).rejects.toThrow(
      /Deals clashes with collection deals/,
    );
    await store.close();
  });

  it('only ever grows a declaration: an index declared once stays usable', async () => {
    const store = SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollection({ name: 'deals', indexes: [['stage']] });
    await store.ensureCollection({ name: 'deals', indexes: [['owner']] });
    await expect(store.find('deals', { where: { stage: 'won' } })).resolves.toEqual([]);
    await expect(store.find('deals', { where: { owner: 'ann' } })).resolves.toEqual([]);
    await store.close();
  });

  describe('query plans', () => {
    const spec = { name: 'deals', indexes: [['stage', 'amount'], ['owner']] };

    it('breaks sort ties with the rest of the serving index and then id', () => {
      expect(
        planQuery(spec, { where: { stage: 'won' }, sort: [['amount', 'desc']] }).orderBy,
      ).toEqual([
        ['amount', 'desc'],
        ['id', 'desc'],
      ]);
      expect(planQuery(spec, { sort: [['stage', 'asc']] }).orderBy).toEqual([
        ['stage', 'asc'],
        ['amount', 'asc'],
        ['id', 'asc'],
      ]);
      expect(planQuery(spec, { where: { owner: 'ann' } }).orderBy).toEqual([]);
    });

    it('allows sorting on equality fields and in-fields, refuses two ranges', () => {
      expect(() =>
        planQuery(spec, {
          where: { owner: 'ann' },
          sort: [
            ['owner', 'asc'],
            ['id', 'asc'],
          ],
        }),
      ).not.toThrow();
      expect(() =>
        planQuery(spec, { where: { stage: { in: ['a', 'b'] } }, sort: [['amount', 'asc']] }),
      ).not.toThrow();
      expect(() => planQuery(spec, { where: { stage: { gt: 'a' }, id: { gt: 'x' } } })).toThrow(
        UnindexedQueryError,
      );
    });

    it('rejects malformed conditions with the field named', () => {
      expect(() => planQuery(spec, { where: { stage: { $gte: 'a' } as never } })).toThrow(
        /deals\.stage.*\$gte/,
      );
      expect(() => planQuery(spec, { where: { 'stage; drop': 'a' } })).toThrow(
        /Invalid field name/,
      );
    });

    it('uses the declared expression indexes in SQLite', async () => {
      const store = SqliteReadStore.open({ file });
      await store.ensureCollection(spec);
      await store.close();
      const db = new Database(file, { readonly: true });
      const plan = (query: FindQuery) => {
        const where = whereSql('deals', query.where);
        const sql = `SELECT doc FROM ${docsTable('deals')} WHERE ${where.sql}${orderBySql(planQuery(spec, query))}`;
        const details = (
          db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...where.params) as Array<{ detail: string }>
        )
          .map((row) => row.detail)
          .join('; ');
        return details;
      };
      expect(
        plan({ where: { stage: 'won', amount: { gte: 10 } }, sort: [['amount', 'desc']] }),
      ).toMatch(
        /^SEARCH .* USING INDEX docs\[deals\]\(stage,amount\) \(<expr>=\? AND <expr>>\?\)$/,
      );
      expect(plan({ where: { owner: 'ann' } })).toMatch(
        /USING INDEX docs\[deals\]\(owner\) \(<expr>=\?\)$/,
      );
      expect(
        plan({
          sort: [
            ['stage', 'desc'],
            ['amount', 'desc'],
          ],
        }),
      ).toMatch(/^SCAN .* USING INDEX docs\[deals\]\(stage,amount\)$/);
      db.close();
    });
  });

  describe('conditions on strings are answered from the index alone', () => {
    const plan = async (sql: string, store: SqliteReadStore) => {
      await store.close();
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join('; ');
      } finally {
        db.close();
      }
    };

    it('a count by string equality uses the covering index (no row is read)', async () => {
      const store = SqliteReadStore.open({ file });
      await store.ensureCollection({ name: 'tasks', indexes: [['status', 'dueAt']] });
      const where = whereSql('tasks', { status: 'completed' });
      expect(where.sql).not.toContain('json_type');
      expect(
        await plan(`SELECT count(*) FROM ${docsTable('tasks')} WHERE ${where.sql}`, store),
      ).toMatch(/USING COVERING INDEX/);
    });

    it('an upper bound alone still leaves numbers and nulls out', async () => {
      const store = SqliteReadStore.open({ file });
      await store.ensureCollection({ name: 'tasks', indexes: [['dueAt']] });
      await store.commit(
        [
          { id: 't1', dueAt: '2026-01-01T00:00:00.000Z' },
          { id: 't2', dueAt: 5 },
          { id: 't3', dueAt: null },
          { id: 't4' },
          { id: 't5', dueAt: '2027-01-01T00:00:00.000Z' },
        ].map((document) => ({ kind: 'put' as const, collection: 'tasks', document })),
      );
      const before = { dueAt: { lt: '2026-06-01T00:00:00.000Z' } };
      expect((await store.find('tasks', { where: before })).map((d) => d.id)).toEqual(['t1']);
      expect(await store.count('tasks', before)).toBe(1);
      await store.close();
    });
  });
});
