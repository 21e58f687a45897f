import { DEAL_FACTS, DealFacts } from '../../../projections/deal-facts.projection';
import type { FieldCondition, ReadStore } from '../../read-store/read-store.port';
import type { CollectionNames } from './deal-report-selection';

export const DEAL_FACTS_DEFAULT_LIMIT = 50;
export const DEAL_FACTS_MAX_LIMIT = 500;
export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;

export async function dealFacts(
  store: ReadStore,
  names: CollectionNames,
  dealId: string,
): Promise<DealFacts | undefined> {
  return (await store.get(names(DEAL_FACTS), dealId)) as DealFacts | undefined;
}

export interface DealFactsFilter {
  ownerId?: string;
  teamId?: string;
  status?: (typeof DEAL_STATUSES)[number];
  stage?: string;
  /** Only deals opened strictly before this instant (to read further back than one page). */
  openedBefore?: string;
  limit?: number;
}

/**
 * Deals newest first by opening, by owner or team, status and stage, one index range each:
 * owner/team + status (+ stage), or status (+ stage) alone. Without a status all three are read
 * through one `in`.
 */
export async function listDealFacts(
  store: ReadStore,
  names: CollectionNames,
  filter: DealFactsFilter,
): Promise<DealFacts[]> {
  const limit = Math.min(filter.limit ?? DEAL_FACTS_DEFAULT_LIMIT, DEAL_FACTS_MAX_LIMIT);
  const where: Record<string, FieldCondition> = {
    status: filter.status ?? { in: [...DEAL_STATUSES] },
  };
  if (filter.ownerId !== undefined) where.ownerId = filter.ownerId;
  else if (filter.teamId !== undefined) where.teamId = filter.teamId;
  if (filter.stage !== undefined) where.stage = filter.stage;
  if (filter.openedBefore !== undefined) where.openedAt = { lt: filter.openedBefore };
  return (await store.find(names(DEAL_FACTS), {
    where,
    sort: [['openedAt', 'desc']],
    limit,
  })) as DealFacts[];
}
