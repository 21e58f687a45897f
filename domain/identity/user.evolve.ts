import { UserEvent } from './user.events';
import { User, UserState } from './user.state';

const evolveUser = (user: User, event: UserEvent): User => {
  switch (event.type) {
    case 'UserRegistered':
      return user;
    case 'UserRenamed':
      return { ...user, name: event.data.name };
    case 'UserEmailChanged':
      return { ...user, email: event.data.email };
    case 'UserRoleChanged':
      return { ...user, role: event.data.to };
    case 'UserMovedToTeam':
      return { ...user, teamId: event.data.to };
    case 'UserAvailabilityChanged': {
      const { awayUntil: _previous, ...rest } = user;
      const { availability, until } = event.data;
      return { ...rest, availability, ...(until !== undefined && { awayUntil: until }) };
    }
    case 'UserDeactivated': {
      const { deactivatedBy, deactivatedAt, successorId, reason } = event.data;
      return {
        ...user,
        active: false,
        deactivation: {
          deactivatedBy,
          deactivatedAt,
          ...(successorId !== undefined && { successorId }),
          reason,
        },
      };
    }
    case 'UserReactivated': {
      const { deactivation: _previous, ...rest } = user;
      return { ...rest, active: true };
    }
  }
};

export const userEvolve = (state: UserState, event: UserEvent): UserState => {
  if (event.type === 'UserRegistered') {
    const { userId, name, email, role, teamId } = event.data;
    return { userId, name, email, role, teamId, availability: 'available', active: true };
  }
  return state && evolveUser(state, event);
};
