import { Inject, Injectable } from '@nestjs/common';
import { type SubjectErased, subjectRecordIds } from '../../domain/privacy/erasure.events';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { ERASED, PersonalDataCipher } from '../personal-data/personal-data-cipher';

interface LeadEntry {
  leadId: string;
  email: string;
  receivedAt: string;
  open: boolean;
}

interface ContactEntry {
  contactId: string;
  accountId: string;
  email?: string;
}

export interface ArchivedMail {
  aggregate: 'lead' | 'deal';
  id: string;
  type: string;
  direction: 'inbound' | 'outbound';
}

type Data = Record<string, unknown>;
type ContactData = { contactId: string; email?: string };

/** Only these events say who has which address, which deals are open, and which mail is filed. */
const EVENT_TYPES = [
  'InquiryReceived',
  'LeadConverted',
  'LeadDisqualified',
  'LeadResponseRecorded',
  'ContactAdded',
  'ContactUpdated',
  'ContactRemoved',
  'AccountMergedInto',
  'AccountAbsorbed',
  'AccountUnmerged',
  'MergedAccountReleased',
  'DealOpened',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealActivityLogged',
  // An erased person's addresses are forgotten at once, as a restart would read them: "[erased]".
  'SubjectErased',
];
const PAGE = 500;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
const idOf = (streamName: string) => streamName.slice(streamName.indexOf('-') + 1);

/**
 * Who a mail address belongs to: leads by their inquirer's address, contacts by theirs, with the
 * open deals of each account. There is no read model for this yet, so it is folded here from the
 * event store and caught up before each use, which also makes this instance's own writes visible
 * at once. Addresses are personal data and sealed in the events; they are opened to be indexed.
 */
@Injectable()
export class AddressBook {
  private position?: string;
  private catchingUp: Promise<void> = Promise.resolve();
  private readonly leads = new Map<string, LeadEntry>();
  private readonly contacts = new Map<string, ContactEntry>();
  private readonly mergedInto = new Map<string, string>();
  private readonly deals = new Map<string, { accountId: string; open: boolean }>();
  private readonly archived = new Map<string, ArchivedMail>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** Applies everything stored since the last call; calls queue behind each other. */
  refresh(): Promise<void> {
    // A failed catch-up is retried by the next call, from where it stopped.
    this.catchingUp = this.catchingUp.catch(() => undefined).then(() => this.catchUp());
    return this.catchingUp;
  }

