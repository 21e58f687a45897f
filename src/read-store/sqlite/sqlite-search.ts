import { ReadDocument } from '../read-store.port';

/**
 * unicode61 splits on spaces and punctuation only, so a run of Chinese or Japanese characters would
 * be one token, findable only from its start. Spacing those characters out indexes each as a token;
 * a query word is then a phrase of adjacent characters, which matches anywhere in the run.
 */
const CJK = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;
const spaceOutCjk = (text: string): string => text.replace(CJK, ' $1 ');

/**
 * The options every FTS5 table is created with:
 * - `unicode61`, diacritics removed;
 * - prefix indexes for the first 1 to 8 characters of every token. Every query word is a prefix,
 *   and for a prefix without an index of its length FTS5 first copies the doclists of every token
 *   it starts into one (all tokens starting with "s" for a one-letter word), and again for bm25;
 *   with one, the prefix reads like a token and streams. Words of up to 8 characters are most of
 *   what people type; longer ones take the copy. At 100k deals this makes the text indexes 5–6×
 *   larger (59 → 334 MB), and multi-word searches (a deal's title) ~2× faster than with no
 *   index, ~1.3× faster than with 1–3.
 *
 * A table keeps the options it was created with: a projection gets these by rebuilding.
 */
export const FTS_OPTIONS = `tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8'`;

/** The indexed text of each declared text field, in declaration order. */
export function searchableTexts(document: ReadDocument, textFields: string[]): string[] {
  return textFields.map((field) => spaceOutCjk(toText(valueAt(document, field))));
}

/**
 * Each word of the user's text becomes a quoted FTS5 string ending in `*` (a prefix match).
 * Quoting (with quotes doubled) keeps operators and brackets in user input literal. Words without
 * a letter or digit carry no token and would make the whole query match nothing, so they are
 * dropped.
 */
