import { DecideContext } from '../shared/decider';
import { refuse } from '../shared/validation';
import { authorize, USER_PERMISSIONS } from './identity.permissions';
import {
  ChangeUserEmail,
  ChangeUserRole,
  MoveUserToTeam,
  RegisterUser,
  RenameUser,
} from './user.commands';
import { UserEvent } from './user.events';
import {
  activeUser,
  checkAssignableRole,
  checkTeamId,
  checkUserId,
  normaliseEmail,
  normaliseName,
} from './user.rules';
import { UserState } from './user.state';

export const registerUser = (
  command: RegisterUser,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.RegisterUser, actor);
  if (state) refuse('user.already_exists', 'This user is already registered.', 'userId');
  checkUserId(command.userId);
  const name = normaliseName(command.name);
  const email = normaliseEmail(command.email);
  const role = checkAssignableRole(command.role);
  if (command.teamId !== undefined) checkTeamId(command.teamId, 'teamId');
  return [
    {
      type: 'UserRegistered',
      data: { userId: command.userId, name, email, role, teamId: command.teamId ?? null },
    },
  ];
};

export const renameUser = (
  command: RenameUser,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.RenameUser, actor, command.userId);
  const user = activeUser(state);
  const name = normaliseName(command.name);
  if (name === user.name)
    refuse('user.name_unchanged', `The user is already called ${name}.`, 'name');
  return [{ type: 'UserRenamed', data: { userId: user.userId, name } }];
};

export const changeEmail = (
  command: ChangeUserEmail,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.ChangeUserEmail, actor, command.userId);
  const user = activeUser(state);
  const email = normaliseEmail(command.email);
  if (email === user.email) {
    refuse('user.email_unchanged', `${user.name} already uses ${email}.`, 'email');
  }
  return [{ type: 'UserEmailChanged', data: { userId: user.userId, email } }];
};

export const changeRole = (
  command: ChangeUserRole,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.ChangeUserRole, actor, command.userId);
  const user = activeUser(state);
  // Another admin must do it, so an admin cannot lock everyone out by demoting themselves.
  if (actor.userId === user.userId) {
    refuse('user.role_change_self', 'You cannot change your own role; ask another admin.', 'role');
  }
  if (user.role === 'system') {
    refuse('user.role_reserved', 'The system role is reserved for the application itself.', 'role');
  }
  const role = checkAssignableRole(command.role);
  if (role === user.role) {
    refuse('user.role_unchanged', `${user.name} already has the role ${role}.`, 'role');
  }
  return [{ type: 'UserRoleChanged', data: { userId: user.userId, from: user.role, to: role } }];
};

export const moveToTeam = (
  command: MoveUserToTeam,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.MoveUserToTeam, actor, command.userId);
  const user = activeUser(state);
  if (command.teamId !== null) checkTeamId(command.teamId, 'teamId');
  if (command.teamId === user.teamId) {
    refuse(
      'user.team_unchanged',
      user.teamId === null
        ? `${user.name} is already in no team.`
        : `${user.name} is already in team ${user.teamId}.`,
      'teamId',
    );
  }
  return [
    {
      type: 'UserMovedToTeam',
      data: { userId: user.userId, from: user.teamId, to: command.teamId },
    },
  ];
};
