import {
  isCountryCode,
  isE164Phone,
  isEmail,
  isNonBlank,
  isWebsite,
} from '../domain/shared/validation';
import {
  sealedInStreams,
  type SubjectErased,
  subjectRecordIds,
} from '../domain/privacy/erasure.events';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import {
  ACCOUNT_EVENT_TYPES,
  DEAL_EVENT_TYPES,
  LEAD_EVENT_TYPES,
} from './shared/record-event-types';

/**
 * Data quality of the records people work on: which required fields are missing, which contacts
 * cannot be reached, and which records nobody has touched for a while.
 *
 * - `records`: one document per account, lead and deal: its owner, whether it is live, when its
 *   stream last changed (`lastUpdatedAt`, business time), the names of its missing fields, and for
 *   accounts the state of each contact. Found by [type, live, lastUpdatedAt] and
 *   [type, live, owner, lastUpdatedAt], for the part of a month "not updated in N days" counts.
 * - `updated`: per owner (and `*`), record type and month (UTC): live records whose stream last
 *   changed that month. "Not updated in N days" sums the months before the cutoff's and counts the
 *   records of the cutoff's month up to the cutoff by index, so it reads a few dozen buckets and
 *   at most a month of records instead of every stale record.
 * - `counters`: per owner (and `*` for everyone) and record type: live records, records missing
 *   each required field, and per contact problem; kept current by increments as records change,
 *   change owner, go live or close. Contacts are counted with their account (its owner, its
 *   liveness).
 *
 * Live: accounts not merged into another; leads not converted or disqualified; open deals.
 * Closed records leave the counters: their gaps no longer need work.
 *
 * The projection opens personal fields only to tell whether a name, email or phone is there and
 * valid; no personal value is stored. On `SubjectErased` it turns the person's fields into what a
 * rebuild reads from their sealed events ("[erased]"), so the live model equals a rebuilt one.
 * Counters at zero are deleted for the same reason: a rebuild never creates the counters an
 * erased person's former values once moved.
 */

export const DATA_QUALITY = 'data-quality';
export const QUALITY_RECORDS = 'records';
export const QUALITY_COUNTERS = 'counters';
export const QUALITY_UPDATED = 'updated';

export type RecordType = 'account' | 'lead' | 'deal' | 'contact';

/** The required fields per record type (DESIGN.md "Accounts"; for leads and deals, what a rep needs to work them). */
export const REQUIRED_FIELDS: Record<RecordType, readonly string[]> = {
  account: [
    'name',
    'country',
    'website',
    'mainProducts',
    'customerType',
    'sourceChannel',
    'owner',
    'grade',
    'contacts',
  ],
  lead: ['owner', 'country', 'company', 'name'],
  deal: ['amount', 'expectedCloseDate', 'expectedShipMonth', 'contact', 'incoterm', 'paymentTerm'],
  contact: ['name', 'role'],
};

/** Why a contact (or an inquirer) cannot be reached. */
export const CONTACT_PROBLEMS = [
  'noEmailOrPhone',
  'invalidEmail',
  'invalidPhone',
  'erased',
] as const;
export type ContactProblem = (typeof CONTACT_PROBLEMS)[number];

/** Counters of everyone's records carry this owner. */
export const EVERYONE = '*';
/** Counters and records of leads nobody holds yet. */
export const UNASSIGNED = 'unassigned';

/** The runner's reading of an erased subject's personal field. */
const ERASED = '[erased]';

/**
 * `none`: not given. `blank`: given empty or cleared (null); the event still sealed it, so it
 * reads "[erased]" once its subject is erased, which `none` never does.
 */
type ReachState = 'none' | 'blank' | 'valid' | 'invalid' | 'erased';

interface Reach {
  email: ReachState;
  phone: ReachState;
}

export interface QualityContact {
  present: Record<string, boolean>;
  reach: Reach;
}

export interface QualityRecord extends ReadDocument {
  type: Exclude<RecordType, 'contact'>;
  recordId: string;
  /** The current owner, or 'unassigned'. */
  owner: string;
  live: boolean;
  lastUpdatedAt: string;
  missing: string[];
  /** Leads: why the inquirer cannot be reached. */
  problems: ContactProblem[];
  /** Required fields present, by name (the state the next change is applied to). */
  present: Record<string, boolean>;
  /** Leads: whether an email or phone is given and valid. */
  reach?: Reach;
  /** Accounts: their contacts, by id. */
  contacts?: Record<string, QualityContact>;
}

