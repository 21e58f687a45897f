import type { AccountProfile, Contact, Grade, Lifecycle } from '../domain/account/account.commands';
import type {
  AccountAbsorbed,
  AccountGradeChanged,
  AccountLifecycleChanged,
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
  DealAmountChanged,
  DealExpectedCloseDateChanged,
  DealLost,
  DealOpened,
  DealOwnerTransferred,
  DealPaidInFull,
  DealPaymentRecorded,
  DealReopened,
  DealStageChanged,
  DealWon,
  QuoteSent,
} from '../domain/deal/deal.events';
import type { InquiryReceived, LeadConverted } from '../domain/lead/lead.events';
import { ERASED } from '../domain/privacy/erased';
import {
  sealedInStreams,
  subjectRecordIds,
  type SubjectErased,
} from '../domain/privacy/erasure.events';
import type { Money } from '../domain/shared/money';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import { ACCOUNT_EVENT_TYPES } from './shared/record-event-types';

/**
 * Account 360: the account with its contacts, its deals and its activity timeline.
 *
 * Merges. Nothing is copied when accounts merge, so nothing can be lost:
 * - contacts move with the events that move them (AccountMergedInto/AccountAbsorbed, and back
 *   with AccountUnmerged/MergedAccountReleased);
 * - deals and timeline entries keep the account they were recorded on, and the survivor's 360
 *   also shows those of every account currently merged into it (the `absorbed` list, followed at
 *   query time);
 * - an entry logged while its account is merged is filed under the survivor (the `merges`
 *   collection says where each merged account lives), so after an unmerge it stays there, as
 *   DESIGN.md requires ("activities logged after the merge stay with the survivor"). "After"
 *   is the order the log recorded them in, so a rebuild files every entry the same way.
 */
export const ACCOUNT_360 = 'account-360';

export const A360_ACCOUNTS = 'accounts';
export const A360_DEALS = 'deals';
export const A360_TIMELINE = 'timeline';
/** Inquiries of leads not (yet) converted: the timeline takes them when the lead converts. */
export const A360_LEADS = 'leads';
/** merged account id → where it lives now, while it is merged. Small: held in memory. */
export const A360_MERGES = 'merges';

export interface MergeRef {
  survivorId: string;
  mergeId: string;
  mergedAt: string;
}

/** The profile as the account holds it (absent optional fields are left out), and the rest. */
export type AccountFields = Partial<AccountProfile> & {
  /** The account id. */
  id: string;
  ownerId: string;
  grade: Grade;
  lifecycle: Lifecycle;
  /** Contacts with their roles, in the order they joined the account. */
  contacts: Contact[];
  /** Set while this account is merged into another. */
  mergedInto: MergeRef | null;
  /** Accounts merged into this one now; their deals and timeline show here. */
  absorbed: Array<{ accountId: string; mergeId: string; mergedAt: string }>;
  /** Who registered the account (the first event's actor), for record scope. */
  createdBy: string | null;
  registeredAt: string;
  /** Business time of the last event that changed this document. */
  updatedAt: string;
};

export type AccountDocument = ReadDocument & AccountFields;

export type DealStatus = 'open' | 'won' | 'lost';

export interface DealSummaryDocument extends ReadDocument {
  /** The deal id. */
  id: string;
  /** The account the deal was opened on; it never changes. */
  accountId: string;
  title: string;
  ownerId: string;
  /** The open stage the deal is in, or was in when it was won or lost. */
  stage: string;
  status: DealStatus;
  amount: Money | null;
  currency: string;
  repeat: boolean;
  channel: string;
  country: string;
  productLine: string;
  originLeadId: string | null;
  expectedCloseDate: string | null;
  openedAt: string;
  closedAt: string | null;
  lastActivityAt: string | null;
  lastQuote: { quoteId: string; version: number; total: Money; sentAt: string } | null;
  lostReason: { code: string; reason: string; subReason: string } | null;
  paid: Money | null;
  paidInFull: boolean;
}

