import {
  MAX_SPAN_DAYS,
  addBusinessSeconds,
  businessSecondsBetween,
  localDateOf,
  nextWorkingStart,
  startOfNextWorkingDay,
  startOfWorkingDayFrom,
} from '../../domain/calendar/business-time';
import { DomainError } from '../../domain/shared/domain-error';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BusinessCalendar,
  WEEKDAYS,
  Weekday,
  WorkingInterval,
} from '../../domain/calendar/business-calendar';
import { CalendarPolicy, TeamCalendar, findCalendar } from '../../domain/policies/calendar-policy';

const HOUR = 3600;
const defaults = JSON.parse(
  readFileSync(join(__dirname, '../../config/policies/calendars.default.json'), 'utf8'),
) as CalendarPolicy;
const teamCalendar = (key: string) => findCalendar(defaults, key) as TeamCalendar;

/** The same hours every day of the week, no holidays: isolates clock changes from weekends. */
const everyDay = (timeZone: string, ...hours: WorkingInterval[]): BusinessCalendar => ({
  timeZone,
  workingHours: Object.fromEntries(WEEKDAYS.map((day) => [day, hours])) as Record<
    Weekday,
    WorkingInterval[]
  >,
  holidays: [],
});
const berlin = teamCalendar('berlin-sales');
const chicago = teamCalendar('chicago-sales');
const shenzhen = teamCalendar('shenzhen-sales');
const dubai = teamCalendar('dubai-sales');

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  throw new Error('expected a DomainError');
};

