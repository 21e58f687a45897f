import type { FxRate } from '../../domain/shared/money';
import type { ReadDocument } from '../../src/read-store/read-store.port';
import type { Dimensions } from './rollup';
import { weightedInBase } from './forecast-money';

/**
 * What one deal adds to the weighted forecast, as a function of the business time T the forecast
 * is "as of". It depends on the deal's state at T and on what was in force at T: the stage
 * policy's probabilities, the FX table, the owner's team. The projection stores the changes of
 * this function as dated deltas, so that summing the deltas dated ≤ T gives the forecast as of T.
 */

// ---- Amount fields --------------------------------------------------------------------------

/**
 * The amount fields of the delta rollup, one per (measure, target month). `YYYYMM` is the month
 * the amount belongs to (the expected close month, the expected ship month, the won month);
 * `none` holds open deals without an expected close date / ship month.
 */
export const FIELD = {
  /** Σ weighted base-currency minor units of open deals by expected close month. */
  closeWeighted: 'c',
  /** Open deals by expected close month. */
  closeDeals: 'cn',
  /** Open deals by close month that could not be weighted (no FX rate, or a stage the policy lacks). */
  closeUnconverted: 'cx',
  shipWeighted: 's',
  shipDeals: 'sn',
  shipUnconverted: 'sx',
  /** Σ base-currency minor units of won deals (100 %) by won month. */
  wonAmount: 'w',
  wonDeals: 'wn',
  wonUnconverted: 'wx',
} as const;

export const UNSCHEDULED = 'none';

/** 'YYYY-MM' → 'YYYYMM' (field names allow letters, digits and _ only). */
export const monthField = (prefix: string, month: string | null): string =>
  `${prefix}_${month === null ? UNSCHEDULED : month.replace('-', '')}`;

/** 'YYYY-MM' of a date ('2026-03-14'), a month ('2026-03') or an instant (read in UTC). */
export function monthOf(value: string): string {
  if (/^\d{4}-\d{2}(-\d{2})?$/.test(value)) return value.slice(0, 7);
  return new Date(value).toISOString().slice(0, 7);
}

export const dayOf = (instant: string): string => new Date(instant).toISOString().slice(0, 10);

// ---- Policy and membership timelines -----------------------------------------------------------

export const FX_POLICY_ID = 'fx.default';

export interface StageVersion {
  version: number;
  /** When it came into force: the publishing event's occurredAt. */
  at: string;
  /** Open stage key → probability (0..1). */
  probabilities: Record<string, number>;
}

export interface FxVersion {
  version: number;
  at: string;
  base: string;
  rates: FxRate[];
}

export interface TeamSpan {
  at: string;
  teamId: string | null;
}

/**
 * The entry in force at `x`: the last one dated at or before it; before the first entry, the first
 * (so history imported with dates before the first policy version, or before its owner was
 * registered, is weighted with what was known first). Entries are in the order they came into force.
 */
export function inForce<E extends { at: string }>(entries: readonly E[], x: string): E | undefined {
  if (entries.length <= 1) return entries[0];
  const instant = Date.parse(x);
  let found = entries[0];
  for (const entry of entries) {
    if (Date.parse(entry.at) <= instant) found = entry;
    else break;
  }
  return found;
}

/** Where the contribution function looks up what was in force; the projection backs it with its views. */
export interface ForecastContext {
  stageVersions(policyId: string): readonly StageVersion[];
  fxVersions(): readonly FxVersion[];
  teams(userId: string): readonly TeamSpan[];
}

// ---- The deal --------------------------------------------------------------------------------

