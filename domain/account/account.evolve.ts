import { AccountEvent } from './account.events';
import { pickProfile } from './account.rules';
import { Account, AccountState } from './account.state';

const withoutKeys = <T>(record: Record<string, T>, keys: string[]): Record<string, T> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

const applyChanges = <T extends object>(target: T, changes: object): T => {
  const next = { ...target } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as T;
};

const evolveAccount = (account: Account, event: AccountEvent): Account => {
  switch (event.type) {
    case 'AccountRegistered':
      return account;
    case 'AccountProfileUpdated':
      return { ...account, profile: applyChanges(account.profile, event.data.changes) };
    case 'AccountGradeChanged':
      return { ...account, grade: event.data.to };
    case 'AccountLifecycleChanged':
      return {
        ...account,
        lifecycle: event.data.to,
        hasOrdered: account.hasOrdered || event.data.to === 'won' || event.data.to === 'repeat',
      };
    case 'ContactAdded': {
      const { accountId: _accountId, ...contact } = event.data;
      return { ...account, contacts: { ...account.contacts, [contact.contactId]: contact } };
    }
    case 'ContactUpdated': {
      const contact = account.contacts[event.data.contactId];
      if (!contact) return account;
      const updated = applyChanges(contact, event.data.changes);
      return { ...account, contacts: { ...account.contacts, [contact.contactId]: updated } };
    }
    case 'ContactRemoved':
      return { ...account, contacts: withoutKeys(account.contacts, [event.data.contactId]) };
    case 'AccountOwnershipTransferred':
      return { ...account, ownerId: event.data.to };
    case 'AccountMergedInto': {
      const { survivorId, mergeId, mergedAt, movedContacts } = event.data;
      const movedContactIds = movedContacts.map((contact) => contact.contactId);
      return {
        ...account,
        contacts: withoutKeys(account.contacts, movedContactIds),
        mergedInto: { survivorId, mergeId, mergedAt, movedContactIds },
      };
    }
    case 'AccountAbsorbed': {
      const { mergedId, mergeId, contacts } = event.data;
      const added = Object.fromEntries(contacts.map((contact) => [contact.contactId, contact]));
      const contactIds = contacts.map((contact) => contact.contactId);
      return {
        ...account,
        contacts: { ...account.contacts, ...added },
        absorbed: { ...account.absorbed, [mergedId]: { mergeId, contactIds } },
      };
    }
    case 'AccountUnmerged': {
      const returned = event.data.returnedContacts;
      const { mergedInto: _merge, ...rest } = account;
      return {
        ...rest,
        contacts: {
          ...account.contacts,
          ...Object.fromEntries(returned.map((contact) => [contact.contactId, contact])),
        },
      };
    }
    case 'MergedAccountReleased':
      return {
        ...account,
        contacts: withoutKeys(account.contacts, event.data.contactIds),
        absorbed: withoutKeys(account.absorbed, [event.data.mergedId]),
      };
  }
};

export const accountEvolve = (state: AccountState, event: AccountEvent): AccountState => {
  if (event.type === 'AccountRegistered') {
    const { accountId, ownerId, grade, lifecycle } = event.data;
    return {
      accountId,
      profile: pickProfile(event.data),
      ownerId,
      grade,
      lifecycle,
      hasOrdered: lifecycle === 'won' || lifecycle === 'repeat',
      contacts: {},
      absorbed: {},
    };
  }
  return state && evolveAccount(state, event);
};
