import { businessSecondsBetween } from '../calendar/business-time';
import { Team } from '../identity/team.state';
import { User } from '../identity/user.state';
import { CalendarPolicy, findCalendar } from '../policies/calendar-policy';
import { Role } from '../shared/roles';

export type AssignableUser = Pick<
  User,
  'userId' | 'role' | 'teamId' | 'availability' | 'awayUntil' | 'active'
>;
export type AssignableTeam = Pick<Team, 'teamId' | 'region' | 'calendarKey'>;

export type SkipReason = 'unknown' | 'inactive' | 'not_a_rep' | 'away' | 'off_shift';

export interface Skipped {
  userId: string;
  reason: SkipReason;
}

export const isAway = (user: AssignableUser, at: string): boolean =>
  user.availability === 'away' &&
  (user.awayUntil === undefined || Date.parse(user.awayUntil) > Date.parse(at));

/**
 * Whether each team is on shift at `at`, by its calendar, asked once per team. A user with no team,
 * or a team whose calendar the policy lacks, has no shift to be off.
 */
export const shiftChecker = (
  teams: readonly AssignableTeam[],
  calendars: CalendarPolicy,
  at: string,
): ((teamId: string | null) => boolean) => {
  const known = new Map<string | null, boolean>();
  const onShift = (teamId: string | null): boolean => {
    const team = teams.find((candidate) => candidate.teamId === teamId);
    const calendar = team && findCalendar(calendars, team.calendarKey);
    // Working time in [at, at + 1 ms) means `at` is inside a working period (periods are half-open).
    const justAfter = new Date(Date.parse(at) + 1).toISOString();
    return !calendar || businessSecondsBetween(calendar, at, justAfter) > 0;
  };
  return (teamId) => {
    if (!known.has(teamId)) known.set(teamId, onShift(teamId));
    return known.get(teamId) as boolean;
  };
};

export const skipReason = (
  user: AssignableUser | undefined,
  roles: readonly Role[],
  at: string,
  onShift: (teamId: string | null) => boolean,
): SkipReason | undefined => {
  if (!user) return 'unknown';
  if (!user.active) return 'inactive';
  if (!roles.includes(user.role)) return 'not_a_rep';
  if (isAway(user, at)) return 'away';
  if (!onShift(user.teamId)) return 'off_shift';
  return undefined;
};
