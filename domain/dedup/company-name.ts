import {
  CJK_LEADING_LEGAL_FORMS,
  CJK_TRAILING_LEGAL_FORMS,
  CONNECTORS,
  LEADING_LEGAL_FORMS,
  TRAILING_LEGAL_FORMS,
} from './legal-forms';

export interface NormalizedCompanyName {
  /** The comparable name: tokens joined by one space. */
  core: string;
  tokens: string[];
  /** The legal forms that were removed, e.g. ['co', 'ltd'], shown to a reviewer as evidence. */
  legalForms: string[];
  /** The core with umlauts read as plain vowels (Müller → muller), as buyers abroad often type. */
  plainCore: string;
}

/** Letters that NFKD does not decompose, and German umlauts, so that Müller meets Mueller. */
const TRANSLITERATION: Record<string, string> = Object.fromEntries(
  'ä ae, ö oe, ü ue, ß ss, æ ae, œ oe, ø o, ł l, đ d, ð d, þ th, ı i'
    .split(', ')
    .map((pair) => pair.split(' ')),
);
const PLAIN_UMLAUTS: Record<string, string> = { ...TRANSLITERATION, ä: 'a', ö: 'o', ü: 'u' };

const bySize = (forms: readonly string[]): string[][] =>
  forms.map((form) => form.split(' ')).sort((a, b) => b.length - a.length);
const TRAILING = bySize(TRAILING_LEGAL_FORMS);
const LEADING = bySize(LEADING_LEGAL_FORMS);
const CJK_TRAILING = [...CJK_TRAILING_LEGAL_FORMS].sort((a, b) => b.length - a.length);

/** Lower-case, transliterated, accents removed; other scripts (Han, kana, Hangul) kept as written. */
const fold = (text: string, table: Record<string, string>): string =>
  text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[äöüßæœøłđðþı]/g, (letter) => table[letter])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');

/** "a b c" → "abc", so A.B.C. meets ABC and S.A. meets SA. */
const joinSingleLetters = (tokens: string[]): string[] =>
  tokens.reduce<string[]>((joined, token, i) => {
    const single = /^[a-z]$/.test(token);
    if (single && i > 0 && /^[a-z]$/.test(tokens[i - 1])) joined[joined.length - 1] += token;
    else joined.push(token);
    return joined;
  }, []);

const endsWith = (tokens: string[], form: string[]): boolean =>
  tokens.length > form.length &&
  form.every((t, i) => tokens[tokens.length - form.length + i] === t);
const startsWith = (tokens: string[], form: string[]): boolean =>
  tokens.length > form.length && form.every((t, i) => tokens[i] === t);

/** Removes one trailing legal form, never the last token; returns the form or undefined. */
const cutTrailing = (tokens: string[]): string | undefined => {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return undefined;
  const cjk = CJK_TRAILING.find((form) => last.endsWith(form));
  if (cjk && last.length > cjk.length) {
    tokens[tokens.length - 1] = last.slice(0, -cjk.length);
    return cjk;
  }
  const form = TRAILING.find((candidate) => endsWith(tokens, candidate)) ?? (cjk ? [cjk] : []);
  if (form.length === 0 || tokens.length <= form.length) return undefined;
  tokens.splice(tokens.length - form.length);
  if (tokens.length > 1 && CONNECTORS.includes(tokens[tokens.length - 1])) tokens.pop();
  return form.join(' ');
};

const cutLeading = (tokens: string[]): string | undefined => {
  const first = tokens[0];
  if (first === undefined) return undefined;
  const cjk = CJK_LEADING_LEGAL_FORMS.find((form) => first.startsWith(form));
  if (cjk && first.length > cjk.length) {
    tokens[0] = first.slice(cjk.length);
    return cjk;
  }
  const form = LEADING.find((candidate) => startsWith(tokens, candidate)) ?? (cjk ? [cjk] : []);
  if (form.length === 0 || tokens.length <= form.length) return undefined;
  tokens.splice(0, form.length);
  return form.join(' ');
};

const cutAll = (tokens: string[], cut: (tokens: string[]) => string | undefined): string[] => {
  const forms: string[] = [];
  for (let form = cut(tokens); form !== undefined; form = cut(tokens)) forms.push(form);
  return forms;
};

const strip = (raw: string, table: Record<string, string>) => {
  const words = fold(raw, table)
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const tokens = joinSingleLetters(words ? words.split(' ') : []);
  const trailing = cutAll(tokens, cutTrailing).reverse();
  const leading = cutAll(tokens, cutLeading);
  return { core: tokens.join(' '), tokens, legalForms: [...leading, ...trailing] };
};

/**
 * Folds case, accents and punctuation and removes legal forms at either end, keeping the name.
 * A Chinese city prefix (深圳市) stays: a Chinese trade name is registered per city, so it is part
 * of the identity, and telling it apart from a name needs a gazetteer (北京市场 is not 北京市 + 场).
 */
export const normalizeCompanyName = (raw: string): NormalizedCompanyName => ({
  ...strip(raw, TRANSLITERATION),
  plainCore: strip(raw, PLAIN_UMLAUTS).core,
});