/** The inputs of a deal's contribution, as folded from its stream. */
export interface ForecastDeal extends ReadDocument {
  id: string;
  status: 'open' | 'won' | 'lost';
  stagePolicy: string;
  currency: string;
  /** Minor units of `currency`; null while the deal has no amount. */
  amount: number | null;
  /** The open stage (the one it was closed from, once closed). */
  stage: string;
  closeMonth: string | null;
  shipMonth: string | null;
  owner: string;
  channel: string;
  country: string;
  region: string;
  productLine: string;
  /** The outcome while won: when, how much, and who owned the deal then. */
  won: { at: string; amount: number; owner: string } | null;
  /** occurredAt of the latest deal event that changed one of the inputs above. */
  changedAt: string;
}

export type Amounts = Record<string, number>;

interface Entry {
  dims: Dimensions;
  amounts: Amounts;
}

/** The rate for an open deal's target month: the one in force on its first day; without a month, the latest dated rate. */
const LATEST = '9999-12-31';

function dims(deal: ForecastDeal, owner: string, team: string | null | undefined): Dimensions {
  const dimensions: Dimensions = {
    channel: deal.channel,
    country: deal.country,
    region: deal.region,
    productLine: deal.productLine,
    owner,
  };
  if (team) dimensions.team = team;
  return dimensions;
}

/** The deal's contribution as of `x`: one (dimensions, amounts) entry, or none when it adds nothing. */
export function contribution(
  deal: ForecastDeal | undefined,
  context: ForecastContext,
  x: string,
): Entry | undefined {
  if (!deal || deal.status === 'lost') return undefined;
  const fx = inForce(context.fxVersions(), x);
  if (deal.status === 'won') {
    const won = deal.won!;
    // The won actual is measured at the won event: its owner and their team then.
    const team = inForce(context.teams(won.owner), won.at)?.teamId;
    const month = monthOf(won.at);
    const amounts: Amounts = { [monthField(FIELD.wonDeals, month)]: 1 };
    const base = fx && weightedInBase(won.amount, deal.currency, 1, fx, dayOf(won.at));
    if (base === undefined) amounts[monthField(FIELD.wonUnconverted, month)] = 1;
    else amounts[monthField(FIELD.wonAmount, month)] = base;
    return { dims: dims(deal, won.owner, team), amounts };
  }
  const team = inForce(context.teams(deal.owner), x)?.teamId;
  const probability = inForce(context.stageVersions(deal.stagePolicy), x)?.probabilities[
    deal.stage
  ];
  const amounts: Amounts = {};
  const weigh = fx && probability !== undefined ? fx : undefined;
  addOpenAxis(amounts, deal, weigh, probability, CLOSE_AXIS, deal.closeMonth);
  addOpenAxis(amounts, deal, weigh, probability, SHIP_AXIS, deal.shipMonth);
  return { dims: dims(deal, deal.owner, team), amounts };
}

interface Axis {
  weighted: string;
  count: string;
  unconverted: string;
}

const CLOSE_AXIS: Axis = {
  weighted: FIELD.closeWeighted,
  count: FIELD.closeDeals,
  unconverted: FIELD.closeUnconverted,
};
const SHIP_AXIS: Axis = {
  weighted: FIELD.shipWeighted,
  count: FIELD.shipDeals,
  unconverted: FIELD.shipUnconverted,
};

/** An open deal on one month axis: counted, and weighted when it can be (`fx` set only then). */
function addOpenAxis(
  amounts: Amounts,
  deal: ForecastDeal,
  fx: FxVersion | undefined,
  probability: number | undefined,
  axis: Axis,
  month: string | null,
): void {
  amounts[monthField(axis.count, month)] = 1;
  if (deal.amount === null) return;
  const base = fx
    ? weightedInBase(deal.amount, deal.currency, probability!, fx, month ? `${month}-01` : LATEST)
    : undefined;
  if (base === undefined) amounts[monthField(axis.unconverted, month)] = 1;
  else amounts[monthField(axis.weighted, month)] = base;
}

// ---- Dated deltas ----------------------------------------------------------------------------

const DIMENSION_ORDER = ['channel', 'country', 'region', 'productLine', 'owner', 'team'] as const;
const dimsKey = (d: Dimensions) => DIMENSION_ORDER.map((k) => d[k] ?? '').join('\u0001');

