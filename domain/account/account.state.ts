import { AccountProfile, Contact, Grade, Lifecycle } from './account.commands';

export interface MergeRecord {
  survivorId: string;
  mergeId: string;
  mergedAt: string;
  movedContactIds: string[];
}

export interface Account {
  accountId: string;
  profile: AccountProfile;
  ownerId: string;
  grade: Grade;
  lifecycle: Lifecycle;
  /** Has ever reached won or repeat: decides whether the next order is "won" or "repeat". */
  hasOrdered: boolean;
  contacts: Record<string, Contact>;
  /** Set while this account is merged into another. */
  mergedInto?: MergeRecord;
  /** Accounts merged into this one, by merged account id. */
  absorbed: Record<string, { mergeId: string; contactIds: string[] }>;
}

/** null until AccountRegistered. */
export type AccountState = Account | null;

export const initialAccountState: AccountState = null;
