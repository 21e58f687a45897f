import { DealSpan, SPANS } from '../../../projections/deal-timeline.projection';
import {
  amountField,
  boardCounters,
  ownerStageKey,
  pricedCurrency,
} from '../../../projections/shared/board-history';
import { SPAN_FACT, SpanAt, spanAt } from '../../audit/as-of/deal-span';
import { dealsKnownLater, KNOWN_LATER_LIMIT } from '../../audit/as-of/known-later';
import { TimePoint } from '../../audit/as-of/time-point';
import { ReadStore } from '../../read-store/read-store.port';
import {
  boardTotalsAt,
  byStageEntry,
  CardCandidate,
  oldestInStage,
  OwnerStageTotals,
} from './board-history.query';
import {
  boardCardsAt,
  pipelineBoardAsOfByFold,
  policyStagesAt,
  sortedKeys,
} from './pipeline-board-as-of-fold';
import {
  boardRows,
  boardStages,
  byId,
  ColumnTotals,
  compare,
  PipelineBoard,
  PipelineColumn,
} from './pipeline-board.query';

export interface PipelineAsOfQuery {
  point: TimePoint;
  /** Who may be seen: deals held now by these owners, or everyone. */
  scope: string[] | 'all';
  /** Deals held at the point by this owner. */
  owner?: string;
  stage?: string;
  limit: number;
}

export interface PipelineBoardAsOf extends PipelineBoard {
  asOf: string;
  knownAt: string | null;
}

export interface PipelineAsOfCollections {
  timeline: (logical: string) => string;
  board: (logical: string) => string;
}

/**
 * The board as it stood at asOf, as known at knownAt: the deals open then, in their stage then,
 * with the owner and amount they had then.
 *
 * For everyone's deals, from the board's history in the deal-timeline read model
 * (projections/shared/board-history.ts): totals per (stage, owner) summed from buckets of business
 * time up to asOf, and per stage the `limit` oldest deals from the segment index, then those deals'
 * compact timelines folded for their cards. With knownAt, the deals with a change recorded after
 * it (on or before asOf) are folded at the point and replace what the history says of them; when
 * more than KNOWN_LATER_LIMIT changes were recorded after knownAt, every deal is folded instead
 * (pipelineBoardAsOfByFold), as it is for a scope of owners (deals held now by them). Both ways
 * answer the same.
 */
