import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  Contact,
  ReleaseMergedAccount,
  UnmergeAccount,
} from '../../domain/account/account.commands';
import { AccountUnmerged } from '../../domain/account/account.events';
import { Cause } from '../../domain/shared/cause';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
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

export class UnmergeAccountCommand {
  constructor(
    readonly accountId: string,
    readonly reason: string,
    readonly cause: Cause,
    readonly envelope: CommandEnvelope,
  ) {}
}

export interface UnmergeResult {
  mergeId: string;
  accountId: string;
  survivorId: string;
  /** The moved contacts that went back; the ones removed on the survivor meanwhile stay removed. */
  returnedContactIds: string[];
  accountRevision: number;
  survivorRevision: number;
  events: string[];
  position?: string;
  replayed: boolean;
}

/**
 * Undoes a merge: the merged account takes back its moved contacts as they now stand on the
 * survivor, then the survivor lets them go under `<commandId>/release`. Retry-safe like the merge.
 */
@CommandHandler(UnmergeAccountCommand)
export class UnmergeAccountHandler implements ICommandHandler<
  UnmergeAccountCommand,
  UnmergeResult
> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly records: RecordReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    accountId,
    reason,
    cause,
    envelope,
  }: UnmergeAccountCommand): Promise<UnmergeResult> {
    const account = await readAccount(this.records, accountId, 'id');
    let returnedContacts: Contact[] = [];
    const merge = account.mergedInto;
    if (merge && !(await decisionRecorded(this.records, accountId, envelope.commandId))) {
      const survivor = await readAccount(this.records, merge.survivorId, 'survivorId');
      returnedContacts = merge.movedContactIds.flatMap((contactId) =>
        survivor.contacts[contactId] ? [survivor.contacts[contactId]] : [],
      );
      refuseEarly(
        survivor,
        release({
          accountId: survivor.accountId,
          mergedId: accountId,
          mergeId: merge.mergeId,
          contactIds: returnedContacts.map((contact) => contact.contactId),
        }),
        envelope,
        this.clock,
      );
    }

    // Not merged and nothing recorded: the domain refuses with account.not_merged.
    const decided: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'account',
        accountId,
        {
          type: 'UnmergeAccount',
          data: { accountId, reason, cause, returnedContacts } satisfies UnmergeAccount,
        },
        envelope,
      ),
    );
    const unmerged = recorded<AccountUnmerged>(decided, 'AccountUnmerged');
    const contactIds = unmerged.returnedContacts.map((contact) => contact.contactId);
    const released: CommandOutcome = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'account',
        unmerged.survivorId,
        release({
          accountId: unmerged.survivorId,
          mergedId: accountId,
          mergeId: unmerged.mergeId,
          contactIds,
        }),
        nextStep(envelope, `account-${accountId}/release`),
      ),
    );
    return {
      mergeId: unmerged.mergeId,
      accountId,
      survivorId: unmerged.survivorId,
      returnedContactIds: contactIds,
      accountRevision: decided.revision,
      survivorRevision: released.revision,
      events: [...decided.events, ...released.events].map((event) => event.type),
      position: lastPosition(decided, released),
      replayed: decided.replayed && released.replayed,
    };
  }
}

const release = (data: ReleaseMergedAccount) => ({ type: 'ReleaseMergedAccount' as const, data });
