import { businessSecondsBetween } from '../domain/calendar/business-time';
import type { FxPolicy } from '../domain/policies/fx-policy';
import { convert, Money } from '../domain/shared/money';
import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import {
  addToRollup,
  Dimensions,
  distributionKey,
  removeFromRollup,
  rollupCollections,
} from './shared/rollup';
import {
  applyMembership,
  applyPolicy,
  CALENDAR_POLICY_ID,
  entryAt,
  latestPolicy,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  ownerCalendarAt,
  POLICY_COLLECTION,
  POLICY_PUBLISHED,
  teamAt,
} from './team-membership.projection';

/**
 * Rep performance: first-response time, SLA compliance, follow-up density, won amount and
 * won-to-cash, pre-aggregated in rollups (counters per dimension value × UTC month/day/hour).
 *
 * Every measurement is attributed to the owner at the time of the measured event, and to that
 * owner's team at that time. Distributions are exact: a rollup amount `s:<seconds>` counts the
 * measurements of that value, so the median and p90 (nearest rank) come from bucket sums.
 *
 * Rollups:
 * - `first_response`, at the first outbound response (FirstResponseRecorded.at): `responses`,
 *   `seconds` (calendar, from InquiryReceived.occurredAt), `s_<calendar seconds>`, and where the
 *   owning team has a calendar `businessResponses`, `businessSeconds`, `b_<business seconds>`.
 * - `sla`, at the receipt of each live inquiry: `received`, then `answered` and `t_<seconds>`
 *   (business seconds on the owning team's calendar; calendar seconds when it has none, counted in
 *   `calendarFallback`). Attributed to the owner who answered, or the current owner until then.
 * - `activities`, at each logged deal activity (its `at`): `activities`, `outbound`.
 * - `open_deals`: the owner's open-deal count as change points: `delta` (+1 opened or reopened or
 *   handed in, −1 closed or handed away) and `deltaAt` (delta × epoch seconds of the change). The
 *   integral of the open count over [from, to), in deal-seconds, is
 *   (to − from) × C + to × D − S, with C = Σ delta before `from`, D = Σ delta and S = Σ deltaAt in
 *   [from, to). So each query reads a bounded number of bucket documents per owner.
 * - `revenue`: at DealWon `won` and `won_<base currency>` (the won amount at the FX rate of the won
 *   date, half-even per deal; `unconverted_<currency>` when no rate is in force); at the first
 *   payment's receivedOn `firstPayments`, `firstPaymentDays`, `f_<days>`; at DealPaidInFull's paidOn
 *   `paidInFull`, `paidInFullDays`, `p_<days>` (negative days as `p_m3`). Days count from the won date (UTC) to the payment date.
 */

export const REP_PERFORMANCE = 'rep-performance';
export const FX_POLICY_ID = 'fx.default';

export const FIRST_RESPONSE = 'first_response';
export const SLA = 'sla';
export const ACTIVITIES = 'activities';
export const OPEN_DEALS = 'open_deals';
export const REVENUE = 'revenue';

const LEADS = 'leads';
const DEALS = 'deals';
const OWNERS = 'owners';

interface Fact {
  id: string;
  at: string;
  dims: Dimensions;
  amounts: Record<string, number>;
}

type Owners = Array<{ from: string; owner: string | null }>;

interface PerfLead extends ReadDocument {
  receivedAt: string;
  live: boolean;
  channel: string;
  country: string | null;
  owners: Owners;
  firstResponse: Fact | null;
  sla: Fact | null;
  answered: boolean;
}

interface PerfDeal extends ReadDocument {
  owners: Owners;
  status: 'open' | 'won' | 'lost';
  channel: string;
  country: string | null;
  productLine: string | null;
  wonAt: string | null;
  won: Fact | null;
  firstPaymentSeen: boolean;
}

interface OwnerDocument extends ReadDocument {
  open: number;
}

const DEAL_EVENTS = [
  'DealOpened',
  'DealOwnerTransferred',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealActivityLogged',
  'DealPaymentRecorded',
  'DealPaidInFull',
];
const LEAD_EVENTS = [
  'InquiryReceived',
  'LeadAssigned',
  'LeadOwnershipTransferred',
  'FirstResponseRecorded',
];

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Epoch seconds, whole. */
export const epochSeconds = (at: string): number => Math.floor(Date.parse(at) / 1000);

