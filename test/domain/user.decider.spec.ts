import { fold } from '../../domain/shared/decider';
import { Role } from '../../domain/shared/roles';
import {
  DeactivateUser,
  RegisterUser,
  SetAvailability,
  UserCommand,
} from '../../domain/identity/user.commands';
import { userDecider } from '../../domain/identity/user.decider';
import { UserEvent } from '../../domain/identity/user.events';
import { DEFAULT_NOW, specify } from './decider-spec';

const user = specify(userDecider);

const as = (role: Role, userId = `u-${role}`) => ({ actor: { userId, role } });
const asAdmin = as('admin');
const asManager = as('manager');
const asSelf = as('rep', 'u-anna');

const newUser: RegisterUser = {
  userId: 'u-anna',
  name: 'Anna Schmidt',
  email: 'anna.schmidt@example.com',
  role: 'rep',
  teamId: 't-dach',
};

const registeredAs = (role: Role): UserEvent => ({
  type: 'UserRegistered',
  data: { ...newUser, teamId: 't-dach', role },
});
const registered = registeredAs('rep');
const deactivated: UserEvent = {
  type: 'UserDeactivated',
  data: {
    userId: 'u-anna',
    deactivatedBy: 'u-manager',
    deactivatedAt: '2026-02-01T09:00:00.000Z',
    successorId: 'u-ben',
    reason: 'left the company',
  },
};
const wentAway: UserEvent = {
  type: 'UserAvailabilityChanged',
  data: { userId: 'u-anna', availability: 'away', until: '2026-03-09T08:00:00.000Z' },
};

const register = (changes: Partial<RegisterUser> = {}): UserCommand => ({
  type: 'RegisterUser',
  data: { ...newUser, ...changes },
});
const rename = (name: string): UserCommand => ({
  type: 'RenameUser',
  data: { userId: 'u-anna', name },
});
const changeEmail = (email: string): UserCommand => ({
  type: 'ChangeUserEmail',
  data: { userId: 'u-anna', email },
});
const changeRole = (role: Role): UserCommand => ({
  type: 'ChangeUserRole',
  data: { userId: 'u-anna', role },
});
const moveTo = (teamId: string | null): UserCommand => ({
  type: 'MoveUserToTeam',
  data: { userId: 'u-anna', teamId },
});
const setAvailability = (changes: Partial<SetAvailability> = {}): UserCommand => ({
  type: 'SetAvailability',
  data: { userId: 'u-anna', availability: 'away', ...changes },
});
const deactivate = (changes: Partial<DeactivateUser> = {}): UserCommand => ({
  type: 'DeactivateUser',
  data: { userId: 'u-anna', successorId: 'u-ben', ...changes },
});
const reactivate = (reason?: string): UserCommand => ({
  type: 'ReactivateUser',
  data: { userId: 'u-anna', ...(reason !== undefined && { reason }) },
});

describe('RegisterUser', () => {
  it('registers a user in a team', () => {
    user.given([]).when(register(), asAdmin).then([registered]);
  });

  it('lower-cases the email, trims the name and records no team when none is given', () => {
    user
      .given([])
      .when(
        register({ name: ' Anna Schmidt ', email: ' Anna.Schmidt@Example.COM', teamId: undefined }),
        asAdmin,
      )
      .then([{ type: 'UserRegistered', data: { ...newUser, teamId: null } }]);
  });

  it('lets the system seed users', () => {
    user.given([]).when(register(), as('system', 'system')).then([registered]);
  });

  it('refuses anyone but an admin or the system', () => {
    const error = user
      .given([])
      .when(register(), asManager)
      .thenThrows('user.register_forbidden', /Only an admin or the system may register users/);
    expect(error.details).toEqual({ role: 'manager', allowedRoles: ['admin', 'system'] });
  });

  it('refuses registering the same user twice', () => {
    user
      .given([registered])
      .when(register(), asAdmin)
      .thenThrows('user.already_exists', /already registered/);
  });

  it.each<[string, Partial<RegisterUser>, string, string]>([
    ['no id', { userId: ' ' }, 'user.id_required', 'userId'],
    ['no name', { name: '  ' }, 'user.name_required', 'name'],
    ['a name over 200 characters', { name: 'A'.repeat(201) }, 'user.name_too_long', 'name'],
    ['an email without domain', { email: 'anna@' }, 'user.email_invalid', 'email'],
    ['an email with spaces', { email: 'anna schmidt@example.com' }, 'user.email_invalid', 'email'],
    ['no email', { email: undefined as unknown as string }, 'user.email_invalid', 'email'],
    ['an unknown role', { role: 'boss' as Role }, 'user.role_invalid', 'role'],
    ['the system role', { role: 'system' }, 'user.role_reserved', 'role'],
    ['a blank team', { teamId: '' }, 'user.team_invalid', 'teamId'],
  ])('refuses %s', (_case, changes, code, field) => {
    const error = user.given([]).when(register(changes), asAdmin).thenThrows(code);
    expect(error.field).toBe(field);
  });
});

