import { formatMajor, Money } from '../../../domain/shared/money';

/**
 * Events in business language. Each event becomes a message key and its parameters, which any
 * client can render in its own language; EN_MESSAGES renders them in English. Pure: no I/O, no
 * clock, so a history describes the events it links to with the same words, from their stored data.
 * Parameters are strings (ids, codes, amounts already formatted); a personal field that is
 * sealed or erased comes through as absent or "[erased]" and is shown as such.
 */
export interface Message {
  key: string;
  params: Record<string, string>;
  /** The parameters that are user ids, for clients to show as names. */
  people?: string[];
}

type Data = Record<string, unknown>;
type Describe = (data: Data) => Message;

const text = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : Array.isArray(value)
      ? value.join(', ')
      : String(value);

const money = (value: unknown): string => {
  const amount = value as Money | undefined;
  return amount && typeof amount.minor === 'number'
    ? `${amount.currency} ${formatMajor(amount)}`
    : '';
};

const message =
  (key: string, pick: (data: Data) => Record<string, unknown> = () => ({})): Describe =>
  (data) => ({
    key,
    params: Object.fromEntries(Object.entries(pick(data)).map(([name, v]) => [name, text(v)])),
  });

/** "changed from A to B", or "set to B" when there was nothing before. */
const change =
  (key: string, from: (data: Data) => unknown, to: (data: Data) => unknown): Describe =>
  (data): Message => {
    const before = text(from(data));
    return before
      ? { key: `${key}_changed`, params: { from: before, to: text(to(data)) } }
      : { key: `${key}_set`, params: { to: text(to(data)) } };
  };

const changedFields = (changes: unknown): string =>
  changes && typeof changes === 'object' ? Object.keys(changes).join(', ') : '';

