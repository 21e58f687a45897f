import {
  BOARD_CHANGES,
  BOARD_TOTALS,
  BoardChange,
  OPEN_SEGMENT,
  ownerStageKey,
  SEGMENT_CLASSES,
  segmentClassLimitMs,
  SEGMENTS,
} from '../../../projections/shared/board-history';
import { splitPeriod } from '../../../projections/shared/time-buckets';
import { FieldCondition, ReadDocument, ReadStore } from '../../read-store/read-store.port';

/** Summed board counters of one (stage, owner): see board-history.ts for the fields. */
export interface OwnerStageTotals {
  stage: string;
  owner: string;
  amounts: Record<string, number>;
}

const EARLIEST = new Date(0);

/**
 * The board's totals at (asOf, ∞) per (stage, owner): every change with business time ≤ asOf,
 * summed from the month, day and hour buckets before asOf's hour and the changes of that hour.
 */
export async function boardTotalsAt(
  store: ReadStore,
  collection: (logical: string) => string,
  asOf: Date,
  owner: string | undefined,
): Promise<Map<string, OwnerStageTotals>> {
  const totals = new Map<string, OwnerStageTotals>();
  const add = (stage: string, holder: string, amounts: Record<string, number>) => {
    if (owner !== undefined && holder !== owner) return;
    const key = ownerStageKey(holder, stage);
    const entry = totals.get(key) ?? { stage, owner: holder, amounts: {} };
    for (const field in amounts)
      entry.amounts[field] = (entry.amounts[field] ?? 0) + amounts[field];
    totals.set(key, entry);
  };
  const parts = splitPeriod(EARLIEST, new Date(asOf.getTime() + 1));
  const buckets = await Promise.all(
    parts.runs.map((run) =>
      store.find(collection(BOARD_TOTALS), {
        where: { level: run.level, start: { gte: run.fromStart, lt: run.toStart } },
      }),
    ),
  );
  for (const found of buckets) {
    for (const bucket of found) {
      add(bucket.stage as string, bucket.owner as string, countersOf(bucket));
    }
  }
  for (const edge of parts.edges) {
    const changes = (await store.find(collection(BOARD_CHANGES), {
      where: { at: { gte: edge.from, lt: edge.to } },
    })) as unknown as BoardChange[];
    for (const change of changes) {
      for (const delta of change.d) add(delta.stage, delta.owner, delta.amounts);
    }
  }
  return totals;
}

const BUCKET_FIELDS = new Set(['id', 'level', 'start', 'stage', 'owner']);

function countersOf(bucket: ReadDocument): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const field in bucket) {
    const value = bucket[field];
    if (!BUCKET_FIELDS.has(field) && typeof value === 'number') counters[field] = value;
  }
  return counters;
}

/** A deal on the board at asOf: its stage entry (ISO), for the order of the cards. */
export interface CardCandidate {
  deal: string;
  e: string;
}

export const byStageEntry = (a: CardCandidate, b: CardCandidate): number =>
  a.e < b.e ? -1 : a.e > b.e ? 1 : a.deal < b.deal ? -1 : a.deal > b.deal ? 1 : 0;

interface SegmentDoc extends ReadDocument {
  deal: string;
  e: string;
  s: string;
  x?: string;
}

/**
 * The first `count` deals in `stage` at (asOf, ∞) (held by `owner` when given), in order of stage
 * entry then id. The segments that last now are read first, then each class from the longest
 * down, in stage entry order from the earliest entry a segment of the class covering asOf can
 * have up to the cut the deals found so far set, a page at a time, each page going on from the
 * last entry the one before ended on (with every segment that shares that entry).
 */
export async function oldestInStage(
  store: ReadStore,
  collection: (logical: string) => string,
  stage: string,
  owner: string | undefined,
  asOf: Date,
  count: number,
): Promise<CardCandidate[]> {
  if (count <= 0) return [];
  const segments = collection(SEGMENTS);
  const asOfIso = asOf.toISOString();
  const key: Record<string, FieldCondition> =
    owner === undefined ? { stage } : { so: ownerStageKey(owner, stage) };
  const sources: Array<{ cls: string; from?: string }> = [{ cls: OPEN_SEGMENT }];
  for (let c = SEGMENT_CLASSES - 1; c >= 0; c--) {
    const from = asOf.getTime() - segmentClassLimitMs(c);
    sources.push({
      cls: `c${c}`,
      from: c < SEGMENT_CLASSES - 1 && from >= 0 ? new Date(from).toISOString() : undefined,
    });
  }
  const found = new Map<string, CardCandidate>();
  let best: CardCandidate[] = [];
  const cut = () => (best.length === count ? best[count - 1].e : asOfIso);
  const consider = (page: SegmentDoc[]) => {
    let added = false;
    for (const segment of page) {
      if (segment.s <= asOfIso && (segment.x === undefined || segment.x > asOfIso)) {
        found.set(segment.deal, { deal: segment.deal, e: segment.e });
        added = true;
      }
    }
    if (added) best = [...found.values()].sort(byStageEntry).slice(0, count);
  };
  for (const source of sources) {
    let after = source.from;
    for (let limit = count; ; limit *= 2) {
      const upTo = cut();
      if (after !== undefined && after >= upTo) break;
      const page = (await store.find(segments, {
        where: {
          ...key,
          cls: source.cls,
          e: { ...(after === undefined ? {} : { gt: after }), lte: upTo },
        },
        sort: [['e', 'asc']],
        limit,
      })) as SegmentDoc[];
      consider(page);
      if (page.length < limit) break;
      after = page[page.length - 1].e;
      // The page may have ended inside a run of equal entries: the rest of the run, then on past it.
      consider(
        (await store.find(segments, {
          where: { ...key, cls: source.cls, e: after },
        })) as SegmentDoc[],
      );
    }
  }
  return best;
}
