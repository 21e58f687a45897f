/**
 * Business time on a calendar. Instants go in as ISO 8601 strings with `Z` or an offset
 * (2026-03-13T18:30:00+11:00) and come out in UTC (2026-03-13T08:00:00.000Z), like the rest of the
 * domain. Working periods are half-open: a period 09:00–18:00 contains 09:00 but not 18:00.
 */
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '../shared/domain-error';
import {
  BusinessCalendar,
  WEEKDAYS,
  businessCalendarProblems,
  extraWorkingDayHours,
  isLocalDate,
  minutesOfDay,
} from './business-calendar';
import { DAY, MINUTE, SECOND, localDay, wallClockInstant } from './wall-clock';

/** Spans are walked day by day; longer ones are refused rather than walked. */
export const MAX_SPAN_DAYS = 3 * 366;

type Period = readonly [start: number, end: number];

interface Compiled {
  zone: IANAZone;
  /** The working periods, as epoch ms, of a local date given as days since 1970-01-01. */
  periodsOn(day: number): Period[];
}

/** Working seconds of the calendar in [from, to); negative when `to` is before `from`. */
export const businessSecondsBetween = (
  calendar: BusinessCalendar,
  from: string,
  to: string,
): number => {
  const [start, end] = [instantMs(from, 'from'), instantMs(to, 'to')];
  const compiled = compile(calendar);
  const ms = start <= end ? workedMs(compiled, start, end) : -workedMs(compiled, end, start);
  return ms === 0 ? 0 : ms / SECOND;
};

/**
 * The instant at which `seconds` of working time after `from` have passed. It may be the end of a
 * working period (18:00 rather than the next day's 09:00); adding 0 returns `from` unchanged.
 */
export const addBusinessSeconds = (
  calendar: BusinessCalendar,
  from: string,
  seconds: number,
): string => {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new DomainError(
      'calendar.invalid_seconds',
      `seconds must be a finite number of seconds, zero or more, got ${seconds}`,
      'seconds',
    );
  }
  const start = instantMs(from, 'from');
  let remaining = Math.round(seconds * SECOND);
  if (remaining === 0) return iso(start);
  const compiled = compile(calendar);
  return iso(
    firstFrom(compiled, localDay(compiled.zone, start), start, (periodStart, periodEnd) => {
      if (remaining <= periodEnd - periodStart) return periodStart + remaining;
      remaining -= periodEnd - periodStart;
      return undefined;
    }),
  );
};

/** The first instant at or after `at` inside working hours: `at` itself during working hours. */
export const nextWorkingStart = (calendar: BusinessCalendar, at: string): string => {
  const instant = instantMs(at, 'at');
  const compiled = compile(calendar);
  return iso(firstFrom(compiled, localDay(compiled.zone, instant), instant, (start) => start));
};

/** The start of the first working day whose local date is after the local date of `at`. */
export const startOfNextWorkingDay = (calendar: BusinessCalendar, at: string): string => {
  const instant = instantMs(at, 'at');
  const compiled = compile(calendar);
  return iso(
    firstFrom(compiled, localDay(compiled.zone, instant) + 1, -Infinity, (start) => start),
  );
};

/** The start of the first working day on or after a local date 'YYYY-MM-DD'. */
export const startOfWorkingDayFrom = (calendar: BusinessCalendar, localDate: string): string => {
  if (!isLocalDate(localDate)) {
    throw new DomainError(
      'calendar.invalid_date',
      `localDate must be a date YYYY-MM-DD, got ${JSON.stringify(localDate)}`,
      'localDate',
    );
  }
  const compiled = compile(calendar);
  return iso(firstFrom(compiled, Date.parse(localDate) / DAY, -Infinity, (start) => start));
};

/** The calendar's local date 'YYYY-MM-DD' at an instant. */
export const localDateOf = (calendar: BusinessCalendar, at: string): string => {
  const instant = instantMs(at, 'at');
  return isoDate(localDay(compile(calendar).zone, instant));
};

/**
 * Compiled calendars by content: validating a calendar and building its zone costs about a
 * millisecond, and the sagas ask for the same few calendars on every clock computation.
 */
const COMPILED = new Map<string, Compiled>();
const COMPILED_MAX = 64;

