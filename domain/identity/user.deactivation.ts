import { DecideContext } from '../shared/decider';
import { Role } from '../shared/roles';
import { isNonBlank, refuse } from '../shared/validation';
import { authorize, USER_PERMISSIONS } from './identity.permissions';
import { DeactivateUser, ReactivateUser } from './user.commands';
import { UserEvent } from './user.events';
import { checkOptionalReason, existingUser } from './user.rules';
import { User, UserState } from './user.state';

export const DEFAULT_DEACTIVATION_REASON = 'left the company';

/**
 * Whether someone owns leads, accounts, deals or tasks is known only to the read models, so the
 * decider goes by role: these roles never own sales records, every other role needs a successor.
 */
const ROLES_WITHOUT_RECORDS: readonly Role[] = ['intake', 'analyst', 'operations', 'admin'];

const checkSuccessor = (user: User, successorId: unknown): void => {
  if (successorId === undefined) {
    if (ROLES_WITHOUT_RECORDS.includes(user.role)) return;
    refuse(
      'user.successor_required',
      `Choose who takes over ${user.name}'s leads, accounts, deals and tasks.`,
      'successorId',
    );
  }
  if (!isNonBlank(successorId)) {
    refuse('user.successor_invalid', 'Choose a successor, or leave it out.', 'successorId');
  }
  if (successorId === user.userId) {
    refuse(
      'user.successor_self',
      `${user.name} cannot be their own successor; choose someone who stays.`,
      'successorId',
    );
  }
};

export const deactivateUser = (
  command: DeactivateUser,
  state: UserState,
  { actor, now }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.DeactivateUser, actor, command.userId);
  const user = existingUser(state);
  if (!user.active) {
    refuse('user.already_deactivated', `${user.name} is already deactivated.`, 'userId', {
      deactivatedAt: user.deactivation?.deactivatedAt,
    });
  }
  if (actor.userId === user.userId) {
    refuse('user.deactivate_self', 'You cannot deactivate yourself; ask a manager or an admin.');
  }
  // Otherwise a manager could lock the admins out.
  if (user.role === 'admin' && actor.role !== 'admin') {
    refuse('user.deactivate_forbidden', 'Only an admin may deactivate another admin.', undefined, {
      role: actor.role,
      allowedRoles: ['admin'],
    });
  }
  checkSuccessor(user, command.successorId);
  checkOptionalReason(command.reason);
  const { successorId } = command;
  return [
    {
      type: 'UserDeactivated',
      data: {
        userId: user.userId,
        deactivatedBy: actor.userId,
        deactivatedAt: now,
        ...(successorId !== undefined && { successorId }),
        reason: command.reason ?? DEFAULT_DEACTIVATION_REASON,
      },
    },
  ];
};

export const reactivateUser = (
  command: ReactivateUser,
  state: UserState,
  { actor }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.ReactivateUser, actor, command.userId);
  const user = existingUser(state);
  if (user.active) refuse('user.already_active', `${user.name} is already active.`, 'userId');
  checkOptionalReason(command.reason);
  const { reason } = command;
  return [
    {
      type: 'UserReactivated',
      data: {
        userId: user.userId,
        reactivatedBy: actor.userId,
        ...(reason !== undefined && { reason }),
      },
    },
  ];
};
