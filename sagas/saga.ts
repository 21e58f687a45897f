import type { ProjectionCollection, ProjectionView } from '../projections/projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';

/** A durable timer: stored with the saga's state, fired at `dueAt` (saga time), at least once. */
export interface SagaTimer {
  /** Stable across replays (derive it from the record and the step), so scheduling is idempotent. */
  id: string;
  dueAt: string;
  kind: string;
  data: Record<string, unknown>;
}

/**
 * A command a saga decides to send. Its id is derived from the saga, the record and the step, so a
 * redelivered timer or a replay sends the same command, and the stream's history makes it a no-op.
 */
export interface SagaCommand {
  aggregate: 'lead' | 'account' | 'deal' | 'task' | 'automation';
  id: string;
  commandId: string;
  /**
   * Links the commands of one decision (an escalation, the task it creates, the reassignment it
   * asks for) in the history; deterministic like the command id. Absent: the command id.
   */
  correlationId?: string;
  type: string;
  data: Record<string, unknown>;
  /** Business time of the decision: the timer's due time, or the triggering event's time. */
  occurredAt: string;
  reason?: string;
  /** The rule behind the decision, recorded as the events' cause. */
  policy?: { id: string; version: number };
}

/** What a saga's handlers see: its documents (as in a projection), the saga clock, timers and commands. */
export interface SagaContext extends ProjectionView {
  /** Saga time: the event's `occurredAt`, or the timer's `dueAt`. Never the wall clock. */
  readonly now: string;
  schedule(timer: SagaTimer): void;
  cancel(timerId: string): void;
  send(command: SagaCommand): void;
}

/**
 * A process manager: events and timers in, documents, timers and commands out. Pure apart from
 * the context, so the same code runs durably (src/saga-runner) and in a what-if replay.
 */
export interface Saga {
  name: string;
  version: number;
  collections: ProjectionCollection[];
  eventTypes: readonly string[];
  /** Documents `handle` reads for this event. */
  reads?(event: RecordedEvent): Array<{ collection: string; id: string }>;
  /** Documents `fire` reads for this timer. */
  readsForTimer?(timer: SagaTimer): Array<{ collection: string; id: string }>;
  handle(event: RecordedEvent, context: SagaContext): void;
  fire(timer: SagaTimer, context: SagaContext): void;
}
