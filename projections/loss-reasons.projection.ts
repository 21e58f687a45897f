import type {
  DealAmountChanged,
  DealLost,
  DealOpened,
  DealOwnerTransferred,
  DealWon,
} from '../domain/deal/deal.events';
import { convert, Money } from '../domain/shared/money';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { Projection, ProjectionView, streamId } from './projection';
import {
  applyContext,
  CONTEXT_COLLECTIONS,
  CONTEXT_EVENT_TYPES,
  currentFx,
  DealOrigin,
  dealOrigin,
  dimensionsAt,
  isDealEvent,
} from './shared/deal-context';
import { addToRollup, Dimensions, removeFromRollup, rollupCollections } from './shared/rollup';

/**
 * Loss reasons, both levels of the taxonomy, by the period of the loss (DealLost.occurredAt) and
 * attributed to the owner at the loss and the owner's team then. Each loss adds, in `losses`:
 * - `lost` 1 and `n_<reason>__<subReason>` 1;
 * - the deal amount at the loss in the base currency, converted at the rate in force on the loss's
 *   UTC date and rounded half-even per deal: `amount` and `amt_<reason>__<subReason>`;
 * - or, when the deal has no amount, `no_amount` 1; when no rate is in force, `unconverted` 1.
 * A reopen of a lost deal takes its loss back. Reason-level figures are the sums of their sub-reasons.
 */
export const LOSSES = 'losses';
export const LOSS_DEALS = 'deals';

/** Reason keys are a fixed set without double underscores, so `__` separates the two levels. */
export const lossCountKey = (reason: string, subReason: string) => `n_${reason}__${subReason}`;
export const lossAmountKey = (reason: string, subReason: string) => `amt_${reason}__${subReason}`;
export const LOSS_KEY = /^(n|amt)_(.+?)__(.+)$/;

interface Loss {
  at: string;
  dims: Dimensions;
  amounts: Record<string, number>;
  factId: string;
  [field: string]: unknown;
}

interface LossDeal {
  id: string;
  origin: DealOrigin;
  owner: string;
  amount: Money | null;
  status: 'open' | 'won' | 'lost';
  loss: Loss | null;
  [field: string]: unknown;
}

export const lossReasonsProjection: Projection = {
  name: 'loss-reasons',
  // 2: month and day buckets within each owner and team (scope breakdowns).
  version: 2,
  collections: [...rollupCollections(LOSSES), { name: LOSS_DEALS }, ...CONTEXT_COLLECTIONS],
  eventTypes: [
    'DealOpened',
    'DealAmountChanged',
    'DealWon',
    'DealLost',
    'DealReopened',
    'DealOwnerTransferred',
    ...CONTEXT_EVENT_TYPES,
  ],
  reads: (event) =>
    isDealEvent(event) && event.type !== 'DealOpened'
      ? [{ collection: LOSS_DEALS, id: streamId(event) }]
      : [],
  apply(event, view) {
    if (applyContext(event, view) || !isDealEvent(event)) return;
    if (event.type === 'DealOpened') {
      const data = (event as RecordedEvent<DealOpened['data']>).data;
      view.put(LOSS_DEALS, {
        id: data.dealId,
        origin: dealOrigin(data),
        owner: data.ownerId,
        amount: data.amount ?? null,
        status: 'open',
        loss: null,
      } satisfies LossDeal);
      return;
    }
    const known = view.get<LossDeal>(LOSS_DEALS, streamId(event));
    if (!known) return;
    const deal: LossDeal = { ...known };
    switch (event.type) {
      case 'DealAmountChanged':
        deal.amount = (event.data as DealAmountChanged['data']).amount;
        break;
      case 'DealWon':
        deal.amount = (event.data as DealWon['data']).amount;
        deal.status = 'won';
        break;
      case 'DealOwnerTransferred':
        deal.owner = (event.data as DealOwnerTransferred['data']).to;
        break;
      case 'DealLost':
        deal.status = 'lost';
        deal.loss = measureLoss(view, deal, event as RecordedEvent<DealLost['data']>);
        break;
      case 'DealReopened':
        if (deal.loss) {
          const { at, dims, amounts, factId } = deal.loss;
          removeFromRollup(view, LOSSES, at, dims, amounts, factId);
        }
        deal.status = 'open';
        deal.loss = null;
        break;
      default:
        return;
    }
    view.put(LOSS_DEALS, deal);
  },
};

function measureLoss(
  view: ProjectionView,
  deal: LossDeal,
  event: RecordedEvent<DealLost['data']>,
): Loss {
  const at = event.metadata.occurredAt;
  const { reason, subReason } = event.data;
  const amounts: Record<string, number> = { lost: 1, [lossCountKey(reason, subReason)]: 1 };
  const base = baseAmount(view, deal.amount, at);
  if (deal.amount === null) amounts.no_amount = 1;
  else if (base === undefined) amounts.unconverted = 1;
  else {
    amounts.amount = base;
    amounts[lossAmountKey(reason, subReason)] = base;
  }
  const loss: Loss = {
    at,
    dims: dimensionsAt(view, deal.origin, deal.owner, at),
    amounts,
    factId: event.id,
  };
  addToRollup(view, LOSSES, loss.at, loss.dims, loss.amounts, loss.factId);
  return loss;
}

/** The amount in the base currency on the loss's date, or undefined when no rate is in force. */
function baseAmount(view: ProjectionView, amount: Money | null, at: string): number | undefined {
  const fx = currentFx(view);
  if (!amount || !fx) return undefined;
  try {
    return convert(amount, fx.base, at, fx).minor;
  } catch {
    // fx.rate_missing: counted apart as unconverted rather than guessed.
    return undefined;
  }
}
