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
import { DocumentRef, PreloadedView, Projection, ProjectionView, streamId } from './projection';
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
 * - `history`: per deal, its earlier inputs with the business time each took effect, and the
 *   inputs of a lost deal (kept for a reopen). A policy version or a team move recorded after deal
 *   changes dated after it (a back-dated import) re-weighs those earlier states too.
 * - `index` (preloaded): sharded lists of the ids of open and won deals by currency, plus the
 *   currencies seen; the lost deals by the month they were lost in; and the deals recorded while a
 *   policy or a user's team had no entry yet (its first entry holds from the start).
 * - `policies`, `memberships` (preloaded): every stage-policy and FX version with the time it
 *   came into force, and each user's team over time.
 */
export const WEIGHTED_FORECAST = 'weighted-forecast';

export const CHANGES = 'changes';
export const TOTALS = 'totals';
export const DEALS = 'deals';
export const HISTORY = 'history';
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
function liveDeals(view: PreloadedView, currencies?: readonly string[]): ForecastDeal[] {
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

// ---- Deal histories --------------------------------------------------------------------------

/** The inputs of a deal that change along its stream; the others are fixed when it opens. */
type Varying = Pick<
  ForecastDeal,
  'status' | 'stage' | 'amount' | 'closeMonth' | 'shipMonth' | 'owner' | 'won'
>;
const VARYING = ['status', 'stage', 'amount', 'closeMonth', 'shipMonth', 'owner', 'won'] as const;

/** A past state: when it took effect and its inputs; after the first, only those that changed. */
export type PastState = Partial<Varying> & { at: string };

export interface DealHistoryDocument extends ReadDocument {
  /** The states before the current one, in order, none of them empty (each held for a while). */
  past: PastState[];
  /** While the deal is lost: its inputs, as `deals` holds a live deal's, and when it was lost. */
  parked?: ForecastDeal;
  lostAt?: string;
}

const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

function varyingOf(deal: Varying): Varying {
  const { status, stage, amount, closeMonth, shipMonth, owner, won } = deal;
  return { status, stage, amount, closeMonth, shipMonth, owner, won };
}

/** The past states in full, each as the deal's inputs with `changedAt` = when it took effect. */
function pastStates(current: ForecastDeal, past: readonly PastState[]): ForecastDeal[] {
  const states: ForecastDeal[] = [];
  let inputs = varyingOf(current);
  for (const { at, ...changed } of past) {
    inputs = { ...inputs, ...changed };
    states.push({ ...current, ...inputs, changedAt: at });
  }
  return states;
}

/**
 * The past once `before` gives way to a state that takes effect at `at`: `before` joins it, as
 * what changed since the last past state, unless it took effect at that same instant (then no
 * forecast as of any T sees it).
 */
function pastWith(past: PastState[], before: ForecastDeal | undefined, at: string): PastState[] {
  if (!before || Date.parse(before.changedAt) >= Date.parse(at)) return past;
  const last = past.length > 0 ? pastStates(before, past)[past.length - 1] : undefined;
  const state: PastState = { at: before.changedAt };
  for (const key of VARYING) {
    if (!last || !sameValue(last[key], before[key])) Object.assign(state, { [key]: before[key] });
  }
  return [...past, state];
}

// ---- Sharded id sets in the index ------------------------------------------------------------

/** Shards of the smaller id sets (lost deals per month, deals waiting for a first entry). */
const SET_SHARDS = 16;
const setKey = (name: string, shard: number) => `${name}|${shard}`;

function addToSet(view: ProjectionView, name: string, id: string): void {
  const key = setKey(name, shardOf(id) % SET_SHARDS);
  const ids = view.get<IndexDocument>(INDEX, key)?.ids ?? [];
  if (!ids.includes(id)) view.put(INDEX, { id: key, ids: [...ids, id] });
}

function removeFromSet(view: ProjectionView, name: string, id: string): void {
  const key = setKey(name, shardOf(id) % SET_SHARDS);
  const ids = view.get<IndexDocument>(INDEX, key)?.ids ?? [];
  if (!ids.includes(id)) return;
  const rest = ids.filter((known) => known !== id);
  if (rest.length === 0) view.delete(INDEX, key);
  else view.put(INDEX, { id: key, ids: rest });
}

function setIds(view: PreloadedView, name: string): string[] {
  const ids: string[] = [];
  for (let shard = 0; shard < SET_SHARDS; shard++) {
    ids.push(...(view.get<IndexDocument>(INDEX, setKey(name, shard))?.ids ?? []));
  }
  return ids;
}

function dropSet(view: ProjectionView, name: string): void {
  for (let shard = 0; shard < SET_SHARDS; shard++) {
    const key = setKey(name, shard);
    if (view.get(INDEX, key)) view.delete(INDEX, key);
  }
}

/** Lost deals by the month they were lost in, and the months that have some. */
const LOST_MONTHS = 'lost-months';
const lostSet = (month: string) => `lost|${month}`;

function addLost(view: ProjectionView, id: string, at: string): void {
  const month = monthOf(at);
  addToSet(view, lostSet(month), id);
  const months = view.get<IndexDocument>(INDEX, LOST_MONTHS)?.ids ?? [];
  if (!months.includes(month)) view.put(INDEX, { id: LOST_MONTHS, ids: [...months, month].sort() });
}

/** The deals lost in `at`'s month or later: the lost deals that were open or won after `at`. */
function lostSince(view: PreloadedView, at: string): string[] {
  const from = monthOf(at);
  const ids: string[] = [];
  for (const month of view.get<IndexDocument>(INDEX, LOST_MONTHS)?.ids ?? []) {
    if (month >= from) ids.push(...setIds(view, lostSet(month)));
  }
  return ids;
}

/**
 * The deals recorded while a timeline had no entry: a stage policy (`stages:<id>`), the FX policy
 * (`fx`), a user's teams (`user:<id>`). The first entry holds from the start, so it re-weighs
 * their whole history; then the set is dropped.
 */
const firstSet = (timeline: string) => `first|${timeline}`;
const stagesTimeline = (policyId: string) => `stages:${policyId}`;
const FX_TIMELINE = 'fx';
const userTimeline = (userId: string) => `user:${userId}`;

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
  const at = event.metadata.occurredAt;
  const live = view.get<ForecastDeal>(DEALS, id);
  const history = view.get<DealHistoryDocument>(HISTORY, id);
  const before = live ?? history?.parked;
  const after = nextDeal(before, event);
  if (!after || after === before) return;
  const context = viewContext(view);
  recordChange(acc, at, { deal: before, context }, { deal: after, context });
  reindex(view, id, live, after);
  noteFirstEntriesMissing(view, context, before, after);

  const past = pastWith(history?.past ?? [], before, at);
  const wasLost = before?.status === 'lost';
  if (after.status === 'lost') {
    const lostAt = wasLost ? history!.lostAt! : at;
    if (!wasLost) addLost(view, id, at);
    if (live) view.delete(DEALS, id);
    view.put(HISTORY, { id, past, parked: after, lostAt });
    return;
  }
  if (wasLost) removeFromSet(view, lostSet(monthOf(history!.lostAt!)), id);
  view.put(DEALS, after);
  if (past.length === 0) {
    if (history) view.delete(HISTORY, id);
  } else if (past !== history?.past || history.parked) {
    view.put(HISTORY, { id, past });
  }
}

