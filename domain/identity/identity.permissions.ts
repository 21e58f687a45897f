import { Role } from '../shared/roles';
import { refuse } from '../shared/validation';

/**
 * Who may change users and teams: the one place these choices are made.
 *
 * - Registering users is an admin's job; 'system' may too, so the CLI can seed the first admin.
 * - People fix their own name and mark themselves away; an email is the sign-in identity, so only
 *   an admin changes it, and only an admin changes roles or reactivates.
 * - Managers staff teams and let people go: moving users between teams and deactivating.
 * - Team leads cover their team's absences; 'system' ends an away period when it runs out. The
 *   decider cannot see the actor's team, so "their team" is left to the application.
 * - Teams: an admin creates them and sets their name and calendar (the calendar drives SLA
 *   business time for everyone in the team). Managers may also re-cut who covers what: region,
 *   product lines and the lead, which only steer assignment and escalation.
 */
export interface Permission {
  roles: readonly Role[];
  /** The user the command is about may do it to themselves. */
  self?: boolean;
  /** Ends "Only an admin may …". */
  action: string;
  code: string;
}

export const USER_PERMISSIONS = {
  RegisterUser: {
    roles: ['admin', 'system'],
    action: 'register users',
    code: 'user.register_forbidden',
  },
  RenameUser: {
    roles: ['admin'],
    self: true,
    action: "change a user's name",
    code: 'user.rename_forbidden',
  },
  ChangeUserEmail: {
    roles: ['admin'],
    action: "change a user's email",
    code: 'user.email_change_forbidden',
  },
  ChangeUserRole: {
    roles: ['admin'],
    action: "change a user's role",
    code: 'user.role_change_forbidden',
  },
  MoveUserToTeam: {
    roles: ['admin', 'manager'],
    action: 'move a user to another team',
    code: 'user.move_forbidden',
  },
  SetAvailability: {
    roles: ['admin', 'manager', 'team_lead', 'system'],
    self: true,
    action: "change a user's availability",
    code: 'user.availability_forbidden',
  },
  DeactivateUser: {
    roles: ['admin', 'manager'],
    action: 'deactivate a user',
    code: 'user.deactivate_forbidden',
  },
  ReactivateUser: {
    roles: ['admin'],
    action: 'reactivate a user',
    code: 'user.reactivate_forbidden',
  },
} as const satisfies Record<string, Permission>;

export const TEAM_PERMISSIONS = {
  CreateTeam: { roles: ['admin'], action: 'create a team', code: 'team.create_forbidden' },
  RenameTeam: { roles: ['admin'], action: 'rename a team', code: 'team.rename_forbidden' },
  ChangeTeamCalendar: {
    roles: ['admin'],
    action: "change a team's calendar",
    code: 'team.calendar_change_forbidden',
  },
  ChangeTeamRegion: {
    roles: ['admin', 'manager'],
    action: "change a team's region",
    code: 'team.region_change_forbidden',
  },
  ChangeTeamProductLines: {
    roles: ['admin', 'manager'],
    action: "change a team's product lines",
    code: 'team.product_lines_change_forbidden',
  },
  ChangeTeamLead: {
    roles: ['admin', 'manager'],
    action: "change a team's lead",
    code: 'team.lead_change_forbidden',
  },
} as const satisfies Record<string, Permission>;

const ROLE_WORDS: Record<Role, string> = {
  rep: 'a rep',
  team_lead: 'a team lead',
  manager: 'a manager',
  analyst: 'an analyst',
  operations: 'operations',
  admin: 'an admin',
  intake: 'the intake integration',
  system: 'the system',
};

const humanRole = (role: string): string => ROLE_WORDS[role as Role] ?? `role ${role}`;

const orList = (words: string[]): string =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;

/** Refuses unless the actor holds one of the roles, or is the user concerned when self is allowed. */
export const authorize = (
  permission: Permission,
  actor: { userId: string; role: string },
  subjectUserId?: string,
): void => {
  if ((permission.roles as readonly string[]).includes(actor.role)) return;
  if (permission.self && subjectUserId !== undefined && actor.userId === subjectUserId) return;
  const who = [
    ...(permission.self ? ['the user themselves'] : []),
    ...permission.roles.map(humanRole),
  ];
  refuse(
    permission.code,
    `Only ${orList(who)} may ${permission.action}; you are signed in as ${humanRole(actor.role)}.`,
    undefined,
    { role: actor.role, allowedRoles: [...permission.roles] },
  );
};
