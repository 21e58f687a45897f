import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AccountProfile, Contact } from '../domain/account/account.commands';
import type {
  AccountAbsorbed,
  AccountMergedInto,
  AccountOwnershipTransferred,
  AccountProfileUpdated,
  AccountRegistered,
  AccountUnmerged,
  ContactAdded,
  ContactRemoved,
  ContactUpdated,
  MergedAccountReleased,
} from '../domain/account/account.events';
import type {
  DealActivityLogged,
  DealLost,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import { normalizeCompanyName } from '../domain/dedup/company-name';
import { emailDomain, normalizeEmail } from '../domain/dedup/email';
import { normalizePhone } from '../domain/dedup/phone';
import { normalizeDomain } from '../domain/dedup/web-domain';
import type {
  InquiryReceived,
  LeadAssigned,
  LeadConverted,
  LeadOwnershipTransferred,
  LeadResponseRecorded,
} from '../domain/lead/lead.events';
import type { UserMovedToTeam, UserRegistered } from '../domain/identity/user.events';
import type { Inquirer } from '../domain/lead/lead.commands';
import { ERASED } from '../domain/privacy/erased';
import {
  sealedInStreams,
  subjectRecordIds,
  type SubjectErased,
} from '../domain/privacy/erasure.events';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';

/**
 * What `GET /api/search` searches:
 * - `records`: one document per account, contact, lead and deal, found by name, email, phone,
 *   domain (and a lead's inquiry message, an account's products);
 * - `notes`: one document per deal activity or lead response, found by its text and shown as its
 *   deal or lead. Apart, so that a name search never wades through every activity ever logged;
 * - `members` (held in memory): each user's team, so every document carries its owner's team.
 *
 * Scope fields: `ownerId`, `teamId` (the owner's team when the document was written), and for
 * leads nobody holds yet `unassigned` + `createdBy`. A rep moved to another team leaves documents
 * filed under the old one: `members.moved` tells the query to look those up by owner.
 *
 * A record's owner can change after its notes were indexed. Notes are named after the event that
 * wrote them (`<stream>@<revision>`), so a handover names them in `reads` (every earlier revision
 * of the stream; most do not exist) and rewrites them with the new owner. The query also checks
 * scope on the record itself, so a stale note could never widen what a caller sees.
 */
export const SEARCH_INDEX = 'search-index';
export const SEARCH_RECORDS = 'records';
export const SEARCH_NOTES = 'notes';
export const SEARCH_MEMBERS = 'members';

export const SEARCH_KINDS = ['account', 'contact', 'lead', 'deal'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The kinds a note shows as: a deal (its activities) or a lead (its responses). */
export const NOTE_KINDS: readonly SearchKind[] = ['deal', 'lead'];

/** Searched with the store's full-text search (FTS5 on SQLite, a text index on MongoDB). */
export const SEARCH_TEXT_FIELDS = ['name', 'emails', 'phones', 'domains', 'text'];

/** Who may find a document: the fields RecordAccess decides on. */
export interface SearchScopeFields {
  /** Who holds the record (owner); null for a lead nobody holds yet. */
  ownerId: string | null;
  /** The owner's team when the document was written; null for none. */
  teamId: string | null;
  unassigned: boolean;
  /** Who wrote the record's first event: a rep keeps sight of an unassigned lead they entered. */
  createdBy: string | null;
}

export interface SearchEntry extends ReadDocument, SearchScopeFields {
  /** `<kind>:<recordId>`. */
  id: string;
  kind: SearchKind;
  recordId: string;
  title: string;
  subtitle: string;
  /** Names (company, person, deal title), with German umlauts also spelt out (Müller → mueller). */
  name: string;
  emails: string[];
  /** Digits only: E.164 without the plus, the national significant number, the national format. */
  phones: string[];
  /** Web domains and email domains. */
  domains: string[];
  /** A lead's inquiry message, an account's main products and competitor brands, a deal's product line. */
  text: string;
  /** The account of an account, contact or deal; the account a lead converted into. */
  accountId: string | null;
}

export interface NoteEntry extends ReadDocument, SearchScopeFields {
  /** `<stream>@<revision>` of the event that logged it. */
  id: string;
  /** The kind of record a hit shows as: deal for an activity, lead for a response. */
  kind: SearchKind;
  recordId: string;
  /** The record's id in `records`. */
  parentId: string;
  source: 'activity' | 'response';
  /** The record's title when the note was logged. */
  title: string;
  /** What, when, and the start of the text. */
  subtitle: string;
  text: string;
}

export interface MemberEntry extends ReadDocument {
  teamId: string | null;
  /** Has been in another team (or none) before: documents may still carry that team. */
  moved: boolean;
}

interface AccountEntry extends SearchEntry {
  profile: SearchProfile;
  /** The survivor, while this account is merged into another. */
  mergedInto: string | null;
  /** The account's contacts, to rewrite their entries when the account's owner or name changes. */
  contacts: Contact[];
}

interface DealEntry extends SearchEntry {
  stage: string;
  status: 'open' | 'won' | 'lost';
  accountName: string | null;
}

/** What an inquiry says about the company, not the person: kept to re-index a lead whose person is erased. */
type InquiryFacts = Pick<Inquirer, 'company' | 'country' | 'website'>;

interface LeadEntry extends SearchEntry {
  channel: string;
  status: 'new' | 'qualified' | 'nurture' | 'disqualified' | 'converted';
  personName: string | null;
  facts: InquiryFacts;
}

const accountKey = (id: string) => `account:${id}`;
const contactKey = (id: string) => `contact:${id}`;
const dealKey = (id: string) => `deal:${id}`;
const leadKey = (id: string) => `lead:${id}`;
const noteKey = (streamName: string, revision: number) => `${streamName}@${revision}`;

const present = (values: Array<string | null | undefined>): string[] => [
  ...new Set(values.filter((value): value is string => typeof value === 'string' && value !== '')),
];

/** The name as written, plus its umlauts spelt out when that differs, so both spellings are found. */
export const searchableName = (...names: Array<string | null | undefined>): string =>
  present(
    names.flatMap((name) => {
      if (!name) return [];
      const { core, plainCore } = normalizeCompanyName(name);
      return core !== plainCore ? [name, core] : [name];
    }),
  ).join(' ');

/**
 * The digit strings a phone is found by: `+49 151 12345678` is indexed as 4915112345678 (E.164),
 * 15112345678 (national significant number) and 015112345678 (national format), so a search in
 * any of the three forms, with or without spaces, matches by prefix.
 */
export const phoneTokens = (raw: string | null | undefined, country?: string): string[] => {
  if (!raw || raw === ERASED) return [];
  const e164 = normalizePhone(raw, country);
  if (!e164) {
    const digits = raw.replace(/\D/g, '');
    return digits.length >= 5 ? [digits] : [];
  }
  const parsed = parsePhoneNumberFromString(e164);
  return present([
    e164.slice(1),
    parsed?.nationalNumber,
    parsed?.formatNational().replace(/\D/g, ''),
  ]);
};

const emailTokens = (raw: string | null | undefined): { emails: string[]; domains: string[] } => {
  if (!raw || raw === ERASED) return { emails: [], domains: [] };
  const email = normalizeEmail(raw) ?? raw.trim().toLowerCase();
  return { emails: [email], domains: present([emailDomain(raw)]) };
};

const domainOf = (website: string | null | undefined): string | undefined =>
  website ? normalizeDomain(website) : undefined;

const actorOf = (event: RecordedEvent): string | null => event.metadata.actor?.userId ?? null;

const join = (...parts: Array<string | null | undefined>): string =>
  parts.filter((part): part is string => !!part).join(' · ');

const snippet = (text: string, length = 140): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`;

const ACCOUNT_EVENTS = [
  'AccountRegistered',
  'AccountProfileUpdated',
  'AccountOwnershipTransferred',
  'ContactAdded',
  'ContactUpdated',
  'ContactRemoved',
  'AccountMergedInto',
  'AccountAbsorbed',
  'AccountUnmerged',
  'MergedAccountReleased',
] as const;

const DEAL_EVENTS = [
  'DealOpened',
  'DealStageChanged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealOwnerTransferred',
  'DealActivityLogged',
] as const;

const LEAD_EVENTS = [
  'InquiryReceived',
  'LeadAssigned',
  'LeadOwnershipTransferred',
  'LeadResponseRecorded',
  'LeadQualified',
  'LeadNurtured',
  'LeadDisqualified',
  'LeadConverted',
] as const;

const USER_EVENTS = ['UserRegistered', 'UserMovedToTeam'] as const;

const ERASURE_EVENTS = ['SubjectErased'] as const;

const isOneOf = (list: readonly string[], type: string) => list.includes(type);

/** The notes an earlier revision of the stream may have written (activities, responses). */
const earlierNotes = (event: RecordedEvent): DocumentRef[] =>
  Array.from({ length: Math.max(0, event.revision - 1) }, (_, at) => ({
    collection: SEARCH_NOTES,
    id: noteKey(event.streamName, at + 1),
  }));

const SCOPE_INDEXES = [
  ['ownerId', 'kind'],
  ['teamId', 'kind'],
  ['unassigned', 'createdBy', 'kind'],
  ['kind'],
];

export const searchIndexProjection: Projection = {
  name: SEARCH_INDEX,
  // 2: leads keep their inquiry's company facts, so erasing the person can re-index the lead.
  // 3: text indexes with prefix indexes (FTS_TOKENIZER): a rebuild creates them.
  version: 3,
  personalData: true,
  collections: [
    { name: SEARCH_RECORDS, indexes: SCOPE_INDEXES, textFields: SEARCH_TEXT_FIELDS },
    { name: SEARCH_NOTES, indexes: [...SCOPE_INDEXES, ['parentId']], textFields: ['text'] },
    { name: SEARCH_MEMBERS, preload: true },
  ],
  eventTypes: [
    ...ACCOUNT_EVENTS,
    ...DEAL_EVENTS,
    ...LEAD_EVENTS,
    ...USER_EVENTS,
    ...ERASURE_EVENTS,
  ],

  reads(event: RecordedEvent): DocumentRef[] {
    if (event.type === 'SubjectErased') return erasureReads(event.data as unknown as SubjectErased);
    const id = streamId(event);
    if (isOneOf(USER_EVENTS, event.type) || event.type === 'InquiryReceived') return [];
    if (isOneOf(ACCOUNT_EVENTS, event.type))
      return [{ collection: SEARCH_RECORDS, id: accountKey(id) }];
    if (event.type === 'DealOpened') {
      const { accountId } = event.data as unknown as DealOpened['data'];
      return [{ collection: SEARCH_RECORDS, id: accountKey(accountId) }];
    }
    const handover = ['DealOwnerTransferred', 'LeadAssigned', 'LeadOwnershipTransferred'].includes(
      event.type,
    );
    const own = {
      collection: SEARCH_RECORDS,
      id: isOneOf(DEAL_EVENTS, event.type) ? dealKey(id) : leadKey(id),
    };
    return handover ? [own, ...earlierNotes(event)] : [own];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.type === 'SubjectErased') applyErasure(event.data as unknown as SubjectErased, view);
    else if (isOneOf(ACCOUNT_EVENTS, event.type)) applyAccountEvent(event, view);
    else if (isOneOf(DEAL_EVENTS, event.type)) applyDealEvent(event, view);
    else if (isOneOf(LEAD_EVENTS, event.type)) applyLeadEvent(event, view);
    else applyUserEvent(event, view);
  },
};

function applyUserEvent(event: RecordedEvent, view: ProjectionView): void {
  if (event.type === 'UserRegistered') {
    const data = event.data as unknown as UserRegistered;
    view.put(SEARCH_MEMBERS, { id: data.userId, teamId: data.teamId ?? null, moved: false });
    return;
  }
  const data = event.data as unknown as UserMovedToTeam;
  view.put(SEARCH_MEMBERS, { id: streamId(event), teamId: data.to ?? null, moved: true });
}

const teamOf = (view: ProjectionView, ownerId: string | null): string | null =>
  ownerId === null ? null : (view.get<MemberEntry>(SEARCH_MEMBERS, ownerId)?.teamId ?? null);

/** Every write goes through here, so every document carries its owner's team as it stands now. */
const putRecord = (view: ProjectionView, entry: SearchEntry): void =>
  view.put(SEARCH_RECORDS, { ...entry, teamId: teamOf(view, entry.ownerId) });

const putNote = (view: ProjectionView, note: NoteEntry): void =>
  view.put(SEARCH_NOTES, { ...note, teamId: teamOf(view, note.ownerId) });

// ---- accounts and contacts ----

/** The profile fields an account is found or shown by. */
type SearchProfile = Pick<
  AccountProfile,
  'name' | 'country' | 'website' | 'mainProducts' | 'customerType'
> & {
  competitorBrands?: string[];
};

const searchProfile = (profile: SearchProfile): SearchProfile => ({
  name: profile.name,
  country: profile.country,
  website: profile.website,
  mainProducts: profile.mainProducts ?? [],
  customerType: profile.customerType,
  competitorBrands: profile.competitorBrands ?? [],
});

function accountEntry(
  id: string,
  profile: SearchProfile,
  rest: Pick<AccountEntry, 'ownerId' | 'createdBy' | 'mergedInto' | 'contacts'>,
): AccountEntry {
  return {
    id: accountKey(id),
    kind: 'account',
    recordId: id,
    title: profile.name,
    subtitle: join(profile.country, profile.customerType, rest.mergedInto ? 'merged' : undefined),
    name: searchableName(profile.name),
    emails: [],
    phones: [],
    domains: present([domainOf(profile.website)]),
    text: [...(profile.mainProducts ?? []), ...(profile.competitorBrands ?? [])].join(' '),
    teamId: null,
    unassigned: false,
    accountId: id,
    profile: searchProfile(profile),
    ...rest,
  };
}

function contactEntry(account: AccountEntry, contact: Contact): SearchEntry {
  const { emails, domains } = emailTokens(contact.email);
  return {
    id: contactKey(contact.contactId),
    kind: 'contact',
    recordId: contact.contactId,
    title: contact.name,
    subtitle: join(contact.title, contact.role, account.title),
    name: searchableName(contact.name),
    emails,
    phones: phoneTokens(contact.phone, account.profile.country),
    domains,
    text: '',
    ownerId: account.ownerId,
    teamId: null,
    unassigned: false,
    createdBy: account.createdBy,
    accountId: account.recordId,
  };
}

const putContacts = (view: ProjectionView, account: AccountEntry, contacts: Contact[]) =>
  contacts.forEach((contact) => putRecord(view, contactEntry(account, contact)));

const upsertContacts = (contacts: Contact[], added: Contact[]): Contact[] => {
  const next = [...contacts];
  for (const contact of added) {
    const at = next.findIndex((known) => known.contactId === contact.contactId);
    if (at >= 0) next[at] = contact;
    else next.push(contact);
  }
  return next;
};

const withoutNulls = <T extends object>(target: T, changes: object): T => {
  const next = { ...target } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null || value === undefined) delete next[field];
    else next[field] = value;
  }
  return next as T;
};

function applyAccountEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  if (event.type === 'AccountRegistered') {
    const data = event.data as unknown as AccountRegistered;
    putRecord(
      view,
      accountEntry(id, data, {
        ownerId: data.ownerId,
        createdBy: actorOf(event),
        mergedInto: null,
        contacts: [],
      }),
    );
    return;
  }
  const account = view.get<AccountEntry>(SEARCH_RECORDS, accountKey(id));
  if (!account) return;
  const rebuild = (
    changes: Partial<Pick<AccountEntry, 'ownerId' | 'mergedInto' | 'contacts'>>,
    profile: SearchProfile = account.profile,
  ): AccountEntry => {
    const next = accountEntry(id, profile, {
      ownerId: account.ownerId,
      createdBy: account.createdBy,
      mergedInto: account.mergedInto,
      contacts: account.contacts,
      ...changes,
    });
    putRecord(view, next);
    return next;
  };

  switch (event.type) {
    case 'AccountProfileUpdated': {
      const { changes } = event.data as unknown as AccountProfileUpdated;
      const next = rebuild({}, withoutNulls(account.profile, changes));
      // Contact entries show the account's name and read phones in its country.
      if (next.title !== account.title || next.profile.country !== account.profile.country) {
        putContacts(view, next, next.contacts);
      }
      return;
    }
    case 'AccountOwnershipTransferred': {
      const { to } = event.data as unknown as AccountOwnershipTransferred;
      const next = rebuild({ ownerId: to });
      putContacts(view, next, next.contacts);
      return;
    }
    case 'ContactAdded': {
      const { accountId: _accountId, ...contact } = event.data as unknown as ContactAdded;
      const next = rebuild({ contacts: upsertContacts(account.contacts, [contact]) });
      putContacts(view, next, [contact]);
      return;
    }
    case 'ContactUpdated': {
      const { contactId, changes } = event.data as unknown as ContactUpdated;
      const contacts = account.contacts.map((contact) =>
        contact.contactId === contactId ? withoutNulls(contact, changes) : contact,
      );
      const next = rebuild({ contacts });
      putContacts(
        view,
        next,
        contacts.filter((contact) => contact.contactId === contactId),
      );
      return;
    }
    case 'ContactRemoved': {
      const { contactId } = event.data as unknown as ContactRemoved;
      rebuild({ contacts: account.contacts.filter((contact) => contact.contactId !== contactId) });
      view.delete(SEARCH_RECORDS, contactKey(contactId));
      return;
    }
    case 'AccountMergedInto': {
      // The survivor takes the contacts' entries over when it absorbs them (the next step).
      const data = event.data as unknown as AccountMergedInto;
      const moved = new Set(data.movedContacts.map((contact) => contact.contactId));
      rebuild({
        mergedInto: data.survivorId,
        contacts: account.contacts.filter((contact) => !moved.has(contact.contactId)),
      });
      return;
    }
    case 'AccountAbsorbed': {
      const data = event.data as unknown as AccountAbsorbed;
      const next = rebuild({ contacts: upsertContacts(account.contacts, data.contacts) });
      putContacts(view, next, data.contacts);
      return;
    }
    case 'AccountUnmerged': {
      const data = event.data as unknown as AccountUnmerged;
      const next = rebuild({
        mergedInto: null,
        contacts: upsertContacts(account.contacts, data.returnedContacts),
      });
      putContacts(view, next, data.returnedContacts);
      return;
    }
    case 'MergedAccountReleased': {
      // The merged account took the contacts' entries back when it was unmerged (the first step).
      const data = event.data as unknown as MergedAccountReleased;
      const released = new Set(data.contactIds);
      rebuild({ contacts: account.contacts.filter((contact) => !released.has(contact.contactId)) });
      return;
    }
  }
}

// ---- deals and their activities ----

const dealSubtitle = (deal: Pick<DealEntry, 'accountName' | 'stage' | 'status'>): string =>
  join(deal.accountName, deal.status === 'open' ? deal.stage : deal.status);

function applyDealEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  if (event.type === 'DealOpened') {
    const data = event.data as unknown as DealOpened['data'];
    const account = view.get<AccountEntry>(SEARCH_RECORDS, accountKey(data.accountId));
    const deal: DealEntry = {
      id: dealKey(id),
      kind: 'deal',
      recordId: id,
      title: data.title,
      subtitle: '',
      name: searchableName(data.title),
      emails: [],
      phones: [],
      domains: [],
      text: data.productLine ?? '',
      ownerId: data.ownerId,
      teamId: null,
      unassigned: false,
      createdBy: actorOf(event),
      accountId: data.accountId,
      stage: data.stage,
      status: 'open',
      accountName: account?.title ?? null,
    };
    putRecord(view, { ...deal, subtitle: dealSubtitle(deal) });
    return;
  }
  const deal = view.get<DealEntry>(SEARCH_RECORDS, dealKey(id));
  if (!deal) return;
  const save = (changes: Partial<DealEntry>) => {
    const next = { ...deal, ...changes };
    putRecord(view, { ...next, subtitle: dealSubtitle(next) });
  };
  switch (event.type) {
    case 'DealStageChanged':
      save({ stage: (event.data as unknown as DealStageChanged['data']).to });
      return;
    case 'DealWon':
      save({ status: 'won', stage: (event.data as unknown as DealWon['data']).stage });
      return;
    case 'DealLost':
      save({ status: 'lost', stage: (event.data as unknown as DealLost['data']).stage });
      return;
    case 'DealReopened':
      save({ status: 'open', stage: (event.data as unknown as DealReopened['data']).stage });
      return;
    case 'DealOwnerTransferred': {
      const { to } = event.data as unknown as DealOwnerTransferred['data'];
      save({ ownerId: to });
      handOverNotes(event, view, to);
      return;
    }
    case 'DealActivityLogged': {
      const data = event.data as unknown as DealActivityLogged['data'];
      const summary = data.summary ?? '';
      const when = new Date(data.at).toISOString().slice(0, 10);
      const subtitle = join(`${data.kind} ${data.direction}`, when, snippet(summary));
      putNote(view, noteOf(deal, event, 'activity', subtitle, summary));
      return;
    }
  }
}

/** An activity's or response's note: shown as, and scoped like, its deal or lead. */
const noteOf = (
  record: SearchEntry,
  event: RecordedEvent,
  source: NoteEntry['source'],
  subtitle: string,
  text: string,
): NoteEntry => ({
  id: noteKey(event.streamName, event.revision),
  kind: record.kind,
  recordId: record.recordId,
  parentId: record.id,
  source,
  title: record.title,
  subtitle,
  text,
  ownerId: record.ownerId,
  teamId: null,
  unassigned: record.unassigned,
  createdBy: record.createdBy,
});

function handOverNotes(event: RecordedEvent, view: ProjectionView, ownerId: string): void {
  for (const { id } of earlierNotes(event)) {
    const note = view.get<NoteEntry>(SEARCH_NOTES, id);
    if (note) putNote(view, { ...note, ownerId, unassigned: false });
  }
}

// ---- leads and their responses ----

const LEAD_STATUS: Partial<Record<string, LeadEntry['status']>> = {
  LeadQualified: 'qualified',
  LeadNurtured: 'nurture',
  LeadDisqualified: 'disqualified',
  LeadConverted: 'converted',
};

const leadSubtitle = (
  lead: Pick<LeadEntry, 'personName' | 'title' | 'channel' | 'status'>,
): string =>
  join(lead.personName !== lead.title ? lead.personName : undefined, lead.channel, lead.status);

/** The fields of a lead that come from its inquiry, and how it is found by them. */
function inquiryFields(
  inquirer: Inquirer,
): Pick<
  LeadEntry,
  'title' | 'name' | 'emails' | 'phones' | 'domains' | 'text' | 'personName' | 'facts'
> {
  const email = emailTokens(inquirer.email);
  return {
    title: inquirer.company || inquirer.name || inquirer.email || 'Inquiry',
    name: searchableName(inquirer.company, inquirer.name),
    emails: email.emails,
    phones: phoneTokens(inquirer.phone, inquirer.country),
    domains: present([...email.domains, domainOf(inquirer.website)]),
    text: inquirer.message ?? '',
    personName: inquirer.name ?? null,
    facts: { company: inquirer.company, country: inquirer.country, website: inquirer.website },
  };
}

function applyLeadEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  if (event.type === 'InquiryReceived') {
    const data = event.data as unknown as InquiryReceived;
    const lead: LeadEntry = {
      ...inquiryFields(data.inquirer ?? {}),
      id: leadKey(id),
      kind: 'lead',
      recordId: id,
      subtitle: '',
      ownerId: null,
      teamId: null,
      unassigned: true,
      createdBy: actorOf(event),
      accountId: null,
      channel: data.channel,
      status: 'new',
    };
    putRecord(view, { ...lead, subtitle: leadSubtitle(lead) });
    return;
  }
  const lead = view.get<LeadEntry>(SEARCH_RECORDS, leadKey(id));
  if (!lead) return;
  const save = (changes: Partial<LeadEntry>) => {
    const next = { ...lead, ...changes };
    putRecord(view, { ...next, subtitle: leadSubtitle(next) });
  };
  switch (event.type) {
    case 'LeadAssigned':
    case 'LeadOwnershipTransferred': {
      const { to } = event.data as unknown as LeadAssigned | LeadOwnershipTransferred;
      save({ ownerId: to, unassigned: false });
      handOverNotes(event, view, to);
      return;
    }
    case 'LeadResponseRecorded': {
      const data = event.data as unknown as LeadResponseRecorded;
      if (!data.summary) return;
      const when = new Date(data.at).toISOString().slice(0, 10);
      const subtitle = join(`${data.channel} ${data.direction}`, when, snippet(data.summary));
      putNote(view, noteOf(lead, event, 'response', subtitle, data.summary));
      return;
    }
    case 'LeadConverted': {
      const data = event.data as unknown as LeadConverted;
      save({ status: 'converted', accountId: data.accountId });
      return;
    }
    default: {
      const status = LEAD_STATUS[event.type];
      if (status) save({ status });
    }
  }
}

// ---- erasure ----

/**
 * Where the index copied an erased person's values: their leads, their contact entries and the
 * accounts listing them, and the notes made from events that sealed their data. Each is written
 * again as a rebuild would write it from events whose personal fields read "[erased]".
 */
function erasureReads(erased: SubjectErased): DocumentRef[] {
  return [
    ...subjectRecordIds(erased, 'lead').map((id) => ({
      collection: SEARCH_RECORDS,
      id: leadKey(id),
    })),
    ...subjectRecordIds(erased, 'contact').map((id) => ({
      collection: SEARCH_RECORDS,
      id: contactKey(id),
    })),
    ...sealedInStreams(erased, 'account').map((ref) => ({
      collection: SEARCH_RECORDS,
      id: accountKey(streamIdOf(ref.streamName)),
    })),
    ...erased.sealedIn.map((id) => ({ collection: SEARCH_NOTES, id })),
  ];
}

const streamIdOf = (streamName: string): string => streamName.slice(streamName.indexOf('-') + 1);

const CONTACT_PERSONAL = ['name', 'email', 'phone', 'title'] as const;

const erasedContact = (contact: Contact): Contact => {
  const next = { ...contact } as Record<string, unknown>;
  for (const field of CONTACT_PERSONAL) if (next[field] !== undefined) next[field] = ERASED;
  return next as unknown as Contact;
};

function applyErasure(erased: SubjectErased, view: ProjectionView): void {
  const erasedLeads = new Map<string, LeadEntry>();
  for (const leadId of subjectRecordIds(erased, 'lead')) {
    const lead = view.get<LeadEntry>(SEARCH_RECORDS, leadKey(leadId));
    if (!lead) continue;
    const next: LeadEntry = {
      ...lead,
      ...inquiryFields({
        ...lead.facts,
        name: lead.personName !== null ? ERASED : undefined,
        email: lead.emails.length > 0 ? ERASED : undefined,
        message: lead.text !== '' ? ERASED : undefined,
      }),
    };
    putRecord(view, { ...next, subtitle: leadSubtitle(next) });
    erasedLeads.set(lead.id, next);
  }
  const contacts = new Set(subjectRecordIds(erased, 'contact'));
  for (const ref of sealedInStreams(erased, 'account')) {
    const account = view.get<AccountEntry>(SEARCH_RECORDS, accountKey(streamIdOf(ref.streamName)));
    if (!account?.contacts.some((contact) => contacts.has(contact.contactId))) continue;
    const next: AccountEntry = {
      ...account,
      contacts: account.contacts.map((contact) =>
        contacts.has(contact.contactId) ? erasedContact(contact) : contact,
      ),
    };
    putRecord(view, next);
    putContacts(
      view,
      next,
      next.contacts.filter((contact) => contacts.has(contact.contactId)),
    );
  }
  for (const id of erased.sealedIn) {
    const note = view.get<NoteEntry>(SEARCH_NOTES, id);
    if (!note) continue;
    const text = ERASED;
    // The subtitle ends with the start of the text: swap that part only.
    const kept = note.text
      ? note.subtitle.slice(0, note.subtitle.length - snippet(note.text).length).replace(/ · $/, '')
      : note.subtitle;
    putNote(view, {
      ...note,
      title: erasedLeads.get(note.parentId)?.title ?? note.title,
      subtitle: join(kept, snippet(text)),
      text,
    });
  }
}
