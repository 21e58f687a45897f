import { DecideContext, Decider } from '../shared/decider';
import { isNonBlank, isOneOf, refuse, sameValue } from '../shared/validation';
import {
  AccountCommand,
  AccountProfileChanges,
  AddContact,
  ChangeGrade,
  ChangeLifecycle,
  Contact,
  LIFECYCLE_STAGES,
  RegisterAccount,
  RemoveContact,
  TransferAccountOwnership,
  UpdateAccountProfile,
  UpdateContact,
} from './account.commands';
import { AccountEvent } from './account.events';
import { checkCause, checkReason, workableAccount } from './account.guards';
import { judgeLifecycleChange, LifecycleVerdict } from './account.lifecycle';
import {
  absorbAccount,
  mergeAccountInto,
  releaseMergedAccount,
  unmergeAccount,
} from './account.merge';
import {
  checkAccountProfile,
  checkContactChanges,
  checkContactDetails,
  checkGrade,
  checkProfileChanges,
  pickProfile,
} from './account.rules';
import { accountEvolve } from './account.evolve';
import { Account, AccountState, initialAccountState } from './account.state';

const registerAccount = (command: RegisterAccount, state: AccountState): AccountEvent[] => {
  if (state) refuse('account.already_exists', 'This account is already registered.', 'accountId');
  if (!isNonBlank(command.accountId)) {
    refuse('account.id_required', 'The account has no id.', 'accountId');
  }
  if (!isNonBlank(command.ownerId)) {
    refuse('account.owner_required', 'Every account needs an owner.', 'ownerId');
  }
  checkGrade(command.grade);
  const lifecycle = command.lifecycle ?? 'potential';
  checkLifecycle(lifecycle, 'lifecycle');
  checkAccountProfile(command);
  return [
    {
      type: 'AccountRegistered',
      data: {
        accountId: command.accountId,
        ...pickProfile(command),
        ownerId: command.ownerId,
        grade: command.grade,
        lifecycle,
      },
    },
  ];
};

const updateProfile = (command: UpdateAccountProfile, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  checkProfileChanges(command.changes);
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(command.changes)) {
    const current = account.profile[field as keyof AccountProfileChanges];
    if (value === undefined || sameValue(value ?? undefined, current)) continue;
    if (value === null && current === undefined) continue;
    changes[field] = value;
  }
  if (Object.keys(changes).length === 0) {
    refuse('account.profile_unchanged', 'Nothing changed: the profile already has these values.');
  }
  return [{ type: 'AccountProfileUpdated', data: { accountId: account.accountId, changes } }];
};

const changeGrade = (command: ChangeGrade, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  checkGrade(command.grade);
  checkReason(command.reason);
  if (command.grade === account.grade) {
    refuse('account.grade_unchanged', `This account is already grade ${account.grade}.`, 'grade');
  }
  return [
    {
      type: 'AccountGradeChanged',
      data: {
        accountId: account.accountId,
        from: account.grade,
        to: command.grade,
        reason: command.reason,
      },
    },
  ];
};

const LIFECYCLE_REFUSALS: Record<
  Exclude<LifecycleVerdict, 'ok'>,
  readonly [string, (from: string, to: string) => string]
> = {
  unchanged: ['account.lifecycle_unchanged', (from) => `This account is already ${from}.`],
  not_allowed: [
    'account.lifecycle_transition_invalid',
    (from, to) => `An account cannot go from ${from} to ${to}.`,
  ],
  repeat_expected: [
    'account.lifecycle_repeat_expected',
    () => 'This customer has ordered before: mark the new order as repeat, not won.',
  ],
  no_prior_win: [
    'account.lifecycle_no_prior_win',
    () => 'Repeat needs an earlier order: mark the first order as won.',
  ],
};

const changeLifecycle = (command: ChangeLifecycle, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  checkLifecycle(command.to, 'to');
  checkReason(command.reason);
  checkCause(command.cause);
  const verdict = judgeLifecycleChange(account.lifecycle, command.to, account.hasOrdered);
  if (verdict !== 'ok') {
    const [code, message] = LIFECYCLE_REFUSALS[verdict];
    refuse(code, message(account.lifecycle, command.to), 'to', {
      from: account.lifecycle,
      to: command.to,
    });
  }
  return [
    {
      type: 'AccountLifecycleChanged',
      data: {
        accountId: account.accountId,
        from: account.lifecycle,
        to: command.to,
        reason: command.reason,
        cause: command.cause,
      },
    },
  ];
};

