import { DateTime } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface OfficeHours {
  zone: string;
  /** Luxon weekdays off (1 = Monday … 7 = Sunday). */
  weekend: number[];
  startHour: number;
  endHour: number;
}

/**
 * The first moment at or after `at` inside the office hours, in the office's own zone and working
 * week: a message sent on a Dubai Saturday night is read on Monday morning in Dubai.
 */
export function nextOfficeMoment(at: number, hours: OfficeHours): number {
  let local = DateTime.fromMillis(at, { zone: hours.zone });
  for (let guard = 0; guard < 14; guard++) {
    const opens = local.set({ hour: hours.startHour, minute: 0, second: 0, millisecond: 0 });
    const closes = local.set({ hour: hours.endHour, minute: 0, second: 0, millisecond: 0 });
    if (!hours.weekend.includes(local.weekday)) {
      if (local < opens) return opens.toMillis();
      if (local < closes) return local.toMillis();
    }
    local = opens.plus({ days: 1 });
  }
  return at;
}

/**
 * Like nextOfficeMoment, but someone who starts work at nine does not do everything at 09:00:00:
 * a moment moved to an opening lands a little after it.
 */
export function officeMoment(
  at: number,
  hours: OfficeHours,
  random: { int(min: number, max: number): number },
): number {
  const moment = nextOfficeMoment(at, hours);
  if (moment === at) return moment;
  return nextOfficeMoment(moment + random.int(3, 150) * MINUTE + random.int(0, 59_999), hours);
}

/** 'YYYY-MM-DD' in UTC, the business day the domain compares dates with. */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

export const utcMonth = (at: number): string => new Date(at).toISOString().slice(0, 7);

export const iso = (at: number): string => new Date(at).toISOString();
