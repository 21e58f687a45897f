import { describeEvent, Message } from '../src/audit/history/event-messages';
import type { ReadDocument } from '../src/read-store/read-store.port';
import type { Projection } from './projection';
import {
  ACCOUNT_EVENT_TYPES,
  DEAL_EVENT_TYPES,
  DEAL_STALE_EVENT_TYPES,
  LEAD_EVENT_TYPES,
  TASK_EVENT_TYPES,
} from './shared/record-event-types';

/**
 * Correlation index: the events of every correlation id, across streams, so a record's history
 * can link the chain a change belongs to (a deactivation and the handovers it caused, a lead
 * conversion and the account and deal it created). One small document per event, found by its
 * correlation id, with its description taken from the stored (sealed) data: no personal field is
 * ever copied here. A tally per correlation id caps what is kept, so each event costs one put and
 * one counter, however long its chain.
 */
export const CORRELATION_INDEX = 'correlation-index';
export const CORRELATED_EVENTS = 'correlated-events';
export const CORRELATION_TALLIES = 'correlation-tallies';

/** Events kept per correlation; a bulk import under one request id counts the rest in `more`. */
export const MAX_CORRELATED = 200;

/** Id `<stream>@<revision>`: the same in every build. */
export interface CorrelatedEvent extends ReadDocument {
  correlationId: string;
  /** Global position: fixed-width, so string order is log order (see comparePositions). */
  position: string;
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  message: Message;
}

/** Id: the correlation id. */
export interface CorrelationTally extends ReadDocument {
  kept?: number;
  more?: number;
}

/** The events of the records people audit, and of who and what moves them. */
export const CORRELATED_EVENT_TYPES = [
  ...LEAD_EVENT_TYPES,
  ...ACCOUNT_EVENT_TYPES,
  ...DEAL_EVENT_TYPES,
  ...DEAL_STALE_EVENT_TYPES,
  ...TASK_EVENT_TYPES,
  // people, automation, privacy
  'UserDeactivated',
  'UserReactivated',
  'AutomationDecisionRecorded',
  'SubjectErased',
] as const;

export const correlationIndexProjection: Projection = {
  name: CORRELATION_INDEX,
  version: 2,
  collections: [
    { name: CORRELATED_EVENTS, indexes: [['correlationId', 'position']] },
    { name: CORRELATION_TALLIES },
  ],
  eventTypes: CORRELATED_EVENT_TYPES,
  reads: (event) => {
    const id = event.metadata.$correlationId;
    return id ? [{ collection: CORRELATION_TALLIES, id }] : [];
  },
  apply(event, view) {
    const correlationId = event.metadata.$correlationId;
    if (!correlationId) return;
    const tally = view.get<CorrelationTally>(CORRELATION_TALLIES, correlationId);
    if ((tally?.kept ?? 0) >= MAX_CORRELATED) {
      view.increment(CORRELATION_TALLIES, correlationId, { more: 1 });
      return;
    }
    const entry: CorrelatedEvent = {
      id: `${event.streamName}@${event.revision}`,
      correlationId,
      position: event.position,
      stream: event.streamName,
      revision: event.revision,
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      message: describeEvent(event.type, event.data),
    };
    view.put(CORRELATED_EVENTS, entry);
    view.increment(CORRELATION_TALLIES, correlationId, { kept: 1 });
  },
};
