import type {
  DealAmountChanged,
  DealExpectedCloseDateChanged,
  DealExpectedShipMonthChanged,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import type { FxRate } from '../domain/shared/money';
import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import {
  DeltaAccumulator,
  ForecastContext,
  ForecastDeal,
  FX_POLICY_ID,
  FxVersion,
  monthOf,
  recordChange,
  StageVersion,
  TeamSpan,
} from './shared/forecast-contribution';
import { addToRollup, Dimensions, dimensionKeys, rollupCollections } from './shared/rollup';

/**
 * Weighted forecast (DESIGN.md, "Report definitions"): open deals at amount × stage probability,
 * won deals at 100 % in their won month, in the base currency, by expected close month and by
 * expected ship month; also as of a past date. See docs/read-models/weighted-forecast.md.
 *
 * Collections (logical names):
 * - `changes` / `changes_facts`: a rollup of dated contribution deltas. The rollup's time buckets
 *   run on the *change time* axis (the business time a change took effect); the target month is
 *   in the amount field's name. The forecast as of T is the sum of the deltas dated ≤ T.
 * - `totals`: the sum of all deltas per dimension value, whatever their date: the forecast as of
 *   the latest change. As of T = totals − the deltas dated after T, which for a recent T are few.
 * - `deals` (preloaded): the inputs of every open or won deal, so a policy change or a team move
 *   can re-weigh the deals it touches without a query.
 * - `parked`: the inputs of lost deals, kept for a reopen.
 * - `index` (preloaded): sharded lists of the ids of open and won deals by currency, plus the
 *   currencies seen: what a policy version or a team move re-weighs.
 * - `policies`, `memberships` (preloaded): every stage-policy and FX version with the time it
 *   came into force, and each user's team over time.
 */
export const WEIGHTED_FORECAST = 'weighted-forecast';

export const CHANGES = 'changes';
export const TOTALS = 'totals';
export const DEALS = 'deals';
export const PARKED = 'parked';
export const INDEX = 'index';
export const POLICIES = 'policies';
export const MEMBERSHIPS = 'memberships';

const POLICY_PUBLISHED = 'PolicyVersionPublished';

const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'DealExpectedShipMonthChanged',
  'DealOwnerTransferred',
  'DealWon',
  'DealLost',
  'DealReopened',
] as const;

/**
 * Ids per index document: small enough to rewrite when a deal joins or leaves, few enough to read
 * every shard of a currency at a policy change (they are preloaded: reads cost no I/O).
 */
const SHARDS = 256;

export interface PolicyTimelineDocument extends ReadDocument {
  kind: 'stages' | 'fx';
  versions: Array<StageVersion | FxVersion>;
}

export interface MembershipDocument extends ReadDocument {
  teams: TeamSpan[];
}

interface IndexDocument extends ReadDocument {
  ids: string[];
}

// ---- Index -----------------------------------------------------------------------------------

/** FNV-1a: stable across processes and builds. */
function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARDS;
}

const CURRENCIES = 'currencies';
const indexKey = (currency: string, shard: number) => `currency|${currency}|${shard}`;

/**
 * Live (open or won) deals by currency. A deal joins when it opens or is reopened and leaves when
 * it is lost, so the index changes about once per deal, not at every stage move. An FX version
 * reads the currencies whose rates changed; a stage-policy version or a team move, which are
 * rarer, read all of them and pick the open deals in the changed stages or of the moved user.
 */
function reindex(
  view: ProjectionView,
  id: string,
  before: ForecastDeal | undefined,
  after: ForecastDeal,
): void {
  const was = before !== undefined && before.status !== 'lost';
  const is = after.status !== 'lost';
  if (was === is) return;
  const key = indexKey(after.currency, shardOf(id));
  const ids = view.get<IndexDocument>(INDEX, key)?.ids ?? [];
  if (is) {
    view.put(INDEX, { id: key, ids: [...ids, id] });
    const currencies = view.get<IndexDocument>(INDEX, CURRENCIES)?.ids ?? [];
    if (!currencies.includes(after.currency)) {
      view.put(INDEX, { id: CURRENCIES, ids: [...currencies, after.currency] });
    }
  } else {
    const rest = ids.filter((known) => known !== id);
    if (rest.length === 0) view.delete(INDEX, key);
    else view.put(INDEX, { id: key, ids: rest });
  }
}

/** The live deals in these currencies (all seen when absent), each once, in a stable order. */
function liveDeals(view: ProjectionView, currencies?: readonly string[]): ForecastDeal[] {
  const deals: ForecastDeal[] = [];
  for (const currency of currencies ?? view.get<IndexDocument>(INDEX, CURRENCIES)?.ids ?? []) {
    for (let shard = 0; shard < SHARDS; shard++) {
      for (const id of view.get<IndexDocument>(INDEX, indexKey(currency, shard))?.ids ?? []) {
        const deal = view.get<ForecastDeal>(DEALS, id);
        if (deal) deals.push(deal);
      }
    }
  }
  return deals;
}

// ---- Context ---------------------------------------------------------------------------------