const compile = (calendar: BusinessCalendar): Compiled => {
  const key = JSON.stringify(calendar) as string | undefined;
  if (key === undefined) return compileFresh(calendar);
  const known = COMPILED.get(key);
  if (known) return known;
  // Compiled from a copy, so a caller changing its object later cannot change the cached one.
  const compiled = compileFresh(JSON.parse(key) as BusinessCalendar);
  if (COMPILED.size >= COMPILED_MAX) COMPILED.delete(COMPILED.keys().next().value as string);
  COMPILED.set(key, compiled);
  return compiled;
};

const compileFresh = (calendar: BusinessCalendar): Compiled => {
  const problems = businessCalendarProblems(calendar);
  if (problems.length > 0) {
    throw new DomainError('calendar.invalid', `Invalid calendar: ${problems.join('; ')}`);
  }
  const zone = IANAZone.create(calendar.timeZone);
  const holidays = new Set(calendar.holidays);
  const extraDays = new Set(calendar.extraWorkingDays ?? []);
  const extraHours = extraWorkingDayHours(calendar);
  const offsets = new Map<number, number>();
  const offsetOn = (day: number): number => {
    if (!offsets.has(day)) offsets.set(day, zone.offset(day * DAY));
    return offsets.get(day) as number;
  };
  return {
    zone,
    periodsOn: (day) => {
      const date = isoDate(day);
      if (holidays.has(date)) return [];
      let hours = calendar.workingHours[WEEKDAYS[(new Date(day * DAY).getUTCDay() + 6) % 7]];
      if (hours.length === 0 && extraDays.has(date)) hours = extraHours;
      if (hours.length === 0) return [];
      const midnight = day * DAY;
      const offset = offsetOn(day - 1);
      // Without a clock change nearby, skip the slower search for gaps and repeats.
      const instant =
        offset === offsetOn(day + 2)
          ? (wall: number) => wall - offset * MINUTE
          : (wall: number) => wallClockInstant(zone, wall);
      return hours
        .map(({ from, to }): Period => [
          instant(midnight + minutesOfDay(from) * MINUTE),
          instant(midnight + minutesOfDay(to) * MINUTE),
        ])
        .filter(([start, end]) => start < end);
    },
  };
};

const workedMs = (compiled: Compiled, from: number, to: number): number => {
  const [first, last] = [localDay(compiled.zone, from), localDay(compiled.zone, to)];
  if (last - first > MAX_SPAN_DAYS) {
    throw new DomainError(
      'calendar.span_too_long',
      `The span covers ${last - first} days; at most ${MAX_SPAN_DAYS} are counted`,
    );
  }
  let total = 0;
  for (let day = first; day <= last; day++) {
    for (const [start, end] of compiled.periodsOn(day)) {
      total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
  }
  return total;
};

/** Walks working periods from local day `firstDay`, clipped to start after `after`, until `pick` answers. */
const firstFrom = (
  compiled: Compiled,
  firstDay: number,
  after: number,
  pick: (start: number, end: number) => number | undefined,
): number => {
  for (let day = firstDay; day <= firstDay + MAX_SPAN_DAYS; day++) {
    for (const [start, end] of compiled.periodsOn(day)) {
      if (end <= after) continue;
      const found = pick(Math.max(start, after), end);
      if (found !== undefined) return found;
    }
  }
  throw new DomainError(
    'calendar.span_too_long',
    `No answer within ${MAX_SPAN_DAYS} days: the calendar has too little working time`,
  );
};

const isoDate = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

const iso = (instant: number): string => new Date(instant).toISOString();

const INSTANT = /^\d{4}-\d{2}-\d{2}T[\d:.,]+(Z|[+-]\d{2}(:?\d{2})?)$/i;

const instantMs = (value: unknown, field: string): number => {
  const parsed = typeof value === 'string' && INSTANT.test(value) ? DateTime.fromISO(value) : null;
  if (!parsed?.isValid) {
    throw new DomainError(
      'calendar.invalid_instant',
      `${field} must be an ISO 8601 instant with Z or an offset, got ${JSON.stringify(value)}`,
      field,
    );
  }
  return parsed.toMillis();
};
