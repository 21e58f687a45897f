/** Instants as epoch milliseconds, UTC: the arithmetic the random histories are built with. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ms = (instant: string) => Date.parse(instant);
export const iso = (time: number) => new Date(time).toISOString();

/** The first instant ≥ t on a multiple of `unit` (hours and days are whole in epoch ms, UTC). */
export const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/** The first start of a UTC month ≥ t. */
export function ceilMonth(t: number): number {
  const d = new Date(t);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return start === t ? t : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** 'YYYY-MM-DD' of the start of the UTC month `months` after t's. */
export function monthStartDay(t: number, months: number): string {
  const d = new Date(t);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).slice(0, 10);
}
