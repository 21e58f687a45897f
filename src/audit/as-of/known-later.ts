import {
  BOARD_CHANGES,
  BoardChange,
  LATE_CLASSES,
  lateClassLimitMs,
} from '../../../projections/shared/board-history';
import { ReadStore } from '../../read-store/read-store.port';
import { isoPlus } from './deal-span';

/**
 * The deals whose state at (asOf, knownAt) may differ from that at (asOf, ∞): those with a change
 * on or before asOf that became known only after knownAt (from the deal-timeline read model's
 * `boardChanges`, which holds every deal change). Per lateness class c, one index range: known in
 * (knownAt, asOf + 2^c s), which holds every such change of the class (see lateClass) and, past
 * knownAt, little else. Undefined when more than `limit` changes are found: the caller then folds
 * every deal instead.
 */
export async function dealsKnownLater(
  store: ReadStore,
  collection: (logical: string) => string,
  asOf: Date,
  knownAt: Date,
  limit: number,
): Promise<Set<string> | undefined> {
  const after = knownAt.toISOString();
  const asOfIso = asOf.toISOString();
  const deals = new Set<string>();
  let found = 0;
  for (let c = 0; c < LATE_CLASSES; c++) {
    const last = c === LATE_CLASSES - 1;
    const before = isoPlus(asOf, lateClassLimitMs(c));
    if (!last && before !== undefined && before <= after) continue;
    const upper = last || before === undefined ? {} : { lt: before };
    const changes = (await store.find(collection(BOARD_CHANGES), {
      where: { late: `l${c}`, known: { gt: after, ...upper } },
      limit: limit - found + 1,
    })) as unknown as BoardChange[];
    found += changes.length;
    if (found > limit) return undefined;
    for (const change of changes) if (change.at <= asOfIso) deals.add(change.deal);
  }
  return deals;
}

/** With knownAt, at most this many deal changes recorded after it are corrected deal by deal. */
export const KNOWN_LATER_LIMIT = 1000;