function viewContext(view: ProjectionView): ForecastContext {
  return {
    stageVersions: (policyId) =>
      (view.get<PolicyTimelineDocument>(POLICIES, policyId)?.versions ?? []) as StageVersion[],
    fxVersions: () =>
      (view.get<PolicyTimelineDocument>(POLICIES, FX_POLICY_ID)?.versions ?? []) as FxVersion[],
    teams: (userId) => view.get<MembershipDocument>(MEMBERSHIPS, userId)?.teams ?? [],
  };
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

// ---- Deal events -----------------------------------------------------------------------------

function nextDeal(deal: ForecastDeal | undefined, event: RecordedEvent): ForecastDeal | undefined {
  const at = event.metadata.occurredAt;
  if (event.type === 'DealOpened') {
    if (deal) return deal;
    const data = event.data as unknown as DealOpened['data'];
    return {
      id: streamId(event),
      status: 'open',
      stagePolicy: data.policy.id,
      currency: data.currency,
      amount: data.amount?.minor ?? null,
      stage: data.stage,
      closeMonth: data.expectedCloseDate ? monthOf(data.expectedCloseDate) : null,
      shipMonth: data.expectedShipMonth ? monthOf(data.expectedShipMonth) : null,
      owner: data.ownerId,
      channel: data.channel,
      country: data.country,
      region: regionOf(data.country),
      productLine: data.productLine,
      won: null,
      changedAt: at,
    };
  }
  if (!deal) return undefined;
  const next: ForecastDeal = { ...deal, changedAt: at };
  switch (event.type) {
    case 'DealStageChanged':
      next.stage = (event.data as unknown as DealStageChanged['data']).to;
      return next;
    case 'DealAmountChanged':
      next.amount = (event.data as unknown as DealAmountChanged['data']).amount.minor;
      return next;
    case 'DealExpectedCloseDateChanged':
      next.closeMonth = monthOf(
        (event.data as unknown as DealExpectedCloseDateChanged['data']).date,
      );
      return next;
    case 'DealExpectedShipMonthChanged':
      next.shipMonth = monthOf(
        (event.data as unknown as DealExpectedShipMonthChanged['data']).month,
      );
      return next;
    case 'DealOwnerTransferred':
      next.owner = (event.data as unknown as DealOwnerTransferred['data']).to;
      return next;
    case 'DealWon': {
      const data = event.data as unknown as DealWon['data'];
      next.status = 'won';
      next.stage = data.stage;
      next.won = { at, amount: data.amount.minor, owner: deal.owner };
      return next;
    }
    case 'DealLost':
      next.status = 'lost';
      next.won = null;
      return next;
    case 'DealReopened':
      next.status = 'open';
      next.stage = (event.data as unknown as DealReopened['data']).stage;
      next.won = null;
      return next;
    default:
      return deal;
  }
}

function applyDealEvent(event: RecordedEvent, view: ProjectionView, acc: DeltaAccumulator): void {
  const id = streamId(event);
  const live = view.get<ForecastDeal>(DEALS, id);
  const before = live ?? view.get<ForecastDeal>(PARKED, id);
  const after = nextDeal(before, event);
  if (!after || after === before) return;
  const context = viewContext(view);
  recordChange(acc, event.metadata.occurredAt, { deal: before, context }, { deal: after, context });
  reindex(view, id, live, after);
  if (after.status === 'lost') {
    if (live) view.delete(DEALS, id);
    view.put(PARKED, after);
  } else {
    if (before && !live) view.delete(PARKED, id);
    view.put(DEALS, after);
  }
}

// ---- Policy versions -------------------------------------------------------------------------

interface PublishedPolicy {
  id: string;
  version: number;
  body: Record<string, unknown>;
}

function applyPolicy(event: RecordedEvent, view: ProjectionView, acc: DeltaAccumulator): void {
  const published = event.data as unknown as PublishedPolicy;
  const kind = published.id?.split('.')[0];
  const isStages = kind === 'stages';
  if (!published.body || (!isStages && published.id !== FX_POLICY_ID)) return;
  const at = event.metadata.occurredAt;
  const known = view.get<PolicyTimelineDocument>(POLICIES, published.id);
  const versions = known?.versions ?? [];
  if (versions.some((v) => v.version >= published.version)) return;
  const version = isStages ? stageVersion(published, at) : fxVersion(published, at);
  const updated = [...versions, version];
  view.put(POLICIES, { id: published.id, kind: isStages ? 'stages' : 'fx', versions: updated });

  // Only the deals whose weighting the new version changes: by stage, or by currency.
  const previous = versions[versions.length - 1];
  let affected: ForecastDeal[];
  if (isStages) {
    const before = (previous as StageVersion | undefined)?.probabilities ?? {};
    const after = (version as StageVersion).probabilities;
    const changed = new Set(
      [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (s) => before[s] !== after[s],
      ),
    );
    affected = liveDeals(view).filter(
      (deal) =>
        deal.status === 'open' && deal.stagePolicy === published.id && changed.has(deal.stage),
    );
  } else {
    affected = liveDeals(
      view,
      changedCurrencies(view, previous as FxVersion | undefined, version as FxVersion),
    );
  }
  if (affected.length === 0) return;

  const withVersion = viewContext(view);
  const withoutVersion: ForecastContext = isStages
    ? {
        ...withVersion,
        stageVersions: (id) =>
          id === published.id ? (versions as StageVersion[]) : withVersion.stageVersions(id),
      }
    : { ...withVersion, fxVersions: () => versions as FxVersion[] };
  for (const deal of affected) {
    // A deal event dated after the publication (clock skew between writers) keeps its own time.
    recordChange(
      acc,
      later(at, deal.changedAt),
      { deal, context: withoutVersion },
      { deal, context: withVersion },
    );
  }
}

function stageVersion(published: PublishedPolicy, at: string): StageVersion {
  const stages = (published.body.openStages ?? []) as Array<{ key: string; probability: number }>;
  return {
    version: published.version,
    at,
    probabilities: Object.fromEntries(stages.map((stage) => [stage.key, stage.probability])),
  };
}

function fxVersion(published: PublishedPolicy, at: string): FxVersion {
  return {
    version: published.version,
    at,
    base: published.body.base as string,
    rates: (published.body.rates ?? []) as FxRate[],
  };
}

/** Currencies whose conversion may differ: those whose dated rates changed, or all when the base did. */
function changedCurrencies(
  view: ProjectionView,
  before: FxVersion | undefined,
  after: FxVersion,
): string[] {
  const seen = view.get<IndexDocument>(INDEX, CURRENCIES)?.ids ?? [];
  if (!before || before.base !== after.base) return seen;
  const table = (version: FxVersion, currency: string) =>
    version.rates
      .filter((rate) => rate.currency === currency)
      .map((rate) => `${rate.effectiveFrom}=${rate.unitsPerBase}`)
      .sort()
      .join(',');
  return seen.filter((currency) => table(before, currency) !== table(after, currency));
}

// ---- Team moves ------------------------------------------------------------------------------

function applyMembership(event: RecordedEvent, view: ProjectionView, acc: DeltaAccumulator): void {
  const data = event.data as { userId?: string; teamId?: string | null; to?: string | null };
  const userId = data.userId ?? streamId(event);
  const teamId = (event.type === 'UserRegistered' ? data.teamId : data.to) ?? null;
  const at = event.metadata.occurredAt;
  const spans = view.get<MembershipDocument>(MEMBERSHIPS, userId)?.teams ?? [];
  view.put(MEMBERSHIPS, { id: userId, teams: [...spans, { at, teamId }] });

  // Open deals follow their owner's team; a won actual keeps the team at the won event, which
  // changes only if this is the user's first known team (it then holds from the start).
  const affected = liveDeals(view).filter((deal) =>
    deal.status === 'open' ? deal.owner === userId : deal.won?.owner === userId,
  );
  if (affected.length === 0) return;
  const withMove = viewContext(view);
  const withoutMove: ForecastContext = {
    ...withMove,
    teams: (id) => (id === userId ? spans : withMove.teams(id)),
  };
  for (const deal of affected) {
    recordChange(
      acc,
      later(at, deal.changedAt),
      { deal, context: withoutMove },
      { deal, context: withMove },
    );
  }
}

/** The all-time sums, per dimension value: the same keys as the rollup's buckets. */
function addToTotals(
  view: ProjectionView,
  dims: Dimensions,
  amounts: Record<string, number>,
): void {
  for (const [dim, value] of dimensionKeys(dims))
    view.increment(TOTALS, `${dim}|${value}`, amounts, { dim, value });
}

// ---- The projection --------------------------------------------------------------------------

export const weightedForecastProjection: Projection = {
  name: WEIGHTED_FORECAST,
  version: 1,
  collections: [
    ...rollupCollections(CHANGES),
    { name: TOTALS, indexes: [['dim', 'value']] },
    { name: DEALS, preload: true },
    { name: PARKED },
    { name: INDEX, preload: true },
    { name: POLICIES, preload: true },
    { name: MEMBERSHIPS, preload: true },
  ],
  eventTypes: [...DEAL_EVENT_TYPES, POLICY_PUBLISHED, 'UserRegistered', 'UserMovedToTeam'],

  reads(event: RecordedEvent): DocumentRef[] {
    return event.streamName.startsWith('deal-')
      ? [{ collection: PARKED, id: streamId(event) }]
      : [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    const acc = new DeltaAccumulator();
    if (event.type === POLICY_PUBLISHED) applyPolicy(event, view, acc);
    else if (event.type === 'UserRegistered' || event.type === 'UserMovedToTeam')
      applyMembership(event, view, acc);
    else if (event.streamName.startsWith('deal-')) applyDealEvent(event, view, acc);
    acc.drain().forEach((delta, n) => {
      addToRollup(view, CHANGES, delta.at, delta.dims, delta.amounts, `${event.id}|${n}`);
      addToTotals(view, delta.dims, delta.amounts);
    });
  },
};
