import { CompanyNameIndex, MatchResult } from '../../domain/dedup/company-name-index';
import { normalizePhone } from '../../domain/dedup/phone';
import { PhoneHolder } from '../../domain/dedup/review';
import { RecordedEvent } from '../event-store/event-store.port';

/** The account events that change a name, a country, a contact's phone, or who was merged away. */
export const ACCOUNT_MATCH_EVENTS = [
  'AccountRegistered',
  'AccountProfileUpdated',
  'ContactAdded',
  'ContactUpdated',
  'ContactRemoved',
  'AccountMergedInto',
  'AccountAbsorbed',
  'AccountUnmerged',
  'MergedAccountReleased',
];

interface AccountEntry {
  name: string;
  country?: string;
  merged: boolean;
}

interface ContactEntry {
  accountId: string;
  phone?: string;
}

type Data = Record<string, unknown>;
type ContactData = { contactId: string; phone?: string | null };

const idOf = (streamName: string) => streamName.slice(streamName.indexOf('-') + 1);

/**
 * Similar company names and shared phone numbers among live accounts (merged-away ones are left
 * out), for the dedup review queue.
 *
 * A stop-gap until the projections issue builds read models: an in-memory fold of account events.
 * Its owner feeds it events in store order (with personal data opened), so a match is made against
 * the accounts as they stood when the inquiry arrived.
 */
export class AccountMatcher {
  private readonly accounts = new Map<string, AccountEntry>();
  private readonly contacts = new Map<string, ContactEntry>();
  private readonly names = new CompanyNameIndex();
  /** E.164 → account ids, rebuilt when a contact, a country or a merge changed. */
  private phones?: Map<string, Set<string>>;

  apply(event: RecordedEvent): void {
    const accountId = idOf(event.streamName);
    const data = event.data as Data;
    switch (event.type) {
      case 'AccountRegistered':
        this.accounts.set(accountId, {
          name: data.name as string,
          country: data.country as string | undefined,
          merged: false,
        });
        this.names.add(accountId, data.name as string);
        break;
      case 'AccountProfileUpdated': {
        const account = this.accounts.get(accountId);
        const changes = (data.changes ?? {}) as { name?: string; country?: string };
        if (!account) return;
        if (changes.country !== undefined) account.country = changes.country;
        if (changes.name !== undefined) {
          account.name = changes.name;
          this.names.remove(accountId);
          if (!account.merged) this.names.add(accountId, account.name);
        }
        break;
      }
      case 'ContactAdded':
        this.setContact(data as unknown as ContactData, accountId);
        break;
      case 'ContactUpdated': {
        const contact = this.contacts.get(data.contactId as string);
        const phone = (data.changes as { phone?: string | null } | undefined)?.phone;
        if (!contact || phone === undefined) return;
        contact.phone = phone ?? undefined;
        break;
      }
      case 'ContactRemoved':
        this.contacts.delete(data.contactId as string);
        break;
      case 'AccountMergedInto': {
        const account = this.accounts.get(accountId);
        if (account) account.merged = true;
        this.names.remove(accountId);
        // Its contacts move: AccountAbsorbed lists them on the survivor.
        for (const [contactId, contact] of this.contacts) {
          if (contact.accountId === accountId) this.contacts.delete(contactId);
        }
        break;
      }
      case 'AccountAbsorbed':
        for (const contact of (data.contacts as ContactData[] | undefined) ?? []) {
          this.setContact(contact, accountId);
        }
        break;
      case 'AccountUnmerged': {
        const account = this.accounts.get(accountId);
        if (account) {
          account.merged = false;
          this.names.remove(accountId);
          this.names.add(accountId, account.name);
        }
        for (const contact of (data.returnedContacts as ContactData[] | undefined) ?? []) {
          this.setContact(contact, accountId);
        }
        break;
      }
      case 'MergedAccountReleased':
        for (const contactId of (data.contactIds as string[] | undefined) ?? []) {
          if (this.contacts.get(contactId)?.accountId === accountId)
            this.contacts.delete(contactId);
        }
        break;
      default:
        return;
    }
    this.phones = undefined;
  }

  /** Erased contacts' phones, as a restart would read them ("[erased]": no number). */
  forgetPhones(contactIds: string[]): void {
    for (const contactId of contactIds) {
      const contact = this.contacts.get(contactId);
      if (contact) contact.phone = undefined;
    }
    this.phones = undefined;
  }

  /** Accounts with a contact under this phone, read in `country` when written nationally. */
  phoneHolders(
    raw: string | undefined,
    country?: string,
  ): { phone?: string; holders: PhoneHolder[] } {
    const phone = normalizePhone(raw, country);
    if (!phone) return { holders: [] };
    const ids = [...(this.phoneIndex().get(phone) ?? [])].sort();
    return { phone, holders: ids.map((id) => ({ id, phone })) };
  }

  /** Similar names, compared after blocking; `compared` says how many got the full comparison. */
  similarNames(company: string | undefined, threshold: number, limit: number): MatchResult {
    if (!company?.trim()) return { matches: [], compared: 0, scanned: 0 };
    return this.names.match(company, threshold, { limit });
  }

  private setContact(contact: ContactData, accountId: string): void {
    this.contacts.set(contact.contactId, { accountId, phone: contact.phone ?? undefined });
  }

  private phoneIndex(): Map<string, Set<string>> {
    if (this.phones) return this.phones;
    const phones = new Map<string, Set<string>>();
    for (const contact of this.contacts.values()) {
      const account = this.accounts.get(contact.accountId);
      if (!account || account.merged) continue;
      // The account's country is the default region for a number written nationally.
      const phone = normalizePhone(contact.phone, account.country);
      if (!phone) continue;
      phones.set(phone, (phones.get(phone) ?? new Set()).add(contact.accountId));
    }
    this.phones = phones;
    return phones;
  }
}
