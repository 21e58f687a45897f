import { NormalizedCompanyName } from './company-name';

/** Jaro–Winkler similarity, 0..1, with the usual prefix scale 0.1 over at most 4 characters. */
export const jaroWinkler = (a: string, b: string): number => {
  if (a === b) return 1;
  const s = [...a];
  const t = [...b];
  if (s.length === 0 || t.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const tUsed = new Array<boolean>(t.length).fill(false);
  const sMatched: string[] = [];
  s.forEach((char, i) => {
    for (let j = Math.max(0, i - window); j <= Math.min(t.length - 1, i + window); j++) {
      if (!tUsed[j] && t[j] === char) {
        tUsed[j] = true;
        sMatched.push(char);
        return;
      }
    }
  });
  const m = sMatched.length;
  if (m === 0) return 0;
  const tMatched = t.filter((_, j) => tUsed[j]);
  const transpositions = sMatched.filter((char, k) => char !== tMatched[k]).length / 2;
  const jaro = (m / s.length + m / t.length + (m - transpositions) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < s.length && prefix < t.length && s[prefix] === t[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
};

/** Character trigrams of the name padded with a space at each end, so short names have some. */
export const trigrams = (core: string): Set<string> => {
  const chars = [...` ${core} `];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return grams;
};

/** Sørensen–Dice coefficient of two sets, 0..1. */
export const dice = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number => {
  if (a.size + b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
};

const HAN_REGION = /^\p{Script=Han}{1,8}?[省市区县]$/u;

/**
 * Same trade name, one side written with its city or province (深圳市光明照明 and 光明照明): likely
 * the same company, but the bare name may be another city's, so it scores below an exact match.
 */
const REGION_ONLY_SCORE = 0.95;

const regionOnlyDifference = (a: string, b: string): boolean => {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return (
    [...short].length >= 2 && long.endsWith(short) && HAN_REGION.test(long.slice(0, -short.length))
  );
};

const sortedTokens = (tokens: string[]): string => [...tokens].sort().join(' ');

/** Below this two tokens are different words, not spellings of one: "star" and "sun". */
const SAME_WORD = 0.85;

/** Dice over tokens where a token counts by how well it is spelt in the other name. */
const softTokenDice = (a: string[], b: string[]): number => {
  const credit = (token: string, other: string[]) => {
    const best = Math.max(0, ...other.map((candidate) => jaroWinkler(token, candidate)));
    return best >= SAME_WORD ? best : 0;
  };
  const total = a.length + b.length;
  if (total === 0) return 1;
  const sum = (xs: string[], ys: string[]) => xs.reduce((acc, t) => acc + credit(t, ys), 0);
  return (sum(a, b) + sum(b, a)) / total;
};

const coreSimilarity = (a: string, b: string): number => {
  if (!a || !b) return 0;
  if (a.replaceAll(' ', '') === b.replaceAll(' ', '')) return 1;
  const [ta, tb] = [a.split(' '), b.split(' ')];
  const order = Math.max(jaroWinkler(a, b), jaroWinkler(sortedTokens(ta), sortedTokens(tb)));
  const characters = (order + dice(trigrams(a), trigrams(b))) / 2;
  const score = (characters + softTokenDice(ta, tb)) / 2;
  return regionOnlyDifference(a, b) ? Math.max(score, REGION_ONLY_SCORE) : score;
};

/**
 * 0..1, the mean of two views. Characters: Jaro–Winkler (typos; word order forgiven by also
 * comparing sorted tokens) with the Dice coefficient of trigrams (a long common prefix alone does
 * not make "global trading" like "global logistics"). Words: how many tokens the names share,
 * allowing misspellings, so "shenzhen abc lighting" is not "shenzhen xyz lighting".
 */
export const companyNameSimilarity = (
  a: NormalizedCompanyName,
  b: NormalizedCompanyName,
): number => {
  const score = coreSimilarity(a.core, b.core);
  const umlauts = a.plainCore !== a.core || b.plainCore !== b.core;
  return umlauts ? Math.max(score, coreSimilarity(a.plainCore, b.plainCore)) : score;
};
