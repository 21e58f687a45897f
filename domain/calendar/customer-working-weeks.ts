import { IANAZone } from 'luxon';
import { DomainError } from '../shared/domain-error';
import { BusinessCalendar, WEEKDAYS, Weekday, WorkingInterval } from './business-calendar';

/** Saturday–Sunday, which the UAE also keeps since January 2022. */
export const DEFAULT_WEEKEND: readonly Weekday[] = ['sat', 'sun'];

const FRIDAY_SATURDAY: readonly Weekday[] = ['fri', 'sat'];

/** Countries (ISO 3166-1 alpha-2) whose weekend is not Saturday–Sunday. */
export const WEEKEND_BY_COUNTRY: Readonly<Record<string, readonly Weekday[]>> = {
  SA: FRIDAY_SATURDAY,
  KW: FRIDAY_SATURDAY,
  QA: FRIDAY_SATURDAY,
  BH: FRIDAY_SATURDAY,
  OM: FRIDAY_SATURDAY,
  YE: FRIDAY_SATURDAY,
  EG: FRIDAY_SATURDAY,
  JO: FRIDAY_SATURDAY,
  IQ: FRIDAY_SATURDAY,
  SY: FRIDAY_SATURDAY,
  LY: FRIDAY_SATURDAY,
  SD: FRIDAY_SATURDAY,
  DZ: FRIDAY_SATURDAY,
  MV: FRIDAY_SATURDAY,
  IL: FRIDAY_SATURDAY,
  // Official; many private firms close on Friday only.
  BD: FRIDAY_SATURDAY,
  BN: ['fri', 'sun'],
  // Uncertain: many offices also close on Thursday, and a second weekend day has been debated since 2024.
  IR: ['fri'],
  // Uncertain: sources disagree on whether Thursday (or its afternoon) is also off.
  AF: ['fri'],
  DJ: ['fri'],
  // Uncertain: Sunday was also a day off from 2022 to 2023, then Saturday alone again.
  NP: ['sat'],
};

/** Typical office hours where we know nothing better about the customer. */
export const TYPICAL_HOURS: WorkingInterval = { from: '09:00', to: '18:00' };

export const customerWeekend = (country: string): readonly Weekday[] =>
  WEEKEND_BY_COUNTRY[countryCode(country)] ?? DEFAULT_WEEKEND;

/**
 * A customer's working week in their own time zone, for reminders that fire at the start of their
 * working day. It has no holidays: we do not keep them per country.
 */
export const customerCalendar = (
  country: string,
  timeZone: string,
  hours: WorkingInterval = TYPICAL_HOURS,
): BusinessCalendar => {
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new DomainError(
      'calendar.invalid_time_zone',
      `timeZone must be an IANA time zone, got ${JSON.stringify(timeZone)}`,
      'timeZone',
    );
  }
  const weekend = customerWeekend(country);
  const workingHours = Object.fromEntries(
    WEEKDAYS.map((day) => [day, weekend.includes(day) ? [] : [{ ...hours }]]),
  ) as Record<Weekday, WorkingInterval[]>;
  return { timeZone, workingHours, holidays: [] };
};

const countryCode = (country: string): string => {
  if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country)) {
    throw new DomainError(
      'calendar.invalid_country',
      `country must be an ISO 3166-1 alpha-2 code, got ${JSON.stringify(country)}`,
      'country',
    );
  }
  return country.toUpperCase();
};