/** Whole days from the UTC date of `from` to the date `to` ('YYYY-MM-DD' or an instant). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);

/** The owner at `at`; a deal that never changed hands (most) needs no date parsing. */
const ownerAt = (owners: Owners, at: string): string | undefined =>
  (owners.length === 1 ? owners[0] : entryAt(owners, at))?.owner ?? undefined;
const currentOwner = (owners: Owners): string | undefined =>
  owners[owners.length - 1]?.owner ?? undefined;

function place(view: ProjectionView, rollup: string, fact: Fact): void {
  addToRollup(view, rollup, fact.at, fact.dims, fact.amounts, fact.id);
}
function unplace(view: ProjectionView, rollup: string, fact: Fact | null): void {
  if (fact) removeFromRollup(view, rollup, fact.at, fact.dims, fact.amounts, fact.id);
}

function leadDims(
  view: ProjectionView,
  lead: PerfLead,
  owner: string | undefined,
  at: string,
): Dimensions {
  return recordDims(view, lead.channel, lead.country, null, owner, at);
}

function dealDims(
  view: ProjectionView,
  deal: PerfDeal,
  owner: string | undefined,
  at: string,
): Dimensions {
  return recordDims(view, deal.channel, deal.country, deal.productLine, owner, at);
}

/** The dimensions present, in report order; the team is the owner's at `at`. */
function recordDims(
  view: ProjectionView,
  channel: string,
  country: string | null,
  productLine: string | null,
  owner: string | undefined,
  at: string,
): Dimensions {
  const dims: Dimensions = { channel };
  if (country) {
    dims.country = country;
    dims.region = regionOf(country);
  }
  if (productLine) dims.productLine = productLine;
  if (owner) {
    dims.owner = owner;
    const team = teamAt(view, owner, at);
    if (team) dims.team = team;
  }
  return dims;
}

export const repPerformanceProjection: Projection = {
  name: REP_PERFORMANCE,
  // 2: month and day buckets within each owner and team (scope breakdowns).
  version: 2,
  collections: [
    ...MEMBERSHIP_COLLECTIONS,
    POLICY_COLLECTION,
    { name: LEADS },
    { name: DEALS },
    { name: OWNERS },
    ...rollupCollections(FIRST_RESPONSE),
    ...rollupCollections(SLA),
    ...rollupCollections(ACTIVITIES),
    ...rollupCollections(OPEN_DEALS),
    ...rollupCollections(REVENUE),
  ],
  eventTypes: [...MEMBERSHIP_EVENT_TYPES, POLICY_PUBLISHED, ...LEAD_EVENTS, ...DEAL_EVENTS],

  reads(event: RecordedEvent): DocumentRef[] {
    if (LEAD_EVENTS.includes(event.type)) return [{ collection: LEADS, id: streamId(event) }];
    if (DEAL_EVENTS.includes(event.type)) return [{ collection: DEALS, id: streamId(event) }];
    if (event.type === 'UserMovedToTeam') return [{ collection: OWNERS, id: streamId(event) }];
    return [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.type === 'UserMovedToTeam') moveOpenDeals(event, view);
    if (applyMembership(event, view)) return;
    if (applyPolicy(event, view, [FX_POLICY_ID, CALENDAR_POLICY_ID])) return;
    if (LEAD_EVENTS.includes(event.type)) applyLead(event, view);
    else applyDeal(event, view);
  },
};

// ---- Leads: first response and SLA ----------------------------------------------------------

