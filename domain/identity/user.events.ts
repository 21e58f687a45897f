import { DomainEvent } from '../shared/decider';
import { Role } from '../shared/roles';
import { Availability } from './user.commands';

export interface UserRegistered {
  userId: string;
  name: string;
  /** Lower case. */
  email: string;
  role: Role;
  teamId: string | null;
}

export interface UserRenamed {
  userId: string;
  name: string;
}

export interface UserEmailChanged {
  userId: string;
  email: string;
}

export interface UserRoleChanged {
  userId: string;
  from: Role;
  to: Role;
}

export interface UserMovedToTeam {
  userId: string;
  from: string | null;
  to: string | null;
}

export interface UserAvailabilityChanged {
  userId: string;
  availability: Availability;
  until?: string;
  reason?: string;
}

export interface UserDeactivated {
  userId: string;
  deactivatedBy: string;
  deactivatedAt: string;
  successorId?: string;
  reason: string;
}

export interface UserReactivated {
  userId: string;
  reactivatedBy: string;
  reason?: string;
}

export type UserEvent =
  | DomainEvent<'UserRegistered', UserRegistered>
  | DomainEvent<'UserRenamed', UserRenamed>
  | DomainEvent<'UserEmailChanged', UserEmailChanged>
  | DomainEvent<'UserRoleChanged', UserRoleChanged>
  | DomainEvent<'UserMovedToTeam', UserMovedToTeam>
  | DomainEvent<'UserAvailabilityChanged', UserAvailabilityChanged>
  | DomainEvent<'UserDeactivated', UserDeactivated>
  | DomainEvent<'UserReactivated', UserReactivated>;
