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
 * conversion and the account and deal it created). One document per correlation id, listing its
 * events in log order with their description, taken from the stored (sealed) data: no personal
 * field is ever copied here.
 */
export const CORRELATION_INDEX = 'correlation-index';
export const CORRELATIONS = 'correlations';

/** Events kept per correlation; a bulk import under one request id counts the rest in `more`. */
export const MAX_CORRELATED = 200;

export interface CorrelatedEvent {
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  message: Message;
}

export interface CorrelationDocument extends ReadDocument {
  events: CorrelatedEvent[];
  more: number;
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
  version: 1,
  collections: [{ name: CORRELATIONS }],
  eventTypes: CORRELATED_EVENT_TYPES,
  reads: (event) => [{ collection: CORRELATIONS, id: event.metadata.$correlationId }],
  apply(event, view) {
    const id = event.metadata.$correlationId;
    if (!id) return;
    const known = view.get<CorrelationDocument>(CORRELATIONS, id);
    const events = known?.events ?? [];
    const more = known?.more ?? 0;
    if (events.some((e) => e.stream === event.streamName && e.revision === event.revision)) return;
    if (events.length >= MAX_CORRELATED) {
      view.put(CORRELATIONS, { id, events, more: more + 1 });
      return;
    }
    const entry: CorrelatedEvent = {
      stream: event.streamName,
      revision: event.revision,
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      message: describeEvent(event.type, event.data),
    };
    view.put(CORRELATIONS, { id, events: [...events, entry], more });
  },
};
