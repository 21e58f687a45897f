import { CalendarPolicy, findCalendar } from '../../domain/policies/calendar-policy';
import { refuse } from '../../domain/shared/validation';
import { PolicyRegistry } from '../policies/policy-registry';

const CALENDARS = 'calendars.default';

/** A team works to a calendar of the policy in force; the decider checks the key's shape only. */
export const requireCalendar = (registry: PolicyRegistry, calendarKey: string): void => {
  const policy = registry.has(CALENDARS) ? registry.current<CalendarPolicy>(CALENDARS) : undefined;
  if (policy && findCalendar(policy, calendarKey)) return;
  const known = policy?.calendars.map((calendar) => calendar.key) ?? [];
  refuse(
    'team.calendar_unknown',
    `There is no calendar ${calendarKey} in ${CALENDARS}${policy ? ` v${policy.version}` : ''}; choose one of: ${known.join(', ') || 'none published yet'}.`,
    'calendarKey',
    { known },
  );
};