export const TIMELINE_TYPES = [
  'inquiry',
  'deal_opened',
  'activity',
  'stage_changed',
  'quote_sent',
  'won',
  'lost',
  'reopened',
  'payment',
  'paid_in_full',
  'lifecycle_changed',
  'owner_changed',
  'merged_into',
  'absorbed',
  'unmerged',
  'released',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelineDocument extends ReadDocument {
  /** `<stream>@<revision>` of the event it comes from. */
  id: string;
  /** The account whose timeline holds the entry. */
  accountId: string;
  /** The account of the deal or lead it was recorded on; differs from accountId when filed under a survivor. */
  originAccountId: string;
  /** ISO 8601 UTC (milliseconds): when it happened; an activity's own time, an inquiry's receipt. */
  at: string;
  type: TimelineType;
  dealId: string | null;
  dealTitle: string | null;
  leadId: string | null;
  /** The user who recorded it, when a person did. */
  actorId: string | null;
  details: Record<string, unknown>;
}

interface LeadDocument extends ReadDocument {
  entryId: string;
  at: string;
  channel: string;
  inquirer: InquiryReceived['inquirer'];
  attachments: number;
  /** Who recorded the inquiry (intake, a rep entering a card). */
  actorId: string | null;
  convertedTo: { accountId: string; dealId: string } | null;
}

const iso = (value: string): string => new Date(value).toISOString();
const entryId = (event: RecordedEvent): string => `${event.streamName}@${event.revision}`;
const actorOf = (event: RecordedEvent): string | null => event.metadata.actor?.userId ?? null;

/** Where an account's new entries go: itself, or the account it is merged into (followed to the end). */
const homeOf = (view: ProjectionView, accountId: string): string => {
  let current = accountId;
  const seen = new Set<string>([current]);
  for (let merge = view.get<MergeRef & ReadDocument>(A360_MERGES, current); merge;) {
    if (seen.has(merge.survivorId)) break;
    current = merge.survivorId;
    seen.add(current);
    merge = view.get<MergeRef & ReadDocument>(A360_MERGES, current);
  }
  return current;
};

const withoutNulls = <T extends object>(target: T, changes: object): T => {
  const next = { ...target } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null || value === undefined) delete next[field];
    else next[field] = value;
  }
  return next as T;
};

const upsertContacts = (contacts: Contact[], added: Contact[]): Contact[] => {
  const next = [...contacts];
  for (const contact of added) {
    const at = next.findIndex((known) => known.contactId === contact.contactId);
    if (at >= 0) next[at] = contact;
    else next.push(contact);
  }
  return next;
};

const DEAL_EVENTS = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'QuoteSent',
  'DealActivityLogged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealPaymentRecorded',
  'DealPaidInFull',
  'DealOwnerTransferred',
] as const;

const LEAD_EVENTS = ['InquiryReceived', 'LeadConverted'] as const;

const ERASURE_EVENTS = ['SubjectErased'] as const;

const isOneOf = (list: readonly string[], type: string) => list.includes(type);

export const account360Projection: Projection = {
  name: ACCOUNT_360,
  version: 1,
  personalData: true,
  collections: [
    { name: A360_ACCOUNTS },
    { name: A360_DEALS, indexes: [['accountId', 'openedAt']] },
    { name: A360_TIMELINE, indexes: [['accountId', 'at']] },
    { name: A360_LEADS },
    { name: A360_MERGES, preload: true },
  ],
  eventTypes: [...ACCOUNT_EVENT_TYPES, ...DEAL_EVENTS, ...LEAD_EVENTS, ...ERASURE_EVENTS],

  reads(event: RecordedEvent): DocumentRef[] {
    if (isOneOf(ACCOUNT_EVENT_TYPES, event.type))
      return [{ collection: A360_ACCOUNTS, id: streamId(event) }];
    if (isOneOf(DEAL_EVENTS, event.type)) return [{ collection: A360_DEALS, id: streamId(event) }];
    if (event.type === 'LeadConverted') return [{ collection: A360_LEADS, id: streamId(event) }];
    if (event.type === 'SubjectErased') return erasureReads(event.data as unknown as SubjectErased);
    return [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.type === 'SubjectErased') applyErasure(event.data as unknown as SubjectErased, view);
    else if (isOneOf(ACCOUNT_EVENT_TYPES, event.type)) applyAccountEvent(event, view);
    else if (isOneOf(DEAL_EVENTS, event.type)) applyDealEvent(event, view);
    else applyLeadEvent(event, view);
  },
};

function applyAccountEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = iso(event.metadata.occurredAt);
  if (event.type === 'AccountRegistered') {
    const {
      accountId: _accountId,
      ownerId,
      grade,
      lifecycle,
      ...profile
    } = event.data as unknown as AccountRegistered;
    const account: AccountDocument = {
      ...(withoutNulls({}, profile) as Partial<AccountProfile>),
      id,
      ownerId,
      grade,
      lifecycle: lifecycle ?? 'potential',
      contacts: [],
      mergedInto: null,
      absorbed: [],
      createdBy: actorOf(event),
      registeredAt: at,
      updatedAt: at,
    };
    view.put(A360_ACCOUNTS, account);
    return;
  }
  const account = view.get<AccountDocument>(A360_ACCOUNTS, id);
  if (!account) return;
  const save = (changes: Partial<AccountDocument>) =>
    view.put(A360_ACCOUNTS, { ...account, ...changes, updatedAt: at });
  const entry = (type: TimelineType, details: Record<string, unknown>) =>
    view.put(A360_TIMELINE, {
      id: entryId(event),
      accountId: id,
      originAccountId: id,
      at,
      type,
      dealId: null,
      dealTitle: null,
      leadId: null,
      actorId: actorOf(event),
      details,
    } satisfies TimelineDocument);

  switch (event.type) {
    case 'AccountProfileUpdated': {
      const { changes } = event.data as unknown as AccountProfileUpdated;
      view.put(A360_ACCOUNTS, { ...withoutNulls(account, changes), updatedAt: at });
      return;
    }
    case 'AccountGradeChanged':
      save({ grade: (event.data as unknown as AccountGradeChanged).to });
      return;
    case 'AccountLifecycleChanged': {
      const data = event.data as unknown as AccountLifecycleChanged;
      save({ lifecycle: data.to });
      entry('lifecycle_changed', {
        from: data.from,
        to: data.to,
        reason: data.reason,
        cause: data.cause,
      });
      return;
    }
    case 'AccountOwnershipTransferred': {
      const data = event.data as unknown as AccountOwnershipTransferred;
      save({ ownerId: data.to });
      entry('owner_changed', {
        from: data.from,
        to: data.to,
        reason: data.reason,
        cause: data.cause,
      });
      return;
    }
    case 'ContactAdded': {
      const { accountId: _accountId, ...contact } = event.data as unknown as ContactAdded;
      save({ contacts: upsertContacts(account.contacts, [contact]) });
      return;
    }
    case 'ContactUpdated': {
      const { contactId, changes } = event.data as unknown as ContactUpdated;
      save({
        contacts: account.contacts.map((contact) =>
          contact.contactId === contactId ? withoutNulls(contact, changes) : contact,
        ),
      });
      return;
    }
    case 'ContactRemoved': {
      const { contactId } = event.data as unknown as ContactRemoved;
      save({ contacts: account.contacts.filter((contact) => contact.contactId !== contactId) });
      return;
    }
    case 'AccountMergedInto': {
      const data = event.data as unknown as AccountMergedInto;
      const moved = new Set(data.movedContacts.map((contact) => contact.contactId));
      const merge: MergeRef = {
        survivorId: data.survivorId,
        mergeId: data.mergeId,
        mergedAt: iso(data.mergedAt),
      };
      save({
        contacts: account.contacts.filter((contact) => !moved.has(contact.contactId)),
        mergedInto: merge,
      });
      view.put(A360_MERGES, { id, ...merge });
      entry('merged_into', {
        survivorId: data.survivorId,
        mergeId: data.mergeId,
        reason: data.reason,
        cause: data.cause,
      });
      return;
    }
    case 'AccountAbsorbed': {
      const data = event.data as unknown as AccountAbsorbed;
      save({
        contacts: upsertContacts(account.contacts, data.contacts),
        absorbed: [
          ...account.absorbed.filter((known) => known.accountId !== data.mergedId),
          { accountId: data.mergedId, mergeId: data.mergeId, mergedAt: at },
        ],
      });
      entry('absorbed', {
        mergedId: data.mergedId,
        mergeId: data.mergeId,
        contactIds: data.contacts.map((c) => c.contactId),
      });
      return;
    }
    case 'AccountUnmerged': {
      const data = event.data as unknown as AccountUnmerged;
      save({ contacts: upsertContacts(account.contacts, data.returnedContacts), mergedInto: null });
      view.delete(A360_MERGES, id);
      entry('unmerged', {
        survivorId: data.survivorId,
        mergeId: data.mergeId,
        mergedAt: data.mergedAt,
        reason: data.reason,
        cause: data.cause,
      });
      return;
    }
    case 'MergedAccountReleased': {
      const data = event.data as unknown as MergedAccountReleased;
      const released = new Set(data.contactIds);
      save({
        contacts: account.contacts.filter((contact) => !released.has(contact.contactId)),
        absorbed: account.absorbed.filter((known) => known.accountId !== data.mergedId),
      });
      entry('released', {
        mergedId: data.mergedId,
        mergeId: data.mergeId,
        contactIds: data.contactIds,
      });
      return;
    }
  }
}

function applyDealEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const occurredAt = iso(event.metadata.occurredAt);
  if (event.type === 'DealOpened') {
    const data = event.data as unknown as DealOpened['data'];
    const deal: DealSummaryDocument = {
      id,
      accountId: data.accountId,
      title: data.title,
      ownerId: data.ownerId,
      stage: data.stage,
      status: 'open',
      amount: data.amount ?? null,
      currency: data.currency,
      repeat: data.repeat,
      channel: data.channel,
      country: data.country,
      productLine: data.productLine,
      originLeadId: data.originLeadId ?? null,
      expectedCloseDate: data.expectedCloseDate ?? null,
      openedAt: occurredAt,
      closedAt: null,
      lastActivityAt: null,
      lastQuote: null,
      lostReason: null,
      paid: null,
      paidInFull: false,
    };
    view.put(A360_DEALS, deal);
    timeline(view, event, deal, occurredAt, 'deal_opened', {
      stage: data.stage,
      amount: data.amount ?? null,
      repeat: data.repeat,
      channel: data.channel,
      productLine: data.productLine,
      ownerId: data.ownerId,
    });
    return;
  }
  const deal = view.get<DealSummaryDocument>(A360_DEALS, id);
  if (!deal) return;
  const save = (changes: Partial<DealSummaryDocument>) =>
    view.put(A360_DEALS, { ...deal, ...changes });

  switch (event.type) {
    case 'DealStageChanged': {
      const data = event.data as unknown as DealStageChanged['data'];
      save({ stage: data.to });
      timeline(view, event, deal, occurredAt, 'stage_changed', {
        from: data.from,
        to: data.to,
        direction: data.direction,
        reentry: data.reentry,
        note: data.note ?? null,
      });
      return;
    }
    case 'DealAmountChanged':
      save({ amount: (event.data as unknown as DealAmountChanged['data']).amount });
      return;
    case 'DealExpectedCloseDateChanged':
      save({
        expectedCloseDate: (event.data as unknown as DealExpectedCloseDateChanged['data']).date,
      });
      return;
    case 'DealOwnerTransferred':
      save({ ownerId: (event.data as unknown as DealOwnerTransferred['data']).to });
      return;
    case 'QuoteSent': {
      const data = event.data as unknown as QuoteSent['data'];
      save({
        lastQuote: {
          quoteId: data.quoteId,
          version: data.version,
          total: data.total,
          sentAt: occurredAt,
        },
      });
      timeline(view, event, deal, occurredAt, 'quote_sent', {
        quoteId: data.quoteId,
        version: data.version,
        total: data.total,
        validUntil: data.validUntil,
      });
      return;
    }
    case 'DealActivityLogged': {
      const data = event.data as unknown as DealActivityLogged['data'];
      const at = iso(data.at);
      save({
        lastActivityAt: deal.lastActivityAt && deal.lastActivityAt > at ? deal.lastActivityAt : at,
      });
      timeline(view, event, deal, at, 'activity', {
        activityId: data.activityId,
        kind: data.kind,
        direction: data.direction,
        summary: data.summary,
        contactId: data.contactId ?? null,
      });
      return;
    }
    case 'DealWon': {
      const data = event.data as unknown as DealWon['data'];
      save({
        status: 'won',
        stage: data.stage,
        amount: data.amount,
        closedAt: occurredAt,
        lostReason: null,
      });
      timeline(view, event, deal, occurredAt, 'won', {
        stage: data.stage,
        amount: data.amount,
        orderReference: data.orderReference,
      });
      return;
    }
    case 'DealLost': {
      const data = event.data as unknown as DealLost['data'];
      const lostReason = { code: data.reasonCode, reason: data.reason, subReason: data.subReason };
      save({ status: 'lost', stage: data.stage, closedAt: occurredAt, lostReason });
      timeline(view, event, deal, occurredAt, 'lost', {
        stage: data.stage,
        ...lostReason,
        note: data.note ?? null,
      });
      return;
    }
    case 'DealReopened': {
      const data = event.data as unknown as DealReopened['data'];
      save({ status: 'open', stage: data.stage, closedAt: null, lostReason: null });
      timeline(view, event, deal, occurredAt, 'reopened', {
        stage: data.stage,
        previousOutcome: data.previousOutcome,
        reason: data.reason,
      });
      return;
    }
    case 'DealPaymentRecorded': {
      const data = event.data as unknown as DealPaymentRecorded['data'];
      save({ paid: data.totalPaid });
      timeline(view, event, deal, occurredAt, 'payment', {
        paymentId: data.paymentId,
        amount: data.amount,
        amountInDealCurrency: data.amountInDealCurrency,
        receivedOn: data.receivedOn,
        totalPaid: data.totalPaid,
        outstanding: data.outstanding,
      });
      return;
    }
    case 'DealPaidInFull': {
      const data = event.data as unknown as DealPaidInFull['data'];
      save({ paid: data.totalPaid, paidInFull: true });
      timeline(view, event, deal, occurredAt, 'paid_in_full', {
        totalPaid: data.totalPaid,
        paidOn: data.paidOn,
      });
      return;
    }
  }
}