const addContact = (command: AddContact, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  if (!isNonBlank(command.contactId)) {
    refuse('account.contact_id_required', 'The contact has no id.', 'contactId');
  }
  if (account.contacts[command.contactId]) {
    refuse('account.contact_exists', 'This contact is already on the account.', 'contactId');
  }
  checkContactDetails(command);
  checkEmailFree(account, command.email, command.contactId);
  const { contactId, name, email, phone, role, title } = command;
  const contact: Contact = { contactId, name, role };
  if (email !== undefined) contact.email = email;
  if (phone !== undefined) contact.phone = phone;
  if (title !== undefined) contact.title = title;
  return [{ type: 'ContactAdded', data: { accountId: account.accountId, ...contact } }];
};

const updateContact = (command: UpdateContact, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  const contact = existingContact(account, command.contactId);
  checkContactChanges(command.changes);
  if (command.changes.email) checkEmailFree(account, command.changes.email, contact.contactId);
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(command.changes)) {
    const current = contact[field as keyof Contact];
    if (value === undefined || value === current || (value === null && current === undefined))
      continue;
    changes[field] = value;
  }
  if (Object.keys(changes).length === 0) {
    refuse('account.contact_unchanged', 'Nothing changed: the contact already has these details.');
  }
  return [
    {
      type: 'ContactUpdated',
      data: { accountId: account.accountId, contactId: contact.contactId, changes },
    },
  ];
};

const removeContact = (command: RemoveContact, state: AccountState): AccountEvent[] => {
  const account = workableAccount(state);
  const contact = existingContact(account, command.contactId);
  checkReason(command.reason);
  return [
    {
      type: 'ContactRemoved',
      data: { accountId: account.accountId, contactId: contact.contactId, reason: command.reason },
    },
  ];
};

const transferOwnership = (
  command: TransferAccountOwnership,
  state: AccountState,
): AccountEvent[] => {
  const account = workableAccount(state);
  if (!isNonBlank(command.to)) refuse('account.owner_required', 'Choose the new owner.', 'to');
  if (command.from !== account.ownerId) {
    refuse(
      'account.owner_changed',
      `This account is now owned by ${account.ownerId}; check the handover and try again.`,
      'from',
      { currentOwnerId: account.ownerId },
    );
  }
  if (command.to === account.ownerId) {
    refuse('account.already_owner', `${command.to} already owns this account.`, 'to');
  }
  checkReason(command.reason);
  checkCause(command.cause);
  return [
    {
      type: 'AccountOwnershipTransferred',
      data: {
        accountId: account.accountId,
        from: account.ownerId,
        to: command.to,
        reason: command.reason,
        cause: command.cause,
      },
    },
  ];
};

const checkLifecycle = (lifecycle: unknown, field: string): void => {
  if (!isOneOf(LIFECYCLE_STAGES, lifecycle)) {
    refuse(
      'account.lifecycle_invalid',
      `Lifecycle must be one of: ${LIFECYCLE_STAGES.join(', ')}.`,
      field,
    );
  }
};

const existingContact = (account: Account, contactId: string): Contact =>
  account.contacts[contactId] ??
  refuse('account.contact_not_found', 'This contact is not on the account.', 'contactId');

/** Exact email identifies a person: a second contact with it would split their history. */
const checkEmailFree = (account: Account, email: string | undefined, contactId: string): void => {
  if (email === undefined) return;
  const holder = Object.values(account.contacts).find(
    (contact) =>
      contact.contactId !== contactId && contact.email?.toLowerCase() === email.toLowerCase(),
  );
  if (holder) {
    refuse(
      'account.contact_email_taken',
      `${holder.name} already has this email on this account.`,
      'email',
      { contactId: holder.contactId },
    );
  }
};

const decide = (
  command: AccountCommand,
  state: AccountState,
  context: DecideContext,
): AccountEvent[] => {
  switch (command.type) {
    case 'RegisterAccount':
      return registerAccount(command.data, state);
    case 'UpdateAccountProfile':
      return updateProfile(command.data, state);
    case 'ChangeGrade':
      return changeGrade(command.data, state);
    case 'ChangeLifecycle':
      return changeLifecycle(command.data, state);
    case 'AddContact':
      return addContact(command.data, state);
    case 'UpdateContact':
      return updateContact(command.data, state);
    case 'RemoveContact':
      return removeContact(command.data, state);
    case 'TransferAccountOwnership':
      return transferOwnership(command.data, state);
    case 'MergeAccountInto':
      return mergeAccountInto(command.data, state, context);
    case 'AbsorbAccount':
      return absorbAccount(command.data, state);
    case 'UnmergeAccount':
      return unmergeAccount(command.data, state, context);
    case 'ReleaseMergedAccount':
      return releaseMergedAccount(command.data, state);
  }
};

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: initialAccountState,
  decide,
  evolve: accountEvolve,
};