/** Deals recorded while a timeline they depend on is empty wait for its first entry. */
function noteFirstEntriesMissing(
  view: ProjectionView,
  context: ForecastContext,
  before: ForecastDeal | undefined,
  after: ForecastDeal,
): void {
  if (!before) {
    if (context.stageVersions(after.stagePolicy).length === 0) {
      addToSet(view, firstSet(stagesTimeline(after.stagePolicy)), after.id);
    }
    if (context.fxVersions().length === 0) addToSet(view, firstSet(FX_TIMELINE), after.id);
  }
  // A won actual's owner is the deal's owner when it was won: noted then already.
  if (before?.owner !== after.owner && context.teams(after.owner).length === 0) {
    addToSet(view, firstSet(userTimeline(after.owner)), after.id);
  }
}

// ---- Re-weighing at a policy version or a team move --------------------------------------------

/**
 * A policy version or team move appended at business time `at`: in force from `at` on (a later
 * entry of the same timeline may keep it out for a while: recordChange splits there), or from the
 * start when it is the timeline's first entry. `concerns` picks deals by their fixed inputs,
 * `affects` the states whose contribution it may change.
 */
interface Reweigh {
  at: string;
  first: boolean;
  timeline: string;
  concerns(deal: ForecastDeal): boolean;
  affects(state: ForecastDeal): boolean;
  without: ForecastContext;
  with: ForecastContext;
}

/**
 * The deals whose history `reads` must name for an entry at `at`: the first-entry set while the
 * timeline is empty (it may no longer be at apply time, so the others are named too), the live
 * deals changed after `at`, and the deals lost since `at`'s month. A live deal unchanged since
 * `at` is re-weighed from its current inputs alone, which are preloaded.
 */
