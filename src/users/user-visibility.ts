import { User } from '../../domain/identity/user.state';
import { DomainError } from '../../domain/shared/domain-error';
import { Role } from '../../domain/shared/roles';
import { Principal } from '../identity/identity-events';

/** Every role a person can sign in with. */
export const STAFF: Role[] = ['rep', 'team_lead', 'manager', 'analyst', 'operations', 'admin'];

const inTeamOf = (principal: Principal, user: Pick<User, 'teamId'>): boolean =>
  principal.role === 'team_lead' && principal.teamId !== null && principal.teamId === user.teamId;

/** Admins and managers see everyone, a team lead their team, and everybody themselves. */
export const mayView = (principal: Principal, user: Pick<User, 'userId' | 'teamId'>): boolean =>
  principal.role === 'admin' ||
  principal.role === 'manager' ||
  principal.userId === user.userId ||
  inTeamOf(principal, user);

export const assertMayView = (
  principal: Principal,
  user: Pick<User, 'userId' | 'teamId'>,
): void => {
  if (!mayView(principal, user)) {
    throw new DomainError('user.view_forbidden', 'This user is not in your team', 'id');
  }
};

/**
 * The decider lets any team lead cover an absence, as it cannot see teams; a team lead covers
 * their own team only.
 */
export const assertMayCoverAbsence = (
  principal: Principal,
  user: Pick<User, 'userId' | 'teamId'>,
): void => {
  if (
    principal.role === 'team_lead' &&
    principal.userId !== user.userId &&
    !inTeamOf(principal, user)
  ) {
    throw new DomainError(
      'user.availability_forbidden',
      'A team lead changes the availability of their own team only',
      'id',
    );
  }
};