/** Deltas of one event, merged per (effective time, dimensions), written when the event is done. */
export class DeltaAccumulator {
  private readonly entries = new Map<string, { at: string; dims: Dimensions; amounts: Amounts }>();

  add(at: string, entry: Entry, sign: 1 | -1): void {
    const key = `${at}\u0000${dimsKey(entry.dims)}`;
    let known = this.entries.get(key);
    if (!known) {
      known = { at, dims: entry.dims, amounts: {} };
      this.entries.set(key, known);
    }
    for (const field in entry.amounts) {
      known.amounts[field] = (known.amounts[field] ?? 0) + sign * entry.amounts[field];
    }
  }

  /** Non-zero deltas, in the order they were first touched. */
  drain(): Array<{ at: string; dims: Dimensions; amounts: Amounts }> {
    const out: Array<{ at: string; dims: Dimensions; amounts: Amounts }> = [];
    for (const entry of this.entries.values()) {
      const amounts: Amounts = {};
      let any = false;
      for (const field in entry.amounts) {
        if (entry.amounts[field] === 0) continue;
        amounts[field] = entry.amounts[field];
        any = true;
      }
      if (any) out.push({ at: entry.at, dims: entry.dims, amounts });
    }
    this.entries.clear();
    return out;
  }
}

export interface Side {
  deal: ForecastDeal | undefined;
  context: ForecastContext;
}

/**
 * Records that, from business time `from` on, the deal's contribution is computed from `after`
 * instead of `before`. The contribution also changes where a policy version or a team move
 * comes into force later than `from` (a back-dated import lands before versions already
 * known), so the difference is taken on each such segment and written as a delta at its start:
 * the sum of deltas dated ≤ T is then the contribution as of T for every T ≥ `from`.
 */
export function recordChange(acc: DeltaAccumulator, from: string, before: Side, after: Side): void {
  const points = new Set<string>();
  addChangePoints(points, before);
  addChangePoints(points, after);
  const segments = [from];
  if (points.size > 0) {
    const start = Date.parse(from);
    const later = [...points].filter((at) => Date.parse(at) > start);
    segments.push(...later.sort((a, b) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : 1)));
  }
  let previousNew: Entry | undefined;
  let previousOld: Entry | undefined;
  for (const x of segments) {
    const newer = contribution(after.deal, after.context, x);
    const older = contribution(before.deal, before.context, x);
    // delta at x = (new(x) − old(x)) − (new(x⁻) − old(x⁻)), where x⁻ is the previous segment.
    if (newer) acc.add(x, newer, 1);
    if (older) acc.add(x, older, -1);
    if (previousNew) acc.add(x, previousNew, -1);
    if (previousOld) acc.add(x, previousOld, 1);
    previousNew = newer;
    previousOld = older;
  }
}

/**
 * Instants after which something the deal's contribution depends on may differ. inForce changes
 * only where x passes an entry's time; the first entry's time counts only when a later entry is
 * dated before it (recorded out of order, e.g. a move back-dated before the registration): in order,
 * the first entry holds from the start.
 */
function addChangePoints(points: Set<string>, { deal, context }: Side): void {
  if (!deal || deal.status === 'lost') return;
  addLaterEntries(points, context.fxVersions());
  if (deal.status === 'open') {
    addLaterEntries(points, context.stageVersions(deal.stagePolicy));
    addLaterEntries(points, context.teams(deal.owner));
  }
}

function addLaterEntries(points: Set<string>, entries: readonly { at: string }[]): void {
  if (entries.length <= 1) return;
  const first = Date.parse(entries[0].at);
  let outOfOrder = false;
  for (let i = 1; i < entries.length; i++) {
    points.add(entries[i].at);
    if (Date.parse(entries[i].at) < first) outOfOrder = true;
  }
  if (outOfOrder) points.add(entries[0].at);
}