export function ftsPhrases(text: string): string[] {
  return text
    .split(/\s+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map((word) => `"${spaceOutCjk(word).trim().replace(/"/g, '""')}"*`);
}

/**
 * How a search with a limit is bounded. bm25 costs something for every row it ranks, and checking
 * a filter on a document a lookup and a JSON parse; a common prefix ("sta") matches tens of
 * thousands of documents, and ranking them all cost 30 ms to 2 s at 100k deals. So a search ranks
 * at most SEARCH_CANDIDATES of the newest matches passing its filter (highest rowid: SQLite hands
 * rowids out in insertion order, and an update keeps its row's). When there are more, a one-word
 * search on a collection with several text fields also ranks up to SEARCH_CANDIDATES of the newest
 * older ones whose first text field holds the word (for the search index: the name): this keeps a
 * long-standing name match (an account named Solartechnik, for "solar") in the running when
 * thousands of newer documents hold the word in another field (deals whose product line is
 * solar). Not for several words: they narrow the matches themselves, and the second pass would
 * count every word's documents again (10–20 ms for a deal title). Every candidate gets the bm25 of
 * the whole query, so it scores as it would if every match were ranked. With fewer matches than
 * the bound, every match is ranked.
 */
export const SEARCH_CANDIDATES = 1000;

/**
 * A filter that fewer documents than this pass is applied as a list of their rowids, read from
 * the filter's index (see searchWalk); a larger one is checked on each match's document.
 */
export const LISTED_FILTER_MAX = 10_000;

/** Counts the documents passing a filter, up to a bound: parameters the filter's values, the bound. */
export const filterSizeSql = (table: string, where: string): string =>
  `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE ${where} LIMIT ?)`;

export interface SearchFilterSql {
  /** The filter as SQL over the documents table (see whereSql), and its parameters. */
  where: string;
  params: Array<string | number>;
  /** Fewer than LISTED_FILTER_MAX documents pass it. */
  listed: boolean;
}

export interface SearchStatement {
  sql: string;
  params: Array<string | number>;
}

/** A scored match: its rowid, and bm25 (lower is better). */
export interface ScoredRow {
  rowid: number;
  score: number;
}

/** A filter few documents pass, as the list of their rowids (SQLite builds the list once). */
const listed = (table: string, filter: SearchFilterSql): string =>
  `(SELECT rowid FROM ${table} WHERE ${filter.where})`;

/** The newest walk's best rows, with what the walk found. */
export interface WalkedRow extends ScoredRow {
  /** How many matches the walk scored: more than the bound means there are more. */
  walked: number;
  /** The oldest match kept within the bound. */
  oldest: number;
}

/**
 * The newest matches passing the filter, up to `bound` (-1: all), scored; the best `limit` of
 * them: parameters the MATCH expression, the filter's values, bound + 1, bound, limit. Rows
 * `WalkedRow`, best first. The walk takes one more than the bound, to tell "that many" from "more".
 *
 * FTS5 serves `ORDER BY rowid DESC` from the index, so with the LIMIT the walk stops early. A
 * listed filter is probed per match in a temporary index behind a Bloom filter (a fraction of a
 * microsecond; the unary + keeps SQLite from handing the list to FTS5 as rowid constraints, one
 * whole query each); another one is checked on each match's document as the walk comes to it.
 * CROSS JOIN keeps the FTS table the outer loop: driven from the filter's index instead, FTS5
 * would run the whole query once per document.
 */
export function searchWalk(
  table: string,
  fts: string,
  match: string,
  filter: SearchFilterSql | undefined,
  bound: number,
  limit: number,
): SearchStatement {
  let from = `FROM ${fts} WHERE ${fts} MATCH ?`;
  const params: Array<string | number> = [match];
  if (filter?.listed) {
    from += ` AND +${fts}.rowid IN ${listed(table, filter)}`;
    params.push(...filter.params);
  } else if (filter) {
    from =
      `FROM ${fts} CROSS JOIN ${table} f ON f.rowid = ${fts}.rowid ` +
      `WHERE ${fts} MATCH ? AND ${filter.where}`;
    params.push(...filter.params);
  }
  params.push(bound < 0 ? -1 : bound + 1, bound, limit);
  return {
    sql:
      `WITH walk AS MATERIALIZED (SELECT ${fts}.rowid AS rowid, bm25(${fts}) AS score ${from} ` +
      `ORDER BY ${fts}.rowid DESC LIMIT ?), ` +
      `kept AS MATERIALIZED (SELECT rowid, score FROM walk ORDER BY rowid DESC LIMIT ?) ` +
      `SELECT rowid, score, (SELECT count(*) FROM walk) AS walked, ` +
      `(SELECT min(rowid) FROM kept) AS oldest FROM kept ORDER BY score, rowid DESC LIMIT ?`,
    params,
  };
}

/**
 * The newest `candidates` matches whose first text field (`c0`, see installCollection) holds
 * every word, passing the filter and older than `before`, scored by the whole query: parameters
 * follow from the arguments. Rows `{rowid, score}`.
 *
 * A filter checked per document is checked on the newest name matches only: walked with it, a
 * filter few of them pass (deals, for a word in company names) would walk them all. Scoring walks
 * the matches in between once more, probing the list (~0.05 µs a match), and bm25 counts the
 * documents holding each word again: this costs about what the first walk did.
 */
export function namedWalk(
  table: string,
  fts: string,
  match: string,
  filter: SearchFilterSql | undefined,
  candidates: number,
  before: number,
): SearchStatement {
  const named = `{c0} : (${match})`;
  let pool: string;
  const params: Array<string | number> = [];
  if (filter && !filter.listed) {
    pool =
      `SELECT n.rowid FROM (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? AND rowid < ? ` +
      `ORDER BY rowid DESC LIMIT ?) n CROSS JOIN ${table} f ON f.rowid = n.rowid ` +
      `WHERE ${filter.where}`;
    params.push(named, before, candidates, ...filter.params);
  } else {
    pool =
      `SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? AND rowid < ?` +
      `${filter ? ` AND +rowid IN ${listed(table, filter)}` : ''} ORDER BY rowid DESC LIMIT ?`;
    params.push(named, before, ...(filter ? filter.params : []), candidates);
  }
  params.push(match);
  return {
    sql:
      `WITH pool AS MATERIALIZED (${pool}) ` +
      `SELECT ${fts}.rowid AS rowid, bm25(${fts}) AS score FROM ${fts} WHERE ${fts} MATCH ? ` +
      `AND ${fts}.rowid >= (SELECT min(rowid) FROM pool) ` +
      `AND ${fts}.rowid <= (SELECT max(rowid) FROM pool) AND +${fts}.rowid IN pool`,
    params,
  };
}

/** The best `limit` (-1: all) by score, newest first among equal scores. */
export const bestOf = (rows: ScoredRow[], limit: number): ScoredRow[] =>
  [...rows]
    .sort((a, b) => a.score - b.score || b.rowid - a.rowid)
    .slice(0, limit < 0 ? undefined : limit);

/** Documents by rowid: parameter a JSON array of rowids. Rows `{rowid, doc}`, in no order. */
export const docsByRowidSql = (table: string): string =>
  `SELECT d.rowid AS rowid, d.doc AS doc FROM json_each(?) j CROSS JOIN ${table} d ON d.rowid = j.value`;

function valueAt(document: ReadDocument, path: string): unknown {
  let value: unknown = document;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(toText).join(' ');
  return '';
}
