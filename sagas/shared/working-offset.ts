import { DateTime } from 'luxon';
import {
  type BusinessCalendar,
  extraWorkingDayHours,
  WEEKDAYS,
} from '../../domain/calendar/business-calendar';
import {
  addBusinessSeconds,
  businessSecondsBetween,
  MAX_SPAN_DAYS,
  nextWorkingStart,
  startOfWorkingDayFrom,
} from '../../domain/calendar/business-time';

const HOUR_SECONDS = 3600;

/**
 * Due times `hours` after `from` in a team's business time, the way a sales team reads "due in
 * 24 h": each whole 24 hours is one working day (the same point of the next working day, so Friday
 * 15:00 + 24 h is Monday 15:00, and across a clock change it stays 15:00 local), and what is left
 * over is working hours. Counting starts at the next working start when `from` is outside working
 * hours. Weekends, holidays and clock changes come from the calendar.
 *
 * Returns a function so that the offsets of one start (a stage's templates) share the work: every
 * business-time call compiles the calendar, so whole days are counted on the calendar's dates here.
 */
export function workingOffsets(
  calendar: BusinessCalendar,
  from: string,
): (hours: number) => string {
  let anchor: { date: string; intoDay: number } | undefined;
  const anchorOf = () => {
    if (!anchor) {
      const start = nextWorkingStart(calendar, from);
      const date = localDate(calendar, start);
      anchor = { date, intoDay: businessSecondsBetween(calendar, midnight(calendar, date), start) };
    }
    return anchor;
  };
  return (hours) => {
    const days = Math.floor(hours / 24);
    const rest = (hours - days * 24) * HOUR_SECONDS;
    if (days === 0) return addBusinessSeconds(calendar, from, rest);
    const { date, intoDay } = anchorOf();
    const target = nthWorkingDate(calendar, date, days);
    const seconds = intoDay + rest;
    return seconds === 0
      ? startOfWorkingDayFrom(calendar, target)
      : addBusinessSeconds(calendar, midnight(calendar, target), seconds);
  };
}

export const addWorkingOffset = (calendar: BusinessCalendar, from: string, hours: number): string =>
  workingOffsets(calendar, from)(hours);

/** The `count`-th working date after `date` (local dates 'YYYY-MM-DD'). */
function nthWorkingDate(calendar: BusinessCalendar, date: string, count: number): string {
  let day = date;
  for (let seen = 0, walked = 0; seen < count && walked <= MAX_SPAN_DAYS; walked++) {
    day = addLocalDays(day, 1);
    if (isWorkingDate(calendar, day)) seen++;
  }
  return day;
}

/** The same rule as business-time's working periods: holidays off, weekday hours, extra days. */
function isWorkingDate(calendar: BusinessCalendar, date: string): boolean {
  if (calendar.holidays.includes(date)) return false;
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  if (calendar.workingHours[weekday].length > 0) return true;
  return (
    (calendar.extraWorkingDays ?? []).includes(date) && extraWorkingDayHours(calendar).length > 0
  );
}

const localDate = (calendar: BusinessCalendar, at: string): string =>
  DateTime.fromISO(at, { zone: calendar.timeZone }).toISODate() as string;

const midnight = (calendar: BusinessCalendar, date: string): string =>
  DateTime.fromISO(date, { zone: calendar.timeZone }).toUTC().toISO() as string;

/** Calendar time, for a record whose owner has no team calendar. */
export const addCalendarHours = (from: string, hours: number): string =>
  new Date(Date.parse(from) + hours * HOUR_SECONDS * 1000).toISOString();

/** `days` whole days after an instant, in UTC. */
export const addDays = (from: string, days: number): string =>
  new Date(Date.parse(from) + days * 86_400_000).toISOString();

/** A local date 'YYYY-MM-DD' plus `days` days. */
export const addLocalDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Normalised to milliseconds in UTC, so string order is time order. */
export const utc = (instant: string): string => new Date(instant).toISOString();
