/**
 * Account names for the dedup part of the intake benchmark, and the misspelt, re-formed or
 * re-cased names a lead arrives with for an account already on file.
 */
import { Random } from '../src/cli/history/random';
import { BenchCompany, companies, nativeFormsOf } from './intake-world';

export const PERTURBATIONS = ['typo', 'legal form', 'case/accents'] as const;
export type Perturbation = (typeof PERTURBATIONS)[number];

export interface Lookup {
  /** Index of the account the name was derived from. */
  target: number;
  kind: Perturbation;
  name: string;
}

/** `count` distinct company names from many countries, the same for the same seed. */
export function accountNames(seed: string, count: number): BenchCompany[] {
  const next = companies(new Random(seed));
  return Array.from({ length: count }, next);
}

/** Keys next to each other on a QWERTY keyboard, for substitutions people actually make. */
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const neighbours = (letter: string): string => {
  const lower = letter.toLowerCase();
  for (let r = 0; r < ROWS.length; r++) {
    const at = ROWS[r].indexOf(lower);
    if (at < 0) continue;
    const near = [ROWS[r][at - 1], ROWS[r][at + 1], ROWS[r - 1]?.[at], ROWS[r + 1]?.[at]];
    return near.filter(Boolean).join('');
  }
  return 'aeiou';
};

const isCjk = (text: string) =>
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);

/** One slip of the fingers in the name itself (not its legal form), never in its first letter. */
function typo(random: Random, company: BenchCompany): string {
  const { name, form } = company;
  const formAt = form ? name.lastIndexOf(form) : -1;
  const chars = [...name];
  const end =
    formAt > 0 && !name.startsWith(form) ? [...name.slice(0, formAt)].length : chars.length;
  const start = formAt === 0 ? [...form].length : 0;
  const letters: number[] = [];
  for (let i = start + 1; i < end; i++) if (/\p{L}/u.test(chars[i])) letters.push(i);
  if (letters.length === 0) return name.toUpperCase();
  const at = random.pick(letters);
  if (isCjk(chars[at])) {
    // A wrong character of the same sound or look: here, simply another common one.
    chars[at] = random.pick([...'光明华盛鑫泰宏达恒源新昌隆丰金利通远创佳美德兴力科威海天长永']);
    return chars.join('');
  }
  const op = random.int(0, 3);
  if (op === 0) chars.splice(at, 1);
  else if (op === 1 && at + 1 < end && /\p{L}/u.test(chars[at + 1]))
    [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
  else if (op === 2) {
    const near = random.pick([...neighbours(chars[at])]);
    chars[at] = chars[at] === chars[at].toUpperCase() ? near.toUpperCase() : near;
  } else chars.splice(at, 0, chars[at]);
  return chars.join('');
}

/** Written with another legal form, the form spelt differently, or none. */
function legalForm(random: Random, company: BenchCompany): string {
  const { name, form, country } = company;
  if (!form) {
    const added = random.pick(country.forms);
    return added.endsWith(' ') ? `${added}${name}` : `${name} ${added}`;
  }
  const leading = name.startsWith(form);
  const core = leading
    ? name.slice(form.length).trim()
    : name.slice(0, name.lastIndexOf(form)).replace(/[\s,]+$/, '');
  const pool = company.native ? nativeFormsOf(country) : country.forms.map((f) => f.trim());
  const others = pool.filter((f) => f !== form);
  const roll = random.next();
  const replacement =
    roll < 0.35
      ? ''
      : roll < 0.75 && others.length > 0
        ? random.pick(others)
        : form.replace(/[.,]/g, '').replace(/\s+/g, ' ');
  if (!replacement || replacement === form) return core;
  if (isCjk(replacement)) return leading ? `${replacement}${core}` : `${core}${replacement}`;
  return leading ? `${replacement} ${core}` : `${core} ${replacement}`;
}

const STRIP: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  Ø: 'O',
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
};

/** Shouted, whispered, or typed without accents (Müller as Muller or Mueller). */
function caseAccents(random: Random, company: BenchCompany): string {
  const { name } = company;
  if (isCjk(name)) {
    // CJK has no case: the same name with spaces around its parts, as some forms submit it.
    return [...name].map((ch, i) => (i > 0 && random.chance(0.25) ? ` ${ch}` : ch)).join('');
  }
  const accented = /[^\x00-\x7f]/.test(name);
  const roll = random.next();
  if (accented && roll < 0.5) {
    const umlauts = random.chance(0.5);
    return name
      .replace(/[äöüÄÖÜ]/g, (ch) =>
        umlauts ? ({ ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' }[ch] ?? ch) : ch,
      )
      .replace(/[ßøØıłŁđĐ]/g, (ch) => STRIP[ch])
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC');
  }
  return roll < 0.8 ? name.toUpperCase() : name.toLowerCase();
}

const PERTURB: Record<Perturbation, (random: Random, company: BenchCompany) => string> = {
  typo,
  'legal form': legalForm,
  'case/accents': caseAccents,
};

/** `count` lookups of names on file, each changed one way, the kinds in turn. */
export function lookups(seed: string, names: readonly BenchCompany[], count: number): Lookup[] {
  const random = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    const target = random.int(0, names.length - 1);
    const kind = PERTURBATIONS[i % PERTURBATIONS.length];
    return { target, kind, name: PERTURB[kind](random, names[target]) };
  });
}
