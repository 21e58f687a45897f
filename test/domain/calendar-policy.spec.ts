import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { InvalidPolicyError, validatePolicy } from '../../src/policies/policy-validation';

const DEFAULT_CALENDARS_FILE = join(__dirname, '../../config/policies/calendars.default.json');
const defaultCalendarPolicy = (): CalendarPolicy =>
  JSON.parse(readFileSync(DEFAULT_CALENDARS_FILE, 'utf8')) as CalendarPolicy;

const problemsOf = (change: (policy: CalendarPolicy) => void) => {
  const policy = defaultCalendarPolicy();
  change(policy);
  try {
    validatePolicy('calendars', policy);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicyError);
    return (error as InvalidPolicyError).problems;
  }
  throw new Error('expected the policy to be refused');
};

describe('calendar policy', () => {
  it('the default file passes validation', () => {
    const policy = validatePolicy(DEFAULT_CALENDARS_FILE, defaultCalendarPolicy());
    expect(policy).toMatchObject({ id: 'calendars.default', version: 1 });
    expect(defaultCalendarPolicy().calendars.map((calendar) => calendar.key)).toEqual([
      'berlin-sales',
      'chicago-sales',
      'shenzhen-sales',
      'dubai-sales',
    ]);
  });

  it('refuses bad times, zones and dates, naming each key', () => {
    const problems = problemsOf((policy) => {
      policy.calendars[0].workingHours.mon = [{ from: '9:00', to: '25:00' }];
      policy.calendars[1].timeZone = 'America/Springfield';
      policy.calendars[2].holidays.push('26-12-25');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { key: 'calendars.0.workingHours.mon.0.from', problem: expect.stringMatching(/HH:mm/) },
        { key: 'calendars.0.workingHours.mon.0.to', problem: expect.stringMatching(/HH:mm/) },
        { key: 'calendars.1.timeZone', problem: expect.stringMatching(/IANA/) },
        { key: 'calendars.2.holidays', problem: expect.stringMatching(/YYYY-MM-DD/) },
      ]),
    );
  });

  it('refuses a missing or unknown weekday and duplicate keys', () => {
    const problems = problemsOf((policy) => {
      const hours = policy.calendars[0].workingHours as unknown as Record<string, unknown>;
      hours.monday = hours.mon;
      delete hours.sun;
      policy.calendars[1].key = policy.calendars[0].key;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          key: 'calendars.0.workingHours.monday',
          problem: expect.stringMatching(/should not exist/),
        },
        { key: 'calendars.0.workingHours.sun', problem: expect.stringMatching(/array/) },
        { key: 'calendars', problem: 'calendar keys must be unique' },
      ]),
    );
  });

  it('refuses reversed and overlapping intervals, impossible dates and a holiday worked', () => {
    const problems = problemsOf((policy) => {
      policy.calendars[0].workingHours.tue = [{ from: '18:00', to: '09:00' }];
      policy.calendars[2].workingHours.mon = [
        { from: '09:00', to: '12:00' },
        { from: '11:30', to: '18:00' },
      ];
      policy.calendars[0].holidays.push('2026-02-30');
      policy.calendars[2].extraWorkingDays?.push('2026-10-01');
    });
    expect(problems).toEqual([
      { key: 'calendars.0.workingHours.tue.0', problem: 'from 18:00 must be before to 09:00' },
      { key: 'calendars.0.holidays.20', problem: '"2026-02-30" is not a date YYYY-MM-DD' },
      {
        key: 'calendars.2.workingHours.mon.1',
        problem: 'starts before the interval before it ends',
      },
      { key: 'calendars.2.extraWorkingDays.6', problem: '2026-10-01 is also a holiday' },
    ]);
  });
});
