/**
 * The plain fold of a deal's full timeline at a point, and the plain selection of the deals a
 * point needs: the reference the compact spans (src/audit/as-of/deal-span.ts) are checked against.
 */
import {
  DealFacts,
  DealSpan,
  DealStatus,
  DealTimeline,
  TIMELINES,
  TimelineChange,
} from '../../projections/deal-timeline.projection';
import type { ReadStore } from '../../src/read-store/read-store.port';
import type { TimePoint } from '../../src/audit/as-of/time-point';
import { iso, SPAN_FACT, spanAt } from '../../src/audit/as-of/deal-span';

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
 * deals won for the last time in [wonSince, asOf], whose actuals the forecast counts. Every
 * timeline is read and tested in memory: the oracle the indexed selection of spansAt is held to.
 */
export async function timelinesAt(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  wonSince?: string,
): Promise<DealTimeline[]> {
  const asOf = point.asOf.toISOString();
  const knownAt = point.knownAt?.toISOString();
  const wonFrom = wonSince !== undefined && wonSince <= asOf ? wonSince : undefined;
  const all = (await store.find(collection(TIMELINES))) as DealTimeline[];
  const needed = (doc: DealTimeline) =>
    doc.openedAt <= asOf &&
    (doc.status === 'open' ||
      doc.settledAt! > asOf ||
      (knownAt !== undefined && doc.settledKnown! > knownAt) ||
      (wonFrom !== undefined && doc.status === 'won' && doc.settledAt! >= wonFrom));
  const byId = new Map(all.filter(needed).map((doc) => [doc.id, doc]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** spanAt in the shape of DealAt, less title and account: for checks against dealAt. */
export function dealAtSpan(
  span: DealSpan,
  point: TimePoint,
): Omit<DealAt, 'title' | 'accountId'> | undefined {
  const deal = spanAt(span, point);
  if (!deal) return undefined;
  const { f } = span;
  return {
    id: span.id,
    stagePolicy: f[SPAN_FACT.stagePolicy],
    currency: f[SPAN_FACT.currency],
    channel: f[SPAN_FACT.channel],
    country: f[SPAN_FACT.country],
    region: f[SPAN_FACT.region],
    productLine: f[SPAN_FACT.productLine],
    openedAt: span.openedAt,
    status: deal.status,
    stage: deal.stage,
    enteredStageAt: iso(deal.enteredStageAt),
    owner: deal.owner,
    amount: deal.amount,
    closeDate: deal.closeDate,
    shipMonth: deal.shipMonth,
    won: deal.won && { at: iso(deal.won.at), amount: deal.won.amount, owner: deal.won.owner },
    changedAt: iso(deal.changedAt),
    ownerNow: deal.ownerNow ?? undefined!,
  };
}