describe('RenameUser', () => {
  it('lets an admin rename a user', () => {
    user
      .given([registered])
      .when(rename('Anna Schmidt-Weber'), asAdmin)
      .then([{ type: 'UserRenamed', data: { userId: 'u-anna', name: 'Anna Schmidt-Weber' } }]);
  });

  it('lets users fix their own name', () => {
    user
      .given([registered])
      .when(rename(' Anna Weber '), asSelf)
      .then([{ type: 'UserRenamed', data: { userId: 'u-anna', name: 'Anna Weber' } }]);
  });

  it('refuses a rep renaming someone else', () => {
    user
      .given([registered])
      .when(rename('Anna Weber'), as('rep', 'u-ben'))
      .thenThrows('user.rename_forbidden', /Only the user themselves or an admin/);
  });

  it('refuses the same name and a blank one', () => {
    user
      .given([registered])
      .when(rename('Anna Schmidt'), asAdmin)
      .thenThrows('user.name_unchanged');
    user.given([registered]).when(rename(''), asAdmin).thenThrows('user.name_required');
  });
});

describe('ChangeUserEmail', () => {
  it('lets an admin change the email, in lower case', () => {
    user
      .given([registered])
      .when(changeEmail('Anna@Schmidt-Export.DE'), asAdmin)
      .then([
        { type: 'UserEmailChanged', data: { userId: 'u-anna', email: 'anna@schmidt-export.de' } },
      ]);
  });

  it('refuses users changing their own sign-in email', () => {
    user
      .given([registered])
      .when(changeEmail('anna@gmail.com'), asSelf)
      .thenThrows('user.email_change_forbidden', /Only an admin/);
  });

  it('refuses the same address in another case, and an invalid one', () => {
    user
      .given([registered])
      .when(changeEmail('ANNA.SCHMIDT@example.com'), asAdmin)
      .thenThrows('user.email_unchanged');
    user
      .given([registered])
      .when(changeEmail('anna.example.com'), asAdmin)
      .thenThrows('user.email_invalid', /not a valid email/);
  });
});

