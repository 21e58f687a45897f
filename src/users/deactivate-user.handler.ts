import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UserDeactivated } from '../../domain/identity/user.events';
import { refuse } from '../../domain/shared/validation';
import { RecordNotFoundError } from '../commands/command-errors';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { WriteResult } from '../http/command-sender';
import { currentRequestContext, runInRequestContext } from '../http/request-context';
import { EventActor } from '../event-store/event-store.port';
import { AuthService } from '../identity/auth.service';
import { BookOfBusiness, HeldKind, HeldRecord } from '../identity/book-of-business';
import { DirectoryFeed } from '../identity/directory-feed';
import { requireSuccessor } from './directory-checks';
import { DEACTIVATION_CAUSE, handoverCommand } from './handover-commands';

export class DeactivateUserCommand {
  constructor(
    readonly userId: string,
    readonly successorId: string | undefined,
    readonly reason: string | undefined,
    readonly envelope: CommandEnvelope,
  ) {}
}

export interface Handover {
  record: HeldKind;
  id: string;
  events: string[];
  replayed: boolean;
}

export interface DeactivationResult extends WriteResult {
  successorId?: string;
  /** Shared by the deactivation and every handover it made, for audits. */
  correlationId: string;
  handovers: Handover[];
}

/**
 * A user leaves: deactivate them (their tokens are refused from then on), then hand every open
 * record they hold to the successor, one ownership event per record, all under the deactivation's
 * correlation id. Each handover has its own command id derived from the request's, so a retry, or
 * a resume after a crash, completes the handover and never repeats one.
 */
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements ICommandHandler<
  DeactivateUserCommand,
  DeactivationResult
> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly feed: DirectoryFeed,
    private readonly book: BookOfBusiness,
    private readonly auth: AuthService,
  ) {}

  async execute({
    userId,
    successorId,
    reason,
    envelope,
  }: DeactivateUserCommand): Promise<DeactivationResult> {
    if (!this.feed.directory.user(userId)) throw new RecordNotFoundError('user', userId);
    if (successorId !== undefined) requireSuccessor(this.feed.directory, successorId);
    else if ((await this.book.openRecordsOf(userId)).length > 0) {
      refuse(
        'user.successor_required',
        'This user still holds open records; choose who takes them over.',
        'successorId',
      );
    }
    const deactivated: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'user',
        userId,
        {
          type: 'DeactivateUser',
          data: { userId, ...(successorId && { successorId }), ...(reason && { reason }) },
        },
        envelope,
      ),
    );
    await this.feed.applyWritten(`user-${userId}`);
    await this.revokeTokens(userId, envelope.actor);
    const recorded = deactivated.events.find((event) => event.type === 'UserDeactivated');
    if (!recorded) throw new Error(`DeactivateUser on user-${userId} recorded no UserDeactivated`);
    const decision = recorded.data as unknown as UserDeactivated;
    // The recorded one, so a retry under a new request still joins the original correlation.
    const correlationId = recorded.metadata.$correlationId;
    const handovers = decision.successorId
      ? await this.handOver(
          await this.book.openRecordsOf(userId),
          decision.successorId,
          decision.reason,
          { ...envelope, correlationId },
        )
      : [];
    const positions = [deactivated.position, ...handovers.map((handover) => handover.position)];
    return {
      id: userId,
      revision: deactivated.revision,
      position: positions
        .filter((position): position is string => !!position)
        .sort()
        .pop(),
      events: deactivated.events.map((event) => event.type),
      replayed: deactivated.replayed && handovers.every((handover) => handover.replayed),
      ...(decision.successorId && { successorId: decision.successorId }),
      correlationId,
      handovers: handovers.map(({ position: _position, ...handover }) => handover),
    };
  }

  /**
   * Refused already, as the user is inactive; revoked as well, so that a later reactivation does
   * not bring back old sessions and API tokens.
   */
  private async revokeTokens(userId: string, actor: EventActor): Promise<void> {
    for (const token of this.feed.directory.allTokens()) {
      if (token.userId === userId && !token.revokedAt) {
        await this.auth.revoke(token.tokenId, actor, 'user deactivated');
      }
    }
  }

  private async handOver(
    records: HeldRecord[],
    successorId: string,
    reason: string,
    envelope: CommandEnvelope,
  ): Promise<Array<Handover & { position?: string }>> {
    const handovers: Array<Handover & { position?: string }> = [];
    for (const record of records) {
      const outcome = await this.outsideRecordScope<CommandOutcome>(() =>
        this.commandBus.execute(
          new ExecuteDomainCommand(
            record.kind,
            record.id,
            handoverCommand(record, successorId, reason),
            {
              ...envelope,
              commandId: `${envelope.commandId}/handover/${record.streamName}`,
              causationId: envelope.commandId,
              expectedRevision: undefined,
              occurredAt: undefined,
              cause: { ...DEACTIVATION_CAUSE },
              reason,
            },
          ),
        ),
      );
      handovers.push({
        record: record.kind,
        id: record.id,
        events: outcome.events.map((event) => event.type),
        replayed: outcome.replayed,
        position: outcome.position,
      });
    }
    return handovers;
  }

  /**
   * The handovers follow from a deactivation the domain has already allowed; like a saga's
   * commands they are not held to the caller's record scope (an admin works no sales records).
   */
  private outsideRecordScope<T>(work: () => Promise<T>): Promise<T> {
    const context = currentRequestContext();
    return context ? runInRequestContext({ ...context, principal: undefined }, work) : work();
  }
}
