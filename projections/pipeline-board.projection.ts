import type {
  DealActivityLogged,
  DealAmountChanged,
  DealExpectedCloseDateChanged,
  DealExpectedShipMonthChanged,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
} from '../domain/deal/deal.events';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';

/**
 * Pipeline board: one small card per open deal, found by [owner, stage] and [stage], and counters
 * per (owner, stage) for the column headers. Won or lost takes the card off the board (it waits in
 * `parked`); a reopen puts it back; a handover moves it. See docs/read-models/pipeline-board.md.
 *
 * The account's name and the owner's team are not copied onto cards: a rename or a team move
 * would then have to find every card. The query joins them from `accounts` and `memberships`,
 * for the few cards it returns.
 */
export const PIPELINE_BOARD = 'pipeline-board';

export const CARDS = 'cards';
export const PARKED = 'parked';
export const COLUMNS = 'columns';
export const ACCOUNTS = 'accounts';
export const MEMBERSHIPS = 'memberships';
export const STAGE_ORDERS = 'stage_orders';

export interface DealCard extends ReadDocument {
  id: string;
  title: string;
  accountId: string;
  ownerId: string;
  stage: string;
  stagePolicy: string;
  /** Minor units of `currency`; null while the deal has no amount. */
  amountMinor: number | null;
  currency: string;
  expectedCloseDate: string | null;
  expectedShipMonth: string | null;
  openedAt: string;
  /** When the deal (last) entered its stage; a reopen counts as entering it again. */
  enteredStageAt: string;
  /** The latest `at` of a logged activity; null when none was logged. */
  lastActivityAt: string | null;
  /** occurredAt of the latest event applied. */
  updatedAt: string;
}

export interface ColumnCounter extends ReadDocument {
  ownerId: string;
  stage: string;
  count: number;
  /** Cards without an amount. */
  unpriced: number;
  /** `amount_<ISO 4217>`: Σ minor units of the cards in that currency. */
  [amountField: `amount_${string}`]: number;
}

export const amountField = (currency: string) => `amount_${currency}`;
export const columnId = (ownerId: string, stage: string) => `${ownerId}|${stage}`;

const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'DealExpectedShipMonthChanged',
  'DealActivityLogged',
  'DealOwnerTransferred',
  'DealWon',
  'DealLost',
  'DealReopened',
] as const;

const ACCOUNT_EVENT_TYPES = [
  'AccountRegistered',
  'AccountProfileUpdated',
  'AccountMergedInto',
  'AccountUnmerged',
] as const;

/** Adds (sign 1) or takes back (sign −1) a card's share of its column counter. */
function count(view: ProjectionView, card: DealCard, sign: 1 | -1): void {
  const amounts: Record<string, number> =
    card.amountMinor === null
      ? { count: sign, unpriced: sign }
      : { count: sign, [amountField(card.currency)]: sign * card.amountMinor };
  view.increment(COLUMNS, columnId(card.ownerId, card.stage), amounts, {
    ownerId: card.ownerId,
    stage: card.stage,
  });
}

function nextCard(card: DealCard, event: RecordedEvent): DealCard {
  const at = event.metadata.occurredAt;
  const changed = { ...card, updatedAt: at };
  switch (event.type) {
    case 'DealStageChanged':
      return {
        ...changed,
        stage: (event.data as unknown as DealStageChanged['data']).to,
        enteredStageAt: at,
      };
    case 'DealAmountChanged':
      return {
        ...changed,
        amountMinor: (event.data as unknown as DealAmountChanged['data']).amount.minor,
      };
    case 'DealExpectedCloseDateChanged':
      return {
        ...changed,
        expectedCloseDate: (event.data as unknown as DealExpectedCloseDateChanged['data']).date,
      };
    case 'DealExpectedShipMonthChanged':
      return {
        ...changed,
        expectedShipMonth: (event.data as unknown as DealExpectedShipMonthChanged['data']).month,
      };
    case 'DealActivityLogged': {
      const activityAt = (event.data as unknown as DealActivityLogged['data']).at;
      const later =
        card.lastActivityAt === null || Date.parse(activityAt) > Date.parse(card.lastActivityAt);
      return later ? { ...changed, lastActivityAt: activityAt } : changed;
    }
    case 'DealOwnerTransferred':
      return { ...changed, ownerId: (event.data as unknown as DealOwnerTransferred['data']).to };
    case 'DealReopened':
      return {
        ...changed,
        stage: (event.data as unknown as DealReopened['data']).stage,
        enteredStageAt: at,
      };
    default:
      return changed;
  }
}

