import { normalizeCompanyName } from '../../domain/dedup/company-name';
import { jaroWinkler } from '../../domain/dedup/similarity';
import {
  MemberEntry,
  NOTE_KINDS,
  NoteEntry,
  SEARCH_MEMBERS,
  SEARCH_NOTES,
  SEARCH_RECORDS,
  SearchEntry,
  SearchKind,
  SearchScopeFields,
} from '../../projections/search-index.projection';
import type { FieldValue, ReadStore, SearchHit } from '../read-store/read-store.port';

export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 50;
/** Candidates the fuzzy pass ranks by similarity, per scope filter: the pass stays bounded. */
const FUZZY_CANDIDATES = 100;
/** Below this, two words are different words rather than spellings of one (as in dedup). */
const FUZZY_THRESHOLD = 0.85;
/** A word this long or longer also gets the fuzzy pass; shorter ones are prefixes already. */
const FUZZY_MIN_WORD = 4;
const FUZZY_PREFIX = 3;

/**
 * Whose records the caller may find, as in RecordAccess: everyone's; a rep's own (and the
 * unassigned leads they entered); a team's (and every unassigned lead). `memberIds` are the
 * team's members now, from the directory, the team lead included.
 */
export type SearchScope =
  | { kind: 'all' }
  | { kind: 'own'; userId: string }
  | { kind: 'team'; teamId: string | null; memberIds: string[] };

export interface SearchOptions {
  scope: SearchScope;
  limit?: number;
  kind?: SearchKind;
}

export interface SearchResultItem {
  kind: SearchKind;
  id: string;
  title: string;
  subtitle: string;
  /**
   * Higher is better. Word and prefix matches score in [1, 2) by text relevance; fuzzy name
   * matches (misspellings) in [0, 1) by similarity, so they always rank after.
   */
  score: number;
}

export interface SearchResults {
  query: string;
  results: SearchResultItem[];
}

interface PreparedQuery {
  /** What the store searches (each word a prefix). */
  text: string;
  /** Words for the fuzzy pass; empty for a phone number. */
  words: string[];
  /**
   * Whether to search notes too: not for a phone number, nor for a word under three characters,
   * which would match a large part of every note ever logged.
   */
  notes: boolean;
}

/** Shorter words search names only. */
const NOTE_MIN_WORD = 3;

const PHONE_LIKE = /^[+\d\s().\-/]+$/;

/**
 * A phone number is one token of digits, however it was typed: `+49 151 1234-5678` and
 * `0049 151…` search 4915112345678 (E.164 digits), `0151 12345678` the national format, and
 * `151…` the national significant number; the index holds all three. URLs lose their scheme
 * and `www.`, as domains are indexed without them.
 */
export function prepareQuery(raw: string): PreparedQuery {
  const trimmed = raw.trim().replace(/\s+/g, ' ');
  const digits = trimmed.replace(/\D/g, '');
  if (PHONE_LIKE.test(trimmed) && digits.length >= 5) {
    const international = trimmed.startsWith('+') ? digits : digits.replace(/^00/, '');
    return { text: international, words: [], notes: false };
  }
  const words = trimmed
    .split(' ')
    .map((word) =>
      word
        .replace(/^(?:[a-z][a-z0-9+.-]*:\/\/|mailto:)/i, '')
        .replace(/^www\./i, '')
        .replace(/\/+$/, ''),
    )
    .filter((word) => word.length > 0);
  const notes = words.length > 0 && words.every((word) => [...word].length >= NOTE_MIN_WORD);
  return { text: words.join(' '), words, notes };
}

/**
 * The equality filters that together cover the scope, one store search each. A team is found by
 * the team its documents were filed under, plus, by owner, each member who came from another
 * team (their older documents carry that team); the records check below drops anyone who left.
 */
async function scopeFilters(
  store: ReadStore,
  name: (logical: string) => string,
  scope: SearchScope,
  kind?: SearchKind,
): Promise<Array<Record<string, FieldValue>>> {
  const withKind = (filter: Record<string, FieldValue>) => (kind ? { ...filter, kind } : filter);
  if (scope.kind === 'all') return [withKind({})];
  if (scope.kind === 'own') {
    return [
      withKind({ ownerId: scope.userId }),
      withKind({ unassigned: true, createdBy: scope.userId }),
    ];
  }
  const memberIds = [...new Set(scope.memberIds)];
  let byOwner = memberIds;
  if (scope.teamId !== null) {
    const members = new Map(
      ((await store.getMany(name(SEARCH_MEMBERS), memberIds)) as MemberEntry[]).map((member) => [
        member.id,
        member,
      ]),
    );
    byOwner = memberIds.filter((userId) => {
      const member = members.get(userId);
      return !member || member.moved || member.teamId !== scope.teamId;
    });
  }
  return [
    ...(scope.teamId !== null ? [withKind({ teamId: scope.teamId })] : []),
    ...byOwner.map((ownerId) => withKind({ ownerId })),
    withKind({ unassigned: true }),
  ];
}

