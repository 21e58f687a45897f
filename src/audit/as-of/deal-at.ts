import {
  DealFacts,
  DealStatus,
  DealTimeline,
  TIMELINES,
  TimelineChange,
} from '../../../projections/deal-timeline.projection';
import { ReadStore } from '../../read-store/read-store.port';
import { TimePoint } from './time-point';

/** A deal as it stood at a point, from its timeline. */
export interface DealAt extends DealFacts {
  status: DealStatus;
  /** The open stage; once closed, the one it was closed from. */
  stage: string;
  enteredStageAt: string;
  owner: string;
  amount: number | null;
  closeDate: string | null;
  shipMonth: string | null;
  /** While won at the point: when, how much, and who owned the deal then. */
  won: { at: string; amount: number; owner: string } | null;
  /** Business time of the latest change folded. */
  changedAt: string;
  /** Who holds the deal now: record scope is judged on the present, not on the past. */
  ownerNow: string;
}

const included = (change: TimelineChange, asOf: string, knownAt: string | undefined) =>
  change.at <= asOf && (knownAt === undefined || change.known <= knownAt);

/** The deal at the point, or undefined when it did not exist yet (or was not known yet). */
export function dealAt(timeline: DealTimeline, point: TimePoint): DealAt | undefined {
  const asOf = point.asOf.toISOString();
  const knownAt = point.knownAt?.toISOString();
  const [first] = timeline.changes;
  if (!first || !included(first, asOf, knownAt)) return undefined;
  let ownerNow = first.owner!;
  for (const change of timeline.changes) if (change.owner !== undefined) ownerNow = change.owner;
  const deal: DealAt = {
    id: timeline.id,
    accountId: timeline.accountId,
    title: timeline.title,
    stagePolicy: timeline.stagePolicy,
    currency: timeline.currency,
    channel: timeline.channel,
    country: timeline.country,
    region: timeline.region,
    productLine: timeline.productLine,
    openedAt: timeline.openedAt,
    status: 'open',
    stage: first.stage!,
    enteredStageAt: first.at,
    owner: first.owner!,
    amount: first.amount ?? null,
    closeDate: first.closeDate ?? null,
    shipMonth: first.shipMonth ?? null,
    won: null,
    changedAt: first.at,
    ownerNow,
  };
  for (const change of timeline.changes.slice(1)) {
    // Both times only grow along a stream: the first change left out ends the fold.
    if (!included(change, asOf, knownAt)) break;
    deal.changedAt = change.at;
    if (change.owner !== undefined) deal.owner = change.owner;
    if (change.amount !== undefined) deal.amount = change.amount;
    if (change.closeDate !== undefined) deal.closeDate = change.closeDate;
    if (change.shipMonth !== undefined) deal.shipMonth = change.shipMonth;
    if (change.stage !== undefined) {
      deal.stage = change.stage;
      deal.enteredStageAt = change.at;
    }
    if (change.status !== undefined) {
      deal.status = change.status;
      deal.won =
        change.status === 'won'
          ? { at: change.at, amount: change.wonAmount ?? deal.amount ?? 0, owner: deal.owner }
          : null;
    }
  }
  return deal;
}

/**
 * The timelines of the deals that may be open at the point: open now (and opened by then), or
 * closed for the last time after the point or known to be only after it. With `wonSince`, also the
 * deals won for the last time in [wonSince, asOf], whose actuals the forecast counts. Indexed
 * finds only; a deal closed for good before the point is never read.
 */
export async function timelinesAt(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  wonSince?: string,
): Promise<DealTimeline[]> {
  const timelines = collection(TIMELINES);
  const asOf = point.asOf.toISOString();
  const finds = [
    store.find(timelines, { where: { status: 'open', openedAt: { lte: asOf } } }),
    store.find(timelines, { where: { settledAt: { gt: asOf } } }),
  ];
  if (point.knownAt) {
    finds.push(
      store.find(timelines, { where: { settledKnown: { gt: point.knownAt.toISOString() } } }),
    );
  }
  if (wonSince !== undefined && wonSince <= asOf) {
    finds.push(
      store.find(timelines, { where: { status: 'won', settledAt: { gte: wonSince, lte: asOf } } }),
    );
  }
  const byId = new Map<string, DealTimeline>();
  for (const found of await Promise.all(finds)) {
    for (const doc of found as DealTimeline[]) if (doc.openedAt <= asOf) byId.set(doc.id, doc);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The entry in force at the point among those known by then: the latest dated at or before asOf, else the first. */
export function knownInForce<E extends { at: string; known: string }>(
  entries: readonly E[],
  point: TimePoint,
): E | undefined {
  const known = knownBy(entries, point);
  const asOf = point.asOf.toISOString();
  let found = known[0];
  for (const entry of known) {
    if (entry.at <= asOf) found = entry;
    else break;
  }
  return found;
}

/** The entries recorded by knownAt (all without one). */
export const knownBy = <E extends { known: string }>(
  entries: readonly E[],
  point: TimePoint,
): E[] =>
  point.knownAt === undefined
    ? [...entries]
    : entries.filter((entry) => entry.known <= point.knownAt!.toISOString());