  /** Open leads from this address, newest first. */
  openLeadsOf(email: string): string[] {
    const address = normalizeEmail(email);
    return [...this.leads.values()]
      .filter((lead) => lead.open && lead.email === address)
      .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1))
      .map((lead) => lead.leadId);
  }

  contactsOf(email: string): ContactEntry[] {
    const address = normalizeEmail(email);
    return [...this.contacts.values()]
      .filter((contact) => contact.email === address)
      .map((contact) => ({ ...contact, accountId: this.survivor(contact.accountId) }));
  }

  /** Open deals of the account, including those of accounts merged into it. */
  openDealsOf(accountId: string): string[] {
    const account = this.survivor(accountId);
    return [...this.deals.entries()]
      .filter(([, deal]) => deal.open && this.survivor(deal.accountId) === account)
      .map(([dealId]) => dealId);
  }

  /** Where a mail with this command id was filed, if it was. */
  archivedAs(commandId: string): ArchivedMail | undefined {
    return this.archived.get(commandId);
  }

  private survivor(accountId: string): string {
    let current = accountId;
    for (let hops = 0; this.mergedInto.has(current) && hops < 20; hops++) {
      current = this.mergedInto.get(current)!;
    }
    return current;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({
        after: this.position,
        maxCount: PAGE,
        filter: { eventTypes: EVENT_TYPES },
      });
      for (const event of page) {
        this.apply({ ...event, data: await this.cipher.open(event.data) });
        this.position = event.position;
      }
      if (page.length < PAGE) return;
    }
  }

  private apply(event: RecordedEvent): void {
    if (event.type === 'SubjectErased') return this.forget(event.data as unknown as SubjectErased);
    const commandId = event.metadata.commandId;
    if (commandId?.startsWith('email:') && !this.archived.has(commandId)) {
      const aggregate = event.streamName.startsWith('deal-') ? 'deal' : 'lead';
      const direction = (event.data as Data).direction === 'outbound' ? 'outbound' : 'inbound';
      const id = idOf(event.streamName);
      this.archived.set(commandId, { aggregate, id, type: event.type, direction });
    }
    const data = event.data as Data;
    if (event.streamName.startsWith('lead-')) this.applyLead(event.type, data, event);
    else if (event.streamName.startsWith('account-'))
      this.applyAccount(event.type, data, idOf(event.streamName));
    else if (event.streamName.startsWith('deal-'))
      this.applyDeal(event.type, data, idOf(event.streamName));
  }

  private applyLead(type: string, data: Data, event: RecordedEvent): void {
    const leadId = idOf(event.streamName);
    if (type === 'InquiryReceived') {
      const email = (data.inquirer as { email?: string } | undefined)?.email;
      if (email && email !== ERASED) {
        const receivedAt = (data.receivedAt as string) ?? event.metadata.occurredAt;
        this.leads.set(leadId, { leadId, email: normalizeEmail(email), receivedAt, open: true });
      }
    } else if (type === 'LeadConverted' || type === 'LeadDisqualified') {
      const lead = this.leads.get(leadId);
      if (lead) lead.open = false;
    }
  }

  private applyAccount(type: string, data: Data, accountId: string): void {
    switch (type) {
      case 'ContactAdded':
        return this.setContact(data as unknown as ContactData, accountId);
      case 'ContactUpdated': {
        const contact = this.contacts.get(data.contactId as string);
        const email = (data.changes as { email?: string | null } | undefined)?.email;
        if (contact && email !== undefined) contact.email = this.address(email);
        return;
      }
      case 'ContactRemoved':
        this.contacts.delete(data.contactId as string);
        return;
      case 'AccountMergedInto':
        this.mergedInto.set(accountId, data.survivorId as string);
        return;
      case 'AccountAbsorbed':
        for (const contact of data.contacts as ContactData[]) this.setContact(contact, accountId);
        return;
      case 'AccountUnmerged':
        this.mergedInto.delete(accountId);
        for (const contact of data.returnedContacts as ContactData[]) {
          this.setContact(contact, accountId);
        }
        return;
      case 'MergedAccountReleased':
        for (const contactId of data.contactIds as string[]) {
          if (this.contacts.get(contactId)?.accountId === accountId)
            this.contacts.delete(contactId);
        }
    }
  }

  private forget(erased: SubjectErased): void {
    for (const leadId of subjectRecordIds(erased, 'lead')) this.leads.delete(leadId);
    for (const contactId of subjectRecordIds(erased, 'contact')) {
      const contact = this.contacts.get(contactId);
      if (contact) contact.email = undefined;
    }
  }

  private setContact(contact: ContactData, accountId: string): void {
    const email = contact.email === undefined ? undefined : this.address(contact.email);
    this.contacts.set(contact.contactId, { contactId: contact.contactId, accountId, email });
  }

  private address(email: string | null): string | undefined {
    return email && email !== ERASED ? normalizeEmail(email) : undefined;
  }

  private applyDeal(type: string, data: Data, dealId: string): void {
    if (type === 'DealOpened') {
      this.deals.set(dealId, { accountId: data.accountId as string, open: true });
      return;
    }
    const deal = this.deals.get(dealId);
    if (!deal) return;
    if (type === 'DealWon' || type === 'DealLost') deal.open = false;
    else if (type === 'DealReopened') deal.open = true;
  }
}