function openCard(event: RecordedEvent): DealCard {
  const data = event.data as unknown as DealOpened['data'];
  const at = event.metadata.occurredAt;
  return {
    id: streamId(event),
    title: data.title,
    accountId: data.accountId,
    ownerId: data.ownerId,
    stage: data.stage,
    stagePolicy: data.policy.id,
    amountMinor: data.amount?.minor ?? null,
    currency: data.currency,
    expectedCloseDate: data.expectedCloseDate ?? null,
    expectedShipMonth: data.expectedShipMonth ?? null,
    openedAt: at,
    enteredStageAt: at,
    lastActivityAt: null,
    updatedAt: at,
  };
}

function applyDealEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const onBoard = view.get<DealCard>(CARDS, id);
  const parked = onBoard ? undefined : view.get<DealCard>(PARKED, id);
  if (event.type === 'DealOpened') {
    if (onBoard || parked) return;
    const card = openCard(event);
    view.put(CARDS, card);
    count(view, card, 1);
    return;
  }
  const before = onBoard ?? parked;
  if (!before) return;
  const after = nextCard(before, event);
  const closing = event.type === 'DealWon' || event.type === 'DealLost';
  const reopening = event.type === 'DealReopened';
  if (onBoard) count(view, onBoard, -1);
  if (onBoard && !closing) {
    view.put(CARDS, after);
    count(view, after, 1);
  } else if (parked && reopening) {
    view.delete(PARKED, id);
    view.put(CARDS, after);
    count(view, after, 1);
  } else {
    if (onBoard) view.delete(CARDS, id);
    view.put(PARKED, after);
  }
}

function applyAccountEvent(event: RecordedEvent, view: ProjectionView): void {
  const id = streamId(event);
  const known = view.get(ACCOUNTS, id);
  const data = event.data as { name?: string; changes?: { name?: string }; survivorId?: string };
  switch (event.type) {
    case 'AccountRegistered':
      view.put(ACCOUNTS, { id, name: data.name ?? null, mergedInto: null });
      return;
    case 'AccountProfileUpdated':
      if (known && data.changes?.name !== undefined)
        view.put(ACCOUNTS, { ...known, name: data.changes.name });
      return;
    case 'AccountMergedInto':
      if (known) view.put(ACCOUNTS, { ...known, mergedInto: data.survivorId ?? null });
      return;
    case 'AccountUnmerged':
      if (known) view.put(ACCOUNTS, { ...known, mergedInto: null });
      return;
  }
}

export const pipelineBoardProjection: Projection = {
  name: PIPELINE_BOARD,
  version: 1,
  collections: [
    {
      name: CARDS,
      indexes: [
        ['ownerId', 'stage', 'enteredStageAt'],
        ['stage', 'enteredStageAt'],
      ],
    },
    { name: PARKED },
    { name: COLUMNS, indexes: [['ownerId', 'stage'], ['stage']] },
    { name: ACCOUNTS },
    { name: MEMBERSHIPS },
    { name: STAGE_ORDERS },
  ],
  eventTypes: [
    ...DEAL_EVENT_TYPES,
    ...ACCOUNT_EVENT_TYPES,
    'UserRegistered',
    'UserMovedToTeam',
    'PolicyVersionPublished',
  ],

  reads(event: RecordedEvent): DocumentRef[] {
    const id = streamId(event);
    if (event.streamName.startsWith('deal-')) {
      return [
        { collection: CARDS, id },
        { collection: PARKED, id },
      ];
    }
    if (event.streamName.startsWith('account-')) return [{ collection: ACCOUNTS, id }];
    return [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (event.streamName.startsWith('deal-')) return applyDealEvent(event, view);
    if (event.streamName.startsWith('account-')) return applyAccountEvent(event, view);
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'UserRegistered':
      case 'UserMovedToTeam': {
        const userId = (data.userId as string | undefined) ?? streamId(event);
        const teamId = (event.type === 'UserRegistered' ? data.teamId : data.to) ?? null;
        view.put(MEMBERSHIPS, { id: userId, teamId: teamId as string | null });
        return;
      }
      case 'PolicyVersionPublished': {
        const published = data as { id?: string; body?: { openStages?: Array<{ key: string }> } };
        if (!published.id?.startsWith('stages.') || !published.body?.openStages) return;
        view.put(STAGE_ORDERS, {
          id: published.id,
          stages: published.body.openStages.map((s) => s.key),
        });
        return;
      }
    }
  },
};
