import { DateTime } from 'luxon';
import { DomainError } from '../../domain/shared/domain-error';
import { ReportQueryDto } from './report-query.dto';

export interface ReportPeriod {
  from: Date;
  to: Date;
  tz: string;
}

/** Without from/to a report covers the twelve months up to now, in tz. */
export function reportPeriod(query: ReportQueryDto, now: Date): ReportPeriod {
  const tz = query.tz ?? 'UTC';
  const to = query.to
    ? instant(query.to, tz, 'to')
    : DateTime.fromJSDate(now, { zone: tz }).startOf('day').plus({ days: 1 }).toJSDate();
  const from = query.from
    ? instant(query.from, tz, 'from')
    : DateTime.fromJSDate(to, { zone: tz }).minus({ months: 12 }).toJSDate();
  if (from >= to) {
    throw new DomainError('report.period.invalid', 'from must be before to', 'from');
  }
  return { from, to, tz };
}

/** A bare date means midnight in tz; an instant with an offset means itself. */
function instant(value: string, tz: string, field: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone: tz })
    : DateTime.fromISO(value, { zone: tz, setZone: false });
  if (!parsed.isValid) {
    throw new DomainError('report.period.invalid', `${field} is not a date or an instant`, field);
  }
  return parsed.toJSDate();
}

/** Calendar groups (day, week from Monday, month) in tz, each a half-open period. */
export function calendarGroups(
  period: ReportPeriod,
  unit: 'day' | 'week' | 'month',
): Array<{ key: string; from: Date; to: Date }> {
  const groups: Array<{ key: string; from: Date; to: Date }> = [];
  let start = DateTime.fromJSDate(period.from, { zone: period.tz }).startOf(unit);
  const end = DateTime.fromJSDate(period.to, { zone: period.tz });
  while (start < end) {
    const next = start.plus({ [`${unit}s`]: 1 });
    const from = start.toJSDate() < period.from ? period.from : start.toJSDate();
    const to = next < end ? next.toJSDate() : period.to;
    groups.push({
      key: unit === 'month' ? start.toFormat('yyyy-MM') : start.toISODate()!,
      from,
      to,
    });
    start = next;
  }
  return groups;
}
