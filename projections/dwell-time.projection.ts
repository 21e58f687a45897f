import type {
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import type { PolicyRef } from '../domain/shared/decider';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { Projection, ProjectionView, streamId } from './projection';
import {
  applyContext,
  CONTEXT_COLLECTIONS,
  CONTEXT_EVENT_TYPES,
  DealOrigin,
  dealOrigin,
  dimensionsAt,
  isDealEvent,
  stageOrder,
} from './shared/deal-context';
import { dwellBin, dwellValuesCollection, fileDwellValue } from './shared/deal-dwell-values';
import {
  addToRollup,
  Dimensions,
  factsCollection,
  removeFromRollup,
  rollupCollections,
} from './shared/rollup';

/**
 * Dwell time in an open stage S (DESIGN.md, "Report definitions"): the sum of a deal's stays in S.
 *
 * A deal's dwell in S is final ("closed") while the deal is outside S and past it: won, lost, or
 * in a later open stage (by the order of the stage-policy version its latest move names). It is
 * measured then, in `dwell`, at the event that made it final, with the owner at that event and
 * the owner's team then: `n_<S>` 1, `sum_<S>` the seconds, `b<bin>_<S>` 1 (a coarse histogram),
 * and its exact value in `dwell_values` (see shared/deal-dwell-values.ts), so the exact median and
 * p90 are read back without reading every value of a period.
 *
 * Whatever makes it not final again takes the measurement back (removeFromRollup): re-entering S,
 * moving back to a stage before S, or a reopen that returns the deal to S or before it. When it
 * becomes final again, the new total is measured at that later event.
 *
 * Deals in S right now are kept apart, one document per open deal in `open_stays` (its stage,
 * when it entered the current stay, its dimensions with the current owner), indexed by stage and
 * entry time, so a report counts them by age = now - entered with index range counts. `open_counts`
 * holds how many there are per dimension value and stage, so a report grouped by a dimension knows
 * its groups and counts each one's ages by index too, without reading the stays.
 */
export const DWELL = 'dwell';
export const OPEN_STAYS = 'open_stays';
export const OPEN_COUNTS = 'open_counts';
export const DWELL_DEALS = 'deals';

/** The dimensions an open stay can be filtered by; each is indexed with stage and entry time. */
export const STAY_DIMENSIONS = [
  'owner',
  'team',
  'channel',
  'country',
  'region',
  'productLine',
] as const;

/** A deal in an open stage now, under its current dimensions. */
export interface OpenStay
  extends ReadDocument, Record<(typeof STAY_DIMENSIONS)[number], string | null> {
  stage: string;
  enteredAt: string;
}

/** Open stays per dimension value and stage: which groups a grouped "in stage now" has. */
export interface OpenCount extends ReadDocument {
  dim: (typeof STAY_DIMENSIONS)[number];
  value: string;
  stage: string;
  count: number;
}

export const countKey = (stage: string) => `n_${stage}`;
export const sumKey = (stage: string) => `sum_${stage}`;
export const binKey = (stage: string, bin: number) => `b${bin}_${stage}`;
/** `b<bin>_<stage>` → [bin, stage]. */
export const BIN_KEY = /^b(\d+)_(.+)$/;

/** A final dwell as filed: enough to take it back (its amounts follow from stage and seconds). */
interface Measurement {
  at: string;
  dims: Dimensions;
  seconds: number;
  factId: string;
}

interface StageDwell {
  /** Completed stays in the stage, summed, in milliseconds. */
  ms: number;
  measured: Measurement | null;
}

interface DwellDeal {
  id: string;
  origin: DealOrigin;
  owner: string;
  status: 'open' | 'won' | 'lost';
  /** The current open stage, or the one the deal was closed from. */
  stage: string;
  /** Since when the deal has been in `stage`; null while closed. */
  enteredAt: string | null;
  /** Its document in `open_stays` while open, to take back out of `open_counts`. */
  openStay?: OpenStay | null;
  policy: PolicyRef;
  stages: Record<string, StageDwell>;
  [field: string]: unknown;
}

export const dwellTimeProjection: Projection = {
  name: 'dwell-time',
  // 3: open_counts. 4: month and day buckets and values within each owner and team.
  version: 4,
  collections: [
    ...rollupCollections(DWELL),
    dwellValuesCollection,
    {
      name: OPEN_STAYS,
      indexes: [
        ['stage', 'enteredAt'],
        ...STAY_DIMENSIONS.map((dim) => [dim, 'stage', 'enteredAt']),
        ['team', 'owner', 'stage', 'enteredAt'],
      ],
    },
    // A few per dimension value and stage; in memory so that a count back at zero is deleted.
    { name: OPEN_COUNTS, indexes: [['dim']], preload: true },
    { name: DWELL_DEALS },
    ...CONTEXT_COLLECTIONS,
  ],
  eventTypes: [
    'DealOpened',
    'DealStageChanged',
    'DealWon',
    'DealLost',
    'DealReopened',
    'DealOwnerTransferred',
    ...CONTEXT_EVENT_TYPES,
  ],
  reads: (event) =>
    isDealEvent(event) && event.type !== 'DealOpened'
      ? [{ collection: DWELL_DEALS, id: streamId(event) }]
      : [],
  apply(event, view) {
    if (applyContext(event, view) || !isDealEvent(event)) return;
    const at = event.metadata.occurredAt;
    if (event.type === 'DealOpened') {
      const data = (event as RecordedEvent<DealOpened['data']>).data;
      const deal: DwellDeal = {
        id: data.dealId,
        origin: dealOrigin(data),
        owner: data.ownerId,
        status: 'open',
        stage: data.stage,
        enteredAt: at,
        policy: data.policy,
        stages: { [data.stage]: { ms: 0, measured: null } },
      };
      enterStay(view, deal, at);
      view.put(DWELL_DEALS, deal);
      return;
    }
    // Changed in place: the view's own copy, and put back below whenever it changes.
    const deal = view.get<DwellDeal>(DWELL_DEALS, streamId(event));
    if (!deal) return;
    switch (event.type) {
      case 'DealStageChanged': {
        const data = (event as RecordedEvent<DealStageChanged['data']>).data;
        leaveStay(view, deal, at);
        deal.stage = data.to;
        deal.policy = data.policy;
        deal.stages[data.to] ??= { ms: 0, measured: null };
        enterStay(view, deal, at);
        break;
      }
      case 'DealWon':
      case 'DealLost':
        if (deal.status !== 'open') return;
        if (event.type === 'DealWon') deal.policy = (event.data as DealWon['data']).policy;
        leaveStay(view, deal, at);
        deal.status = event.type === 'DealWon' ? 'won' : 'lost';
        break;
      case 'DealReopened':
        if (deal.status === 'open') return;
        deal.status = 'open';
        deal.stage = (event.data as DealReopened['data']).stage;
        deal.stages[deal.stage] ??= { ms: 0, measured: null };
        enterStay(view, deal, at);
        break;
      case 'DealOwnerTransferred':
        deal.owner = (event.data as DealOwnerTransferred['data']).to;
        if (deal.status === 'open') enterStay(view, deal, deal.enteredAt!, at);
        break;
      default:
        return;
    }
    settle(view, deal, event);
    view.put(DWELL_DEALS, deal);
  },
};

/** Files the deal's current stay in `open_stays`, under the owner and their team as of `asOf`. */
function enterStay(
  view: ProjectionView,
  deal: DwellDeal,
  enteredAt: string,
  asOf = enteredAt,
): void {
  deal.enteredAt = enteredAt;
  const dims = dimensionsAt(view, deal.origin, deal.owner, asOf);
  fileStay(view, deal, {
    id: deal.id,
    stage: deal.stage,
    enteredAt: new Date(enteredAt).toISOString(),
    owner: deal.owner,
    team: dims.team ?? null,
    channel: deal.origin.channel,
    country: deal.origin.country,
    region: deal.origin.region,
    productLine: deal.origin.productLine,
  });
}

/** Ends the current stay at `at`: its length joins the stage's total, and it leaves `open_stays`. */
function leaveStay(view: ProjectionView, deal: DwellDeal, at: string): void {
  if (deal.enteredAt !== null) {
    deal.stages[deal.stage].ms += Math.max(0, Date.parse(at) - Date.parse(deal.enteredAt));
  }
  fileStay(view, deal, null);
  deal.enteredAt = null;
}

/** Replaces the deal's open stay (null: none), keeping the per-dimension counts in step. */
function fileStay(view: ProjectionView, deal: DwellDeal, stay: OpenStay | null): void {
  if (deal.openStay) countStay(view, deal.openStay, -1);
  if (stay) {
    view.put(OPEN_STAYS, stay);
    countStay(view, stay, 1);
  } else {
    view.delete(OPEN_STAYS, deal.id);
  }
  deal.openStay = stay;
}

function countStay(view: ProjectionView, stay: OpenStay, delta: number): void {
  for (const dim of STAY_DIMENSIONS) {
    const value = stay[dim];
    if (value === null) continue;
    const id = `${dim}|${value}|${stay.stage}`;
    view.increment(OPEN_COUNTS, id, { count: delta }, { dim, value, stage: stay.stage });
    if (view.get<OpenCount>(OPEN_COUNTS, id)?.count === 0) view.delete(OPEN_COUNTS, id);
  }
}

/** Brings each stage's measurement in line with whether its dwell is final now. */
function settle(view: ProjectionView, deal: DwellDeal, event: RecordedEvent): void {
  const order = stageOrder(view, deal.policy);
  const current = order.indexOf(deal.stage);
  for (const stage in deal.stages) {
    const dwell = deal.stages[stage];
    const inStage = deal.status === 'open' && deal.stage === stage;
    const position = order.indexOf(stage);
    // A stage the policy no longer has can never be re-entered: outside it, its dwell is final.
    const final = !inStage && (deal.status !== 'open' || position < 0 || current > position);
    const seconds = Math.round(dwell.ms / 1000);
    if (dwell.measured && (!final || dwell.measured.seconds !== seconds)) {
      takeBack(view, stage, dwell.measured);
      dwell.measured = null;
    }
    if (final && !dwell.measured) {
      dwell.measured = measure(view, deal, stage, seconds, event);
    }
  }
}

/** The rollup amounts of one final dwell in `stage`. */
const dwellAmounts = (stage: string, seconds: number): Record<string, number> => ({
  [countKey(stage)]: 1,
  [sumKey(stage)]: seconds,
  [binKey(stage, dwellBin(seconds))]: 1,
});

/** Files a final dwell: bucket counters and histogram, its exact value, and its fact. */
function measure(
  view: ProjectionView,
  deal: DwellDeal,
  stage: string,
  seconds: number,
  event: RecordedEvent,
): Measurement {
  const at = event.metadata.occurredAt;
  const measurement: Measurement = {
    at,
    dims: dimensionsAt(view, deal.origin, deal.owner, at),
    seconds,
    factId: `${deal.id}|${stage}|${event.id}`,
  };
  const amounts = dwellAmounts(stage, seconds);
  addToRollup(view, DWELL, at, measurement.dims, amounts, measurement.factId);
  // The fact also names the stage and exact value, for the hours and edges of a period.
  view.put(factsCollection(DWELL), {
    id: measurement.factId,
    at: new Date(at).toISOString(),
    dims: measurement.dims,
    amounts,
    stage,
    seconds,
    bin: dwellBin(seconds),
  });
  fileDwellValue(view, at, measurement.dims, stage, seconds, 1);
  return measurement;
}

function takeBack(view: ProjectionView, stage: string, m: Measurement): void {
  removeFromRollup(view, DWELL, m.at, m.dims, dwellAmounts(stage, m.seconds), m.factId);
  fileDwellValue(view, m.at, m.dims, stage, m.seconds, -1);
}
