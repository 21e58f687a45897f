import {
  nextWorkingStart,
  startOfNextWorkingDay,
  startOfWorkingDayFrom,
} from '../../domain/calendar/business-time';
import { customerCalendar, customerWeekend } from '../../domain/calendar/customer-working-weeks';
import { DomainError } from '../../domain/shared/domain-error';

describe('customer working weeks', () => {
  const riyadh = customerCalendar('SA', 'Asia/Riyadh');
  const dubai = customerCalendar('AE', 'Asia/Dubai');

  it('a reminder due on Thursday evening reaches a Saudi customer on Sunday morning', () => {
    expect(nextWorkingStart(riyadh, '2026-03-12T20:00:00+03:00')).toBe('2026-03-15T06:00:00.000Z');
    expect(startOfNextWorkingDay(riyadh, '2026-03-12T10:00:00+03:00')).toBe(
      '2026-03-15T06:00:00.000Z',
    );
  });

  it('day-3 and day-7 reminders fire at the start of the customer’s working day', () => {
    // Quote sent Tuesday 10 March: day 3 is Friday, a Saudi weekend day, so Sunday; day 7 is Tuesday.
    expect(startOfWorkingDayFrom(riyadh, '2026-03-13')).toBe('2026-03-15T06:00:00.000Z');
    expect(startOfWorkingDayFrom(riyadh, '2026-03-17')).toBe('2026-03-17T06:00:00.000Z');
  });

  it('the UAE works Friday and rests at the weekend since 2022', () => {
    expect(nextWorkingStart(dubai, '2026-03-12T20:00:00+04:00')).toBe('2026-03-13T05:00:00.000Z');
    expect(nextWorkingStart(dubai, '2026-03-13T20:00:00+04:00')).toBe('2026-03-16T05:00:00.000Z');
  });

  it('knows the Gulf weekends and falls back to Saturday–Sunday', () => {
    for (const country of ['SA', 'KW', 'QA', 'BH', 'OM']) {
      expect(customerWeekend(country)).toEqual(['fri', 'sat']);
    }
    expect(customerWeekend('ae')).toEqual(['sat', 'sun']);
    expect(customerWeekend('DE')).toEqual(['sat', 'sun']);
    expect(customerWeekend('IR')).toEqual(['fri']);
  });

  it('takes the customer’s hours when known, and has no holidays', () => {
    const calendar = customerCalendar('DE', 'Europe/Berlin', { from: '08:00', to: '16:30' });
    expect(calendar.workingHours.mon).toEqual([{ from: '08:00', to: '16:30' }]);
    expect(calendar.workingHours.sat).toEqual([]);
    expect(calendar.holidays).toEqual([]);
  });

  it('refuses a country that is not alpha-2 and an unknown time zone', () => {
    expect(() => customerCalendar('SAU', 'Asia/Riyadh')).toThrow(DomainError);
    expect(() => customerCalendar('SA', 'Arabia/Riyadh')).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_time_zone', field: 'timeZone' }),
    );
  });
});
