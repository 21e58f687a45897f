import type { DealOpened, DealStageChanged } from '../domain/deal/deal.events';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { Projection, ProjectionView, streamId } from './projection';
import {
  applyContext,
  CONTEXT_COLLECTIONS,
  CONTEXT_EVENT_TYPES,
  dealOrigin,
  dimensionsAt,
  isDealEvent,
  stageOrder,
} from './shared/deal-context';
import { addToRollup, Dimensions, factsCollection, rollupCollections } from './shared/rollup';

/**
 * Stage conversion (DESIGN.md, "Report definitions"). The cohort is the deals opened in the period,
 * so every count is measured at the deal's DealOpened.occurredAt, with its dimensions then (the
 * owner who opened it, and that owner's team at the time), whenever the stage move happens:
 * - `opened`: 1 per deal;
 * - `entered_<S>`: the deal ever entered open stage S (the opening stage counts);
 * - `advanced_<S>`: after first entering S, it entered a later open stage (by the order of the
 *   stage-policy version the move names) or was won; lost never counts;
 * - `won`: the deal was ever won.
 * All four only ever grow: a reopened deal still counts once per stage, and a win stays a win.
 */
export const COHORT = 'cohort';
export const CONVERSION_DEALS = 'deals';

export const enteredKey = (stage: string) => `entered_${stage}`;
export const advancedKey = (stage: string) => `advanced_${stage}`;

interface CohortDeal {
  id: string;
  openedAt: string;
  dims: Dimensions;
  /** Open stages the deal has entered, in order of first entry. */
  entered: string[];
  advanced: string[];
  won: boolean;
  [field: string]: unknown;
}

export const stageConversionProjection: Projection = {
  name: 'stage-conversion',
  // 2: month and day buckets within each owner and team (scope breakdowns).
  version: 2,
  collections: [...rollupCollections(COHORT), { name: CONVERSION_DEALS }, ...CONTEXT_COLLECTIONS],
  eventTypes: ['DealOpened', 'DealStageChanged', 'DealWon', ...CONTEXT_EVENT_TYPES],
  reads: (event) =>
    isDealEvent(event) && event.type !== 'DealOpened'
      ? [{ collection: CONVERSION_DEALS, id: streamId(event) }]
      : [],
  apply(event, view) {
    if (applyContext(event, view) || !isDealEvent(event)) return;
    if (event.type === 'DealOpened') {
      const data = (event as RecordedEvent<DealOpened['data']>).data;
      const at = event.metadata.occurredAt;
      const deal: CohortDeal = {
        id: data.dealId,
        openedAt: at,
        dims: dimensionsAt(view, dealOrigin(data), data.ownerId, at),
        entered: [data.stage],
        advanced: [],
        won: false,
      };
      measure(view, deal, { opened: 1, [enteredKey(data.stage)]: 1 });
      return;
    }
    const deal = view.get<CohortDeal>(CONVERSION_DEALS, streamId(event));
    if (!deal) return;
    if (event.type === 'DealStageChanged') {
      const data = (event as RecordedEvent<DealStageChanged['data']>).data;
      enter(view, deal, data.to, stageOrder(view, data.policy));
    } else if (event.type === 'DealWon') {
      const next = { ...deal, advanced: [...deal.advanced] };
      const delta: Record<string, number> = {};
      for (const stage of deal.entered.filter((s) => !deal.advanced.includes(s))) {
        next.advanced.push(stage);
        delta[advancedKey(stage)] = 1;
      }
      if (!deal.won) {
        next.won = true;
        delta.won = 1;
      }
      measure(view, next, delta);
    }
  },
};

/** The deal enters `to`: the stages it passes are advanced, and `to` is entered if it is new. */
function enter(view: ProjectionView, deal: CohortDeal, to: string, order: string[]): void {
  const next = { ...deal, entered: [...deal.entered], advanced: [...deal.advanced] };
  const delta: Record<string, number> = {};
  const target = order.indexOf(to);
  for (const stage of deal.entered) {
    if (deal.advanced.includes(stage)) continue;
    const from = order.indexOf(stage);
    // A stage the named policy no longer has cannot be judged earlier or later: it is not advanced.
    if (from >= 0 && target > from) {
      next.advanced.push(stage);
      delta[advancedKey(stage)] = 1;
    }
  }
  if (!deal.entered.includes(to)) {
    next.entered.push(to);
    delta[enteredKey(to)] = 1;
  }
  measure(view, next, delta);
}

/**
 * Adds `delta` at the deal's opening, and keeps one fact per deal holding all its counts, so the
 * sub-hour edges of a period read one fact per deal rather than one per stage move.
 */
function measure(view: ProjectionView, deal: CohortDeal, delta: Record<string, number>): void {
  view.put(CONVERSION_DEALS, deal);
  if (Object.keys(delta).length === 0) return;
  addToRollup(view, COHORT, deal.openedAt, deal.dims, delta, deal.id);
  view.put(factsCollection(COHORT), {
    id: deal.id,
    at: new Date(deal.openedAt).toISOString(),
    dims: deal.dims,
    amounts: cohortCounts(deal),
  });
}

const cohortCounts = (deal: CohortDeal): Record<string, number> => {
  const counts: Record<string, number> = { opened: 1 };
  for (const stage of deal.entered) counts[enteredKey(stage)] = 1;
  for (const stage of deal.advanced) counts[advancedKey(stage)] = 1;
  if (deal.won) counts.won = 1;
  return counts;
};
