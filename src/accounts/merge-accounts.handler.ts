import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AbsorbAccount, MergeAccountInto } from '../../domain/account/account.commands';
import { AccountMergedInto } from '../../domain/account/account.events';
import { Cause } from '../../domain/shared/cause';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { deriveId } from '../http/command-sender';
import { RecordReader } from '../records/record-reader';
import { CLOCK, Clock } from '../shared/clock';
import {
  decisionRecorded,
  lastPosition,
  nextStep,
  readAccount,
  recorded,
  refuseEarly,
} from './account-chain';

export class MergeAccountsCommand {
  constructor(
    readonly mergedId: string,
    readonly survivorId: string,
    readonly reason: string,
    readonly cause: Cause,
    readonly envelope: CommandEnvelope,
  ) {}
}

export interface MergeResult {
  mergeId: string;
  mergedId: string;
  survivorId: string;
  /** Each account's revision after the merge, for If-Match on the next write. */
  mergedRevision: number;
  survivorRevision: number;
  events: string[];
  /** Position of the last event written by the chain, for read-your-writes. */
  position?: string;
  replayed: boolean;
}

/**
 * Duplicate → survivor. The duplicate records the merge first (mergeId derived from the command
 * id), then the survivor absorbs its contacts under `<commandId>/absorb`: a retry, or a resume
 * after a crash between the two appends, completes the merge and never repeats it.
 */
@CommandHandler(MergeAccountsCommand)
export class MergeAccountsHandler implements ICommandHandler<MergeAccountsCommand, MergeResult> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly records: RecordReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: MergeAccountsCommand): Promise<MergeResult> {
    const { mergedId, survivorId, reason, cause, envelope } = command;
    const mergeId = deriveId(`account-${mergedId}:${envelope.commandId}`, 'merge');
    const merged = await readAccount(this.records, mergedId, 'mergedId');
    if (!(await decisionRecorded(this.records, mergedId, envelope.commandId))) {
      const survivor = await readAccount(this.records, survivorId, 'survivorId');
      const contacts = Object.values(merged.contacts);
      refuseEarly(
        survivor,
        absorb({ accountId: survivorId, mergedId, mergeId, contacts }),
        envelope,
        this.clock,
      );
    }

    const decided: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'account',
        mergedId,
        {
          type: 'MergeAccountInto',
          data: {
            accountId: mergedId,
            survivorId,
            mergeId,
            reason,
            cause,
          } satisfies MergeAccountInto,
        },
        envelope,
      ),
    );
    // On a retry the recorded decision wins over the request body.
    const merge = recorded<AccountMergedInto>(decided, 'AccountMergedInto');
    const absorbed: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'account',
        merge.survivorId,
        absorb({
          accountId: merge.survivorId,
          mergedId,
          mergeId: merge.mergeId,
          contacts: merge.movedContacts,
        }),
        nextStep(envelope, `account-${mergedId}/absorb`),
      ),
    );
    return {
      mergeId: merge.mergeId,
      mergedId,
      survivorId: merge.survivorId,
      mergedRevision: decided.revision,
      survivorRevision: absorbed.revision,
      events: [...decided.events, ...absorbed.events].map((event) => event.type),
      position: lastPosition(decided, absorbed),
      replayed: decided.replayed && absorbed.replayed,
    };
  }
}

const absorb = (data: AbsorbAccount) => ({ type: 'AbsorbAccount' as const, data });
