/**
 * Small pure checks shared by the deciders. Predicates only: each aggregate refuses with its own
 * error code, so a client can tell a bad lead email from a bad contact email.
 *
 * Deliberately dependency-free. IANA time zones are checked for shape only: a real check needs the
 * tz database (a library or the runtime's ICU data), which would make a decision depend on the
 * installed Node version. The DTO layer validates zone names against the database.
 */
import { DomainError } from './domain-error';

// A function declaration (not an arrow) so that TypeScript narrows after a call.
export function refuse(
  code: string,
  message: string,
  field?: string,
  details?: Record<string, unknown>,
): never {
  throw new DomainError(code, message, field, details);
}

export const isNonBlank = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

export const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

/** ISO 8601 instant in UTC, e.g. 2026-03-01T09:00:00.000Z; rejects impossible dates like 02-30. */
export const isIsoInstant = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
};

export const instantMs = (iso: string): number => Date.parse(iso);

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const isEmail = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 254 && EMAIL.test(value);

/** E.164: a plus, a country code that never starts with 0, at most 15 digits in all. */
export const isE164Phone = (value: unknown): value is string =>
  typeof value === 'string' && /^\+[1-9]\d{1,14}$/.test(value);

/** A web address or a bare domain (acme.de, www.acme.de, https://acme.de/en). */
export const isWebsite = (value: unknown): value is string => {
  if (!isNonBlank(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      /^([a-z0-9-]+\.)+[a-z][a-z0-9-]*[a-z0-9]$/i.test(url.hostname)
    );
  } catch {
    return false;
  }
};

export const isSha256Hex = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-f0-9]{64}$/i.test(value);

/** type/subtype, as in a Content-Type header without parameters. */
export const isMimeType = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(value);

/** Shape only (Area/Location, Etc/GMT+5, UTC); see the file comment. */
export const looksLikeIanaZone = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value);

/** BCP 47 language tag shape: en, de-AT, zh-Hans-CN, es-419. */
export const isLanguageTag = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value);

export const isIntegerInRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

// ISO 3166-1 alpha-2 officially assigned codes, plus XK (Kosovo): not assigned by ISO, but used by
// the EU, customs and banks, and Kosovan buyers exist.
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
    'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
    'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
    'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
    'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
    'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
    'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
    'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ' +
    'ZM ZW'
  ).split(' '),
);

/** Upper-case ISO 3166-1 alpha-2 only: normalising case is the DTO layer's job. */
export const isCountryCode = (value: unknown): value is string =>
  typeof value === 'string' && COUNTRY_CODES.has(value);

/** Order-sensitive structural equality for the plain JSON values commands carry. */
export const sameValue = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
