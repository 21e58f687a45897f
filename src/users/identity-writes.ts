import { Injectable } from '@nestjs/common';
import { CommandEnvelope } from '../commands/command-envelope';
import { CommandOptionsDto } from '../http/command-options.dto';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';
import { currentRequestContext } from '../http/request-context';
import { DirectoryFeed } from '../identity/directory-feed';
import { Principal } from '../identity/identity-events';

export type IdentityAggregate = 'user' | 'team';

export interface IdentityStep {
  /** Stable per kind of change: a retry with the same Idempotency-Key finds the same step. */
  step: string;
  command: { type: string; data: Record<string, unknown> };
}

/** What a write takes from its body besides the command: If-Match in the body, and a reason. */
export interface IdentityWriteOptions {
  expectedRevision?: number;
  reason?: string;
}

// DTO instances carry class prototypes and undefined keys; commands are plain JSON.
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const currentPrincipal = (): Principal => {
  const principal = currentRequestContext()?.principal;
  if (!principal) throw new Error('No principal: the auth guard must run first');
  return principal;
};

/**
 * User and team commands onto the CommandBus. Every write is applied to the directory before the
 * answer: sign-in, roles and team scope are checked against it, so the next request must see it.
 */
@Injectable()
export class IdentityWrites {
  constructor(
    private readonly sender: CommandSender,
    private readonly feed: DirectoryFeed,
  ) {}

  commandId(headers: WriteHeaders): string {
    return this.sender.commandId(headers);
  }

  newId(headers: WriteHeaders, commandId: string, role: IdentityAggregate): string {
    return this.sender.newId(headers, commandId, role);
  }

  /** The envelope of a write that a command handler carries out. */
  envelope(
    commandId: string,
    options: IdentityWriteOptions,
    headers: WriteHeaders,
  ): CommandEnvelope {
    return this.sender.envelope(commandId, toCommandOptions(options), headers);
  }

  async send(
    aggregate: IdentityAggregate,
    id: string,
    command: IdentityStep['command'],
    options: IdentityWriteOptions,
    headers: WriteHeaders,
    commandId = this.commandId(headers),
  ): Promise<WriteResult> {
    try {
      return await this.sender.send(
        aggregate,
        id,
        plain(command),
        toCommandOptions(options),
        headers,
        commandId,
      );
    } finally {
      await this.feed.applyWritten(`${aggregate}-${id}`);
    }
  }

  /**
   * Several commands from one request, in order, each under an id derived from the request's, so a
   * retry replays what was done and completes the rest. Only the first is held to If-Match.
   */
  async sendInOrder(
    aggregate: IdentityAggregate,
    id: string,
    steps: IdentityStep[],
    options: IdentityWriteOptions,
    headers: WriteHeaders,
  ): Promise<WriteResult> {
    const commandId = this.commandId(headers);
    const results: WriteResult[] = [];
    for (const [index, { step, command }] of steps.entries()) {
      const first = index === 0;
      results.push(
        await this.send(
          aggregate,
          id,
          command,
          { ...options, expectedRevision: first ? options.expectedRevision : undefined },
          first ? headers : { idempotencyKey: headers.idempotencyKey },
          `${commandId}/${step}`,
        ),
      );
    }
    const last = results[results.length - 1];
    return {
      id,
      revision: last.revision,
      position: last.position,
      events: results.flatMap((result) => result.events),
      replayed: results.every((result) => result.replayed),
    };
  }
}

const toCommandOptions = ({ expectedRevision, reason }: IdentityWriteOptions): CommandOptionsDto =>
  ({ expectedRevision, ...(reason ? { reason } : {}) }) as CommandOptionsDto;
