import {
  DealSpan,
  DealStatus,
  SPAN_CLASSES,
  SPANS,
  spanClassKey,
  spanClassLimitMs,
  SpanOp,
} from '../../../projections/deal-timeline.projection';
import { FieldCondition, ReadStore } from '../../read-store/read-store.port';
import { TimePoint } from './time-point';

/**
 * A deal as it stood at a point, folded from its compact timeline (DealSpan), less title and
 * account (kept in the full timeline), with its times in epoch ms (they order
 * exactly as the stored ISO strings do; `iso` turns them back into those strings).
 */
export interface SpanAt {
  span: DealSpan;
  status: DealStatus;
  /** The open stage; once closed, the one it was closed from. */
  stage: string;
  enteredStageAt: number;
  owner: string;
  amount: number | null;
  closeDate: string | null;
  shipMonth: string | null;
  /** While won at the point: when, how much, and who owned the deal then. */
  won: { at: number; amount: number; owner: string } | null;
  /** Business time of the latest change folded. */
  changedAt: number;
  /** Who holds the deal now. */
  ownerNow: string;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Facts of DealSpan.f, by position. */
export const SPAN_FACT = {
  stagePolicy: 0,
  currency: 1,
  channel: 2,
  country: 3,
  region: 4,
  productLine: 5,
} as const;

const COMMA = 44;
const COLON = 58;
const QUOTE = 39;
const MINUS = 45;
const ZERO = 48;
/** No value (before any op set it). */
const NONE = -1;

/** The value of DealSpan.c whose text starts at `at` (NONE: null). */
function valueAt(c: string, at: number): string | number | null {
  if (at === NONE) return null;
  if (c.charCodeAt(at) === QUOTE) {
    let length = 0;
    let p = at + 1;
    for (let code = c.charCodeAt(p); code !== COLON; code = c.charCodeAt(++p)) {
      length = length * 10 + (code - ZERO);
    }
    return c.slice(p + 1, p + 1 + length);
  }
  const end = c.indexOf(';', at);
  return end === at ? null : Number(c.slice(at, end));
}

/**
 * The deal at the point from its compact timeline: the same state as the plain fold of the full
 * timeline, or undefined when the deal did not exist yet (or was not known yet). Walks the ops
 * string once, up to the first op left out, noting where the values it keeps start, and makes
 * strings and numbers of those only.
 */
export function spanAt(span: DealSpan, point: TimePoint): SpanAt | undefined {
  const c = span.c;
  const n = c.length;
  const asOf = point.asOf.getTime();
  const knownAt = point.knownAt === undefined ? Infinity : point.knownAt.getTime();
  let at = Date.parse(span.openedAt);
  let known = Date.parse(span.firstKnown);
  let p = 0;
  let status: DealStatus = 'open';
  let stage = NONE;
  let enteredStageAt = 0;
  let owner = NONE;
  let amount = NONE;
  let closeDate = NONE;
  let shipMonth = NONE;
  let won = false;
  let wonAt = 0;
  let wonAmount = NONE;
  let wonFallback = NONE;
  let wonOwner = NONE;
  let changedAt = 0;
  let first = true;
  // Both times only grow along a stream: the first op left out ends the fold.
  while (p < n) {
    // dAt, then dKnown: integers, each ended by a comma.
    for (let field = 0; field < 2; field++) {
      let sign = 1;
      if (c.charCodeAt(p) === MINUS) {
        sign = -1;
        p++;
      }
      let delta = 0;
      for (let code = c.charCodeAt(p); code !== COMMA; code = c.charCodeAt(++p)) {
        delta = delta * 10 + (code - ZERO);
      }
      p++;
      if (field === 0) at += sign * delta;
      else known += sign * delta;
    }
    if (at > asOf || known > knownAt) break;
    if (first) {
      enteredStageAt = at;
      first = false;
    }
    changedAt = at;
    const op = c.charCodeAt(p) - ZERO;
    const value = p + 2;
    // Skip the value and its semicolon.
    if (c.charCodeAt(value) === QUOTE) {
      let length = 0;
      p = value + 1;
      for (let code = c.charCodeAt(p); code !== COLON; code = c.charCodeAt(++p)) {
        length = length * 10 + (code - ZERO);
      }
      p += length + 2;
    } else {
      p = c.indexOf(';', value) + 1;
    }
    switch (op) {
      case SpanOp.owner:
        owner = value;
        break;
      case SpanOp.amount:
        amount = value;
        break;
      case SpanOp.closeDate:
        closeDate = value;
        break;
      case SpanOp.shipMonth:
        shipMonth = value;
        break;
      case SpanOp.stage:
        stage = value;
        enteredStageAt = at;
        break;
      case SpanOp.won:
        status = 'won';
        won = true;
        wonAt = at;
        wonAmount = value;
        wonFallback = amount;
        wonOwner = owner;
        break;
      case SpanOp.lost:
        status = 'lost';
        won = false;
        break;
      case SpanOp.reopened:
        status = 'open';
        won = false;
        break;
    }
  }
  if (first) return undefined;
  // What the plain fold leaves undefined (a stage or owner no op set) stays undefined here.
  const text = (from: number) => (from === NONE ? undefined : valueAt(c, from)) as string;
  return {
    span,
    status,
    stage: text(stage),
    enteredStageAt,
    owner: text(owner),
    amount: valueAt(c, amount) as number | null,
    closeDate: valueAt(c, closeDate) as string | null,
    shipMonth: valueAt(c, shipMonth) as string | null,
    won: won
      ? {
          at: wonAt,
          amount:
            (valueAt(c, wonAmount) as number | null) ??
            (valueAt(c, wonFallback) as number | null) ??
            0,
          owner: text(wonOwner),
        }
      : null,
    changedAt,
    ownerNow: span.ownerNow as string,
  };
}

/** `ms` after the instant as an ISO string; undefined (no upper bound) beyond year 9999. */
export const isoPlus = (instant: Date, ms: number): string | undefined => {
  const end = instant.getTime() + ms;
  return end > LAST_PLAIN_ISO ? undefined : new Date(end).toISOString();
};

/** The last instant whose ISO form has a four-digit year, so that ISO strings order as times. */
const LAST_PLAIN_ISO = Date.parse('9999-12-31T23:59:59.999Z');

/** With knownAt, first try reading the deals known by then, when they are at most this many. */
export const KNOWN_PROBE = 256;

/** One indexed find of the selection. */
type SpanQuery = { where: Record<string, FieldCondition>; limit?: number };

/**
 * The finds that select the deals a point may need (see spansAt), and the test every deal they
 * return must pass: together they return each needed deal at least once.
 */
function selection(
  point: TimePoint,
  wonSince: string | undefined,
): { queries: SpanQuery[]; needed: (doc: DealSpan) => boolean } {
  const asOf = point.asOf.toISOString();
  const knownAt = point.knownAt?.toISOString();
  const wonFrom = wonSince !== undefined && wonSince <= asOf ? wonSince : undefined;
  const needed = (doc: DealSpan) =>
    doc.openedAt <= asOf &&
    (knownAt === undefined || doc.firstKnown <= knownAt) &&
    (doc.status === 'open' ||
      doc.settledAt! > asOf ||
      (knownAt !== undefined && doc.settledKnown! > knownAt) ||
      (wonFrom !== undefined && doc.status === 'won' && doc.settledAt! >= wonFrom));
  const queries: SpanQuery[] = [
    knownAt === undefined || asOf <= knownAt
      ? { where: { status: 'open', openedAt: { lte: asOf } } }
      : { where: { status: 'open', firstKnown: { lte: knownAt } } },
  ];
  const byClass = (
    classField: 'openClass' | 'knownClass',
    field: 'settledAt' | 'settledKnown',
    from: Date,
  ) => {
    for (let c = 0; c < SPAN_CLASSES; c++) {
      const lt = c < SPAN_CLASSES - 1 ? isoPlus(from, spanClassLimitMs(c)) : undefined;
      const range = { gt: from.toISOString(), ...(lt === undefined ? {} : { lt }) };
      queries.push({ where: { [classField]: spanClassKey(c), [field]: range } });
    }
  };
  byClass('openClass', 'settledAt', point.asOf);
  if (point.knownAt) byClass('knownClass', 'settledKnown', point.knownAt);
  if (wonFrom !== undefined) {
    queries.push({ where: { status: 'won', settledAt: { gte: wonFrom, lte: asOf } } });
  }
  return { queries, needed };
}

/**
 * With knownAt, the deals known opened by then, when there are at most KNOWN_PROBE of them (an
 * early knownAt): one bounded find, and the selection's test in memory. Undefined otherwise.
 */
async function fewKnown(
  store: ReadStore,
  spans: string,
  point: TimePoint,
  needed: (doc: DealSpan) => boolean,
): Promise<DealSpan[] | undefined> {
  if (point.knownAt === undefined) return undefined;
  const known = (await store.find(spans, {
    where: { firstKnown: { lte: point.knownAt.toISOString() } },
    limit: KNOWN_PROBE + 1,
  })) as DealSpan[];
  return known.length <= KNOWN_PROBE ? known.filter(needed) : undefined;
}

/**
 * The compact timelines of the deals that may be open at the point, in id order (those that did
 * not exist or were not known yet at the point left out). With
 * `wonSince`, also the deals won for the last time in [wonSince, asOf]. Indexed finds only:
 * - with knownAt: the deals known opened by then, when there are at most KNOWN_PROBE of them
 *   (an early knownAt: one bounded find, then the conditions below in memory);
 * - otherwise, open now and opened by asOf (or, when knownAt is before asOf, known opened by
 *   knownAt);
 * - closed for the last time after asOf though opened by then: for each span size class c, the
 *   range settledAt ∈ (asOf, asOf + 2^(c/2) h) (see DealSpan.openClass);
 * - with knownAt, closed as known only after knownAt though known opened by then: the same per
 *   class of the known span;
 * - with wonSince, won for the last time in [wonSince, asOf].
 */
export async function spansAt(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  wonSince?: string,
): Promise<DealSpan[]> {
  const spans = collection(SPANS);
  const { queries, needed } = selection(point, wonSince);
  const few = await fewKnown(store, spans, point, needed);
  if (few) return few.sort(byDealId);
  const byId = new Map<string, DealSpan>();
  for (const found of await Promise.all(queries.map((query) => store.find(spans, query)))) {
    for (const doc of found as DealSpan[]) if (needed(doc)) byId.set(doc.id, doc);
  }
  return [...byId.values()].sort(byDealId);
}

const byDealId = (a: DealSpan, b: DealSpan) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Above this many deals held now by a scope's owners, spansHeldBy leaves the choice to spansAt. */
export const HELD_PROBE = 4000;

/**
 * The compact timelines of the deals held now by `owners` that may be open at the point, in id
 * order, when those deals are at most HELD_PROBE (a rep's or a small team's book): one indexed
 * count and find on `ownerNow`, and spansAt's test in memory. Undefined otherwise.
 */
export async function spansHeldBy(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  owners: string[],
): Promise<DealSpan[] | undefined> {
  const spans = collection(SPANS);
  const where = { ownerNow: { in: owners } };
  if ((await store.count(spans, where)) > HELD_PROBE) return undefined;
  const { needed } = selection(point, undefined);
  const held = (await store.find(spans, { where })) as DealSpan[];
  return held.filter(needed).sort(byDealId);
}

/**
 * The deals of spansAt, each visited once, in no particular order, one find at a time: what a
 * caller that only adds up may use, so that each find's documents can be dropped before the next.
 */
export async function forEachSpanAt(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  wonSince: string | undefined,
  visit: (span: DealSpan) => void,
): Promise<void> {
  const spans = collection(SPANS);
  const { queries, needed } = selection(point, wonSince);
  const few = await fewKnown(store, spans, point, needed);
  if (few) {
    few.forEach(visit);
    return;
  }
  const seen = new Set<string>();
  for (const query of queries) {
    for (const doc of (await store.find(spans, query)) as DealSpan[]) {
      if (!needed(doc) || seen.has(doc.id)) continue;
      seen.add(doc.id);
      visit(doc);
    }
  }
}
