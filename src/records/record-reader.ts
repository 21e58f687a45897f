import { Injectable } from '@nestjs/common';
import { AGGREGATES, AggregateName } from '../commands/aggregates';
import { RecordNotFoundError } from '../commands/command-errors';
import { CommandPipeline } from '../commands/command-pipeline';
import { RecordedEvent } from '../event-store/event-store.port';

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
  constructor(private readonly pipeline: CommandPipeline) {}

  async read<State>(aggregate: AggregateName, id: string): Promise<RecordView<State>> {
    const events = await this.events(aggregate, id);
    const { decider } = AGGREGATES[aggregate].kind;
    let state = decider.initialState;
    for (const event of events) state = decider.evolve(state, event as never);
    return { id, revision: events.length - 1, state: state as State };
  }

  async history(aggregate: AggregateName, id: string): Promise<HistoryEntry[]> {
    return (await this.events(aggregate, id)).map((event) => ({
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

  private async events(aggregate: AggregateName, id: string): Promise<RecordedEvent[]> {
    const events = await this.pipeline.history(`${aggregate}-${id}`);
    if (events.length === 0) throw new RecordNotFoundError(aggregate, id);
    return events;
  }
}
