import type {
  DealAmountChanged,
  DealExpectedCloseDateChanged,
  DealExpectedShipMonthChanged,
  DealLost,
  DealOpened,
  DealOwnerTransferred,
  DealPaidInFull,
  DealPaymentRecorded,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import type { Money } from '../domain/shared/money';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { Projection, ProjectionView, streamId } from './projection';
import {
  applyContext,
  CONTEXT_COLLECTIONS,
  CONTEXT_EVENT_TYPES,
  dealOrigin,
  isDealEvent,
  teamAt,
} from './shared/deal-context';

export const DEAL_FACTS = 'deal_facts';

export interface StageEntry {
  stage: string;
  enteredAt: string;
  /** Null while the deal is still in the stage. */
  leftAt: string | null;
}

/** One deal as analysts look it up: who, where, how much, and its path through the pipeline. */
export interface DealFacts {
  id: string;
  dealId: string;
  accountId: string;
  title: string;
  /** The current owner, and their team as of the deal's latest event. */
  ownerId: string;
  teamId: string | null;
  channel: string;
  country: string;
  region: string;
  productLine: string;
  originLeadId: string | null;
  repeat: boolean;
  currency: string;
  /** The deal amount now (the won amount once won); null when none was ever set. */
  amount: Money | null;
  amountMinor: number | null;
  /** The current open stage; once closed, the stage it was closed from. */
  stage: string;
  status: 'open' | 'won' | 'lost';
  openedAt: string;
  /** Of the current outcome; a reopen clears them. */
  wonAt: string | null;
  lostAt: string | null;
  /** The latest reopen, if any. */
  reopenedAt: string | null;
  reopenCount: number;
  expectedCloseDate: string | null;
  expectedShipMonth: string | null;
  /** Earliest `receivedOn` among the recorded payments. */
  firstPaymentOn: string | null;
  paidInFullOn: string | null;
  stageEntries: StageEntry[];
  lossReasonCode: string | null;
  lossReason: string | null;
  lossSubReason: string | null;
  /** Business time of the latest event applied (never wall-clock). */
  updatedAt: string;
  [field: string]: unknown;
}

const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealStageChanged',
  'DealAmountChanged',
  'DealExpectedCloseDateChanged',
  'DealExpectedShipMonthChanged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealPaymentRecorded',
  'DealPaidInFull',
  'DealOwnerTransferred',
] as const;

export const dealFactsProjection: Projection = {
  name: 'deal-facts',
  version: 1,
  collections: [
    {
      name: DEAL_FACTS,
      indexes: [
        ['ownerId', 'status', 'openedAt'],
        ['ownerId', 'status', 'stage', 'openedAt'],
        ['teamId', 'status', 'openedAt'],
        ['teamId', 'status', 'stage', 'openedAt'],
        ['status', 'stage', 'openedAt'],
        ['status', 'openedAt'],
        ['accountId', 'openedAt'],
        ['originLeadId'],
      ],
    },
    ...CONTEXT_COLLECTIONS,
  ],
  eventTypes: [...DEAL_EVENT_TYPES, ...CONTEXT_EVENT_TYPES],
  reads: (event) =>
    isDealEvent(event) && event.type !== 'DealOpened'
      ? [{ collection: DEAL_FACTS, id: streamId(event) }]
      : [],
  apply(event, view) {
    if (applyContext(event, view) || !isDealEvent(event)) return;
    if (event.type === 'DealOpened') {
      view.put(DEAL_FACTS, opened(event as unknown as RecordedEvent<DealOpened['data']>, view));
      return;
    }
    const facts = view.get<DealFacts>(DEAL_FACTS, streamId(event));
    // Events of a deal whose opening never reached us cannot be placed; the deal decider never writes them.
    if (!facts) return;
    const next = evolveFacts(facts, event);
    next.updatedAt = instant(event);
    next.teamId = teamAt(view, next.ownerId, event.metadata.occurredAt) ?? null;
    view.put(DEAL_FACTS, next);
  },
};

