import { BOARD_CHANGES, BoardChange } from '../../../projections/shared/board-history';
import { ReadStore } from '../../read-store/read-store.port';

/**
 * The deals whose state at (asOf, knownAt) may differ from that at (asOf, ∞): those with a change
 * on or before asOf that became known only after knownAt (from the deal-timeline read model's
 * `boardChanges`, which holds every deal change). Undefined when more than `limit` changes were
 * recorded after knownAt: the caller then folds every deal instead.
 */
export async function dealsKnownLater(
  store: ReadStore,
  collection: (logical: string) => string,
  asOf: Date,
  knownAt: Date,
  limit: number,
): Promise<Set<string> | undefined> {
  const later = (await store.find(collection(BOARD_CHANGES), {
    where: { known: { gt: knownAt.toISOString() } },
    limit: limit + 1,
  })) as unknown as BoardChange[];
  if (later.length > limit) return undefined;
  const asOfIso = asOf.toISOString();
  return new Set(later.filter((change) => change.at <= asOfIso).map((change) => change.deal));
}

/** With knownAt, at most this many deal changes recorded after it are corrected deal by deal. */
export const KNOWN_LATER_LIMIT = 1000;