function historiesToRead(
  view: PreloadedView,
  timeline: string,
  empty: boolean,
  at: string,
  concerns: (deal: ForecastDeal) => boolean,
): DocumentRef[] {
  const ids = new Set<string>(empty ? setIds(view, firstSet(timeline)) : []);
  const since = Date.parse(at);
  for (const deal of liveDeals(view)) {
    if (Date.parse(deal.changedAt) > since && concerns(deal)) ids.add(deal.id);
  }
  for (const id of lostSince(view, at)) ids.add(id);
  return [...ids].map((id) => ({ collection: HISTORY, id }));
}

function reweigh(view: ProjectionView, acc: DeltaAccumulator, change: Reweigh): void {
  if (change.first) {
    for (const id of setIds(view, firstSet(change.timeline))) reweighDeal(view, acc, id, change);
    dropSet(view, firstSet(change.timeline));
    return;
  }
  const since = Date.parse(change.at);
  const seen = new Set<string>();
  for (const deal of liveDeals(view)) {
    if (!change.concerns(deal)) continue;
    if (Date.parse(deal.changedAt) > since || change.affects(deal)) {
      seen.add(deal.id);
      reweighDeal(view, acc, deal.id, change);
    }
  }
  for (const id of lostSince(view, change.at)) {
    if (!seen.has(id)) reweighDeal(view, acc, id, change);
  }
}

/**
 * Writes, for each state of the deal the change may affect, held on [from, to), the difference
 * between the contribution with the new entry and without it, from max(from, start) until `to`:
 * recordChange with and without from there, and back at `to`.
 */
function reweighDeal(
  view: ProjectionView,
  acc: DeltaAccumulator,
  id: string,
  change: Reweigh,
): void {
  const start = change.first ? -Infinity : Date.parse(change.at);
  const live = view.get<ForecastDeal>(DEALS, id);
  if (live && Date.parse(live.changedAt) <= start) {
    // Unchanged since the entry: its current inputs are all it had from then on.
    if (change.affects(live)) weighAnew(acc, change.at, undefined, live, change);
    return;
  }
  const history = view.get<DealHistoryDocument>(HISTORY, id);
  const current = live ?? history?.parked;
  if (!current || !change.concerns(current)) return;
  const states = [...pastStates(current, history?.past ?? []), current];
  states.forEach((state, n) => {
    const to = states[n + 1]?.changedAt;
    if (to !== undefined && Date.parse(to) <= start) return;
    if (!change.affects(state)) return;
    const from = Date.parse(state.changedAt) >= start ? state.changedAt : change.at;
    weighAnew(acc, from, to, state, change);
  });
}

function weighAnew(
  acc: DeltaAccumulator,
  from: string,
  to: string | undefined,
  deal: ForecastDeal,
  change: Reweigh,
): void {
  const without = { deal, context: change.without };
  const withEntry = { deal, context: change.with };
  recordChange(acc, from, without, withEntry);
  if (to !== undefined) recordChange(acc, to, withEntry, without);
}

// ---- Policy versions -------------------------------------------------------------------------

interface PublishedPolicy {
  id: string;
  version: number;
  body: Record<string, unknown>;
}

/** A stage-policy or FX version this projection keeps, or undefined. */
function publishedPolicy(
  event: RecordedEvent,
): (PublishedPolicy & { isStages: boolean }) | undefined {
  const published = event.data as unknown as PublishedPolicy;
  const isStages = published.id?.split('.')[0] === 'stages';
  if (!published.body || (!isStages && published.id !== FX_POLICY_ID)) return undefined;
  return { ...published, isStages };
}

