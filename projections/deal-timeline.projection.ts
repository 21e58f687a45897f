import type {
  DealAmountChanged,
  DealExpectedCloseDateChanged,
  DealExpectedShipMonthChanged,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import {
  BOARD_CHANGES,
  BOARD_TOTALS,
  boardChangeId,
  boardDeltas,
  BoardSegment,
  BoardState,
  fileBoardChange,
  moveSegment,
  SEGMENTS,
} from './shared/board-history';

/**
 * Deal timelines, bitemporal: per deal, every change to what the pipeline board and the forecast
 * show (stage, owner, amount, expected close date and ship month, outcome), each with its business
 * time (`at`, occurredAt) and the time it became known (`known`, recordedAt); and the same for
 * stage-policy and FX versions and for users' teams. The board and the forecast "as of T, known
 * at K" fold these compact lists, never the deals' streams (whose activities and quotes they do
 * not need, and whose personal data they would have to decrypt).
 *
 * Each timeline is kept twice: in full (`timelines`, read for the cards a board shows) and in
 * the compact form the folds read (`spans`, see DealSpan), which also carries the keys that find
 * the deals a point needs by index: those open now, and those whose latest closing happened after
 * T or became known after K, by span size class. A deal closed by T for good, and known to be by
 * K, cannot be open at (T, K); nor can one opened after T or not known yet at K.
 * docs/read-models/deal-timeline.md describes the documents.
 */
export const DEAL_TIMELINE = 'deal-timeline';
export const TIMELINES = 'timelines';
/** Compact per-deal timelines with the keys point-in-time queries select deals by: see DealSpan. */
export const SPANS = 'spans';
export const VERSIONS = 'versions';
export const TEAMS = 'teams';

export type DealStatus = 'open' | 'won' | 'lost';

/** One change; only the fields it changed are present. */
export interface TimelineChange {
  /** Business time, ISO 8601 (UTC). */
  at: string;
  /** When the store recorded it, ISO 8601. */
  known: string;
  /** The deal (re-)entered this open stage. */
  stage?: string;
  owner?: string;
  amount?: number | null;
  closeDate?: string | null;
  shipMonth?: string | null;
  status?: DealStatus;
  /** With status won: the won amount. */
  wonAmount?: number;
}

/** What a deal's timeline keeps as it was when opened, whatever the point it is read at. */
export interface DealFacts {
  id: string;
  accountId: string;
  title: string;
  stagePolicy: string;
  currency: string;
  channel: string;
  country: string;
  region: string;
  productLine: string;
  openedAt: string;
}

export interface DealTimeline extends ReadDocument, DealFacts {
  /** The status now, and when the latest closing happened and was recorded (null while open). */
  status: DealStatus;
  settledAt: string | null;
  settledKnown: string | null;
  changes: TimelineChange[];
  /** The board segment the deal is in now (absent once closed): see board-history.ts. */
  segment?: BoardSegment;
}

/**
 * A deal's timeline in the compact form point-in-time queries fold (src/audit/as-of/deal-span.ts),
 * with the keys that select the deals a point (asOf T, knownAt K) may need:
 * - `openedAt` / `firstKnown`: when the deal was opened, and when that was recorded;
 * - `settledAt` / `settledKnown`: the latest closing and when it was recorded (absent while open);
 * - `openClass`: for a closed deal, the size class c of its business span settledAt − openedAt
 *   (the smallest c ≥ 0 with span < 2^(c/2) hours, at most SPAN_CLASSES − 1), as spanClassKey(c).
 *   A deal with openedAt ≤ T < settledAt of class c < SPAN_CLASSES − 1 has settledAt in
 *   (T, T + 2^(c/2) h): one index range per class finds them all, and few more (a deal of the
 *   class lasted at least 2^((c−1)/2) h, so most found were open at T);
 * - `knownClass`: the same for the known span settledKnown − firstKnown; absent when that span is
 *   empty (a deal recorded closed at once is never open as known at any K).
 * `ownerNow` is the owner after every change; `f` the facts the folds need: [stagePolicy,
 * currency, channel, country, region, productLine] (title and account stay in the full timeline).
 * `c` is the changes as one string of ops (see encodeSpanOps), so that reading a deal allocates
 * little: the ops of one change share its times and come in the order the plain fold applies its fields.
 */
export interface DealSpan extends ReadDocument {
  status: DealStatus;
  openedAt: string;
  firstKnown: string;
  settledAt?: string;
  settledKnown?: string;
  openClass?: string;
  knownClass?: string;
  ownerNow: string | null;
  f: [string, string, string, string, string, string];
  c: string;
}

/** The op codes of DealSpan.c (one digit each). */
export const SpanOp = {
  stage: 0,
  owner: 1,
  amount: 2,
  closeDate: 3,
  shipMonth: 4,
  /** status won; value: the won amount (null when the event had none). */
  won: 5,
  lost: 6,
  /** status open again (reopened); the stage comes as its own op before it. */
  reopened: 7,
} as const;

export const SPAN_CLASSES = 49;
const HOUR_MS = 60 * 60 * 1000;

/** The upper limit (exclusive) of size class c: 2^(c/2) hours, rounded up to the ms. */
export const spanClassLimitMs = (c: number): number => Math.ceil(2 ** (c / 2) * HOUR_MS);

/** The size class of a span in ms: the smallest c ≥ 0 with span < spanClassLimitMs(c), capped. */
export function spanClass(ms: number): number {
  let c = 0;
  while (c < SPAN_CLASSES - 1 && ms >= spanClassLimitMs(c)) c++;
  return c;
}

/** Class keys are strings, so that an equality on them needs no type check of the stored value. */
export const spanClassKey = (c: number): string => `c${c}`;

export interface SpanOpInput {
  at: number;
  known: number;
  op: number;
  value: string | number | null;
}

/**
 * One string for a list of ops, each `dAt,dKnown,op,value;`: dAt and dKnown are ms after the
 * previous op's times (the first op's after `at0` / `known0`), op a SpanOp digit, and value empty
 * for null, a JSON number as JS prints it, or `'` + length + `:` + the string itself (so a string
 * may hold any character).
 */
export function encodeSpanOps(ops: SpanOpInput[], at0: number, known0: number): string {
  let out = '';
  let lastAt = at0;
  let lastKnown = known0;
  for (const { at, known, op, value } of ops) {
    const encoded =
      value === null ? '' : typeof value === 'number' ? String(value) : `'${value.length}:${value}`;
    out += `${at - lastAt},${known - lastKnown},${op},${encoded};`;
    lastAt = at;
    lastKnown = known;
  }
  return out;
}

/** The compact form of a timeline. */
export function spanOf(timeline: DealTimeline): DealSpan {
  const { changes, settledAt, settledKnown, openedAt } = timeline;
  const firstKnown = changes[0].known;
  const ops: SpanOpInput[] = [];
  let ownerNow: string | null = null;
  changes.forEach((change, index) => {
    const at = Date.parse(change.at);
    const known = Date.parse(change.known);
    const add = (op: number, value: number | string | null) => ops.push({ at, known, op, value });
    if (change.owner !== undefined) {
      add(SpanOp.owner, change.owner);
      ownerNow = change.owner;
    }
    if (change.amount !== undefined) add(SpanOp.amount, change.amount);
    if (change.closeDate !== undefined) add(SpanOp.closeDate, change.closeDate);
    if (change.shipMonth !== undefined) add(SpanOp.shipMonth, change.shipMonth);
    if (change.stage !== undefined) add(SpanOp.stage, change.stage);
    // The opening change's status is the initial one, never applied as a change.
    if (change.status !== undefined && index > 0) {
      if (change.status === 'won') add(SpanOp.won, change.wonAmount ?? null);
      else add(change.status === 'lost' ? SpanOp.lost : SpanOp.reopened, null);
    }
  });
  const span: DealSpan = {
    id: timeline.id,
    status: timeline.status,
    openedAt,
    firstKnown,
    ownerNow,
    f: [
      timeline.stagePolicy,
      timeline.currency,
      timeline.channel,
      timeline.country,
      timeline.region,
      timeline.productLine,
    ],
    c: encodeSpanOps(ops, Date.parse(openedAt), Date.parse(firstKnown)),
  };
  if (settledAt !== null && settledKnown !== null) {
    span.settledAt = settledAt;
    span.settledKnown = settledKnown;
    span.openClass = spanClassKey(spanClass(Date.parse(settledAt) - Date.parse(openedAt)));
    const knownSpan = Date.parse(settledKnown) - Date.parse(firstKnown);
    if (knownSpan > 0) span.knownClass = spanClassKey(spanClass(knownSpan));
  }
  return span;
}

/** Every version of a stage or FX policy, with when it came into force and became known. */
export interface PolicyVersions extends ReadDocument {
  kind: 'stages' | 'fx';
  versions: Array<{ version: number; at: string; known: string; body: Record<string, unknown> }>;
}

/** A user's team over time. */
export interface TeamHistory extends ReadDocument {
  spans: Array<{ at: string; known: string; teamId: string | null }>;
}

const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'DealExpectedShipMonthChanged',
  'DealOwnerTransferred',
  'DealWon',
  'DealLost',
  'DealReopened',
] as const;

