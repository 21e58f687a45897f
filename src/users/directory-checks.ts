import { refuse } from '../../domain/shared/validation';
import { SALES } from '../identity/access.decorators';
import { Directory } from '../identity/directory';

/**
 * Rules that need other users or teams, which a user's or team's decider cannot see. Admins make
 * these changes one at a time, so checking the directory is enough; no reservation is taken.
 */
export const requireTeam = (directory: Directory, teamId: string, field: string): void => {
  if (!directory.team(teamId)) {
    refuse('user.team_unknown', `There is no team ${teamId}; create it first.`, field);
  }
};

/** An email signs one user in, so no two users may share it. */
export const requireEmailFree = (directory: Directory, email: string, userId: string): void => {
  const holder = directory.userByEmail(email);
  if (holder && holder.userId !== userId) {
    refuse(
      'user.email_taken',
      `${email.trim().toLowerCase()} already signs in another user.`,
      'email',
      {
        userId: holder.userId,
      },
    );
  }
};

export const requireActiveUser = (
  directory: Directory,
  userId: string,
  code: string,
  field: string,
): void => {
  const user = directory.user(userId);
  if (!user) refuse(code, `There is no user ${userId}.`, field);
  if (!user.active) refuse(code, `${user.name} is deactivated.`, field);
};

/** Who takes over a leaver's book: an active colleague who works sales records. */
export const requireSuccessor = (directory: Directory, successorId: string): void => {
  const successor = directory.user(successorId);
  if (!successor) {
    refuse(
      'user.successor_unknown',
      `There is no user ${successorId}; choose an active colleague to take over.`,
      'successorId',
    );
  }
  if (!successor.active) {
    refuse(
      'user.successor_inactive',
      `${successor.name} is deactivated; choose an active colleague to take over.`,
      'successorId',
    );
  }
  // Anyone else could not even open the records they were given.
  if (!SALES.includes(successor.role)) {
    refuse(
      'user.successor_cannot_hold_records',
      `${successor.name} is ${successor.role}; only a rep, team lead or manager can take over accounts, leads, deals and tasks.`,
      'successorId',
      { role: successor.role },
    );
  }
};