const DESCRIPTIONS: Record<string, Describe> = {
  // ---- Leads
  InquiryReceived: message('history.lead.inquiry_received', (d) => ({
    channel: d.channel,
    company: (d.inquirer as Data | undefined)?.company,
    country: (d.inquirer as Data | undefined)?.country,
    name: (d.inquirer as Data | undefined)?.name,
  })),
  LeadAssigned: message('history.lead.assigned', (d) => ({ to: d.to })),
  LeadOwnershipTransferred: message('history.lead.handed_over', (d) => ({
    from: d.from,
    to: d.to,
  })),
  LeadResponseRecorded: message('history.lead.response_recorded', (d) => ({
    direction: d.direction,
    channel: d.channel,
    at: d.at,
  })),
  FirstResponseRecorded: message('history.lead.first_response', (d) => ({
    channel: d.channel,
    minutes:
      typeof d.secondsSinceInquiry === 'number' ? Math.round(d.secondsSinceInquiry / 60) : '',
  })),
  LeadScored: message('history.lead.scored', (d) => ({
    total: d.total,
    recommendation: d.recommendation,
  })),
  LeadQualified: message('history.lead.qualified'),
  LeadNurtured: message('history.lead.nurtured'),
  LeadDisqualified: message('history.lead.disqualified', (d) => ({ reason: d.reason })),
  LeadConverted: message('history.lead.converted', (d) => ({
    accountId: d.accountId,
    dealId: d.dealId,
  })),
  // ---- Accounts
  AccountRegistered: message('history.account.registered', (d) => ({
    name: d.name,
    country: d.country,
    owner: d.ownerId,
    grade: d.grade,
  })),
  AccountProfileUpdated: message('history.account.profile_updated', (d) => ({
    fields: changedFields(d.changes),
  })),
  AccountGradeChanged: message('history.account.grade_changed', (d) => ({
    from: d.from,
    to: d.to,
  })),
  AccountLifecycleChanged: message('history.account.lifecycle_changed', (d) => ({
    from: d.from,
    to: d.to,
  })),
  ContactAdded: message('history.account.contact_added', (d) => ({ name: d.name, role: d.role })),
  ContactUpdated: message('history.account.contact_updated', (d) => ({
    contactId: d.contactId,
    fields: changedFields(d.changes),
  })),
  ContactRemoved: message('history.account.contact_removed', (d) => ({ contactId: d.contactId })),
  AccountOwnershipTransferred: message('history.account.handed_over', (d) => ({
    from: d.from,
    to: d.to,
  })),
  AccountMergedInto: message('history.account.merged_into', (d) => ({ survivorId: d.survivorId })),
  AccountAbsorbed: message('history.account.absorbed', (d) => ({ mergedId: d.mergedId })),
  AccountUnmerged: message('history.account.unmerged', (d) => ({ survivorId: d.survivorId })),
  MergedAccountReleased: message('history.account.merged_released', (d) => ({
    mergedId: d.mergedId,
  })),
  // ---- Deals
  DealOpened: (d) =>
    message(d.amount ? 'history.deal.opened' : 'history.deal.opened_unpriced', () => ({
      title: d.title,
      stage: d.stage,
      owner: d.ownerId,
      amount: money(d.amount),
    }))(d),
  DealStageChanged: (d) =>
    message(
      d.direction === 'backward' ? 'history.deal.stage_back' : 'history.deal.stage_forward',
      () => ({
        from: d.from,
        to: d.to,
      }),
    )(d),
  DealAmountChanged: change(
    'history.deal.amount',
    (d) => money(d.previous),
    (d) => money(d.amount),
  ),
  DealExpectedCloseDateChanged: change(
    'history.deal.close_date',
    (d) => d.previous,
    (d) => d.date,
  ),
  DealExpectedShipMonthChanged: change(
    'history.deal.ship_month',
    (d) => d.previous,
    (d) => d.month,
  ),
  DealIncotermChanged: change(
    'history.deal.incoterm',
    (d) => d.previous,
    (d) => d.incoterm,
  ),
  DealPaymentTermChanged: message('history.deal.payment_term_changed', (d) => ({
    to: (d.paymentTerm as Data | undefined)?.method,
    risk: d.risk,
  })),
  DealDeliveryRisksChanged: message('history.deal.delivery_risks_changed', (d) => ({
    risks: (d.risks as string[] | undefined)?.length ? d.risks : 'none',
  })),
  DealContactChanged: message('history.deal.contact_changed', (d) => ({ contactId: d.contactId })),
  DealMarginTargetsSet: message('history.deal.margin_targets_set', (d) => ({
    floorPrice: money(d.floorPrice) || 'none',
  })),
  QuoteDrafted: message('history.deal.quote_drafted', (d) => ({
    version: d.version,
    total: money(d.total),
    incoterm: d.incoterm,
  })),
  QuoteApprovalRequested: message('history.deal.quote_approval_requested', (d) => ({
    version: d.version,
  })),
  QuoteApproved: message('history.deal.quote_approved', (d) => ({
    version: d.version,
    by: d.approvedBy,
  })),
  QuoteRejected: message('history.deal.quote_rejected', (d) => ({
    version: d.version,
    by: d.rejectedBy,
    reason: d.reason,
  })),
  QuoteSent: message('history.deal.quote_sent', (d) => ({
    version: d.version,
    total: money(d.total),
    validUntil: d.validUntil,
  })),
  QuoteSuperseded: message('history.deal.quote_superseded', (d) => ({
    version: d.version,
    by: (d.supersededBy as Data | undefined)?.version,
  })),
  DealActivityLogged: message('history.deal.activity_logged', (d) => ({
    kind: d.kind,
    direction: d.direction,
    at: d.at,
  })),
  DealWon: message('history.deal.won', (d) => ({
    amount: money(d.amount),
    order: d.orderReference,
  })),
  DealLost: message('history.deal.lost', (d) => ({
    reason: d.reason,
    subReason: d.subReason,
    stage: d.stage,
  })),
  DealReopened: message('history.deal.reopened', (d) => ({
    outcome: d.previousOutcome,
    stage: d.stage,
  })),
  DealPaymentRecorded: message('history.deal.payment_recorded', (d) => ({
    amount: money(d.amount),
    receivedOn: d.receivedOn,
    outstanding: money(d.outstanding),
  })),
  DealPaidInFull: message('history.deal.paid_in_full', (d) => ({
    total: money(d.totalPaid),
    paidOn: d.paidOn,
  })),
  DealOwnerTransferred: message('history.deal.handed_over', (d) => ({ from: d.from, to: d.to })),
  DealFlaggedStale: message('history.deal.flagged_stale', (d) => ({
    days: d.staleAfterDays,
    since: d.idleSince,
  })),
  DealStaleFlagCleared: message('history.deal.stale_cleared', (d) => ({ why: d.reason })),
  // ---- Tasks
  TaskCreated: message('history.task.created', (d) => ({ title: d.title, assignee: d.assigneeId })),
  TaskCompleted: message('history.task.completed'),
  TaskCancelled: message('history.task.cancelled', (d) => ({ reason: d.reason })),
  TaskReassigned: message('history.task.reassigned', (d) => ({ from: d.from, to: d.to })),
  // ---- People and automation
  UserRegistered: message('history.user.registered', (d) => ({ userId: d.userId, role: d.role })),
  UserDeactivated: message('history.user.deactivated', (d) => ({
    userId: d.userId,
    successor: d.successorId ?? 'none',
  })),
  UserReactivated: message('history.user.reactivated', (d) => ({ userId: d.userId })),
  UserMovedToTeam: message('history.user.moved_team', (d) => ({
    userId: d.userId,
    from: d.from ?? 'none',
    to: d.to ?? 'none',
  })),
  UserRoleChanged: message('history.user.role_changed', (d) => ({
    userId: d.userId,
    from: d.from,
    to: d.to,
  })),
  AutomationDecisionRecorded: message('history.automation.decision', (d) => ({
    saga: d.saga,
    decision: d.decision,
    step: d.step,
  })),
  SubjectErased: message('history.privacy.subject_erased', (d) => ({
    requestRef: d.requestRef,
    by: d.erasedBy,
  })),
};