/** Stored times in one ISO form, so they sort and compare as strings. */
const iso = (value: string) => new Date(value).toISOString();

function change(event: RecordedEvent): TimelineChange | undefined {
  const base = { at: iso(event.metadata.occurredAt), known: iso(event.recordedAt) };
  switch (event.type) {
    case 'DealStageChanged':
      return { ...base, stage: (event.data as DealStageChanged['data']).to };
    case 'DealAmountChanged':
      return { ...base, amount: (event.data as DealAmountChanged['data']).amount.minor };
    case 'DealExpectedCloseDateChanged':
      return { ...base, closeDate: (event.data as DealExpectedCloseDateChanged['data']).date };
    case 'DealExpectedShipMonthChanged':
      return { ...base, shipMonth: (event.data as DealExpectedShipMonthChanged['data']).month };
    case 'DealOwnerTransferred':
      return { ...base, owner: (event.data as DealOwnerTransferred['data']).to };
    case 'DealWon': {
      const data = event.data as DealWon['data'];
      return { ...base, status: 'won', wonAmount: data.amount.minor };
    }
    case 'DealLost':
      return { ...base, status: 'lost' };
    case 'DealReopened':
      return { ...base, status: 'open', stage: (event.data as DealReopened['data']).stage };
    default:
      return undefined;
  }
}