export interface QualityCounter extends ReadDocument {
  owner: string;
  type: RecordType;
  /** 'records' (live records), 'missing' (a field), 'problem' (a contact problem), 'unreachable' (any problem). */
  kind: 'records' | 'missing' | 'problem' | 'unreachable';
  field: string;
  count: number;
}

/** Live records of a type and owner (and `*`) whose stream last changed in a month (UTC). */
export interface QualityUpdated extends ReadDocument {
  owner: string;
  type: QualityRecord['type'];
  /** YYYY-MM. */
  month: string;
  count: number;
}

export const counterId = (
  owner: string,
  type: RecordType,
  kind: QualityCounter['kind'],
  field = '',
) => `${owner}|${type}|${kind}|${field}`;

const ACCOUNT_EVENTS: readonly string[] = ACCOUNT_EVENT_TYPES;
const LEAD_EVENTS: readonly string[] = LEAD_EVENT_TYPES;
const DEAL_EVENTS: readonly string[] = DEAL_EVENT_TYPES;

type Data = Record<string, unknown>;
const recordKey = (type: RecordType, id: string) => `${type}:${id}`;
const contactsOf = (data: Data, field: string): Data[] =>
  Array.isArray(data[field]) ? (data[field] as Data[]) : [];

const reachOf = (value: unknown, valid: (value: unknown) => boolean): ReachState => {
  if (value === undefined) return 'none';
  if (value === null || value === '') return 'blank';
  if (value === ERASED) return 'erased';
  return valid(value) ? 'valid' : 'invalid';
};

function problemsOf(reach: Reach | undefined): ContactProblem[] {
  if (!reach) return [];
  const problems: ContactProblem[] = [];
  const absent = (state: ReachState) => state === 'none' || state === 'blank';
  if (absent(reach.email) && absent(reach.phone)) problems.push('noEmailOrPhone');
  if (reach.email === 'invalid') problems.push('invalidEmail');
  if (reach.phone === 'invalid') problems.push('invalidPhone');
  if (reach.email === 'erased' || reach.phone === 'erased') problems.push('erased');
  return problems;
}

const missingOf = (type: RecordType, present: Record<string, boolean>): string[] =>
  REQUIRED_FIELDS[type].filter((field) => !present[field]);

function settle(record: QualityRecord): QualityRecord {
  return {
    ...record,
    missing: missingOf(record.type, record.present),
    problems: problemsOf(record.reach),
  };
}