/** English wording of every key, `{name}` standing for a parameter. */
export const EN_MESSAGES: Record<string, string> = {
  'history.event': '{type}',
  'history.lead.inquiry_received':
    'Inquiry received via {channel} from {name}, {company} ({country})',
  'history.lead.assigned': 'Lead assigned to {to}',
  'history.lead.handed_over': 'Lead handed over from {from} to {to}',
  'history.lead.response_recorded': '{direction} response by {channel} at {at}',
  'history.lead.first_response': 'First response by {channel}, {minutes} min after the inquiry',
  'history.lead.scored': 'Lead scored {total} (recommendation: {recommendation})',
  'history.lead.qualified': 'Lead qualified',
  'history.lead.nurtured': 'Lead put in the nurture queue',
  'history.lead.disqualified': 'Lead disqualified: {reason}',
  'history.lead.converted': 'Lead converted to account {accountId} and deal {dealId}',
  'history.account.registered':
    'Account {name} ({country}) registered, owner {owner}, grade {grade}',
  'history.account.profile_updated': 'Profile changed: {fields}',
  'history.account.grade_changed': 'Grade changed from {from} to {to}',
  'history.account.lifecycle_changed': 'Lifecycle moved from {from} to {to}',
  'history.account.contact_added': 'Contact {name} added ({role})',
  'history.account.contact_updated': 'Contact {contactId} changed: {fields}',
  'history.account.contact_removed': 'Contact {contactId} removed',
  'history.account.handed_over': 'Account handed over from {from} to {to}',
  'history.account.merged_into': 'Merged into account {survivorId}',
  'history.account.absorbed': 'Absorbed account {mergedId}',
  'history.account.unmerged': 'Split off again from account {survivorId}',
  'history.account.merged_released': 'Released merged account {mergedId}',
  'history.deal.opened': 'Deal "{title}" opened in {stage} for {owner}, amount {amount}',
  'history.deal.opened_unpriced': 'Deal "{title}" opened in {stage} for {owner}',
  'history.deal.stage_forward': 'Stage moved forward from {from} to {to}',
  'history.deal.stage_back': 'Stage moved back from {from} to {to}',
  'history.deal.amount_changed': 'Amount changed from {from} to {to}',
  'history.deal.amount_set': 'Amount set to {to}',
  'history.deal.close_date_changed': 'Expected close date changed from {from} to {to}',
  'history.deal.close_date_set': 'Expected close date set to {to}',
  'history.deal.ship_month_changed': 'Expected ship month changed from {from} to {to}',
  'history.deal.ship_month_set': 'Expected ship month set to {to}',
  'history.deal.incoterm_changed': 'Incoterm changed from {from} to {to}',
  'history.deal.incoterm_set': 'Incoterm set to {to}',
  'history.deal.payment_term_changed': 'Payment term set to {to} (risk {risk})',
  'history.deal.delivery_risks_changed': 'Delivery risks set to {risks}',
  'history.deal.contact_changed': 'Buyer contact changed to {contactId}',
  'history.deal.margin_targets_set': 'Margin targets set, floor price {floorPrice}',
  'history.deal.quote_drafted': 'Quote v{version} drafted: {total} {incoterm}',
  'history.deal.quote_approval_requested': 'Approval requested for quote v{version}',
  'history.deal.quote_approved': 'Quote v{version} approved by {by}',
  'history.deal.quote_rejected': 'Quote v{version} rejected by {by}: {reason}',
  'history.deal.quote_sent': 'Quote v{version} sent: {total}, valid until {validUntil}',
  'history.deal.quote_superseded': 'Quote v{version} superseded by v{by}',
  'history.deal.activity_logged': '{direction} {kind} logged for {at}',
  'history.deal.won': 'Deal won: {amount}, order {order}',
  'history.deal.lost': 'Deal lost at {stage}: {reason} / {subReason}',
  'history.deal.reopened': 'Deal reopened after {outcome}, back in {stage}',
  'history.deal.payment_recorded':
    'Payment of {amount} received on {receivedOn}, {outstanding} outstanding',
  'history.deal.paid_in_full': 'Paid in full on {paidOn}: {total}',
  'history.deal.handed_over': 'Deal handed over from {from} to {to}',
  'history.deal.flagged_stale': 'Flagged stale: no activity for {days} days since {since}',
  'history.deal.stale_cleared': 'Stale flag cleared ({why})',
  'history.task.created': 'Task "{title}" created for {assignee}',
  'history.task.completed': 'Task completed',
  'history.task.cancelled': 'Task cancelled: {reason}',
  'history.task.reassigned': 'Task reassigned from {from} to {to}',
  'history.user.registered': 'User {userId} registered as {role}',
  'history.user.deactivated': 'User {userId} deactivated; successor {successor}',
  'history.user.reactivated': 'User {userId} reactivated',
  'history.user.moved_team': 'User {userId} moved from team {from} to {to}',
  'history.user.role_changed': 'User {userId} role changed from {from} to {to}',
  'history.automation.decision': 'Automation {saga}: {decision} ({step})',
  'history.privacy.subject_erased': 'Personal data erased under request {requestRef} by {by}',
  'history.by.person': 'by {name}',
  'history.by.rule': 'by rule {rule} v{version}',
  'history.by.rule_via_saga': 'by automation {saga} under rule {rule} v{version}',
  'history.by.saga': 'by automation {saga}',
  'history.by.deactivation': 'on the deactivation of {leaver}, by {name}',
  'history.by.import': 'imported ({source}) by {name}',
  'history.by.system': 'by the system ({id})',
};

