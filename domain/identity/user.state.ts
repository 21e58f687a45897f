import { Role } from '../shared/roles';
import { Availability } from './user.commands';

export interface Deactivation {
  deactivatedBy: string;
  deactivatedAt: string;
  successorId?: string;
  reason: string;
}

export interface User {
  userId: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  availability: Availability;
  awayUntil?: string;
  active: boolean;
  /** Set while the user is deactivated. */
  deactivation?: Deactivation;
}

/** null until UserRegistered. */
export type UserState = User | null;

export const initialUserState: UserState = null;