/** What a record adds to the counters, for its owner and for everyone: nothing unless live. */
function contribution(record: QualityRecord | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (!record?.live) return counts;
  const add = (type: RecordType, kind: QualityCounter['kind'], field = '') => {
    for (const owner of [record.owner, EVERYONE]) {
      const id = counterId(owner, type, kind, field);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  };
  const count = (type: RecordType, missing: string[], problems: ContactProblem[]) => {
    add(type, 'records');
    for (const field of missing) add(type, 'missing', field);
    for (const problem of problems) add(type, 'problem', problem);
    if (problems.length > 0) add(type, 'unreachable');
  };
  count(record.type, record.missing, record.problems);
  for (const contact of Object.values(record.contacts ?? {})) {
    count('contact', missingOf('contact', contact.present), problemsOf(contact.reach));
  }
  return counts;
}

/**
 * Writes the record and moves the counters by the difference between its old and new state. A
 * counter back at zero is deleted: counters are then the same whatever path led to the records.
 */
function save(view: ProjectionView, before: QualityRecord | undefined, after: QualityRecord): void {
  const old = contribution(before);
  const next = contribution(after);
  for (const id of new Set([...old.keys(), ...next.keys()])) {
    const delta = (next.get(id) ?? 0) - (old.get(id) ?? 0);
    if (delta === 0) continue;
    const [owner, type, kind, field] = id.split('|');
    view.increment(QUALITY_COUNTERS, id, { count: delta }, { owner, type, kind, field });
    if (view.get<QualityCounter>(QUALITY_COUNTERS, id)?.count === 0) {
      view.delete(QUALITY_COUNTERS, id);
    }
  }
  const was = lastUpdated(before);
  const is = lastUpdated(after);
  if (was?.key !== is?.key) {
    if (was) countUpdated(view, was, -1);
    if (is) countUpdated(view, is, 1);
  }
  view.put(QUALITY_RECORDS, after);
}

/** Where a live record counts among the `updated` buckets; undefined when it is not live. */
function lastUpdated(record: QualityRecord | undefined) {
  if (!record?.live) return undefined;
  const month = record.lastUpdatedAt.slice(0, 7);
  const { type, owner } = record;
  return { key: `${type}|${owner}|${month}`, type, owner, month };
}

/** Buckets are left at zero: deleting one would need a read of it first, and zero sums the same. */
function countUpdated(
  view: ProjectionView,
  { type, owner, month }: { type: string; owner: string; month: string },
  delta: number,
): void {
  for (const who of [owner, EVERYONE]) {
    view.increment(
      QUALITY_UPDATED,
      `${who}|${type}|${month}`,
      { count: delta },
      {
        owner: who,
        type,
        month,
      },
    );
  }
}

function update(
  view: ProjectionView,
  type: QualityRecord['type'],
  id: string,
  at: string,
  change: (record: QualityRecord) => QualityRecord,
  create?: () => QualityRecord,
): void {
  const before = view.get<QualityRecord>(QUALITY_RECORDS, recordKey(type, id));
  const base = before ?? create?.();
  if (!base) return;
  const changed = change({ ...base, lastUpdatedAt: latest(base.lastUpdatedAt, at) });
  save(view, before, settle(changed));
}

const blankRecord = (type: QualityRecord['type'], id: string, at: string): QualityRecord => ({
  id: recordKey(type, id),
  type,
  recordId: id,
  owner: UNASSIGNED,
  live: true,
  lastUpdatedAt: at,
  missing: [],
  problems: [],
  present: {},
});

// ---- Accounts and contacts ------------------------------------------------------------------

const PROFILE_CHECKS: Record<string, (value: unknown) => boolean> = {
  name: isNonBlank,
  country: isCountryCode,
  website: isWebsite,
  mainProducts: (value) => Array.isArray(value) && value.some(isNonBlank),
  customerType: isNonBlank,
  sourceChannel: isNonBlank,
};

function profilePresence(data: Data, present: Record<string, boolean>): Record<string, boolean> {
  const next = { ...present };
  for (const [field, valid] of Object.entries(PROFILE_CHECKS)) {
    if (field in data) next[field] = data[field] !== null && valid(data[field]);
  }
  return next;
}

const namePresent = (value: unknown) => isNonBlank(value) && value !== ERASED;

const contactState = (contact: Data): QualityContact => ({
  present: { name: namePresent(contact.name), role: isNonBlank(contact.role) },
  reach: { email: reachOf(contact.email, isEmail), phone: reachOf(contact.phone, isE164Phone) },
});

function withContacts(
  record: QualityRecord,
  add: Data[] = [],
  remove: string[] = [],
): QualityRecord {
  const contacts = { ...(record.contacts ?? {}) };
  for (const id of remove) delete contacts[id];
  for (const contact of add) contacts[contact.contactId as string] = contactState(contact);
  return {
    ...record,
    contacts,
    present: { ...record.present, contacts: Object.keys(contacts).length > 0 },
  };
}

function updateContact(record: QualityRecord, contactId: string, changes: Data): QualityRecord {
  const contact = record.contacts?.[contactId];
  if (!contact) return record;
  const next: QualityContact = {
    present: {
      ...contact.present,
      ...('name' in changes ? { name: namePresent(changes.name) } : {}),
      ...('role' in changes ? { role: isNonBlank(changes.role) } : {}),
    },
    reach: {
      email: 'email' in changes ? reachOf(changes.email, isEmail) : contact.reach.email,
      phone: 'phone' in changes ? reachOf(changes.phone, isE164Phone) : contact.reach.phone,
    },
  };
  return { ...record, contacts: { ...record.contacts, [contactId]: next } };
}

function applyAccount(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = new Date(event.metadata.occurredAt).toISOString();
  const data = event.data as Data;
  if (event.type === 'AccountRegistered') {
    update(
      view,
      'account',
      id,
      at,
      (record) =>
        withContacts({
          ...record,
          owner: isNonBlank(data.ownerId) ? data.ownerId : UNASSIGNED,
          present: {
            ...profilePresence(data, {}),
            owner: isNonBlank(data.ownerId),
            grade: isNonBlank(data.grade),
          },
        }),
      () => blankRecord('account', id, at),
    );
    return;
  }
  update(view, 'account', id, at, (record) => {
    switch (event.type) {
      case 'AccountProfileUpdated':
        return {
          ...record,
          present: profilePresence((data.changes ?? {}) as Data, record.present),
        };
      case 'AccountGradeChanged':
        return { ...record, present: { ...record.present, grade: isNonBlank(data.to) } };
      case 'AccountOwnershipTransferred':
        return {
          ...record,
          owner: isNonBlank(data.to) ? data.to : UNASSIGNED,
          present: { ...record.present, owner: isNonBlank(data.to) },
        };
      case 'ContactAdded':
        return withContacts(record, [data]);
      case 'ContactUpdated':
        return updateContact(record, data.contactId as string, (data.changes ?? {}) as Data);
      case 'ContactRemoved':
        return withContacts(record, [], [data.contactId as string]);
      case 'AccountMergedInto': {
        const moved = contactsOf(data, 'movedContacts').map((c) => c.contactId as string);
        return { ...withContacts(record, [], moved), live: false };
      }
      case 'AccountAbsorbed':
        return withContacts(record, contactsOf(data, 'contacts'));
      case 'AccountUnmerged':
        return { ...withContacts(record, contactsOf(data, 'returnedContacts')), live: true };
      case 'MergedAccountReleased':
        return withContacts(record, [], (data.contactIds as string[] | undefined) ?? []);
      default:
        return record;
    }
  });
}

// ---- Leads -------------------------------------------------------------------------------------

function applyLead(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = new Date(event.metadata.occurredAt).toISOString();
  const data = event.data as Data;
  if (event.type === 'InquiryReceived') {
    const inquirer = (data.inquirer ?? {}) as Data;
    update(
      view,
      'lead',
      id,
      at,
      (record) => ({
        ...record,
        present: {
          owner: false,
          country: isCountryCode(inquirer.country),
          company: isNonBlank(inquirer.company),
          name: namePresent(inquirer.name),
        },
        reach: {
          email: reachOf(inquirer.email, isEmail),
          phone: reachOf(inquirer.phone, isE164Phone),
        },
      }),
      () => blankRecord('lead', id, at),
    );
    return;
  }
  update(view, 'lead', id, at, (record) => {
    switch (event.type) {
      case 'LeadAssigned':
      case 'LeadOwnershipTransferred':
        return {
          ...record,
          owner: isNonBlank(data.to) ? data.to : UNASSIGNED,
          present: { ...record.present, owner: isNonBlank(data.to) },
        };
      case 'LeadDisqualified':
      case 'LeadConverted':
        return { ...record, live: false };
      default:
        return record;
    }
  });
}

// ---- Deals -------------------------------------------------------------------------------------

const DEAL_FIELD_EVENTS: Record<string, [field: string, value: (data: Data) => unknown]> = {
  DealAmountChanged: ['amount', (data) => data.amount],
  DealExpectedCloseDateChanged: ['expectedCloseDate', (data) => data.date],
  DealExpectedShipMonthChanged: ['expectedShipMonth', (data) => data.month],
  DealIncotermChanged: ['incoterm', (data) => data.incoterm],
  DealPaymentTermChanged: ['paymentTerm', (data) => data.paymentTerm],
  DealContactChanged: ['contact', (data) => data.contactId],
  QuoteSent: ['amount', (data) => data.total],
};

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

function applyDeal(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = new Date(event.metadata.occurredAt).toISOString();
  const data = event.data as Data;
  if (event.type === 'DealOpened') {
    update(
      view,
      'deal',
      id,
      at,
      (record) => ({
        ...record,
        owner: isNonBlank(data.ownerId) ? data.ownerId : UNASSIGNED,
        present: {
          amount: given(data.amount),
          expectedCloseDate: given(data.expectedCloseDate),
          expectedShipMonth: given(data.expectedShipMonth),
          contact: given(data.contactId),
          incoterm: given(data.incoterm),
          paymentTerm: given(data.paymentTerm),
        },
      }),
      () => blankRecord('deal', id, at),
    );
    return;
  }
  update(view, 'deal', id, at, (record) => {
    const fieldChange = DEAL_FIELD_EVENTS[event.type];
    if (fieldChange) {
      const [field, value] = fieldChange;
      return { ...record, present: { ...record.present, [field]: given(value(data)) } };
    }
    if (event.type === 'DealWon' || event.type === 'DealLost') return { ...record, live: false };
    if (event.type === 'DealReopened') return { ...record, live: true };
    if (event.type === 'DealOwnerTransferred') {
      return { ...record, owner: isNonBlank(data.to) ? data.to : UNASSIGNED };
    }
    return record;
  });
}

// ---- Erasure -----------------------------------------------------------------------------------

/** A rebuild reads every sealed value as "[erased]": given ones become `erased`, a name is gone. */
const erasedReach = (reach: Reach): Reach => ({
  email: reach.email === 'none' ? 'none' : 'erased',
  phone: reach.phone === 'none' ? 'none' : 'erased',
});

const erasedContact = (contact: QualityContact): QualityContact => ({
  present: { ...contact.present, name: false },
  reach: erasedReach(contact.reach),
});

/** The person's lead records and the accounts where their contact data was sealed. */
const erasureReads = (erased: SubjectErased): DocumentRef[] => [
  ...subjectRecordIds(erased, 'lead').map((id) => ref('lead', id)),
  ...sealedInStreams(erased, 'account').map((sealed) => ref('account', idOf(sealed.streamName))),
];

/** Not a change to the records' streams: their lastUpdatedAt stays. */
function applyErasure(erased: SubjectErased, view: ProjectionView): void {
  const change = (key: string, erase: (record: QualityRecord) => QualityRecord) => {
    const before = view.get<QualityRecord>(QUALITY_RECORDS, key);
    if (before) save(view, before, settle(erase(before)));
  };
  for (const leadId of subjectRecordIds(erased, 'lead')) {
    change(recordKey('lead', leadId), (record) => ({
      ...record,
      present: { ...record.present, name: false },
      ...(record.reach && { reach: erasedReach(record.reach) }),
    }));
  }
  const contacts = new Set(subjectRecordIds(erased, 'contact'));
  const accounts = new Set(sealedInStreams(erased, 'account').map((s) => idOf(s.streamName)));
  for (const accountId of accounts) {
    change(recordKey('account', accountId), (record) => ({
      ...record,
      contacts: Object.fromEntries(
        Object.entries(record.contacts ?? {}).map(([id, contact]) => [
          id,
          contacts.has(id) ? erasedContact(contact) : contact,
        ]),
      ),
    }));
  }
}

const idOf = (streamName: string) => streamName.slice(streamName.indexOf('-') + 1);

// ---- The projection ----------------------------------------------------------------------------

export const dataQualityProjection: Projection = {
  name: DATA_QUALITY,
  // 2: reacts to SubjectErased, tells blank fields from absent ones, deletes counters at zero.
  // 3: `updated` month buckets, and lastUpdatedAt in UTC.
  version: 3,
  // Only to tell whether contact emails and phones are there and valid; no value is stored.
  personalData: true,
  collections: [
    {
      name: QUALITY_RECORDS,
      indexes: [
        ['type', 'live', 'lastUpdatedAt'],
        ['type', 'live', 'owner', 'lastUpdatedAt'],
      ],
    },
    // A few dozen per owner; held in memory so that a counter back at zero can be deleted.
    { name: QUALITY_COUNTERS, indexes: [['owner']], preload: true },
    { name: QUALITY_UPDATED, indexes: [['type', 'owner', 'month']] },
  ],
  eventTypes: [...ACCOUNT_EVENTS, ...LEAD_EVENTS, ...DEAL_EVENTS, 'SubjectErased'],

  reads(event: RecordedEvent): DocumentRef[] {
    if (event.type === 'SubjectErased') return erasureReads(event.data as unknown as SubjectErased);
    const id = streamId(event);
    if (LEAD_EVENTS.includes(event.type)) return [ref('lead', id)];
    if (DEAL_EVENTS.includes(event.type)) return [ref('deal', id)];
    return [ref('account', id)];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.type === 'SubjectErased') applyErasure(event.data as unknown as SubjectErased, view);
    else if (LEAD_EVENTS.includes(event.type)) applyLead(event, view);
    else if (DEAL_EVENTS.includes(event.type)) applyDeal(event, view);
    else applyAccount(event, view);
  },
};

const ref = (type: RecordType, id: string): DocumentRef => ({
  collection: QUALITY_RECORDS,
  id: recordKey(type, id),
});

function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}