/** Per message key, the parameters that name users. */
const PEOPLE: Record<string, string[]> = {
  'history.lead.assigned': ['to'],
  'history.lead.handed_over': ['from', 'to'],
  'history.account.registered': ['owner'],
  'history.account.handed_over': ['from', 'to'],
  'history.deal.opened': ['owner'],
  'history.deal.opened_unpriced': ['owner'],
  'history.deal.quote_approved': ['by'],
  'history.deal.quote_rejected': ['by'],
  'history.deal.handed_over': ['from', 'to'],
  'history.task.created': ['assignee'],
  'history.task.reassigned': ['from', 'to'],
  'history.user.registered': ['userId'],
  'history.user.deactivated': ['userId', 'successor'],
  'history.user.reactivated': ['userId'],
  'history.user.moved_team': ['userId'],
  'history.user.role_changed': ['userId'],
  'history.privacy.subject_erased': ['by'],
  'history.by.person': ['name'],
  'history.by.import': ['name'],
  'history.by.deactivation': ['leaver', 'name'],
};

/** A message, with the parameters that name users marked. */
export const messageOf = (key: string, params: Record<string, string>): Message =>
  PEOPLE[key] ? { key, params, people: PEOPLE[key] } : { key, params };

/** The change an event records, as a message; an event type without wording keeps its name. */
export function describeEvent(type: string, data: Data): Message {
  const describe = DESCRIPTIONS[type];
  const { key, params } = describe ? describe(data) : { key: 'history.event', params: { type } };
  return messageOf(key, params);
}

/** A message in English, users by name where `nameOf` knows them; a missing parameter reads as "—". */
export function inEnglish(
  { key, params, people = [] }: Message,
  nameOf: (userId: string) => string = (userId) => userId,
): string {
  const template = EN_MESSAGES[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (!value) return '—';
    return people.includes(name) ? nameOf(value) : value;
  });
}