function opened(event: RecordedEvent): DealTimeline {
  const data = event.data as DealOpened['data'];
  const at = iso(event.metadata.occurredAt);
  return {
    id: streamId(event),
    accountId: data.accountId,
    title: data.title,
    stagePolicy: data.policy.id,
    currency: data.currency,
    channel: data.channel,
    country: data.country,
    region: regionOf(data.country),
    productLine: data.productLine,
    openedAt: at,
    status: 'open',
    settledAt: null,
    settledKnown: null,
    changes: [
      {
        at,
        known: iso(event.recordedAt),
        stage: data.stage,
        owner: data.ownerId,
        amount: data.amount?.minor ?? null,
        closeDate: data.expectedCloseDate ?? null,
        shipMonth: data.expectedShipMonth ?? null,
        status: 'open',
      },
    ],
  };
}

/** What the deal adds to the board after `change` (the plain fold of the fields the board needs). */
function boardStateAfter(state: BoardState | undefined, change: TimelineChange): BoardState {
  const next: BoardState = state
    ? { ...state }
    : { open: true, stage: '', owner: '', amount: null, enteredStageAt: '' };
  if (change.owner !== undefined) next.owner = change.owner;
  if (change.amount !== undefined) next.amount = change.amount;
  if (change.stage !== undefined) {
    next.stage = change.stage;
    next.enteredStageAt = change.at;
  }
  if (change.status !== undefined) next.open = change.status === 'open';
  return next;
}

const boardStateOf = (changes: TimelineChange[]): BoardState | undefined =>
  changes.reduce<BoardState | undefined>(boardStateAfter, undefined);

/** Files a deal's newest change (index `index` of `timeline.changes`) into the board's history. */
function fileOnBoard(
  view: ProjectionView,
  timeline: DealTimeline,
  before: BoardState | undefined,
  index: number,
): void {
  const change = timeline.changes[index];
  const after = boardStateAfter(before, change);
  fileBoardChange(view, {
    id: boardChangeId(timeline.id, index),
    deal: timeline.id,
    at: change.at,
    known: change.known,
    d: boardDeltas(before, after, timeline.currency),
  });
  const segment = moveSegment(view, timeline.id, timeline.segment, before, after, change.at, index);
  if (segment) timeline.segment = segment;
  else delete timeline.segment;
}

function applyDealEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const known = view.get<DealTimeline>(TIMELINES, id);
  if (event.type === 'DealOpened') {
    if (!known) {
      const timeline = opened(event);
      fileOnBoard(view, timeline, undefined, 0);
      view.put(TIMELINES, timeline);
      view.put(SPANS, spanOf(timeline));
    }
    return;
  }
  const next = change(event);
  if (!known || !next) return;
  const timeline: DealTimeline = { ...known, changes: [...known.changes, next] };
  if (next.status !== undefined) {
    timeline.status = next.status;
    const closed = next.status !== 'open';
    timeline.settledAt = closed ? next.at : null;
    timeline.settledKnown = closed ? next.known : null;
  }
  fileOnBoard(view, timeline, boardStateOf(known.changes), timeline.changes.length - 1);
  view.put(TIMELINES, timeline);
  view.put(SPANS, spanOf(timeline));
}

function applyPolicy(event: RecordedEvent, view: ProjectionView): void {
  const published = event.data as { id?: string; version?: number; body?: Record<string, unknown> };
  const kind = published.id?.startsWith('stages.')
    ? 'stages'
    : published.id?.startsWith('fx.')
      ? 'fx'
      : undefined;
  if (!kind || !published.body || published.version === undefined) return;
  const known = view.get<PolicyVersions>(VERSIONS, published.id!);
  const versions = known?.versions ?? [];
  if (versions.some((v) => v.version >= published.version!)) return;
  const body =
    kind === 'stages'
      ? { openStages: published.body.openStages ?? [] }
      : { base: published.body.base, rates: published.body.rates ?? [] };
  view.put(VERSIONS, {
    id: published.id!,
    kind,
    versions: [
      ...versions,
      {
        version: published.version,
        at: iso(event.metadata.occurredAt),
        known: iso(event.recordedAt),
        body,
      },
    ],
  });
}

function applyMembership(event: RecordedEvent, view: ProjectionView): void {
  const data = event.data as { userId?: string; teamId?: string | null; to?: string | null };
  const userId = data.userId ?? streamId(event);
  const teamId = (event.type === 'UserRegistered' ? data.teamId : data.to) ?? null;
  const spans = view.get<TeamHistory>(TEAMS, userId)?.spans ?? [];
  view.put(TEAMS, {
    id: userId,
    spans: [...spans, { at: iso(event.metadata.occurredAt), known: iso(event.recordedAt), teamId }],
  });
}

export const dealTimelineProjection: Projection = {
  name: DEAL_TIMELINE,
  // 7: the board's history (boardTotals, boardChanges, segments); 8: boardChanges by lateness;
  // 9: segment classes in steps of √2; 10: spans by owner now (a scope's deals).
  version: 10,
  collections: [
    // Read by id only (the cards a board shows): the selection runs on `spans`.
    { name: TIMELINES },
    {
      name: SPANS,
      indexes: [
        ['status', 'openedAt'],
        ['status', 'firstKnown'],
        ['status', 'settledAt'],
        ['firstKnown'],
        ['openClass', 'settledAt'],
        ['knownClass', 'settledKnown'],
        ['ownerNow'],
      ],
    },
    { name: VERSIONS },
    { name: TEAMS },
    { name: BOARD_TOTALS, indexes: [['level', 'start']] },
    {
      name: BOARD_CHANGES,
      indexes: [['at'], ['late', 'known']],
    },
    {
      name: SEGMENTS,
      indexes: [
        ['stage', 'cls', 'e'],
        ['so', 'cls', 'e'],
      ],
    },
  ],
  eventTypes: [...DEAL_EVENT_TYPES, 'PolicyVersionPublished', 'UserRegistered', 'UserMovedToTeam'],
  reads(event: RecordedEvent): DocumentRef[] {
    if (event.streamName.startsWith('deal-'))
      return [{ collection: TIMELINES, id: streamId(event) }];
    if (event.type === 'PolicyVersionPublished') {
      const id = (event.data as { id?: string }).id;
      return id ? [{ collection: VERSIONS, id }] : [];
    }
    const data = event.data as { userId?: string };
    return [{ collection: TEAMS, id: data.userId ?? streamId(event) }];
  },
  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.streamName.startsWith('deal-')) applyDealEvent(event, view);
    else if (event.type === 'PolicyVersionPublished') applyPolicy(event, view);
    else applyMembership(event, view);
  },
};
