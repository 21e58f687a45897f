import { TimePoint } from '../../audit/as-of/time-point';
import { ReadStore } from '../../read-store/read-store.port';
import { pipelineBoardAsOfByFold } from './pipeline-board-as-of-fold';
import { PipelineBoard } from './pipeline-board.query';

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

/** The board as it stood at asOf, as known at knownAt. */
export async function pipelineBoardAsOf(
  store: ReadStore,
  collections: PipelineAsOfCollections,
  query: PipelineAsOfQuery,
): Promise<PipelineBoardAsOf> {
  return pipelineBoardAsOfByFold(store, collections, query);
}
