import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { AggregateName } from '../commands/aggregates';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { CommandOptionsDto } from './command-options.dto';
import { InputProblem } from './problem-details';
import { currentRequestContext } from './request-context';

/** Namespace for ids derived from a command id (UUID v5), so a retried command names the same records. */
const DERIVED_IDS = '6f1c8f52-3f7e-4d2a-9a57-3f1b0c9f2a11';

export interface WriteHeaders {
  idempotencyKey?: string;
  ifMatch?: string;
}

export interface WriteResult {
  id: string;
  revision: number;
  position?: string;
  events: string[];
  replayed: boolean;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** Turns an HTTP write into a command on the bus, with the envelope from the request context. */
@Injectable()
export class CommandSender {
  constructor(private readonly commandBus: CommandBus) {}

  /** The command id: the client's Idempotency-Key, or a fresh one. */
  commandId(headers: WriteHeaders): string {
    if (headers.idempotencyKey === undefined) return uuidv7();
    if (!IDEMPOTENCY_KEY.test(headers.idempotencyKey)) {
      throw new InputProblem([
        {
          field: 'Idempotency-Key',
          code: 'validation.idempotency_key',
          reason: 'Idempotency-Key must be 8–128 characters of letters, digits and . _ : -',
        },
      ]);
    }
    return headers.idempotencyKey;
  }

  /** A new record's id: derived from the client's Idempotency-Key so a retry names the same record. */
  newId(headers: WriteHeaders, commandId: string, role: string): string {
    // Scoped to the caller: another client reusing the same key names other records.
    return headers.idempotencyKey === undefined
      ? uuidv7()
      : deriveId(`${this.context().actor.userId}:${commandId}`, role);
  }

  async send(
    aggregate: AggregateName,
    id: string,
    command: { type: string; data: unknown },
    options: CommandOptionsDto,
    headers: WriteHeaders,
    commandId = this.commandId(headers),
    decidedBy?: CommandEnvelope['decidedBy'],
  ): Promise<WriteResult> {
    const envelope = this.envelope(commandId, options, headers);
    const outcome: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        aggregate,
        id,
        command,
        decidedBy ? { ...envelope, decidedBy } : envelope,
      ),
    );
    return {
      id,
      revision: outcome.revision,
      position: outcome.position,
      events: outcome.events.map((event) => event.type),
      replayed: outcome.replayed,
    };
  }

  /** The acting person as a cause, for commands that record who moved something. */
  personCause(): { kind: 'person'; id: string } {
    return { kind: 'person', id: this.context().actor.userId };
  }

  private context() {
    const context = currentRequestContext();
    if (!context) throw new Error('No request context: RequestContextMiddleware must run first');
    return context;
  }

  envelope(commandId: string, options: CommandOptionsDto, headers: WriteHeaders): CommandEnvelope {
    const context = this.context();
    return {
      commandId,
      correlationId: context.correlationId,
      actor: context.actor,
      cause: { kind: 'person', id: context.actor.userId },
      reason:
        (options as { reason?: unknown }).reason === undefined
          ? undefined
          : String((options as { reason?: unknown }).reason),
      occurredAt: options.occurredAt,
      mayBackdate: context.mayBackdate,
      requestFingerprint: context.requestFingerprint,
      expectedRevision: expectedRevision(headers.ifMatch, options.expectedRevision),
    };
  }
}

export const deriveId = (commandId: string, role: string): string =>
  uuidv5(`${role}:${commandId}`, DERIVED_IDS);

/** If-Match carries the revision as an entity tag: `"3"` (or W/"3"). */
function expectedRevision(
  ifMatch: string | undefined,
  fromBody: number | undefined,
): number | undefined {
  if (ifMatch === undefined) return fromBody;
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(ifMatch.trim());
  if (!match) {
    throw new InputProblem([
      {
        field: 'If-Match',
        code: 'validation.if_match',
        reason: 'If-Match must be a revision such as "3"',
      },
    ]);
  }
  return Number(match[1]);
}
