import { IANAZone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock times 'HH:mm'; `to` may be '24:00' for hours that run to midnight. */
export interface WorkingInterval {
  from: string;
  to: string;
}

/** When a team or a customer works. Hours and dates are local to `timeZone`. */
export interface BusinessCalendar {
  /** IANA name, e.g. Europe/Berlin. */
  timeZone: string;
  /** Intervals in the order of the day, not overlapping; an empty list is a day off. */
  workingHours: Record<Weekday, WorkingInterval[]>;
  /** Local dates 'YYYY-MM-DD' with no working hours. */
  holidays: string[];
  /**
   * Local dates worked although their weekday is a day off, such as China's adjusted Saturdays.
   * They are worked with the hours of the first working weekday (Monday's in a Mon–Fri week).
   */
  extraWorkingDays?: string[];
}

export const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const minutesOfDay = (time: string): number =>
  Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** A real calendar date 'YYYY-MM-DD' (rejects 2026-02-30). */
export const isLocalDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !LOCAL_DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
};

export const extraWorkingDayHours = (calendar: BusinessCalendar): WorkingInterval[] =>
  WEEKDAYS.map((day) => calendar.workingHours[day]).find((hours) => hours.length > 0) ?? [];

/** Problems as 'dotted.key: problem', so a policy can prefix the calendar's own path. */
export const businessCalendarProblems = (calendar: BusinessCalendar): string[] => {
  const problems: string[] = [];
  if (typeof calendar.timeZone !== 'string' || !IANAZone.isValidZone(calendar.timeZone)) {
    problems.push(`timeZone: ${JSON.stringify(calendar.timeZone)} is not an IANA time zone`);
  }
  const hourProblems = WEEKDAYS.flatMap((day) =>
    intervalProblems(calendar.workingHours?.[day], `workingHours.${day}`),
  );
  const extra = calendar.extraWorkingDays ?? [];
  problems.push(
    ...hourProblems,
    ...dateProblems(calendar.holidays, 'holidays'),
    ...dateProblems(extra, 'extraWorkingDays'),
  );
  if (!Array.isArray(calendar.holidays) || !Array.isArray(extra)) return problems;
  const holidays = new Set(calendar.holidays);
  extra.forEach((date, index) => {
    if (holidays.has(date)) problems.push(`extraWorkingDays.${index}: ${date} is also a holiday`);
  });
  if (
    extra.length > 0 &&
    hourProblems.length === 0 &&
    extraWorkingDayHours(calendar).length === 0
  ) {
    problems.push('extraWorkingDays: no weekday has working hours to work them with');
  }
  return problems;
};

const intervalProblems = (intervals: unknown, key: string): string[] => {
  if (!Array.isArray(intervals)) return [`${key}: must be a list of intervals`];
  const problems: string[] = [];
  let previousEnd = 0;
  intervals.forEach((interval: Partial<WorkingInterval> | undefined, index) => {
    const { from, to } = interval ?? {};
    if (!TIME_OF_DAY.test(String(from)) || !TIME_OF_DAY.test(String(to))) {
      problems.push(`${key}.${index}: from and to must be times HH:mm`);
      return;
    }
    const [start, end] = [minutesOfDay(from as string), minutesOfDay(to as string)];
    if (start >= end) problems.push(`${key}.${index}: from ${from} must be before to ${to}`);
    else if (start < previousEnd) {
      problems.push(`${key}.${index}: starts before the interval before it ends`);
    }
    previousEnd = Math.max(previousEnd, end);
  });
  return problems;
};

const dateProblems = (dates: unknown, key: string): string[] => {
  if (!Array.isArray(dates)) return [`${key}: must be a list of dates YYYY-MM-DD`];
  return dates.flatMap((date, index) =>
    isLocalDate(date) ? [] : [`${key}.${index}: ${JSON.stringify(date)} is not a date YYYY-MM-DD`],
  );
};