function timeline(
  view: ProjectionView,
  event: RecordedEvent,
  deal: DealSummaryDocument,
  at: string,
  type: TimelineType,
  details: Record<string, unknown>,
): void {
  view.put(A360_TIMELINE, {
    id: entryId(event),
    accountId: homeOf(view, deal.accountId),
    originAccountId: deal.accountId,
    at,
    type,
    dealId: deal.id,
    dealTitle: deal.title,
    leadId: null,
    actorId: actorOf(event),
    details,
  } satisfies TimelineDocument);
}

function applyLeadEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  if (event.type === 'InquiryReceived') {
    const data = event.data as unknown as InquiryReceived;
    const lead: LeadDocument = {
      id,
      entryId: entryId(event),
      at: iso(data.receivedAt ?? event.metadata.occurredAt),
      channel: data.channel,
      inquirer: data.inquirer ?? {},
      attachments: data.attachments?.length ?? 0,
      actorId: actorOf(event),
      convertedTo: null,
    };
    view.put(A360_LEADS, lead);
    return;
  }
  // LeadConverted: the inquiry joins the timeline of the account it converted into.
  const data = event.data as unknown as LeadConverted;
  const lead = view.get<LeadDocument>(A360_LEADS, id);
  if (!lead) return;
  view.put(A360_LEADS, {
    ...lead,
    convertedTo: { accountId: data.accountId, dealId: data.dealId },
  });
  const { name, company, email, phone, country, website, message } = lead.inquirer;
  view.put(A360_TIMELINE, {
    id: lead.entryId,
    accountId: homeOf(view, data.accountId),
    originAccountId: data.accountId,
    at: lead.at,
    type: 'inquiry',
    dealId: data.dealId,
    dealTitle: data.deal?.title ?? null,
    leadId: id,
    actorId: lead.actorId,
    details: {
      channel: lead.channel,
      name: name ?? null,
      company: company ?? null,
      email: email ?? null,
      phone: phone ?? null,
      country: country ?? null,
      website: website ?? null,
      message: message ?? null,
      attachments: lead.attachments,
    },
  } satisfies TimelineDocument);
}