function opened(event: RecordedEvent<DealOpened['data']>, view: ProjectionView): DealFacts {
  const data = event.data;
  const at = instant(event);
  return {
    id: data.dealId,
    dealId: data.dealId,
    accountId: data.accountId,
    title: data.title,
    ownerId: data.ownerId,
    teamId: teamAt(view, data.ownerId, at) ?? null,
    ...dealOrigin(data),
    originLeadId: data.originLeadId ?? null,
    repeat: data.repeat,
    currency: data.currency,
    amount: data.amount ?? null,
    amountMinor: data.amount?.minor ?? null,
    stage: data.stage,
    status: 'open',
    openedAt: at,
    wonAt: null,
    lostAt: null,
    reopenedAt: null,
    reopenCount: 0,
    expectedCloseDate: data.expectedCloseDate ?? null,
    expectedShipMonth: data.expectedShipMonth ?? null,
    firstPaymentOn: null,
    paidInFullOn: null,
    stageEntries: [{ stage: data.stage, enteredAt: at, leftAt: null }],
    lossReasonCode: null,
    lossReason: null,
    lossSubReason: null,
    updatedAt: at,
  };
}

/** Closes the open stage entry, if any, at `at`. */
const leave = (entries: StageEntry[], at: string): StageEntry[] =>
  entries.map((entry) => (entry.leftAt === null ? { ...entry, leftAt: at } : entry));

/** Business time in one ISO form, so that stored times sort and compare as strings. */
const instant = (event: RecordedEvent): string => new Date(event.metadata.occurredAt).toISOString();

function evolveFacts(facts: DealFacts, event: RecordedEvent): DealFacts {
  const at = instant(event);
  const next: DealFacts = { ...facts, stageEntries: [...facts.stageEntries] };
  switch (event.type) {
    case 'DealStageChanged': {
      const data = event.data as DealStageChanged['data'];
      next.stage = data.to;
      next.stageEntries = [
        ...leave(facts.stageEntries, at),
        { stage: data.to, enteredAt: at, leftAt: null },
      ];
      return next;
    }
    case 'DealAmountChanged': {
      const data = event.data as DealAmountChanged['data'];
      return { ...next, amount: data.amount, amountMinor: data.amount.minor };
    }
    case 'DealExpectedCloseDateChanged':
      return {
        ...next,
        expectedCloseDate: (event.data as DealExpectedCloseDateChanged['data']).date,
      };
    case 'DealExpectedShipMonthChanged':
      return {
        ...next,
        expectedShipMonth: (event.data as DealExpectedShipMonthChanged['data']).month,
      };
    case 'DealWon': {
      const data = event.data as DealWon['data'];
      return {
        ...next,
        status: 'won',
        wonAt: at,
        amount: data.amount,
        amountMinor: data.amount.minor,
        stageEntries: leave(facts.stageEntries, at),
      };
    }
    case 'DealLost': {
      const data = event.data as DealLost['data'];
      return {
        ...next,
        status: 'lost',
        lostAt: at,
        lossReasonCode: data.reasonCode,
        lossReason: data.reason,
        lossSubReason: data.subReason,
        stageEntries: leave(facts.stageEntries, at),
      };
    }
    case 'DealReopened': {
      const data = event.data as DealReopened['data'];
      return {
        ...next,
        status: 'open',
        stage: data.stage,
        wonAt: null,
        lostAt: null,
        lossReasonCode: null,
        lossReason: null,
        lossSubReason: null,
        reopenedAt: at,
        reopenCount: facts.reopenCount + 1,
        stageEntries: [...facts.stageEntries, { stage: data.stage, enteredAt: at, leftAt: null }],
      };
    }
    case 'DealPaymentRecorded': {
      const { receivedOn } = event.data as DealPaymentRecorded['data'];
      const first = facts.firstPaymentOn;
      return { ...next, firstPaymentOn: first && first <= receivedOn ? first : receivedOn };
    }
    case 'DealPaidInFull':
      return { ...next, paidInFullOn: (event.data as DealPaidInFull['data']).paidOn };
    case 'DealOwnerTransferred':
      return { ...next, ownerId: (event.data as DealOwnerTransferred['data']).to };
    default:
      return next;
  }
}