function applyLead(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = event.metadata.occurredAt;
  const data = event.data as Record<string, unknown>;
  if (event.type === 'InquiryReceived') {
    if (view.get(LEADS, id)) return;
    const inquirer = (data.inquirer ?? {}) as Record<string, unknown>;
    const lead: PerfLead = {
      id,
      receivedAt: str(data.receivedAt) ?? at,
      live: data.live !== false,
      channel: str(data.channel) ?? 'other',
      country: str(inquirer.country),
      owners: [],
      firstResponse: null,
      sla: null,
      answered: false,
    };
    if (lead.live) {
      lead.sla = {
        id: `sla:${id}`,
        at: lead.receivedAt,
        dims: leadDims(view, lead, undefined, lead.receivedAt),
        amounts: { received: 1 },
      };
      place(view, SLA, lead.sla);
    }
    view.put(LEADS, lead);
    return;
  }
  const lead = view.get<PerfLead>(LEADS, id);
  if (!lead) return;
  if (event.type === 'LeadAssigned' || event.type === 'LeadOwnershipTransferred') {
    const owner = str(data.to);
    lead.owners = [...lead.owners, { from: at, owner }];
    // Until it is answered, the inquiry's clock is the current owner's.
    if (lead.sla && !lead.answered) {
      unplace(view, SLA, lead.sla);
      lead.sla = { ...lead.sla, dims: leadDims(view, lead, owner ?? undefined, at) };
      place(view, SLA, lead.sla);
    }
    view.put(LEADS, lead);
    return;
  }
  if (event.type === 'FirstResponseRecorded') {
    const respondedAt = str(data.at) ?? at;
    const owner = ownerAt(lead.owners, respondedAt);
    const dims = leadDims(view, lead, owner, respondedAt);
    const seconds = Math.max(
      0,
      Math.floor((Date.parse(respondedAt) - Date.parse(lead.receivedAt)) / 1000),
    );
    const business = businessSeconds(view, owner, lead.receivedAt, respondedAt);
    // A response found earlier (archived email) replaces the one measured before.
    unplace(view, FIRST_RESPONSE, lead.firstResponse);
    lead.firstResponse = {
      id: `fr:${id}`,
      at: respondedAt,
      dims,
      amounts: {
        responses: 1,
        seconds,
        [distributionKey('s', seconds)]: 1,
        ...(business !== undefined
          ? { businessResponses: 1, businessSeconds: business, [distributionKey('b', business)]: 1 }
          : {}),
      },
    };
    place(view, FIRST_RESPONSE, lead.firstResponse);
    if (lead.sla) {
      unplace(view, SLA, lead.sla);
      lead.sla = {
        ...lead.sla,
        dims: leadDims(view, lead, owner, respondedAt),
        amounts: {
          received: 1,
          answered: 1,
          [distributionKey('t', business ?? seconds)]: 1,
          ...(business === undefined ? { calendarFallback: 1 } : {}),
        },
      };
      place(view, SLA, lead.sla);
    }
    lead.answered = true;
    view.put(LEADS, lead);
  }
}

/** Whole business seconds on the calendar of the owner's team at `to`; undefined without one. */
function businessSeconds(
  view: ProjectionView,
  owner: string | undefined,
  from: string,
  to: string,
): number | undefined {
  const found = ownerCalendarAt(view, owner, to);
  if (!found) return undefined;
  try {
    return Math.max(0, Math.floor(businessSecondsBetween(found.calendar, from, to)));
  } catch {
    // A span longer than the calendar walks (three years) has no business-time answer.
    return undefined;
  }
}

// ---- Deals: open-deal time, activities, won amount, won-to-cash --------------------------------

function openDealChange(
  view: ProjectionView,
  event: RecordedEvent,
  owner: string | undefined,
  delta: 1 | -1,
  tag: string,
): void {
  if (!owner) return;
  const at = event.metadata.occurredAt;
  const team = teamAt(view, owner, at);
  addToRollup(
    view,
    OPEN_DEALS,
    at,
    { owner, ...(team ? { team } : {}) },
    { delta, deltaAt: delta * epochSeconds(at) },
    `od:${event.id}:${tag}`,
  );
  view.increment(OWNERS, owner, { open: delta });
}

/**
 * A rep who changes team takes their open deals along: the old team's open count drops and the
 * new team's rises at the move, while the rep's own and the overall counts do not change.
 */
function moveOpenDeals(event: RecordedEvent, view: ProjectionView): void {
  const userId = streamId(event);
  const at = event.metadata.occurredAt;
  const open = view.get<OwnerDocument>(OWNERS, userId)?.open ?? 0;
  if (open === 0) return;
  const before = teamAt(view, userId, at);
  const after = str((event.data as Record<string, unknown>).to) ?? undefined;
  if (before === after) return;
  const seconds = epochSeconds(at);
  addToRollup(
    view,
    OPEN_DEALS,
    at,
    { owner: userId, ...(before ? { team: before } : {}) },
    { delta: -open, deltaAt: -open * seconds },
    `od:${event.id}:out`,
  );
  addToRollup(
    view,
    OPEN_DEALS,
    at,
    { owner: userId, ...(after ? { team: after } : {}) },
    { delta: open, deltaAt: open * seconds },
    `od:${event.id}:in`,
  );
}

