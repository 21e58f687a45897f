import { TimePoint } from './time-point';

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
