import {
  ACCOUNTS,
  CARDS,
  COLUMNS,
  DealCard,
  MEMBERSHIPS,
  STAGE_ORDERS,
} from '../../../projections/pipeline-board.projection';
import { FieldCondition, ReadDocument, ReadStore } from '../../read-store/read-store.port';
import { ReportRow } from '../report-response';

export const PIPELINE_DEFAULT_LIMIT = 50;
export const PIPELINE_MAX_LIMIT = 200;
/** Columns follow this stage policy's order; stages it does not name come after, by key. */
const BOARD_STAGE_POLICY = 'stages.default';

export interface PipelineQuery {
  /** The owners in scope, or everyone. */
  owners: string[] | 'all';
  stage?: string;
  /** Cards per column. */
  limit: number;
}

export interface BoardCard {
  id: string;
  title: string;
  account: { id: string; name: string | null; mergedInto: string | null };
  ownerId: string;
  teamId: string | null;
  stage: string;
  amount: { minor: number; currency: string } | null;
  expectedCloseDate: string | null;
  expectedShipMonth: string | null;
  enteredStageAt: string;
  lastActivityAt: string | null;
}

export interface ColumnTotals {
  count: number;
  /** Cards without an amount. */
  unpriced: number;
  /** Minor units per currency; never summed across currencies. */
  amounts: Record<string, number>;
}

export interface PipelineColumn extends ColumnTotals {
  stage: string;
  /** The oldest in the stage first, at most `limit`. */
  cards: BoardCard[];
  /** More cards than `limit` are in this column. */
  more: boolean;
}

export interface PipelineBoard {
  report: 'pipeline';
  columns: PipelineColumn[];
  /** The column headers per owner: (owner, stage) counters. */
  owners: Array<ColumnTotals & { ownerId: string; stage: string }>;
  /** One row per card returned, for CSV. */
  rows: ReportRow[];
  [extra: string]: unknown;
}

/**
 * The board for the owners in scope: counters from the (owner, stage) documents, and per column
 * the oldest `limit` cards by an indexed find. Reads the counters, one find per column and the
 * accounts and teams of the cards returned; never every card.
 */
export async function pipelineBoard(
  store: ReadStore,
  collection: (logical: string) => string,
  query: PipelineQuery,
): Promise<PipelineBoard> {
  if (Array.isArray(query.owners) && query.owners.length === 0) {
    return { report: 'pipeline', columns: [], owners: [], rows: [] };
  }
  const ownerCondition: FieldCondition | undefined =
    query.owners === 'all'
      ? undefined
      : query.owners.length === 1
        ? query.owners[0]
        : { in: query.owners };
  const counterWhere: Record<string, FieldCondition> = {};
  if (ownerCondition !== undefined) counterWhere.ownerId = ownerCondition;
  if (query.stage !== undefined) counterWhere.stage = query.stage;

  const [counters, order] = await Promise.all([
    store.find(collection(COLUMNS), { where: counterWhere }),
    store.get(collection(STAGE_ORDERS), BOARD_STAGE_POLICY),
  ]);
  const owners = counters
    .filter((counter) => (counter.count as number) > 0)
    .map((counter) => ({
      ownerId: counter.ownerId as string,
      stage: counter.stage as string,
      ...totalsOf([counter]),
    }))
    .sort((a, b) =>
      a.ownerId === b.ownerId ? compare(a.stage, b.stage) : compare(a.ownerId, b.ownerId),
    );

  const stages = boardStages(
    (order?.stages as string[] | undefined) ?? [],
    owners.map((o) => o.stage),
    query.stage,
  );

  const columns: PipelineColumn[] = [];
  const found = await Promise.all(
    stages.map(
      (stage) =>
        store.find(collection(CARDS), {
          where: ownerCondition === undefined ? { stage } : { ownerId: ownerCondition, stage },
          sort: [['enteredStageAt', 'asc']],
          limit: query.limit + 1,
        }) as Promise<DealCard[]>,
    ),
  );
  const cards = found.flatMap((list) => list.slice(0, query.limit));
  const [accounts, teams] = await Promise.all([
    byId(
      store,
      collection(ACCOUNTS),
      cards.map((card) => card.accountId),
    ),
    byId(
      store,
      collection(MEMBERSHIPS),
      cards.map((card) => card.ownerId),
    ),
  ]);
  const view = (card: DealCard): BoardCard => ({
    id: card.id,
    title: card.title,
    account: boardAccount(card.accountId, accounts.get(card.accountId)),
    ownerId: card.ownerId,
    teamId: (teams.get(card.ownerId)?.teamId as string | null | undefined) ?? null,
    stage: card.stage,
    amount: card.amountMinor === null ? null : { minor: card.amountMinor, currency: card.currency },
    expectedCloseDate: card.expectedCloseDate,
    expectedShipMonth: card.expectedShipMonth,
    enteredStageAt: card.enteredStageAt,
    lastActivityAt: card.lastActivityAt,
  });
  stages.forEach((stage, n) => {
    columns.push({
      stage,
      ...totalsOf(counters.filter((counter) => counter.stage === stage)),
      cards: found[n].slice(0, query.limit).map(view),
      more: found[n].length > query.limit,
    });
  });
  return { report: 'pipeline', columns, owners, rows: boardRows(columns) };
}

function totalsOf(counters: ReadDocument[]): ColumnTotals {
  const totals: ColumnTotals = { count: 0, unpriced: 0, amounts: {} };
  for (const counter of counters) {
    totals.count += (counter.count as number | undefined) ?? 0;
    totals.unpriced += (counter.unpriced as number | undefined) ?? 0;
    for (const [field, value] of Object.entries(counter)) {
      if (!field.startsWith('amount_') || typeof value !== 'number') continue;
      const currency = field.slice('amount_'.length);
      totals.amounts[currency] = (totals.amounts[currency] ?? 0) + value;
    }
  }
  // A currency whose cards all left the column keeps a zero field; it is not shown.
  for (const [currency, value] of Object.entries(totals.amounts))
    if (value === 0) delete totals.amounts[currency];
  return totals;
}

/** The columns: the filtered stage alone, or the policy's stages, then the others present by key. */
export function boardStages(
  policyStages: string[],
  present: string[],
  stage: string | undefined,
): string[] {
  if (stage !== undefined) return [stage];
  const others = [...new Set(present)].filter((key) => !policyStages.includes(key)).sort(compare);
  return [...policyStages, ...others];
}

/** One CSV row per card shown. */
export const boardRows = (columns: PipelineColumn[]): ReportRow[] =>
  columns.flatMap((column) =>
    column.cards.map((card) => ({
      stage: card.stage,
      dealId: card.id,
      title: card.title,
      accountId: card.account.id,
      account: card.account.name,
      ownerId: card.ownerId,
      teamId: card.teamId,
      amountMinor: card.amount?.minor ?? null,
      currency: card.amount?.currency ?? null,
      expectedCloseDate: card.expectedCloseDate,
      expectedShipMonth: card.expectedShipMonth,
      enteredStageAt: card.enteredStageAt,
      lastActivityAt: card.lastActivityAt,
    })),
  );

/** A card's account as shown: today's name, and where it was merged into. */
export const boardAccount = (id: string, account: ReadDocument | undefined) => ({
  id,
  name: (account?.name as string | null | undefined) ?? null,
  mergedInto: (account?.mergedInto as string | null | undefined) ?? null,
});

export async function byId(
  store: ReadStore,
  collection: string,
  ids: string[],
): Promise<Map<string, ReadDocument>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map((await store.getMany(collection, unique)).map((doc) => [doc.id, doc]));
}

export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
