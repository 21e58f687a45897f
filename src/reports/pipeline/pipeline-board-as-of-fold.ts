import {
  DealTimeline,
  TEAMS,
  TeamHistory,
  TIMELINES,
  VERSIONS,
  PolicyVersions,
} from '../../../projections/deal-timeline.projection';
import { ACCOUNTS } from '../../../projections/pipeline-board.projection';
import { knownInForce } from '../../audit/as-of/known-entries';
import { iso, SPAN_FACT, SpanAt, spanAt, spansAt, spansHeldBy } from '../../audit/as-of/deal-span';
import { TimePoint } from '../../audit/as-of/time-point';
import { ReadStore } from '../../read-store/read-store.port';
import type {
  PipelineAsOfCollections,
  PipelineAsOfQuery,
  PipelineBoardAsOf,
} from './pipeline-board-as-of.query';
import {
  BoardCard,
  boardAccount,
  boardRows,
  boardStages,
  byId,
  ColumnTotals,
  compare,
  PipelineColumn,
} from './pipeline-board.query';

export const BOARD_STAGE_POLICY = 'stages.default';

/** The open stages of the stage policy in force at the point, as known then, in order. */
export async function policyStagesAt(
  store: ReadStore,
  collections: PipelineAsOfCollections,
  point: TimePoint,
): Promise<string[]> {
  const policy = (await store.get(collections.timeline(VERSIONS), BOARD_STAGE_POLICY)) as
    PolicyVersions | undefined;
  const inForce = knownInForce(policy?.versions ?? [], point);
  return ((inForce?.body.openStages ?? []) as Array<{ key: string }>).map((stage) => stage.key);
}

/**
 * The board as it stood at asOf, as known at knownAt: the deals open then, in the stage, with the
 * owner and amount they had then, from the deal-timeline read model (no stream is folded). Cost:
 * the indexed finds of deal-span.ts (for a scope of owners holding few deals, those deals;
 * otherwise the deals open now, plus those closed after the point, by span size class), each
 * compact timeline folded in memory, then the full timelines and accounts
 * of the cards returned. Account names are today's; a card's last activity is not kept per point
 * and reads null.
 */
export async function pipelineBoardAsOfByFold(
  store: ReadStore,
  collections: PipelineAsOfCollections,
  query: PipelineAsOfQuery,
): Promise<PipelineBoardAsOf> {
  const { point } = query;
  const echo = { asOf: point.asOf.toISOString(), knownAt: point.knownAt?.toISOString() ?? null };
  if (Array.isArray(query.scope) && query.scope.length === 0) {
    return { report: 'pipeline', columns: [], owners: [], rows: [], ...echo };
  }
  const scope = query.scope === 'all' ? undefined : new Set(query.scope);
  const held =
    query.scope === 'all'
      ? undefined
      : await spansHeldBy(store, collections.timeline, point, query.scope);
  const [spans, policyStages] = await Promise.all([
    held ?? spansAt(store, collections.timeline, point),
    policyStagesAt(store, collections, point),
  ]);
  const open: SpanAt[] = [];
  for (const span of spans) {
    const deal = spanAt(span, point);
    if (
      deal !== undefined &&
      deal.status === 'open' &&
      (scope === undefined || scope.has(deal.ownerNow)) &&
      (query.owner === undefined || deal.owner === query.owner) &&
      (query.stage === undefined || deal.stage === query.stage)
    ) {
      open.push(deal);
    }
  }

  const stages = boardStages(
    policyStages,
    open.map((deal) => deal.stage),
    query.stage,
  );

  const byStage = new Map<string, SpanAt[]>(stages.map((stage) => [stage, []]));
  for (const deal of open) byStage.get(deal.stage)?.push(deal);
  for (const deals of byStage.values()) {
    // enteredStageAt in ms orders as its ISO form does.
    deals.sort((a, b) => a.enteredStageAt - b.enteredStageAt || compare(a.span.id, b.span.id));
  }
  const shown = [...byStage.values()].flatMap((deals) => deals.slice(0, query.limit));
  const cards = await boardCardsAt(store, collections, point, shown);

  const columns: PipelineColumn[] = stages.map((stage) => {
    const deals = byStage.get(stage) ?? [];
    return {
      stage,
      ...totalsOf(deals),
      cards: deals.slice(0, query.limit).map(cards),
      more: deals.length > query.limit,
    };
  });
  const perOwner = new Map<string, SpanAt[]>();
  for (const deal of open) {
    const key = `${deal.owner}\u0000${deal.stage}`;
    const deals = perOwner.get(key);
    if (deals) deals.push(deal);
    else perOwner.set(key, [deal]);
  }
  const owners = [...perOwner.values()]
    .map((deals) => ({ ownerId: deals[0].owner, stage: deals[0].stage, ...totalsOf(deals) }))
    .sort((a, b) => compare(a.ownerId, b.ownerId) || compare(a.stage, b.stage));
  return { report: 'pipeline', columns, owners, rows: boardRows(columns), ...echo };
}

/**
 * The cards of the deals shown, as they stood at the point: reads their full timelines (title,
 * account), today's account names and their owners' teams as known at the point.
 */
export async function boardCardsAt(
  store: ReadStore,
  collections: PipelineAsOfCollections,
  point: TimePoint,
  shown: SpanAt[],
): Promise<(deal: SpanAt) => BoardCard> {
  const timelines = await byId(
    store,
    collections.timeline(TIMELINES),
    shown.map((deal) => deal.span.id),
  );
  const facts = (deal: SpanAt) => timelines.get(deal.span.id) as DealTimeline;
  const [accounts, teams] = await Promise.all([
    byId(
      store,
      collections.board(ACCOUNTS),
      shown.map((deal) => facts(deal).accountId),
    ),
    byId(
      store,
      collections.timeline(TEAMS),
      shown.map((deal) => deal.owner),
    ),
  ]);
  return (deal: SpanAt): BoardCard => {
    const spans = (teams.get(deal.owner) as TeamHistory | undefined)?.spans ?? [];
    const { accountId, title } = facts(deal);
    return {
      id: deal.span.id,
      title,
      account: boardAccount(accountId, accounts.get(accountId)),
      ownerId: deal.owner,
      teamId: knownInForce(spans, point)?.teamId ?? null,
      stage: deal.stage,
      amount:
        deal.amount === null
          ? null
          : { minor: deal.amount, currency: deal.span.f[SPAN_FACT.currency] },
      expectedCloseDate: deal.closeDate,
      expectedShipMonth: deal.shipMonth,
      enteredStageAt: iso(deal.enteredStageAt),
      lastActivityAt: null,
    };
  };
}

function totalsOf(deals: SpanAt[]): ColumnTotals {
  const totals: ColumnTotals = { count: deals.length, unpriced: 0, amounts: {} };
  for (const deal of deals) {
    const currency = deal.span.f[SPAN_FACT.currency];
    if (deal.amount === null) totals.unpriced += 1;
    else totals.amounts[currency] = (totals.amounts[currency] ?? 0) + deal.amount;
  }
  return { ...totals, amounts: sortedKeys(totals.amounts) };
}

/** Currencies in code order, whatever order the deals came in. */
export const sortedKeys = (amounts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(amounts).sort(([a], [b]) => compare(a, b)));