describe('ChangeUserRole', () => {
  it('lets an admin change a role', () => {
    user
      .given([registered])
      .when(changeRole('team_lead'), asAdmin)
      .then([
        { type: 'UserRoleChanged', data: { userId: 'u-anna', from: 'rep', to: 'team_lead' } },
      ]);
  });

  it('follows earlier role changes', () => {
    const promoted: UserEvent = {
      type: 'UserRoleChanged',
      data: { userId: 'u-anna', from: 'rep', to: 'team_lead' },
    };
    user
      .given([registered, promoted])
      .when(changeRole('manager'), asAdmin)
      .then([
        { type: 'UserRoleChanged', data: { userId: 'u-anna', from: 'team_lead', to: 'manager' } },
      ]);
  });

  it('refuses anyone but an admin', () => {
    user
      .given([registered])
      .when(changeRole('team_lead'), asManager)
      .thenThrows('user.role_change_forbidden', /Only an admin may change a user's role/);
  });

  it('refuses admins changing their own role', () => {
    user
      .given([registeredAs('admin')])
      .when(changeRole('rep'), as('admin', 'u-anna'))
      .thenThrows('user.role_change_self', /another admin/);
  });

  it('refuses changing to or from the system role', () => {
    user.given([registered]).when(changeRole('system'), asAdmin).thenThrows('user.role_reserved');
    user
      .given([registeredAs('system')])
      .when(changeRole('admin'), asAdmin)
      .thenThrows('user.role_reserved', /reserved/);
  });

  it('refuses an unknown role and the current one', () => {
    user
      .given([registered])
      .when(changeRole('chief' as Role), asAdmin)
      .thenThrows('user.role_invalid');
    user
      .given([registered])
      .when(changeRole('rep'), asAdmin)
      .thenThrows('user.role_unchanged', /already has the role rep/);
  });
});

describe('MoveUserToTeam', () => {
  it('lets a manager move a user to another team', () => {
    user
      .given([registered])
      .when(moveTo('t-gulf'), asManager)
      .then([
        { type: 'UserMovedToTeam', data: { userId: 'u-anna', from: 't-dach', to: 't-gulf' } },
      ]);
  });

  it('takes a user out of any team and puts them back', () => {
    const left: UserEvent = {
      type: 'UserMovedToTeam',
      data: { userId: 'u-anna', from: 't-dach', to: null },
    };
    user.given([registered]).when(moveTo(null), asAdmin).then([left]);
    user
      .given([registered, left])
      .when(moveTo('t-dach'), asAdmin)
      .then([{ type: 'UserMovedToTeam', data: { userId: 'u-anna', from: null, to: 't-dach' } }]);
    user
      .given([registered, left])
      .when(moveTo(null), asAdmin)
      .thenThrows('user.team_unchanged', /no team/);
  });

  it('refuses the current team and a blank one', () => {
    user.given([registered]).when(moveTo('t-dach'), asAdmin).thenThrows('user.team_unchanged');
    user.given([registered]).when(moveTo(' '), asAdmin).thenThrows('user.team_invalid');
  });

  it('refuses a rep', () => {
    user.given([registered]).when(moveTo('t-gulf'), asSelf).thenThrows('user.move_forbidden');
  });
});

describe('SetAvailability', () => {
  it('lets users mark themselves away until a time, with a reason', () => {
    user
      .given([registered])
      .when(setAvailability({ until: '2026-03-09T08:00:00.000Z', reason: 'Canton Fair' }), asSelf)
      .then([
        {
          type: 'UserAvailabilityChanged',
          data: {
            userId: 'u-anna',
            availability: 'away',
            until: '2026-03-09T08:00:00.000Z',
            reason: 'Canton Fair',
          },
        },
      ]);
  });

  it('marks a user away with no end time', () => {
    user
      .given([registered])
      .when(setAvailability(), asSelf)
      .then([
        { type: 'UserAvailabilityChanged', data: { userId: 'u-anna', availability: 'away' } },
      ]);
  });

  it('extends an away period', () => {
    user
      .given([registered, wentAway])
      .when(setAvailability({ until: '2026-03-12T08:00:00.000Z' }), asSelf)
      .then([
        {
          type: 'UserAvailabilityChanged',
          data: { userId: 'u-anna', availability: 'away', until: '2026-03-12T08:00:00.000Z' },
        },
      ]);
  });

  it('brings a user back, clearing the end time', () => {
    const back: UserEvent = {
      type: 'UserAvailabilityChanged',
      data: { userId: 'u-anna', availability: 'available' },
    };
    user
      .given([registered, wentAway])
      .when(setAvailability({ availability: 'available' }), as('system', 'system'))
      .then([back]);
    expect(fold(userDecider, [registered, wentAway, back])).not.toHaveProperty('awayUntil');
  });

  it.each<Role>(['team_lead', 'manager', 'admin', 'system'])('lets %s cover for a user', (role) => {
    user
      .given([registered])
      .when(setAvailability(), as(role))
      .then([
        { type: 'UserAvailabilityChanged', data: { userId: 'u-anna', availability: 'away' } },
      ]);
  });

  it("refuses a rep changing someone else's availability", () => {
    user
      .given([registered])
      .when(setAvailability(), as('rep', 'u-ben'))
      .thenThrows('user.availability_forbidden', /Only the user themselves, an admin/);
  });

  it.each<[string, Partial<SetAvailability>, string]>([
    ['an unknown availability', { availability: 'busy' as 'away' }, 'user.availability_invalid'],
    [
      'an end time on available',
      { availability: 'available', until: '2026-03-09T08:00:00.000Z' },
      'user.away_until_invalid',
    ],
    ['an end time that is not UTC ISO', { until: '2026-03-09 08:00' }, 'user.away_until_invalid'],
    ['an end time in the past', { until: '2026-02-28T09:00:00.000Z' }, 'user.away_until_past'],
    ['an end time that is now', { until: DEFAULT_NOW }, 'user.away_until_past'],
    ['a blank reason', { reason: ' ' }, 'user.reason_invalid'],
  ])('refuses %s', (_case, changes, code) => {
    user.given([registered]).when(setAvailability(changes), asSelf).thenThrows(code);
  });

  it('refuses a change that changes nothing', () => {
    user
      .given([registered])
      .when(setAvailability({ availability: 'available' }), asSelf)
      .thenThrows('user.availability_unchanged', /already available/);
    user
      .given([registered, wentAway])
      .when(setAvailability({ until: '2026-03-09T08:00:00.000Z', reason: 'Still away' }), asSelf)
      .thenThrows('user.availability_unchanged', /already away until 2026-03-09/);
  });

  it('measures the end time against the command time', () => {
    user
      .given([registered])
      .when(setAvailability({ until: '2026-03-09T08:00:00.000Z' }), {
        ...asSelf,
        now: '2026-03-10T00:00:00.000Z',
      })
      .thenThrows('user.away_until_past');
  });
});

describe('DeactivateUser', () => {
  it('records who deactivated the user, when, their successor and the default reason', () => {
    user
      .given([registered])
      .when(deactivate(), asManager)
      .then([
        {
          type: 'UserDeactivated',
          data: {
            userId: 'u-anna',
            deactivatedBy: 'u-manager',
            deactivatedAt: DEFAULT_NOW,
            successorId: 'u-ben',
            reason: 'left the company',
          },
        },
      ]);
  });

  it('keeps a reason given', () => {
    const [event] = user
      .given([registered])
      .when(deactivate({ reason: 'Moved to the Shanghai office' }), asAdmin)
      .events();
    expect(event.data).toMatchObject({
      deactivatedBy: 'u-admin',
      reason: 'Moved to the Shanghai office',
    });
  });

  it('records the deactivation on the user', () => {
    expect(fold(userDecider, [registered, deactivated])).toEqual({
      userId: 'u-anna',
      name: 'Anna Schmidt',
      email: 'anna.schmidt@example.com',
      role: 'rep',
      teamId: 't-dach',
      availability: 'available',
      active: false,
      deactivation: {
        deactivatedBy: 'u-manager',
        deactivatedAt: '2026-02-01T09:00:00.000Z',
        successorId: 'u-ben',
        reason: 'left the company',
      },
    });
  });

  it.each<Role>(['intake', 'analyst', 'operations', 'admin'])(
    'needs no successor for %s, who own no sales records',
    (role) => {
      user
        .given([registeredAs(role)])
        .when(deactivate({ successorId: undefined }), asAdmin)
        .then([
          {
            type: 'UserDeactivated',
            data: {
              userId: 'u-anna',
              deactivatedBy: 'u-admin',
              deactivatedAt: DEFAULT_NOW,
              reason: 'left the company',
            },
          },
        ]);
    },
  );

  it.each<Role>(['rep', 'team_lead', 'manager'])('requires a successor for a %s', (role) => {
    user
      .given([registeredAs(role)])
      .when(deactivate({ successorId: undefined }), asAdmin)
      .thenThrows('user.successor_required', /takes over Anna Schmidt's leads/);
  });

  it('refuses a blank successor and the user themselves', () => {
    user
      .given([registered])
      .when(deactivate({ successorId: '' }), asManager)
      .thenThrows('user.successor_invalid');
    const error = user
      .given([registered])
      .when(deactivate({ successorId: 'u-anna' }), asManager)
      .thenThrows('user.successor_self', /own successor/);
    expect(error.field).toBe('successorId');
  });

  it('refuses a blank reason', () => {
    user
      .given([registered])
      .when(deactivate({ reason: '' }), asManager)
      .thenThrows('user.reason_invalid');
  });

  it.each<Role>(['rep', 'team_lead', 'analyst', 'operations', 'intake'])('refuses a %s', (role) => {
    user
      .given([registered])
      .when(deactivate(), as(role))
      .thenThrows('user.deactivate_forbidden', /Only an admin or a manager may deactivate a user/);
  });

  it('refuses a manager deactivating an admin, but not another admin', () => {
    user
      .given([registeredAs('admin')])
      .when(deactivate(), asManager)
      .thenThrows('user.deactivate_forbidden', /Only an admin may deactivate another admin/);
    expect(
      user
        .given([registeredAs('admin')])
        .when(deactivate(), asAdmin)
        .events(),
    ).toHaveLength(1);
  });

  it('refuses deactivating yourself', () => {
    user
      .given([registeredAs('manager')])
      .when(deactivate(), as('manager', 'u-anna'))
      .thenThrows('user.deactivate_self');
  });

  it('refuses deactivating twice', () => {
    user
      .given([registered, deactivated])
      .when(deactivate(), asManager)
      .thenThrows('user.already_deactivated', /already deactivated/);
  });
});

describe('ReactivateUser', () => {
  it('lets an admin reactivate a user, clearing the deactivation', () => {
    const reactivated: UserEvent = {
      type: 'UserReactivated',
      data: { userId: 'u-anna', reactivatedBy: 'u-admin', reason: 'Rehired' },
    };
    user.given([registered, deactivated]).when(reactivate('Rehired'), asAdmin).then([reactivated]);
    const state = fold(userDecider, [registered, deactivated, reactivated]);
    expect(state).toMatchObject({ active: true });
    expect(state).not.toHaveProperty('deactivation');
    user
      .given([registered, deactivated, reactivated])
      .when(rename('Anna Weber'), asSelf)
      .then([{ type: 'UserRenamed', data: { userId: 'u-anna', name: 'Anna Weber' } }]);
  });

  it('reactivates without a reason', () => {
    user
      .given([registered, deactivated])
      .when(reactivate(), asAdmin)
      .then([{ type: 'UserReactivated', data: { userId: 'u-anna', reactivatedBy: 'u-admin' } }]);
  });

  it('refuses anyone but an admin', () => {
    user
      .given([registered, deactivated])
      .when(reactivate(), asManager)
      .thenThrows('user.reactivate_forbidden', /Only an admin may reactivate a user/);
  });

  it('refuses an active user and a blank reason', () => {
    user.given([registered]).when(reactivate(), asAdmin).thenThrows('user.already_active');
    user
      .given([registered, deactivated])
      .when(reactivate(' '), asAdmin)
      .thenThrows('user.reason_invalid');
  });
});

describe('missing and deactivated users', () => {
  const changes: UserCommand[] = [
    rename('Anna Weber'),
    changeEmail('anna@schmidt-export.de'),
    changeRole('manager'),
    moveTo('t-gulf'),
    setAvailability(),
  ];

  it.each([...changes, deactivate(), reactivate()])(
    'refuses $type on a missing user',
    (command) => {
      user.given([]).when(command, asAdmin).thenThrows('user.not_found');
    },
  );

  it.each(changes)('refuses $type on a deactivated user', (command) => {
    user
      .given([registered, deactivated])
      .when(command, asAdmin)
      .thenThrows('user.deactivated', /reactivate the user/);
  });

  it('checks permission before existence, so the refusal tells nothing about other users', () => {
    user.given([]).when(rename('X'), as('rep', 'u-ben')).thenThrows('user.rename_forbidden');
  });
});
