import { DecideContext, Decider } from '../shared/decider';
import { UserCommand } from './user.commands';
import { deactivateUser, reactivateUser } from './user.deactivation';
import { setAvailability } from './user.availability';
import { UserEvent } from './user.events';
import { userEvolve } from './user.evolve';
import { changeEmail, changeRole, moveToTeam, registerUser, renameUser } from './user.profile';
import { initialUserState, UserState } from './user.state';

const decide = (command: UserCommand, state: UserState, context: DecideContext): UserEvent[] => {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command.data, state, context);
    case 'RenameUser':
      return renameUser(command.data, state, context);
    case 'ChangeUserEmail':
      return changeEmail(command.data, state, context);
    case 'ChangeUserRole':
      return changeRole(command.data, state, context);
    case 'MoveUserToTeam':
      return moveToTeam(command.data, state, context);
    case 'SetAvailability':
      return setAvailability(command.data, state, context);
    case 'DeactivateUser':
      return deactivateUser(command.data, state, context);
    case 'ReactivateUser':
      return reactivateUser(command.data, state, context);
  }
};

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: initialUserState,
  decide,
  evolve: userEvolve,
};
