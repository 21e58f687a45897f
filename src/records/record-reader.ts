import { Injectable } from '@nestjs/common';
import { AGGREGATES, AggregateName } from '../commands/aggregates';
import { RecordNotFoundError } from '../commands/command-errors';
import { CommandPipeline } from '../commands/command-pipeline';
import { RecordedEvent } from '../event-store/event-store.port';
import { currentRequestContext } from '../http/request-context';
import { RecordAccess } from '../identity/record-access';

export interface RecordView<State = unknown> {
  id: string;
  revision: number;
  state: State;
}

export interface HistoryEntry {
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor?: unknown;
  cause?: unknown;
  reason?: string;
  correlationId: string;
  commandId?: string;
  data: Record<string, unknown>;
}

/** Reads a record by folding its stream; read models take over with the projections issue. */
@Injectable()
export class RecordReader {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly access: RecordAccess,
  ) {}

  async read<State>(aggregate: AggregateName, id: string): Promise<RecordView<State>> {
    const events = await this.events(aggregate, id);
    return { id, revision: events.length - 1, state: this.fold(aggregate, events) as State };
  }

  /**
   * Without the caller's record scope: for the lookups a write makes before its command (the
   * current owner, a contact's account). The pipeline still authorizes the write itself; never
   * return what this reads to the caller.
   */
  async lookUp<State>(aggregate: AggregateName, id: string): Promise<RecordView<State>> {
    const events = await this.events(aggregate, id);
    return { id, revision: events.length - 1, state: this.fold(aggregate, events, false) as State };
  }

  async history(aggregate: AggregateName, id: string): Promise<HistoryEntry[]> {
    const events = await this.events(aggregate, id);
    this.fold(aggregate, events);
    return events.map((event) => ({
      revision: event.revision,
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt,
      actor: event.metadata.actor,
      cause: event.metadata.cause,
      reason: event.metadata.reason,
      correlationId: event.metadata.$correlationId,
      commandId: event.metadata.commandId,
      data: event.data,
    }));
  }

  /** Folds the stream and holds the result to the caller's record scope, when serving a request. */
  private fold(aggregate: AggregateName, events: RecordedEvent[], scoped = true): unknown {
    const { decider } = AGGREGATES[aggregate].kind;
    let state = decider.initialState;
    for (const event of events) state = decider.evolve(state, event as never);
    const principal = currentRequestContext()?.principal;
    if (principal && scoped)
      this.access.assertMaySee(principal, aggregate, state, events[0]?.metadata.actor?.userId);
    return state;
  }

  private async events(aggregate: AggregateName, id: string): Promise<RecordedEvent[]> {
    const events = await this.pipeline.history(`${aggregate}-${id}`);
    if (events.length === 0) throw new RecordNotFoundError(aggregate, id);
    return events;
  }
}
