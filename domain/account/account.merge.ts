/**
 * Merge and unmerge span two accounts. The application appends the first event (on the merged
 * account), then sends the second command to the survivor with what the first event recorded.
 * Both histories stay in their own streams; nothing is rewritten.
 */
import { DecideContext } from '../shared/decider';
import { isNonBlank, refuse } from '../shared/validation';
import {
  AbsorbAccount,
  Contact,
  MergeAccountInto,
  ReleaseMergedAccount,
  UnmergeAccount,
} from './account.commands';
import { AccountEvent } from './account.events';
import { checkCause, checkReason, existingAccount, workableAccount } from './account.guards';
import { checkContactDetails } from './account.rules';
import { AccountState } from './account.state';

const checkMergeId = (mergeId: unknown): void => {
  if (!isNonBlank(mergeId)) refuse('account.merge_id_required', 'The merge has no id.', 'mergeId');
};

export const mergeAccountInto = (
  command: MergeAccountInto,
  state: AccountState,
  context: DecideContext,
): AccountEvent[] => {
  const account = existingAccount(state);
  if (account.mergedInto) {
    refuse(
      'account.already_merged',
      `This account is already merged into ${account.mergedInto.survivorId}.`,
      undefined,
      { survivorId: account.mergedInto.survivorId },
    );
  }
  if (!isNonBlank(command.survivorId)) {
    refuse('account.survivor_required', 'Choose the account to merge into.', 'survivorId');
  }
  if (command.survivorId === account.accountId) {
    refuse('account.merge_into_self', 'An account cannot be merged into itself.', 'survivorId');
  }
  checkMergeId(command.mergeId);
  checkReason(command.reason);
  checkCause(command.cause);
  return [
    {
      type: 'AccountMergedInto',
      data: {
        accountId: account.accountId,
        survivorId: command.survivorId,
        mergeId: command.mergeId,
        mergedAt: context.now,
        movedContacts: Object.values(account.contacts),
        reason: command.reason,
        cause: command.cause,
      },
    },
  ];
};

export const absorbAccount = (command: AbsorbAccount, state: AccountState): AccountEvent[] => {
  const survivor = workableAccount(state);
  if (command.mergedId === survivor.accountId) {
    refuse('account.merge_into_self', 'An account cannot be merged into itself.', 'mergedId');
  }
  checkMergeId(command.mergeId);
  if (survivor.absorbed[command.mergedId]) {
    refuse(
      'account.already_absorbed',
      `Account ${command.mergedId} is already merged into this account.`,
      'mergedId',
    );
  }
  for (const contact of command.contacts) {
    if (survivor.contacts[contact.contactId]) {
      refuse(
        'account.contact_exists',
        `Contact ${contact.contactId} is already on this account.`,
        'contacts',
        { contactId: contact.contactId },
      );
    }
  }
  return [
    {
      type: 'AccountAbsorbed',
      data: {
        accountId: survivor.accountId,
        mergedId: command.mergedId,
        mergeId: command.mergeId,
        contacts: command.contacts,
      },
    },
  ];
};

export const unmergeAccount = (
  command: UnmergeAccount,
  state: AccountState,
  context: DecideContext,
): AccountEvent[] => {
  const account = existingAccount(state);
  const merge =
    account.mergedInto ??
    refuse(
      'account.not_merged',
      'This account is not merged into another, so there is nothing to undo.',
    );
  checkReason(command.reason);
  checkCause(command.cause);
  const moved = new Set(merge.movedContactIds);
  for (const contact of command.returnedContacts) {
    if (!moved.has(contact.contactId)) refuseForeignContact(contact.contactId);
    checkContactDetails(contact);
  }
  return [
    {
      type: 'AccountUnmerged',
      data: {
        accountId: account.accountId,
        survivorId: merge.survivorId,
        mergeId: merge.mergeId,
        mergedAt: merge.mergedAt,
        unmergedAt: context.now,
        returnedContacts: command.returnedContacts,
        reason: command.reason,
        cause: command.cause,
      },
    },
  ];
};

export const releaseMergedAccount = (
  command: ReleaseMergedAccount,
  state: AccountState,
): AccountEvent[] => {
  const survivor = workableAccount(state);
  const absorbed = survivor.absorbed[command.mergedId];
  if (!absorbed || absorbed.mergeId !== command.mergeId) {
    refuse(
      'account.not_absorbed',
      `Account ${command.mergedId} is not merged into this account.`,
      'mergedId',
    );
  }
  const fromMerge = new Set(absorbed.contactIds);
  for (const contactId of command.contactIds) {
    if (!fromMerge.has(contactId) || !survivor.contacts[contactId]) refuseForeignContact(contactId);
  }
  return [
    {
      type: 'MergedAccountReleased',
      data: {
        accountId: survivor.accountId,
        mergedId: command.mergedId,
        mergeId: command.mergeId,
        contactIds: command.contactIds,
      },
    },
  ];
};

const refuseForeignContact = (contactId: Contact['contactId']): never =>
  refuse(
    'account.contact_not_from_merge',
    `Contact ${contactId} did not come from the merged account, so it stays where it is.`,
    'contacts',
    { contactId },
  );
