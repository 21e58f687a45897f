import type { ProjectionView } from '../projection';
import { BUCKET_LEVELS, bucketStart } from './time-buckets';

/**
 * The pipeline board over business time, kept so that "the board as of T" reads totals and a few
 * cards instead of folding every deal open at T.
 *
 * A deal's changes grow in both business time and recorded time, so its state at (asOf T,
 * knownAt K) is its state after the changes with at ≤ T and known ≤ K. Its contribution to the
 * board there is therefore the sum of the differences each of those changes made to it. Summed over
 * deals: the board's totals at (T, ∞) are the sum of every change's difference with at ≤ T. Those
 * differences are filed per (stage, owner) in UTC month, day and hour buckets (`boardTotals`) and,
 * for the sub-hour edge, per change (`boardChanges`, which also records when each change became
 * known and how late, so that a knownAt query finds the changes it must leave out).
 *
 * The cards (the oldest deals in each stage at T) come from `segments`: one document per stretch of
 * a deal's history with the same open stage, stage entry and owner, with when it started and ended
 * and the size class of its length since the stage entry, so that the deals in a stage at T are
 * found class by class in order of their stage entry (see boardSegmentClass).
 */
export const BOARD_TOTALS = 'boardTotals';
export const BOARD_CHANGES = 'boardChanges';
export const SEGMENTS = 'segments';

/** What a deal adds to the board: nothing once closed. */
export interface BoardState {
  open: boolean;
  stage: string;
  owner: string;
  /** Minor units of the deal's currency; null: not priced. */
  amount: number | null;
  /** Business time of the latest stage entry (ISO). */
  enteredStageAt: string;
}

/** The board change of one (stage, owner): counts and per-currency amounts, as counter fields. */
export interface BoardDelta {
  stage: string;
  owner: string;
  amounts: Record<string, number>;
}

/** Counter fields: `count`, `unpriced`, and per currency `p_<CUR>` (priced deals) and `a_<CUR>` (minor units). */
const PRICED = 'p_';
export const amountField = (currency: string) => `a_${currency}`;
/** The currency a `p_<CUR>` field counts deals priced in; undefined for other fields. */
export const pricedCurrency = (field: string): string | undefined =>
  field.startsWith(PRICED) ? field.slice(PRICED.length) : undefined;

/** One open deal's counters on the board. */
export function boardCounters(amount: number | null, currency: string): Record<string, number> {
  return amount === null
    ? { count: 1, unpriced: 1 }
    : { count: 1, [`${PRICED}${currency}`]: 1, [amountField(currency)]: amount };
}

function contribution(state: BoardState | undefined, currency: string): BoardDelta | undefined {
  if (!state?.open) return undefined;
  return { stage: state.stage, owner: state.owner, amounts: boardCounters(state.amount, currency) };
}

/** What a change did to the board: the new contribution less the old, per (stage, owner), zeros left out. */
export function boardDeltas(
  before: BoardState | undefined,
  after: BoardState | undefined,
  currency: string,
): BoardDelta[] {
  const byKey = new Map<string, BoardDelta>();
  const add = (delta: BoardDelta | undefined, sign: number) => {
    if (!delta) return;
    const key = `${delta.stage}\u0000${delta.owner}`;
    const entry = byKey.get(key) ?? { stage: delta.stage, owner: delta.owner, amounts: {} };
    for (const field in delta.amounts) {
      entry.amounts[field] = (entry.amounts[field] ?? 0) + sign * delta.amounts[field];
    }
    byKey.set(key, entry);
  };
  add(contribution(before, currency), -1);
  add(contribution(after, currency), 1);
  const deltas: BoardDelta[] = [];
  for (const entry of byKey.values()) {
    for (const field of Object.keys(entry.amounts)) {
      if (entry.amounts[field] === 0) delete entry.amounts[field];
    }
    if (Object.keys(entry.amounts).length > 0) deltas.push(entry);
  }
  return deltas;
}

/** One bucket of board totals: the summed changes of one (stage, owner) in one UTC month, day or hour. */
export const boardTotalsId = (level: string, start: string, stage: string, owner: string) =>
  `${level}|${start}|${stage}|${owner}`;

/** One change of one deal: its board deltas, and when it happened and became known. */
export interface BoardChange {
  id: string;
  deal: string;
  at: string;
  known: string;
  /** How late it was recorded, as a class: see lateClass. */
  late: string;
  d: BoardDelta[];
}

