import { Role } from '../shared/roles';

export const AVAILABILITIES = ['available', 'away'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export interface RegisterUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
  teamId?: string;
}

export interface RenameUser {
  userId: string;
  name: string;
}

export interface ChangeUserEmail {
  userId: string;
  email: string;
}

export interface ChangeUserRole {
  userId: string;
  role: Role;
}

export interface MoveUserToTeam {
  userId: string;
  /** null takes the user out of any team. */
  teamId: string | null;
}

export interface SetAvailability {
  userId: string;
  availability: Availability;
  /** ISO 8601 UTC end of an away period; away without it lasts until set back. */
  until?: string;
  reason?: string;
}

export interface DeactivateUser {
  userId: string;
  /** Who takes over the user's records; see user.deactivation.ts for when it may be left out. */
  successorId?: string;
  /** Defaults to "left the company". */
  reason?: string;
}

export interface ReactivateUser {
  userId: string;
  reason?: string;
}

export type UserCommand =
  | { type: 'RegisterUser'; data: RegisterUser }
  | { type: 'RenameUser'; data: RenameUser }
  | { type: 'ChangeUserEmail'; data: ChangeUserEmail }
  | { type: 'ChangeUserRole'; data: ChangeUserRole }
  | { type: 'MoveUserToTeam'; data: MoveUserToTeam }
  | { type: 'SetAvailability'; data: SetAvailability }
  | { type: 'DeactivateUser'; data: DeactivateUser }
  | { type: 'ReactivateUser'; data: ReactivateUser };