describe('business time across clock changes', () => {
  it('Berlin, spring forward over the weekend: Friday afternoon to Monday noon is 9 working hours', () => {
    const from = '2026-03-27T12:00:00+01:00';
    const to = '2026-03-30T12:00:00+02:00';
    expect((Date.parse(to) - Date.parse(from)) / 1000).toBe(71 * HOUR);
    expect(businessSecondsBetween(berlin, from, to)).toBe(9 * HOUR);
    expect(addBusinessSeconds(berlin, '2026-03-27T17:00:00+01:00', 2 * HOUR)).toBe(
      '2026-03-30T08:00:00.000Z',
    );
  });

  it('Berlin, fall back over the weekend', () => {
    expect(
      businessSecondsBetween(berlin, '2026-10-23T17:00:00+02:00', '2026-10-26T10:00:00+01:00'),
    ).toBe(2 * HOUR);
    expect(addBusinessSeconds(berlin, '2026-10-23T17:00:00+02:00', 2 * HOUR)).toBe(
      '2026-10-26T09:00:00.000Z',
    );
  });

  it('Chicago, spring forward and fall back over the weekend', () => {
    expect(
      businessSecondsBetween(chicago, '2026-03-06T16:00:00-06:00', '2026-03-09T10:00:00-05:00'),
    ).toBe(2 * HOUR);
    expect(addBusinessSeconds(chicago, '2026-03-06T16:30:00-06:00', HOUR)).toBe(
      '2026-03-09T14:30:00.000Z',
    );
    expect(addBusinessSeconds(chicago, '2026-10-30T16:00:00-05:00', 2 * HOUR)).toBe(
      '2026-11-02T16:00:00.000Z',
    );
  });

  it('a 09:00–18:00 day on the day the clocks change is still 9 hours; the whole day is 23 or 25', () => {
    const office = everyDay('Europe/Berlin', { from: '09:00', to: '18:00' });
    const allDay = everyDay('America/Chicago', { from: '00:00', to: '24:00' });
    expect(
      businessSecondsBetween(office, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00'),
    ).toBe(9 * HOUR);
    expect(
      businessSecondsBetween(allDay, '2026-03-08T00:00:00-06:00', '2026-03-09T00:00:00-05:00'),
    ).toBe(23 * HOUR);
    expect(
      businessSecondsBetween(allDay, '2026-11-01T00:00:00-05:00', '2026-11-02T00:00:00-06:00'),
    ).toBe(25 * HOUR);
  });

  it('hours that span the gap or the repeated hour count real elapsed time', () => {
    const night = everyDay('Europe/Berlin', { from: '01:00', to: '04:00' });
    const day = (date: string) => [`${date}T00:00:00Z`, `${date}T12:00:00Z`] as const;
    expect(businessSecondsBetween(night, ...day('2026-03-29'))).toBe(2 * HOUR);
    expect(businessSecondsBetween(night, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toBe(
      4 * HOUR,
    );
    // 01:30 CET plus one hour: the clock skips 02:00–03:00, so it reads 03:30 CEST.
    expect(addBusinessSeconds(night, '2026-03-29T01:30:00+01:00', HOUR)).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('a local time inside the gap starts when the clock jumps past it; a repeated one at its first occurrence', () => {
    const fromTheGap = everyDay('Europe/Berlin', { from: '02:30', to: '04:00' });
    expect(nextWorkingStart(fromTheGap, '2026-03-29T00:00:00+01:00')).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(businessSecondsBetween(fromTheGap, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z')).toBe(
      HOUR,
    );
    const toTheRepeat = everyDay('America/Chicago', { from: '00:00', to: '01:30' });
    expect(
      businessSecondsBetween(toTheRepeat, '2026-11-01T00:00:00-05:00', '2026-11-01T12:00:00Z'),
    ).toBe(1.5 * HOUR);
  });
});

describe('holidays', () => {
  it('Good Friday and Easter Monday are skipped in Berlin', () => {
    expect(nextWorkingStart(berlin, '2026-04-02T18:30:00+02:00')).toBe('2026-04-07T07:00:00.000Z');
    expect(startOfNextWorkingDay(berlin, '2026-04-02T08:00:00+02:00')).toBe(
      '2026-04-07T07:00:00.000Z',
    );
    expect(
      businessSecondsBetween(berlin, '2026-04-02T17:00:00+02:00', '2026-04-07T10:00:00+02:00'),
    ).toBe(2 * HOUR);
  });

  it('UAE National Day closes the Dubai team', () => {
    expect(nextWorkingStart(dubai, '2026-12-01T18:00:00+04:00')).toBe('2026-12-04T05:00:00.000Z');
  });

  it('a year of Berlin working time: 254 working days of 9 hours', () => {
    expect(
      businessSecondsBetween(berlin, '2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00'),
    ).toBe(254 * 9 * HOUR);
  });
});

describe('an inquiry across time zones', () => {
  const fridayEveningInSydney = '2026-03-13T18:30:00+11:00';

  it('reaches the Berlin team at 08:30 the same Friday: the clock starts at 09:00', () => {
    expect(localDateOf(berlin, fridayEveningInSydney)).toBe('2026-03-13');
    expect(nextWorkingStart(berlin, fridayEveningInSydney)).toBe('2026-03-13T08:00:00.000Z');
    expect(addBusinessSeconds(berlin, fridayEveningInSydney, 30 * 60)).toBe(
      '2026-03-13T08:30:00.000Z',
    );
    expect(businessSecondsBetween(berlin, fridayEveningInSydney, '2026-03-16T10:00:00+01:00')).toBe(
      10 * HOUR,
    );
  });

  it('reaches the Chicago team at 02:30 on Friday, its clocks already on summer time', () => {
    expect(nextWorkingStart(chicago, fridayEveningInSydney)).toBe('2026-03-13T14:00:00.000Z');
  });
});

describe('China: lunch breaks, Spring Festival and adjusted working days', () => {
  it('counts around the lunch break', () => {
    expect(
      businessSecondsBetween(shenzhen, '2026-03-09T11:00:00+08:00', '2026-03-09T14:00:00+08:00'),
    ).toBe(1.5 * HOUR);
    expect(addBusinessSeconds(shenzhen, '2026-03-09T11:30:00+08:00', HOUR)).toBe(
      '2026-03-09T06:00:00.000Z',
    );
    expect(nextWorkingStart(shenzhen, '2026-03-09T12:15:00+08:00')).toBe(
      '2026-03-09T05:30:00.000Z',
    );
  });

  it('works the adjusted Saturday before the Spring Festival, then rests until 24 February', () => {
    expect(nextWorkingStart(shenzhen, '2026-02-13T18:00:00+08:00')).toBe(
      '2026-02-14T01:00:00.000Z',
    );
    expect(nextWorkingStart(shenzhen, '2026-02-14T18:00:00+08:00')).toBe(
      '2026-02-24T01:00:00.000Z',
    );
    expect(startOfNextWorkingDay(shenzhen, '2026-02-27T10:00:00+08:00')).toBe(
      '2026-02-28T01:00:00.000Z',
    );
    expect(
      businessSecondsBetween(shenzhen, '2026-02-28T08:00:00+08:00', '2026-02-28T20:00:00+08:00'),
    ).toBe(7.5 * HOUR);
  });

  it('National Day week: 30 September, then 8 and 9 October', () => {
    expect(
      businessSecondsBetween(shenzhen, '2026-09-30T09:00:00+08:00', '2026-10-09T18:00:00+08:00'),
    ).toBe(3 * 7.5 * HOUR);
    expect(startOfNextWorkingDay(shenzhen, '2026-09-19T10:00:00+08:00')).toBe(
      '2026-09-20T01:00:00.000Z',
    );
  });
});

describe('edges and definitions', () => {
  it('a zero span is 0, and a reversed span is negative', () => {
    const at = '2026-03-13T10:00:00+01:00';
    expect(businessSecondsBetween(berlin, at, at)).toBe(0);
    expect(businessSecondsBetween(berlin, '2026-03-14T10:00:00Z', '2026-03-15T10:00:00Z')).toBe(0);
    expect(businessSecondsBetween(berlin, '2026-03-16T10:00:00+01:00', at)).toBe(-9 * HOUR);
  });

  it('adding 0 returns the instant itself, in UTC, even outside working hours', () => {
    expect(addBusinessSeconds(berlin, '2026-03-14T10:00:00+01:00', 0)).toBe(
      '2026-03-14T09:00:00.000Z',
    );
  });

  it('working periods are half-open, and an added span may end at the close of the day', () => {
    expect(nextWorkingStart(berlin, '2026-03-13T09:00:00+01:00')).toBe('2026-03-13T08:00:00.000Z');
    expect(nextWorkingStart(berlin, '2026-03-13T18:00:00+01:00')).toBe('2026-03-16T08:00:00.000Z');
    expect(addBusinessSeconds(berlin, '2026-03-16T09:00:00+01:00', 9 * HOUR)).toBe(
      '2026-03-16T17:00:00.000Z',
    );
  });

  it('the next working day is the day after, even before today’s opening', () => {
    expect(startOfNextWorkingDay(berlin, '2026-03-12T07:00:00+01:00')).toBe(
      '2026-03-13T08:00:00.000Z',
    );
    expect(startOfWorkingDayFrom(berlin, '2026-03-14')).toBe('2026-03-16T08:00:00.000Z');
  });

  it('adding then measuring gives the seconds back', () => {
    const from = '2026-03-26T15:12:34.500Z';
    for (const seconds of [1, 0.25, 3 * HOUR, 40 * HOUR, 500 * HOUR]) {
      for (const calendar of [berlin, chicago, shenzhen]) {
        expect(
          businessSecondsBetween(calendar, from, addBusinessSeconds(calendar, from, seconds)),
        ).toBe(seconds);
      }
    }
  });

  it('refuses instants without an offset, impossible dates and bad seconds', () => {
    expect(codeOf(() => nextWorkingStart(berlin, '2026-03-13T09:00:00'))).toBe(
      'calendar.invalid_instant',
    );
    expect(codeOf(() => nextWorkingStart(berlin, '2026-02-30T09:00:00Z'))).toBe(
      'calendar.invalid_instant',
    );
    expect(codeOf(() => businessSecondsBetween(berlin, 'yesterday', '2026-03-13T09:00:00Z'))).toBe(
      'calendar.invalid_instant',
    );
    expect(codeOf(() => addBusinessSeconds(berlin, '2026-03-13T09:00:00Z', -1))).toBe(
      'calendar.invalid_seconds',
    );
    expect(codeOf(() => addBusinessSeconds(berlin, '2026-03-13T09:00:00Z', Number.NaN))).toBe(
      'calendar.invalid_seconds',
    );
    expect(codeOf(() => startOfWorkingDayFrom(berlin, '2026-13-01'))).toBe('calendar.invalid_date');
  });

  it('refuses spans too long to walk, and calendars that never work', () => {
    expect(
      codeOf(() => businessSecondsBetween(berlin, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')),
    ).toBe('calendar.span_too_long');
    const never = everyDay('Europe/Berlin');
    expect(codeOf(() => nextWorkingStart(never, '2026-01-01T00:00:00Z'))).toBe(
      'calendar.span_too_long',
    );
    expect(MAX_SPAN_DAYS).toBeGreaterThanOrEqual(3 * 365);
  });

  it('refuses an invalid calendar, naming the problem', () => {
    const broken = { ...berlin, timeZone: 'Europe/Atlantis' };
    expect(() => nextWorkingStart(broken, '2026-01-01T00:00:00Z')).toThrow(/timeZone/);
    expect(codeOf(() => nextWorkingStart(broken, '2026-01-01T00:00:00Z'))).toBe('calendar.invalid');
  });
});