/** Lateness classes: the smallest c ≥ 0 with known − at < 2^c seconds, capped. */
export const LATE_CLASSES = 37;
/** The upper limit (exclusive) of lateness class c, in ms. */
export const lateClassLimitMs = (c: number): number => 2 ** c * 1000;

/**
 * The lateness class of a change, as a key (`l<c>`). A change of class c < the last that happened
 * by T and became known after K was recorded in (K, T + 2^c s): one index range per class finds
 * every change a knownAt query must leave out, without reading what happened after T.
 */
export function lateClass(at: string, known: string): string {
  const late = Date.parse(known) - Date.parse(at);
  let c = 0;
  while (c < LATE_CLASSES - 1 && late >= lateClassLimitMs(c)) c++;
  return `l${c}`;
}

export const boardChangeId = (deal: string, index: number) => `${deal}:${index}`;

/**
 * Files a change: its deltas into the buckets of its business time, and the change itself (also
 * when its deltas are empty: a knownAt query must know that the deal changed after knownAt).
 */
export function fileBoardChange(view: ProjectionView, change: Omit<BoardChange, 'late'>): void {
  const when = new Date(change.at);
  for (const level of BUCKET_LEVELS) {
    const start = bucketStart(level, when);
    for (const { stage, owner, amounts } of change.d) {
      view.increment(BOARD_TOTALS, boardTotalsId(level, start, stage, owner), amounts, {
        level,
        start,
        stage,
        owner,
      });
    }
  }
  view.put(BOARD_CHANGES, { ...change, late: lateClass(change.at, change.known) });
}

/** Segment size classes: the smallest c ≥ 0 with length < 2^(c/2) hours, capped (see BoardSegment.cls). */
export const SEGMENT_CLASSES = 41;
const HOUR_MS = 60 * 60 * 1000;
/** The upper limit (exclusive) of class c, in ms. */
export const segmentClassLimitMs = (c: number): number => Math.ceil(2 ** (c / 2) * HOUR_MS);

/** The class key of a closed segment, whose stage entry was at `e` and which ended at `x`. */
export function boardSegmentClass(e: string, x: string): string {
  const length = Date.parse(x) - Date.parse(e);
  let c = 0;
  while (c < SEGMENT_CLASSES - 1 && length >= segmentClassLimitMs(c)) c++;
  return `c${c}`;
}
export const OPEN_SEGMENT = 'open';

/**
 * A stretch of one deal's history with the same open stage, stage entry and owner.
 * - `e`: the stage entry (enteredStageAt); `s`: business time of the change that began the stretch;
 *   `x`: of the change that ended it (absent while it lasts);
 * - `cls`: OPEN_SEGMENT while it lasts, else boardSegmentClass(e, x). A segment of class c < the
 *   last that covers T (s ≤ T < x) has e > T − 2^(c/2) h, so one index range on (stage, cls, e) per
 *   class finds the segments covering T in stage entry order;
 * - `so`: owner and stage, for the same finds within one owner.
 */
export interface BoardSegment {
  id: string;
  deal: string;
  stage: string;
  owner: string;
  so: string;
  e: string;
  s: string;
  x?: string;
  cls: string;
}

export const ownerStageKey = (owner: string, stage: string) => `${owner}|${stage}`;

const sameStretch = (a: BoardState | undefined, b: BoardState | undefined) =>
  a?.open === true &&
  b?.open === true &&
  a.stage === b.stage &&
  a.owner === b.owner &&
  a.enteredStageAt === b.enteredStageAt;

/**
 * Ends the deal's current segment and begins the next when a change moved it to another stretch.
 * `current` is the segment the deal was in before the change; returns the one it is in after.
 */
export function moveSegment(
  view: ProjectionView,
  deal: string,
  current: BoardSegment | undefined,
  before: BoardState | undefined,
  after: BoardState | undefined,
  at: string,
  index: number,
): BoardSegment | undefined {
  if (sameStretch(before, after)) return current;
  if (current) {
    view.put(SEGMENTS, { ...current, x: at, cls: boardSegmentClass(current.e, at) });
  }
  if (!after?.open) return undefined;
  const next: BoardSegment = {
    id: `${deal}:${index}`,
    deal,
    stage: after.stage,
    owner: after.owner,
    so: ownerStageKey(after.owner, after.stage),
    e: after.enteredStageAt,
    s: at,
    cls: OPEN_SEGMENT,
  };
  view.put(SEGMENTS, { ...next });
  return next;
}