/** Checked on the record itself (an activity's deal, a response's lead), whatever the hit said. */
export function inScope(record: SearchScopeFields, scope: SearchScope): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'own') {
    return (
      record.ownerId === scope.userId || (record.unassigned && record.createdBy === scope.userId)
    );
  }
  return record.unassigned || (record.ownerId !== null && scope.memberIds.includes(record.ownerId));
}

const tokensOf = (text: string): string[] => normalizeCompanyName(text).tokens;

/**
 * 0..1: for each query word, how well the best word of the name spells it (Jaro–Winkler, as in
 * dedup; a query word may also be the start of a name word), averaged over the query words.
 */
export function nameSimilarity(queryWords: string[], name: string): number {
  const query = tokensOf(queryWords.join(' '));
  const words = tokensOf(name);
  if (query.length === 0 || words.length === 0) return 0;
  const best = (word: string) =>
    Math.max(
      ...words.map((candidate) =>
        Math.max(jaroWinkler(word, candidate), jaroWinkler(word, candidate.slice(0, word.length))),
      ),
    );
  return query.reduce((sum, word) => sum + best(word), 0) / query.length;
}

const relevance = (score: number): number => {
  const positive = Math.max(0, score);
  return 1 + positive / (1 + positive);
};

const round = (score: number): number => Math.round(score * 10_000) / 10_000;

/**
 * Search over the search-index read model: a handful of store searches (one per scope filter,
 * over records, then over notes unless the kind asked for has none, and again over records for
 * the fuzzy pass when fewer than `limit` records were found), each with a limit, plus one
 * getMany for the records of note hits. The number of calls does not grow with the data; each
 * costs what the store's text search costs for the words given (on SQLite, bounded: see
 * SEARCH_CANDIDATES in sqlite-search.ts).
 */
export async function searchRecords(
  store: ReadStore,
  name: (logical: string) => string,
  raw: string,
  options: SearchOptions,
): Promise<SearchResults> {
  const records = name(SEARCH_RECORDS);
  const notes = name(SEARCH_NOTES);
  const limit = Math.min(Math.max(1, options.limit ?? SEARCH_DEFAULT_LIMIT), SEARCH_MAX_LIMIT);
  const prepared = prepareQuery(raw);
  const filters = await scopeFilters(store, name, options.scope, options.kind);
  const run = async (collection: string, text: string, max: number): Promise<SearchHit[]> =>
    (
      await Promise.all(
        filters.map((filter) => store.search(collection, text, { limit: max, filter })),
      )
    ).flat();
  const perFilter = Math.min(limit * 3, 150);

  const found = new Map<string, SearchResultItem>();
  const keep = (item: SearchResultItem) => {
    const key = `${item.kind}:${item.id}`;
    const known = found.get(key);
    if (!known || known.score < item.score) found.set(key, item);
  };

  if (prepared.text) {
    const recordHits = await run(records, prepared.text, perFilter);
    for (const hit of recordHits) {
      const record = hit.document as SearchEntry;
      if (!inScope(record, options.scope)) continue;
      keep({ ...itemOf(record), score: round(relevance(hit.score)) });
    }
    // Notes show as deals and leads only: with another kind asked for, none would be kept.
    if (prepared.notes && (!options.kind || NOTE_KINDS.includes(options.kind))) {
      const noteHits = await run(notes, prepared.text, perFilter);
      const known = new Map(
        recordHits.map((hit) => [hit.document.id, hit.document as SearchEntry]),
      );
      const missing = [
        ...new Set(noteHits.map((hit) => (hit.document as NoteEntry).parentId)),
      ].filter((id) => !known.has(id));
      if (missing.length > 0) {
        for (const record of (await store.getMany(records, missing)) as SearchEntry[]) {
          known.set(record.id, record);
        }
      }
      for (const hit of noteHits) {
        const note = hit.document as NoteEntry;
        const record = known.get(note.parentId);
        if (!record || !inScope(record, options.scope)) continue;
        // A note hit says what matched.
        keep({ ...itemOf(record), subtitle: note.subtitle, score: round(relevance(hit.score)) });
      }
    }
  }

  const long = prepared.words.filter((word) => [...word].length >= FUZZY_MIN_WORD);
  if (found.size < limit && long.length > 0) {
    const text = prepared.words
      .map((word) =>
        [...word].length >= FUZZY_MIN_WORD ? [...word].slice(0, FUZZY_PREFIX).join('') : word,
      )
      .join(' ');
    for (const hit of await run(records, text, FUZZY_CANDIDATES)) {
      const record = hit.document as SearchEntry;
      if (!record.name || !inScope(record, options.scope)) continue;
      if (found.has(`${record.kind}:${record.recordId}`)) continue;
      const similarity = nameSimilarity(prepared.words, record.name);
      if (similarity < FUZZY_THRESHOLD) continue;
      keep({ ...itemOf(record), score: round(0.99 * similarity) });
    }
  }

  const results = [...found.values()]
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title) || a.id.localeCompare(b.id))
    .slice(0, limit);
  return { query: raw, results };
}

const itemOf = (record: SearchEntry): Omit<SearchResultItem, 'score'> => ({
  kind: record.kind,
  id: record.recordId,
  title: record.title,
  subtitle: record.subtitle,
});
