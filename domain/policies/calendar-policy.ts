import { BusinessCalendar } from '../calendar/business-calendar';
import { LocalizedText } from '../shared/localized-text';

/** A team's calendar: SLA clocks and business-time reports run on it. */
export interface TeamCalendar extends BusinessCalendar {
  key: string;
  label: LocalizedText;
}

export interface CalendarPolicy {
  id: string;
  version: number;
  calendars: TeamCalendar[];
}

export const findCalendar = (policy: CalendarPolicy, key: string): TeamCalendar | undefined =>
  policy.calendars.find((calendar) => calendar.key === key);
