import { BSONRegExp, Document, Filter } from 'mongodb';
import type {
  FieldCondition,
  FieldValue,
  FindQuery,
  ReadDocument,
} from '../read-store.port';

/** A read-store document as stored: the port's `id` is MongoDB's `_id`. */
export interface StoredDocument extends Document {
  _id: string;
}

export const mongoField = (field: string): string => (field === 'id' ? '_id' : field);

/** The fields stored beside `_id`: the document as it is, less its id. */
export function storedFields(document: ReadDocument): Omit<StoredDocument, '_id'> {
  const { id: _id, _id: _ignored, ...fields } = document;
  return fields;
}

export function fromStored(stored: Document): ReadDocument {
  const { _id, ...fields } = stored;
  return { ...fields, id: _id as string };
}

const isEquality = (condition: FieldCondition): condition is FieldValue =>
  condition === null || typeof condition !== 'object';

/**
 * MongoDB's own matching gives the port's semantics: `null` and `{in: [null]}` also match a
 * missing field, values of different BSON types never compare equal or in range, and strings
 * compare by binary order (the default, simple collation).
 */
export function toFilter(where: FindQuery['where'] = {}): Filter<StoredDocument> {
  const filter: Document = {};
  for (const [field, condition] of Object.entries(where)) {
    const key = mongoField(field);
    if (isEquality(condition)) {
      filter[key] = condition;
    } else if ('in' in condition) {
      filter[key] = { $in: condition.in };
    } else {
      const range: Document = {};
      for (const op of ['gte', 'gt', 'lte', 'lt'] as const) {
        if (condition[op] !== undefined) range[`$${op}`] = condition[op];
      }
      if (Object.keys(range).length > 0) filter[key] = range;
    }
  }
  return filter;
}

export function toSort(sort: FindQuery['sort'] = []): Array<[string, 1 | -1]> {
  return sort.map(([field, direction]) => [mongoField(field), direction === 'asc' ? 1 : -1]);
}

const stripDiacritics = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');

/** Lower-cased words without diacritics: anything but letters and digits separates them. */
export function searchWords(text: string): string[] {
  return (
    stripDiacritics(text)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Latin letters with diacritics, in both cases, by their base letter: e → èéêëēĕėęěÈÉ… */
const VARIANTS = new Map<string, string>();
for (let code = 0xc0; code <= 0x24f; code++) {
  const letter = String.fromCodePoint(code);
  const base = stripDiacritics(letter).toLowerCase();
  if (base !== letter.toLowerCase() && /^[a-z]$/.test(base)) {
    VARIANTS.set(base, (VARIANTS.get(base) ?? '') + letter);
  }
}
const WORD_CHARACTER = `a-z0-9${[...VARIANTS.values()].join('')}`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A server-side (PCRE) pattern for a word that starts a word, ignoring case and diacritics. */
function wordStart(word: string): BSONRegExp {
  const letters = [...word].map((c) =>
    VARIANTS.has(c) ? `[${c}${VARIANTS.get(c)}]` : escapeRegExp(c),
  );
  return new BSONRegExp(`(?<![${WORD_CHARACTER}])${letters.join('')}`, 'i');
}

/**
 * Every word must start a word in one of the text fields: FTS5's prefix match in the SQLite
 * adapter, ANDed across words as FTS5 does (MongoDB's $text ORs them). `words` come from
 * searchWords, so they hold letters and digits only; escaping is a second line.
 * Case-insensitive patterns cannot use an index: on their own they scan the collection.
 */
export function prefixMatch(words: string[], textFields: string[]): Filter<StoredDocument> {
  return {
    $and: words.map((word) => {
      const pattern = wordStart(word);
      return { $or: textFields.map((field) => ({ [mongoField(field)]: pattern })) };
    }),
  };
}