// ---- erasure ----

/** The personal fields of an inquirer and of a contact: what the cipher seals, and reads as erased. */
const INQUIRER_PERSONAL = ['name', 'email', 'phone', 'message'] as const;
const CONTACT_PERSONAL = ['name', 'email', 'phone', 'title'] as const;

/** Blanks the fields that hold a value, as a rebuild reading a destroyed key would show them. */
const blanked = <T extends object>(record: T, fields: readonly string[]): T => {
  const next = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    if (next[field] !== undefined && next[field] !== null) next[field] = ERASED;
  }
  return next as T;
};

/** Where this read model copied the person's values: their inquiries, accounts and timeline entries. */
function erasureReads(erased: SubjectErased): DocumentRef[] {
  return [
    ...subjectRecordIds(erased, 'lead').map((id) => ({ collection: A360_LEADS, id })),
    ...sealedInStreams(erased, 'account').map((ref) => ({
      collection: A360_ACCOUNTS,
      id: ref.streamName.slice('account-'.length),
    })),
    ...erased.sealedIn.map((id) => ({ collection: A360_TIMELINE, id })),
  ];
}

function applyErasure(erased: SubjectErased, view: ProjectionView): void {
  const leads = new Set(subjectRecordIds(erased, 'lead'));
  const contacts = new Set(subjectRecordIds(erased, 'contact'));
  for (const leadId of leads) {
    const lead = view.get<LeadDocument>(A360_LEADS, leadId);
    if (lead)
      view.put(A360_LEADS, { ...lead, inquirer: blanked(lead.inquirer, INQUIRER_PERSONAL) });
  }
  for (const ref of sealedInStreams(erased, 'account')) {
    const account = view.get<AccountDocument>(
      A360_ACCOUNTS,
      ref.streamName.slice('account-'.length),
    );
    if (!account) continue;
    view.put(A360_ACCOUNTS, {
      ...account,
      contacts: account.contacts.map((contact) =>
        contacts.has(contact.contactId) ? blanked(contact, CONTACT_PERSONAL) : contact,
      ),
    });
  }
  for (const id of erased.sealedIn) {
    const entry = view.get<TimelineDocument>(A360_TIMELINE, id);
    if (!entry) continue;
    if (entry.type === 'inquiry' && entry.leadId !== null && leads.has(entry.leadId)) {
      view.put(A360_TIMELINE, { ...entry, details: blanked(entry.details, INQUIRER_PERSONAL) });
    } else if (entry.type === 'activity') {
      view.put(A360_TIMELINE, { ...entry, details: blanked(entry.details, ['summary']) });
    }
  }
}