function applyPolicy(event: RecordedEvent, view: ProjectionView, acc: DeltaAccumulator): void {
  const published = publishedPolicy(event);
  if (!published) return;
  const { isStages } = published;
  const at = event.metadata.occurredAt;
  const known = view.get<PolicyTimelineDocument>(POLICIES, published.id);
  const versions = known?.versions ?? [];
  if (versions.some((v) => v.version >= published.version)) return;
  const version = isStages ? stageVersion(published, at) : fxVersion(published, at);
  const updated = [...versions, version];
  view.put(POLICIES, { id: published.id, kind: isStages ? 'stages' : 'fx', versions: updated });

  // Where the new version is in force, the one it displaces is the previous last one (see
  // inForce): only the deals whose weighting differs between the two, by stage or by currency.
  const previous = versions[versions.length - 1];
  const withVersion = viewContext(view);
  if (isStages) {
    const before = (previous as StageVersion | undefined)?.probabilities ?? {};
    const after = (version as StageVersion).probabilities;
    const changed = new Set(
      [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (s) => before[s] !== after[s],
      ),
    );
    if (changed.size === 0 && versions.length > 0) return;
    reweigh(view, acc, {
      at,
      first: versions.length === 0,
      timeline: stagesTimeline(published.id),
      concerns: (deal) => deal.stagePolicy === published.id,
      affects: (state) => state.status === 'open' && changed.has(state.stage),
      without: {
        ...withVersion,
        stageVersions: (id) =>
          id === published.id ? (versions as StageVersion[]) : withVersion.stageVersions(id),
      },
      with: withVersion,
    });
    return;
  }
  const currencies = new Set(
    changedCurrencies(view, previous as FxVersion | undefined, version as FxVersion),
  );
  if (currencies.size === 0 && versions.length > 0) return;
  reweigh(view, acc, {
    at,
    first: versions.length === 0,
    timeline: FX_TIMELINE,
    concerns: (deal) => versions.length === 0 || currencies.has(deal.currency),
    affects: (state) => state.status !== 'lost',
    without: { ...withVersion, fxVersions: () => versions as FxVersion[] },
    with: withVersion,
  });
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

function teamEvent(event: RecordedEvent): { userId: string; teamId: string | null } {
  const data = event.data as { userId?: string; teamId?: string | null; to?: string | null };
  const userId = data.userId ?? streamId(event);
  return { userId, teamId: (event.type === 'UserRegistered' ? data.teamId : data.to) ?? null };
}

function applyMembership(event: RecordedEvent, view: ProjectionView, acc: DeltaAccumulator): void {
  const { userId, teamId } = teamEvent(event);
  const at = event.metadata.occurredAt;
  const spans = view.get<MembershipDocument>(MEMBERSHIPS, userId)?.teams ?? [];
  view.put(MEMBERSHIPS, { id: userId, teams: [...spans, { at, teamId }] });

  // Open deals follow their owner's team; a won actual keeps the team at the won event, which
  // changes only if the move is dated by then, or is the user's first known team (it then holds
  // from the start).
  const withMove = viewContext(view);
  reweigh(view, acc, {
    at,
    first: spans.length === 0,
    timeline: userTimeline(userId),
    concerns: () => true,
    affects: (state) =>
      state.status === 'open' ? state.owner === userId : state.won?.owner === userId,
    without: { ...withMove, teams: (id) => (id === userId ? spans : withMove.teams(id)) },
    with: withMove,
  });
}

/** The histories a policy version or team move re-weighs (see historiesToRead). */
function entryReads(event: RecordedEvent, view: PreloadedView): DocumentRef[] {
  const at = event.metadata.occurredAt;
  if (event.type === POLICY_PUBLISHED) {
    const published = publishedPolicy(event);
    if (!published) return [];
    const empty = !view.get<PolicyTimelineDocument>(POLICIES, published.id)?.versions.length;
    return published.isStages
      ? historiesToRead(
          view,
          stagesTimeline(published.id),
          empty,
          at,
          (deal) => deal.stagePolicy === published.id,
        )
      : historiesToRead(view, FX_TIMELINE, empty, at, () => true);
  }
  const { userId } = teamEvent(event);
  const empty = !view.get<MembershipDocument>(MEMBERSHIPS, userId)?.teams.length;
  return historiesToRead(view, userTimeline(userId), empty, at, () => true);
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
  // 2: deal histories, so that a late policy version or team move re-weighs past states too.
  version: 2,
  collections: [
    ...rollupCollections(CHANGES),
    { name: TOTALS, indexes: [['dim', 'value']] },
    { name: DEALS, preload: true },
    { name: HISTORY },
    { name: INDEX, preload: true },
    { name: POLICIES, preload: true },
    { name: MEMBERSHIPS, preload: true },
  ],
  eventTypes: [...DEAL_EVENT_TYPES, POLICY_PUBLISHED, 'UserRegistered', 'UserMovedToTeam'],

  reads(event: RecordedEvent, preloaded: PreloadedView): DocumentRef[] {
    if (event.streamName.startsWith('deal-')) return [{ collection: HISTORY, id: streamId(event) }];
    return entryReads(event, preloaded);
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    const acc = new DeltaAccumulator();
    if (event.type === POLICY_PUBLISHED) applyPolicy(event, view, acc);
    else if (event.type === 'UserRegistered' || event.type === 'UserMovedToTeam')
      applyMembership(event, view, acc);
    else if (event.streamName.startsWith('deal-')) applyDealEvent(event, view, acc);
    acc.drain().forEach((delta, n) => {
      // The forecast keeps one filter (see checkForecastSelection): no breakdowns within a scope.
      addToRollup(view, CHANGES, delta.at, delta.dims, delta.amounts, `${event.id}|${n}`, {
        scopeBreakdowns: false,
      });
      addToTotals(view, delta.dims, delta.amounts);
    });
  },
};
