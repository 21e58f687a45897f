import { ReadDocument } from '../read-store.port';

/**
 * unicode61 splits on spaces and punctuation only, so a run of Chinese or Japanese characters would
 * be one token, findable only from its start. Spacing those characters out indexes each as a token;
 * a query word is then a phrase of adjacent characters, which matches anywhere in the run.
 */
const CJK = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;
const spaceOutCjk = (text: string): string => text.replace(CJK, ' $1 ');

export const FTS_TOKENIZER = `tokenize = 'unicode61 remove_diacritics 2'`;

/** The indexed text of each declared text field, in declaration order. */
export function searchableTexts(document: ReadDocument, textFields: string[]): string[] {
  return textFields.map((field) => spaceOutCjk(toText(valueAt(document, field))));
}

/**
 * Each word of the user's text becomes a quoted FTS5 string ending in `*` (a prefix match), and
 * the words are ANDed. Quoting (with quotes doubled) keeps operators and brackets in user input
 * literal. Words without a letter or digit carry no token and would make the whole query match
 * nothing, so they are dropped. Returns undefined when no word is left.
 */
export function ftsMatchExpression(text: string): string | undefined {
  const words = text
    .split(/\s+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map((word) => `"${spaceOutCjk(word).trim().replace(/"/g, '""')}"*`);
  return words.length > 0 ? words.join(' ') : undefined;
}

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
