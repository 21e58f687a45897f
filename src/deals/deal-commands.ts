import { Injectable } from '@nestjs/common';
import { DealCommand } from '../../domain/deal/deal.commands';
import { CommandOptionsDto } from '../http/command-options.dto';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';

/** What a deal route may add to a command besides its data. */
export interface DealCommandOptions {
  /** Recorded as the events' reason (metadata), for audits. */
  reason?: string;
  /** Set when the route already derived new ids from it. */
  commandId?: string;
}

export interface DealStep {
  /** Stable per kind of change: a retry with the same Idempotency-Key finds the same step. */
  step: string;
  command: DealCommand;
}

// DTO instances carry class prototypes and undefined keys; commands are plain JSON.
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Deal commands onto the CommandBus, through the shared CommandSender. */
@Injectable()
export class DealCommands {
  constructor(private readonly sender: CommandSender) {}

  send(
    dealId: string,
    command: DealCommand,
    body: CommandOptionsDto,
    headers: WriteHeaders,
    { reason, commandId }: DealCommandOptions = {},
  ): Promise<WriteResult> {
    const options = {
      occurredAt: body.occurredAt,
      expectedRevision: body.expectedRevision,
      ...(reason ? { reason } : {}),
    };
    return this.sender.send(
      'deal',
      dealId,
      plain(command),
      options,
      headers,
      commandId ?? this.sender.commandId(headers),
    );
  }

  /**
   * Several commands from one request, in order. Each has its own command id derived from the
   * request's, so a retry replays what was done and completes the rest. Only the first is held to
   * If-Match: the others follow on from it. The result covers all of them.
   */
  async sendInOrder(
    dealId: string,
    steps: DealStep[],
    body: CommandOptionsDto,
    headers: WriteHeaders,
  ): Promise<WriteResult> {
    const commandId = this.sender.commandId(headers);
    const results: WriteResult[] = [];
    for (const [index, { step, command }] of steps.entries()) {
      const first = index === 0;
      results.push(
        await this.sender.send(
          'deal',
          dealId,
          plain(command),
          {
            occurredAt: body.occurredAt,
            expectedRevision: first ? body.expectedRevision : undefined,
          },
          first ? headers : { idempotencyKey: headers.idempotencyKey },
          `${commandId}/${step}`,
        ),
      );
    }
    const last = results[results.length - 1];
    return {
      id: dealId,
      revision: last.revision,
      position: last.position,
      events: results.flatMap((result) => result.events),
      // A step that changed nothing (the value was already so) is neither new nor replayed.
      replayed:
        results.some((result) => result.replayed) &&
        results.every((result) => result.replayed || result.events.length === 0),
    };
  }

  /** A new id for something the command creates (deal, quote, payment), stable across retries. */
  newId(headers: WriteHeaders, commandId: string, role: string): string {
    return this.sender.newId(headers, commandId, role);
  }

  commandId(headers: WriteHeaders): string {
    return this.sender.commandId(headers);
  }

  /** The caller's user id. */
  actorId(): string {
    return this.sender.personCause().id;
  }

  /** The caller, as the cause of a change they make by hand. */
  personCause(): { kind: 'person'; id: string } {
    return this.sender.personCause();
  }
}
