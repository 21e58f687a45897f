import { locale } from './i18n.js';

/** The user's own zone, as the browser reports it: every instant is shown there. */
export const userTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const cache = new Map();
const formatter = (kind, options) => {
  const key = `${kind}|${locale()}|${JSON.stringify(options)}`;
  if (!cache.has(key)) {
    cache.set(
      key,
      kind === 'date'
        ? new Intl.DateTimeFormat(locale(), options)
        : new Intl.NumberFormat(locale(), options),
    );
  }
  return cache.get(key);
};

/** Minor units shown in their own currency, with that currency's decimals (JPY none, USD two). */
export function money(minor, currency) {
  if (minor === null || minor === undefined || !currency) return '—';
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return formatter('number', { style: 'currency', currency }).format(minor / 10 ** digits);
}

export const moneyOf = (value) => (value ? money(value.minor, value.currency) : '—');

export function dateTime(iso) {
  if (!iso) return '—';
  return formatter('date', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: userTimeZone(),
  }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) is the same day everywhere: never shifted into a zone. */
export function day(value) {
  if (!value) return '—';
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const zone = /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : userTimeZone();
  return formatter('date', { dateStyle: 'medium', timeZone: zone }).format(new Date(iso));
}

export function month(value) {
  if (!value) return '—';
  if (!/^\d{4}-\d{2}$/.test(value)) return value;
  return formatter('date', { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${value}-01T00:00:00Z`),
  );
}

export const number = (value, digits = 0) =>
  value === null || value === undefined
    ? '—'
    : formatter('number', { maximumFractionDigits: digits }).format(value);

export const percent = (ratio) =>
  ratio === null || ratio === undefined
    ? '—'
    : formatter('number', { style: 'percent', maximumFractionDigits: 1 }).format(ratio);

/** Seconds as days (or hours under a day), in the user's language. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const [unit, unitSeconds] = Math.abs(seconds) < 86_400 ? ['hour', 3600] : ['day', 86_400];
  return formatter('number', {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(seconds / unitSeconds);
}

/** A countdown like 12:04 or 1:02:33; negative values are shown as time past. */
export function clock(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** The YYYY-MM-DD of an instant in the user's zone, for date inputs. */
export function localDay(date = new Date()) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: userTimeZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
  return parts;
}
