import { DomainEvent } from '../shared/decider';
import { Cause } from '../shared/cause';
import {
  AccountProfile,
  AccountProfileChanges,
  Contact,
  Grade,
  Lifecycle,
  UpdateContact,
} from './account.commands';

export interface AccountRegistered extends AccountProfile {
  accountId: string;
  ownerId: string;
  grade: Grade;
  lifecycle: Lifecycle;
}

export interface AccountProfileUpdated {
  accountId: string;
  /** Only the fields that actually changed; null means cleared. */
  changes: AccountProfileChanges;
}

export interface AccountGradeChanged {
  accountId: string;
  from: Grade;
  to: Grade;
  reason: string;
}

export interface AccountLifecycleChanged {
  accountId: string;
  from: Lifecycle;
  to: Lifecycle;
  reason: string;
  cause: Cause;
}

export interface ContactAdded extends Contact {
  accountId: string;
}

export interface ContactUpdated {
  accountId: string;
  contactId: string;
  changes: UpdateContact['changes'];
}

export interface ContactRemoved {
  accountId: string;
  contactId: string;
  reason: string;
}

export interface AccountOwnershipTransferred {
  accountId: string;
  from: string;
  to: string;
  reason: string;
  cause: Cause;
}

/**
 * This account was absorbed into the survivor. `mergedAt` (business time) and `mergeId` let the
 * application find this event's position: activities logged after it stay with the survivor on unmerge.
 */
export interface AccountMergedInto {
  accountId: string;
  survivorId: string;
  mergeId: string;
  mergedAt: string;
  movedContacts: Contact[];
  reason: string;
  cause: Cause;
}

export interface AccountAbsorbed {
  accountId: string;
  mergedId: string;
  mergeId: string;
  contacts: Contact[];
}

export interface AccountUnmerged {
  accountId: string;
  survivorId: string;
  mergeId: string;
  mergedAt: string;
  unmergedAt: string;
  returnedContacts: Contact[];
  reason: string;
  cause: Cause;
}

export interface MergedAccountReleased {
  accountId: string;
  mergedId: string;
  mergeId: string;
  contactIds: string[];
}

export type AccountEvent =
  | DomainEvent<'AccountRegistered', AccountRegistered>
  | DomainEvent<'AccountProfileUpdated', AccountProfileUpdated>
  | DomainEvent<'AccountGradeChanged', AccountGradeChanged>
  | DomainEvent<'AccountLifecycleChanged', AccountLifecycleChanged>
  | DomainEvent<'ContactAdded', ContactAdded>
  | DomainEvent<'ContactUpdated', ContactUpdated>
  | DomainEvent<'ContactRemoved', ContactRemoved>
  | DomainEvent<'AccountOwnershipTransferred', AccountOwnershipTransferred>
  | DomainEvent<'AccountMergedInto', AccountMergedInto>
  | DomainEvent<'AccountAbsorbed', AccountAbsorbed>
  | DomainEvent<'AccountUnmerged', AccountUnmerged>
  | DomainEvent<'MergedAccountReleased', MergedAccountReleased>;