function applyDeal(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const at = event.metadata.occurredAt;
  const data = event.data as Record<string, unknown>;
  if (event.type === 'DealOpened') {
    if (view.get(DEALS, id)) return;
    const deal: PerfDeal = {
      id,
      owners: [{ from: at, owner: str(data.ownerId) }],
      status: 'open',
      channel: str(data.channel) ?? 'other',
      country: str(data.country),
      productLine: str(data.productLine),
      wonAt: null,
      won: null,
      firstPaymentSeen: false,
    };
    openDealChange(view, event, currentOwner(deal.owners), 1, 'open');
    view.put(DEALS, deal);
    return;
  }
  const deal = view.get<PerfDeal>(DEALS, id);
  if (!deal) return;
  const owner = currentOwner(deal.owners);
  switch (event.type) {
    case 'DealOwnerTransferred': {
      const to = str(data.to) ?? undefined;
      if (deal.status === 'open') {
        openDealChange(view, event, owner, -1, 'from');
        openDealChange(view, event, to, 1, 'to');
      }
      deal.owners = [...deal.owners, { from: at, owner: to ?? null }];
      break;
    }
    case 'DealActivityLogged': {
      const activityAt = str(data.at) ?? at;
      const by = ownerAt(deal.owners, activityAt);
      addToRollup(
        view,
        ACTIVITIES,
        activityAt,
        dealDims(view, deal, by, activityAt),
        { activities: 1, outbound: data.direction === 'outbound' ? 1 : 0 },
        `act:${id}:${str(data.activityId) ?? event.id}`,
      );
      // The deal itself is unchanged: most deal events are activities, so no rewrite.
      return;
    }
    case 'DealWon': {
      if (deal.status === 'open') openDealChange(view, event, owner, -1, 'won');
      deal.status = 'won';
      deal.wonAt = at;
      deal.won = {
        id: `won:${id}`,
        at,
        dims: dealDims(view, deal, owner, at),
        amounts: { won: 1, ...wonAmount(view, data.amount as Money, at) },
      };
      place(view, REVENUE, deal.won);
      break;
    }
    case 'DealLost':
      if (deal.status === 'open') openDealChange(view, event, owner, -1, 'lost');
      deal.status = 'lost';
      break;
    case 'DealReopened':
      if (deal.status !== 'open') openDealChange(view, event, owner, 1, 'reopen');
      // A won deal reopened is no longer won: its won amount is taken back.
      unplace(view, REVENUE, deal.won);
      deal.won = null;
      deal.status = 'open';
      break;
    case 'DealPaymentRecorded': {
      if (deal.firstPaymentSeen || !deal.wonAt) return;
      deal.firstPaymentSeen = true;
      const receivedOn = str(data.receivedOn) ?? at.slice(0, 10);
      const payAt = `${receivedOn.slice(0, 10)}T00:00:00.000Z`;
      const days = daysBetween(deal.wonAt, receivedOn);
      addToRollup(
        view,
        REVENUE,
        payAt,
        dealDims(view, deal, ownerAt(deal.owners, payAt), payAt),
        { firstPayments: 1, firstPaymentDays: days, [distributionKey('f', days)]: 1 },
        `pay1:${id}`,
      );
      break;
    }
    case 'DealPaidInFull': {
      if (!deal.wonAt) return;
      const paidOn = str(data.paidOn) ?? at.slice(0, 10);
      const payAt = `${paidOn.slice(0, 10)}T00:00:00.000Z`;
      const days = daysBetween(deal.wonAt, paidOn);
      addToRollup(
        view,
        REVENUE,
        payAt,
        dealDims(view, deal, ownerAt(deal.owners, payAt), payAt),
        { paidInFull: 1, paidInFullDays: days, [distributionKey('p', days)]: 1 },
        `paid:${id}`,
      );
      return;
    }
  }
  view.put(DEALS, deal);
}

/**
 * The won amount in the base currency at the rate in force on the won date (UTC), rounded half to
 * even for this deal alone. Without a rate the amount is kept apart in its own currency, so a
 * missing rate shows in the report instead of stopping the projection.
 */
function wonAmount(
  view: ProjectionView,
  amount: Money | undefined,
  at: string,
): Record<string, number> {
  if (!amount || typeof amount.minor !== 'number') return {};
  const fx = latestPolicy<FxPolicy>(view, FX_POLICY_ID);
  if (!fx) return { [`unconverted_${amount.currency}`]: amount.minor, unconvertedDeals: 1 };
  try {
    const converted = convert(amount, fx.base, at.slice(0, 10), fx);
    return { [`won_${fx.base}`]: converted.minor };
  } catch {
    return { [`unconverted_${amount.currency}`]: amount.minor, unconvertedDeals: 1 };
  }
}
