import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { Decider, DomainEvent, fold } from '../../domain/shared/decider';
import {
  OccurredAtBeforeStreamError,
  WrongExpectedRevisionError,
} from '../event-store/event-store.errors';
import {
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store/event-store.port';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { Clock } from '../shared/clock';
import { DomainError } from '../../domain/shared/domain-error';
import { CommandEnvelope, CommandOutcome } from './command-envelope';
import { OccurredAtRefusedError, RecordNotFoundError } from './command-errors';

export interface AggregateKind<Command, Event, State, Policies> {
  /** Stream type: streams are `<name>-<id>`. */
  name: string;
  decider: Decider<Command, Event, State, Policies>;
  /** Command types that may start a stream; any other command on a missing stream is a 404. */
  creates: string[];
}

/** Checks the caller may change this record, once its current state is known; throws if not. */
export type Authorizer = (
  state: unknown,
  command: { type: string; data: unknown },
  createdBy: string | undefined,
) => void;

export interface PipelineObserver {
  conflict(aggregate: string): void;
}

/** One decided command: what to append, and what the outcome reports once it is appended. */
interface Decision<Event> {
  sealed: NewEvent[];
  written: CommandOutcome<Event>['events'];
}

const MAX_ATTEMPTS = 4;
/** Clock skew allowance for business times supplied by importers. */
const FUTURE_TOLERANCE_MS = 60_000;

/** read stream → fold → decide → append with the expected revision; retry on conflict. */
export class CommandPipeline {
  constructor(
    private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly clock: Clock,
    private readonly observer: PipelineObserver = { conflict: () => undefined },
  ) {}

  async execute<Command extends DomainEvent, Event extends DomainEvent, State, Policies>(
    kind: AggregateKind<Command, Event, State, Policies>,
    aggregateId: string,
    command: Command,
    envelope: CommandEnvelope,
    policies: Policies,
    authorize?: Authorizer,
  ): Promise<CommandOutcome<Event>> {
    const streamName = `${kind.name}-${aggregateId}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(kind, streamName, command, envelope, policies, authorize);
      } catch (error) {
        const retryable =
          error instanceof WrongExpectedRevisionError &&
          envelope.expectedRevision === undefined &&
          attempt < MAX_ATTEMPTS;
        if (error instanceof WrongExpectedRevisionError) this.observer.conflict(kind.name);
        if (!retryable) throw error;
      }
    }
  }

  /**
   * Records several commands to one stream in order, with one fold and one append, as if each
   * had been executed alone after the one before it. Stops before the first one that this would
   * not simply record — a refusal, a back-dating problem, a new stream it may not start, an
   * expected revision, a command id recorded by someone else — and returns how many it recorded
   * (or found recorded already): `execute` then runs that one and says why.
   */
  async executeInOrder<Command extends DomainEvent, Event extends DomainEvent, State, Policies>(
    kind: AggregateKind<Command, Event, State, Policies>,
    aggregateId: string,
    items: Array<{ command: Command; envelope: CommandEnvelope }>,
    policies: Policies,
  ): Promise<number> {
    const streamName = `${kind.name}-${aggregateId}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attemptInOrder(kind, streamName, items, policies);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.observer.conflict(kind.name);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The decrypted history of a stream, for folding and for history views. */
  async history(streamName: string): Promise<RecordedEvent[]> {
    const recorded = await this.store.readStream(streamName);
    return Promise.all(
      recorded.map(async (event) => ({ ...event, data: await this.cipher.open(event.data) })),
    );
  }

  private async attempt<Command extends DomainEvent, Event extends DomainEvent, State, Policies>(
    kind: AggregateKind<Command, Event, State, Policies>,
    streamName: string,
    command: Command,
    envelope: CommandEnvelope,
    policies: Policies,
    authorize: Authorizer | undefined,
  ): Promise<CommandOutcome<Event>> {
    const history = await this.history(streamName);
    const fingerprint = envelope.requestFingerprint;
    const earlier = history.filter((event) => event.metadata.commandId === envelope.commandId);
    if (earlier.length > 0) {
      const recorded = earlier[0].metadata.commandFingerprint;
      const otherCaller = earlier[0].metadata.actor?.userId !== envelope.actor.userId;
      if (
        otherCaller ||
        (recorded !== undefined && fingerprint !== undefined && recorded !== fingerprint)
      ) {
        throw new DomainError(
          'command.idempotency_key_reused',
          'This Idempotency-Key was already used for a different request on this record',
          'Idempotency-Key',
        );
      }
      return outcome<Event>(streamName, history, earlier, true);
    }

    const revision = history.length - 1;
    if (revision < 0 && !kind.creates.includes(command.type)) {
      throw new RecordNotFoundError(kind.name, streamName.slice(kind.name.length + 1));
    }
    const state = fold(kind.decider, history as unknown as Event[]);
    authorize?.(history.length === 0 ? null : state, command, history[0]?.metadata.actor?.userId);
    // After the scope check: an out-of-scope caller learns nothing, not even the revision.
    if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
      throw new WrongExpectedRevisionError(streamName, envelope.expectedRevision, revision);
    }
    const { sealed, written } = await this.decideOne(
      kind,
      streamName,
      history,
      state,
      command,
      envelope,
      policies,
    );
    if (written.length === 0) return outcome<Event>(streamName, history, [], false);

    try {
      const result = await this.store.append(streamName, sealed, {
        expectedRevision: after(history),
      });
      return {
        streamName,
        revision: result.nextExpectedRevision,
        position: result.position,
        events: written.map((event, index) =>
          index === written.length - 1 ? { ...event, position: result.position } : event,
        ),
        replayed: false,
      };
    } catch (error) {
      if (error instanceof OccurredAtBeforeStreamError) {
        throw new OccurredAtRefusedError('command.occurred_at_before_stream', error.message);
      }
      throw error;
    }
  }

  private async attemptInOrder<
    Command extends DomainEvent,
    Event extends DomainEvent,
    State,
    Policies,
  >(
    kind: AggregateKind<Command, Event, State, Policies>,
    streamName: string,
    items: Array<{ command: Command; envelope: CommandEnvelope }>,
    policies: Policies,
  ): Promise<number> {
    const history = await this.history(streamName);
    let state = fold(kind.decider, history as unknown as Event[]);
    const recordedBy = new Map(
      history.map((e) => [e.metadata.commandId, e.metadata.actor?.userId]),
    );
    const known = [...history];
    const pending: NewEvent[] = [];
    let done = 0;
    for (const { command, envelope } of items) {
      if (recordedBy.has(envelope.commandId)) {
        if (recordedBy.get(envelope.commandId) !== envelope.actor.userId) break;
        done += 1;
        continue;
      }
      if (envelope.expectedRevision !== undefined || envelope.requestFingerprint !== undefined)
        break;
      if (known.length === 0 && !kind.creates.includes(command.type)) break;
      let decision: Decision<Event>;
      try {
        decision = await this.decideOne(
          kind,
          streamName,
          known,
          state,
          command,
          envelope,
          policies,
        );
      } catch (error) {
        if (error instanceof DomainError) break;
        throw error;
      }
      pending.push(...decision.sealed);
      for (const event of decision.written) {
        const recorded: RecordedEvent = {
          ...event,
          data: event.data as Record<string, unknown>,
          streamName,
          recordedAt: this.clock.now().toISOString(),
        };
        state = kind.decider.evolve(state, recorded as unknown as Event);
        known.push(recorded);
      }
      recordedBy.set(envelope.commandId, envelope.actor.userId);
      done += 1;
    }
    if (pending.length > 0) {
      await this.store.append(streamName, pending, { expectedRevision: after(history) });
    }
    return done;
  }

  /**
   * Decides one command against `state`, folded from `known` (the stream so far), and seals what
   * it decided: the events to append, and the same events as they will read once appended at the
   * end of `known` (their position is the store's to give).
   */
  private async decideOne<Command extends DomainEvent, Event extends DomainEvent, State, Policies>(
    kind: AggregateKind<Command, Event, State, Policies>,
    streamName: string,
    known: RecordedEvent[],
    state: State,
    command: Command,
    envelope: CommandEnvelope,
    policies: Policies,
  ): Promise<Decision<Event>> {
    const occurredAt = this.businessTime(envelope, known);
    const decided = kind.decider.decide(command, state, {
      now: occurredAt,
      actor: envelope.actor,
      policies,
    });
    const metadataOf = eventMetadata(envelope, occurredAt);
    const sealed = await Promise.all(
      decided.map(async (event) => ({
        id: uuidv7(),
        type: event.type,
        data: await this.cipher.seal(event.type, event.data as Record<string, unknown>, streamName),
        metadata: metadataOf(event.type),
      })),
    );
    const written = decided.map((event, index) => ({
      ...event,
      id: sealed[index].id,
      revision: known.length + index,
      position: '',
      metadata: { ...sealed[index].metadata, schemaVersion: 1 },
    }));
    return { sealed, written };
  }

  private businessTime(envelope: CommandEnvelope, history: RecordedEvent[]): string {
    const now = this.clock.now();
    if (envelope.occurredAt === undefined) {
      const last = history[history.length - 1];
      // A live command never lands before the stream's last event, even if that one was stamped a moment ahead.
      if (last && Date.parse(last.metadata.occurredAt) > now.getTime())
        return last.metadata.occurredAt;
      return now.toISOString();
    }
    if (!envelope.mayBackdate) {
      throw new OccurredAtRefusedError(
        'command.backdating_not_allowed',
        'Only imports and integrations allowed to import may set occurredAt',
      );
    }
    const millis = Date.parse(envelope.occurredAt);
    if (Number.isNaN(millis)) {
      throw new OccurredAtRefusedError(
        'command.occurred_at_invalid',
        'occurredAt must be an ISO 8601 date-time',
      );
    }
    if (millis > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new OccurredAtRefusedError(
        'command.occurred_at_in_future',
        'occurredAt may not be in the future',
      );
    }
    const last = history[history.length - 1];
    if (last && millis < Date.parse(last.metadata.occurredAt)) {
      throw new OccurredAtRefusedError(
        'command.occurred_at_before_stream',
        `occurredAt ${envelope.occurredAt} is before this record's last change (${last.metadata.occurredAt})`,
      );
    }
    return new Date(millis).toISOString();
  }
}

/** Each decided event's metadata, by type: the caller's, or that of whoever decided the type. */
function eventMetadata(
  envelope: CommandEnvelope,
  occurredAt: string,
): (type: string) => EventMetadata {
  const fingerprint = envelope.requestFingerprint;
  const metadata: EventMetadata = {
    occurredAt,
    $correlationId: envelope.correlationId ?? randomUUID(),
    $causationId: envelope.causationId ?? envelope.commandId,
    commandId: envelope.commandId,
    ...(fingerprint ? { commandFingerprint: fingerprint } : {}),
    actor: envelope.actor,
    ...(envelope.cause ? { cause: envelope.cause } : {}),
    ...(envelope.reason ? { reason: envelope.reason } : {}),
  };
  return (type) => {
    const origin = envelope.decidedBy?.[type];
    if (!origin) return metadata;
    const { reason: _callersReason, ...shared } = metadata;
    return {
      ...shared,
      actor: origin.actor,
      cause: origin.cause,
      ...(origin.reason ? { reason: origin.reason } : {}),
    };
  };
}

/** Appending right after `history`, which must still be the whole stream. */
const after = (history: RecordedEvent[]): ExpectedRevision =>
  history.length === 0 ? 'no_stream' : history.length - 1;

function outcome<Event>(
  streamName: string,
  history: RecordedEvent[],
  events: RecordedEvent[],
  replayed: boolean,
): CommandOutcome<Event> {
  const last = events[events.length - 1] ?? history[history.length - 1];
  return {
    streamName,
    revision: replayed ? events[events.length - 1].revision : history.length - 1,
    position: last?.position,
    events: events as unknown as CommandOutcome<Event>['events'],
    replayed,
  };
}
