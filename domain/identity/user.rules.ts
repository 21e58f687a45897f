import { isRole, Role } from '../shared/roles';
import { isEmail, isNonBlank, refuse } from '../shared/validation';
import { User, UserState } from './user.state';

const MAX_NAME_LENGTH = 200;

export const existingUser = (state: UserState): User =>
  state ?? refuse('user.not_found', 'This user does not exist.', 'userId');

/** A deactivated user's record stays as it was when they left, until an admin reactivates them. */
export const activeUser = (state: UserState): User => {
  const user = existingUser(state);
  if (!user.active) {
    refuse(
      'user.deactivated',
      `${user.name} is deactivated; reactivate the user before changing them.`,
      'userId',
    );
  }
  return user;
};

export const checkUserId = (userId: unknown): void => {
  if (!isNonBlank(userId)) refuse('user.id_required', 'The user has no id.', 'userId');
};

export const normaliseName = (name: unknown): string => {
  if (!isNonBlank(name)) refuse('user.name_required', "Enter the user's name.", 'name');
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) {
    refuse('user.name_too_long', `A name can have at most ${MAX_NAME_LENGTH} characters.`, 'name');
  }
  return trimmed;
};

/** Lower case, so one mailbox is one user however it was typed. */
export const normaliseEmail = (email: unknown): string => {
  const normalised = typeof email === 'string' ? email.trim().toLowerCase() : email;
  if (!isEmail(normalised)) {
    refuse(
      'user.email_invalid',
      `${String(email)} is not a valid email address, e.g. anna.schmidt@example.com.`,
      'email',
    );
  }
  return normalised;
};

/** 'system' is the application's own actor: no person may hold it or lose it. */
export const checkAssignableRole = (role: unknown): Role => {
  if (!isRole(role)) {
    refuse(
      'user.role_invalid',
      `${String(role)} is not a role: use rep, team_lead, manager, analyst, operations, admin or intake.`,
      'role',
    );
  }
  if (role === 'system') {
    refuse('user.role_reserved', 'The system role is reserved for the application itself.', 'role');
  }
  return role;
};

export const checkTeamId = (teamId: unknown, field: string): void => {
  if (!isNonBlank(teamId)) {
    refuse('user.team_invalid', 'Choose a team, or none to leave the user without one.', field);
  }
};

/** An optional free text that, when given, must say something. */
export const checkOptionalReason = (reason: unknown): void => {
  if (reason !== undefined && !isNonBlank(reason)) {
    refuse('user.reason_invalid', 'The reason cannot be blank; leave it out instead.', 'reason');
  }
};