export async function pipelineBoardAsOf(
  store: ReadStore,
  collections: PipelineAsOfCollections,
  query: PipelineAsOfQuery,
): Promise<PipelineBoardAsOf> {
  const { point } = query;
  if (query.scope !== 'all') return pipelineBoardAsOfByFold(store, collections, query);
  let changed = new Set<string>();
  if (point.knownAt !== undefined) {
    const later = await dealsKnownLater(
      store,
      collections.timeline,
      point.asOf,
      point.knownAt,
      KNOWN_LATER_LIMIT,
    );
    if (later === undefined) return pipelineBoardAsOfByFold(store, collections, query);
    changed = later;
  }
  const [totals, policyStages, changedSpans] = await Promise.all([
    boardTotalsAt(store, collections.timeline, point.asOf, query.owner),
    policyStagesAt(store, collections, point),
    byId(store, collections.timeline(SPANS), [...changed]),
  ]);
  const shows = (deal: SpanAt | undefined): deal is SpanAt =>
    deal !== undefined &&
    deal.status === 'open' &&
    (query.owner === undefined || deal.owner === query.owner);
  // What the history says of the changed deals (all they did up to asOf) gives way to the point.
  const corrected: SpanAt[] = [];
  for (const span of changedSpans.values()) {
    const everything = spanAt(span as DealSpan, { asOf: point.asOf });
    if (shows(everything)) addDeal(totals, everything, -1);
    const atPoint = spanAt(span as DealSpan, point);
    if (shows(atPoint)) {
      addDeal(totals, atPoint, 1);
      corrected.push(atPoint);
    }
  }

  const present: OwnerStageTotals[] = [...totals.values()].filter(
    (entry) =>
      (entry.amounts.count ?? 0) > 0 && (query.stage === undefined || entry.stage === query.stage),
  );
  const stages = boardStages(
    policyStages,
    present.map((entry) => entry.stage),
    query.stage,
  );
  const perStage = new Map<string, Record<string, number>>();
  for (const entry of present) {
    addCounters(perStage, entry.stage, entry.amounts);
  }
  const counts = new Map([...perStage].map(([stage, sums]) => [stage, columnTotals(sums)]));

  const shownPerStage = await Promise.all(
    stages.map(async (stage) => {
      const count = counts.get(stage)?.count ?? 0;
      if (count === 0) return [];
      const fromHistory = await oldestInStage(
        store,
        collections.timeline,
        stage,
        query.owner,
        point.asOf,
        query.limit + changed.size,
      );
      const candidates: CardCandidate[] = fromHistory.filter((c) => !changed.has(c.deal));
      for (const deal of corrected) {
        if (deal.stage === stage) {
          candidates.push({ deal: deal.span.id, e: new Date(deal.enteredStageAt).toISOString() });
        }
      }
      return candidates.sort(byStageEntry).slice(0, query.limit);
    }),
  );
  const spans = await byId(
    store,
    collections.timeline(SPANS),
    shownPerStage.flat().map((c) => c.deal),
  );
  const dealsShown = shownPerStage.map((candidates) =>
    candidates.map((c) => spanAt(spans.get(c.deal) as DealSpan, point) as SpanAt),
  );
  const card = await boardCardsAt(store, collections, point, dealsShown.flat());

  const columns: PipelineColumn[] = stages.map((stage, i) => {
    const totalsOfStage = counts.get(stage) ?? { count: 0, unpriced: 0, amounts: {} };
    return {
      stage,
      ...totalsOfStage,
      cards: dealsShown[i].map(card),
      more: totalsOfStage.count > query.limit,
    };
  });
  const owners = present
    .map((entry) => ({ ownerId: entry.owner, stage: entry.stage, ...columnTotals(entry.amounts) }))
    .sort((a, b) => compare(a.ownerId, b.ownerId) || compare(a.stage, b.stage));
  return {
    report: 'pipeline',
    columns,
    owners,
    rows: boardRows(columns),
    asOf: point.asOf.toISOString(),
    knownAt: point.knownAt?.toISOString() ?? null,
  };
}

/** Adds (sign 1) or takes back (−1) one deal's place on the board. */
function addDeal(totals: Map<string, OwnerStageTotals>, deal: SpanAt, sign: number): void {
  const key = ownerStageKey(deal.owner, deal.stage);
  const entry = totals.get(key) ?? { stage: deal.stage, owner: deal.owner, amounts: {} };
  const counters = boardCounters(deal.amount, deal.span.f[SPAN_FACT.currency]);
  for (const field in counters) {
    entry.amounts[field] = (entry.amounts[field] ?? 0) + sign * counters[field];
  }
  totals.set(key, entry);
}

function addCounters(
  sums: Map<string, Record<string, number>>,
  key: string,
  counters: Record<string, number>,
): void {
  const entry = sums.get(key) ?? {};
  for (const field in counters) entry[field] = (entry[field] ?? 0) + counters[field];
  sums.set(key, entry);
}

/** Column totals from summed counters: a currency shows while some deal is priced in it. */
function columnTotals(amounts: Record<string, number>): ColumnTotals {
  const totals: ColumnTotals = {
    count: amounts.count ?? 0,
    unpriced: amounts.unpriced ?? 0,
    amounts: {},
  };
  for (const field in amounts) {
    const currency = pricedCurrency(field);
    if (currency === undefined || amounts[field] <= 0) continue;
    totals.amounts[currency] = amounts[amountField(currency)] ?? 0;
  }
  totals.amounts = sortedKeys(totals.amounts);
  return totals;
}
