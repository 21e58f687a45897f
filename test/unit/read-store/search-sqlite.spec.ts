import { ReadDocument } from '../../../src/read-store/read-store.port';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';
import { LISTED_FILTER_MAX, SEARCH_CANDIDATES } from '../../../src/read-store/sqlite/sqlite-search';

/**
 * How the SQLite store bounds a search (sqlite-search.ts): with a limit it ranks the newest
 * SEARCH_CANDIDATES matches that pass the filter; a filter few documents pass is applied as a
 * list of rowids, a larger one on each match's document. Both must give the same hits.
 */
describe('SQLite search, bounded', () => {
  let store: SqliteReadStore;
  const put = (documents: ReadDocument[]) =>
    store.commit(documents.map((document) => ({ kind: 'put', collection: 'sites', document })));
  const ids = async (text: string, options?: Parameters<SqliteReadStore['search']>[2]) =>
    (await store.search('sites', text, options)).map((hit) => hit.document.id);
  /** Longer than `Pumpkin`, so bm25 ranks each below it. */
  const station = (n: number, owner = 'bob'): ReadDocument => ({
    id: `s${n}`,
    name: `Pump station ${n} north district water works`,
    owner,
  });

  beforeEach(async () => {
    store = SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollection({ name: 'sites', indexes: [['owner']], textFields: ['name'] });
  });
  afterEach(() => store.close());

  it('creates text indexes with prefix indexes', async () => {
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'fts[sites]'`).get() as {
      sql: string;
    };
    expect(sql).toContain(`prefix = '1 2 3 4 5 6 7 8'`);
  });

  it('ranks every match up to SEARCH_CANDIDATES, then the newest that many', async () => {
    // The oldest document is the best match for "pump": one short word.
    await put([{ id: 'pumpkin', name: 'Pumpkin', owner: 'ann' }]);
    await put(Array.from({ length: SEARCH_CANDIDATES - 1 }, (_, n) => station(n)));
    expect(await ids('pump', { limit: 1 })).toEqual(['pumpkin']);

    await put([station(SEARCH_CANDIDATES)]);
    // SEARCH_CANDIDATES + 1 match: the oldest is past the bound.
    expect(await ids('pump', { limit: 1 })).not.toEqual(['pumpkin']);
    // Found again by a word fewer documents hold, by the filter, or with every match ranked.
    expect(await ids('pumpk', { limit: 1 })).toEqual(['pumpkin']);
    expect(await ids('pump', { limit: 1, filter: { owner: 'ann' } })).toEqual(['pumpkin']);
    const all = await ids('pump');
    expect(all).toHaveLength(SEARCH_CANDIDATES + 1);
    expect(all[0]).toBe('pumpkin');
  });

  it('past SEARCH_CANDIDATES, also ranks the newest that many whose first text field matches', async () => {
    await store.ensureCollection({
      name: 'firms',
      indexes: [['owner']],
      textFields: ['name', 'text'],
    });
    const firms = (documents: ReadDocument[]) =>
      store.commit(documents.map((document) => ({ kind: 'put', collection: 'firms', document })));
    const firmIds = async (text: string, options?: Parameters<SqliteReadStore['search']>[2]) =>
      (await store.search('firms', text, options)).map((hit) => hit.document.id);
    // Old: a name match, and a better match in the other field.
    await firms([
      { id: 'named', name: 'Solartechnik', text: '', owner: 'ann' },
      { id: 'texted', name: 'Texted', text: 'solar solar', owner: 'ann' },
    ]);
    await firms(
      Array.from({ length: SEARCH_CANDIDATES + 1 }, (_, n) => ({
        id: `deal${n}`,
        name: `Deal ${n} inverters and panels`,
        text: 'solar',
        owner: 'ann',
      })),
    );
    // Every match ranked: both old ones first.
    expect((await firmIds('solar')).slice(0, 2).sort()).toEqual(['named', 'texted']);
    // Bounded: the name match still competes, the other old one no longer does.
    expect(await firmIds('solar', { limit: 2 })).toEqual(['named', `deal${SEARCH_CANDIDATES}`]);
    // As with a filter that more than SEARCH_CANDIDATES pass; fewer, and all of them are ranked.
    expect(await firmIds('solar', { limit: 1, filter: { owner: 'ann' } })).toEqual(['named']);
    await firms([{ id: 'texted', name: 'Texted', text: 'solar solar', owner: 'cy' }]);
    expect(await firmIds('solar', { limit: 1, filter: { owner: 'cy' } })).toEqual(['texted']);
  });

  it('ranks equal scores newest first', async () => {
    await put([1, 2, 3, 4].map((n) => ({ id: `v${n}`, name: 'Valve', owner: 'ann' })));
    expect(await ids('valve', { limit: 2 })).toEqual(['v4', 'v3']);
    // An update keeps the document's place.
    await put([{ id: 'v1', name: 'Valve', owner: 'bob' }]);
    expect(await ids('valve', { limit: 2 })).toEqual(['v4', 'v3']);
  });

  it('filters before it bounds, whether the filter is listed or checked per document', async () => {
    // Ann's documents are the oldest: thousands of Bob's newer matches come first.
    await put([1, 2, 3].map((n) => station(n, 'ann')));
    await put(Array.from({ length: LISTED_FILTER_MAX }, (_, n) => station(100 + n)));
    // Few pass ann's filter: listed.
    expect((await ids('station', { limit: 5, filter: { owner: 'ann' } })).sort()).toEqual([
      's1',
      's2',
      's3',
    ]);
    // Many pass bob's: checked per match.
    const bobs = await ids('station north', { limit: 5, filter: { owner: 'bob' } });
    expect(bobs).toHaveLength(5);
    expect(bobs.every((id) => Number(id.slice(1)) >= 100)).toBe(true);
    // None pass: nothing, without searching.
    expect(await ids('station', { limit: 5, filter: { owner: 'cy' } })).toEqual([]);
    expect(await ids('station', { limit: 0 })).toEqual([]);
  });
});
