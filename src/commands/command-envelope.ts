import { EventActor, EventCause, RecordedEvent } from '../event-store/event-store.port';

/** Everything about a command that is not the command itself. */
export interface CommandEnvelope {
  /** Client-chosen for idempotency: the same id on the same stream returns the original result. */
  commandId: string;
  correlationId?: string;
  causationId?: string;
  actor: EventActor;
  cause?: EventCause;
  reason?: string;
  /** Back-dated business time; honoured only when `mayBackdate`. */
  occurredAt?: string;
  mayBackdate?: boolean;
  /** Of the HTTP request behind the command; a retried key must carry the same one. */
  requestFingerprint?: string;
  /** The revision the client last saw (If-Match); absent means "current, with retry". */
  expectedRevision?: number;
  /**
   * Events of this command decided by someone other than the caller, by event type: their
   * metadata names that actor, cause and reason instead. A rule's LeadAssigned recorded in the
   * same append as the inquiry it routes is the system's, under the rule (id + version).
   */
  decidedBy?: Partial<Record<string, EventOrigin>>;
}

export interface EventOrigin {
  actor: EventActor;
  cause: EventCause;
  reason?: string;
}

export interface CommandOutcome<Event = { type: string; data: Record<string, unknown> }> {
  streamName: string;
  /** Revision of the stream after the command (-1: still no stream). */
  revision: number;
  /** Global position of the last event written, for read-your-writes. */
  position?: string;
  events: Array<Event & Pick<RecordedEvent, 'id' | 'revision' | 'position' | 'metadata'>>;
  /** True when this commandId had already been executed and nothing new was written. */
  replayed: boolean;
}
