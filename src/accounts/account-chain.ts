import { AccountCommand } from '../../domain/account/account.commands';
import { accountDecider } from '../../domain/account/account.decider';
import { Account } from '../../domain/account/account.state';
import { DomainError } from '../../domain/shared/domain-error';
import { RecordNotFoundError } from '../commands/command-errors';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { comparePositions } from '../event-store/event-store.port';
import { RecordReader } from '../records/record-reader';
import { Clock } from '../shared/clock';

/**
 * Helpers for commands that span two accounts (merge, unmerge): the first append records the
 * decision; the second step completes it on the other account.
 */

/** The account, or a 404 that names the input it came from (mergedId, survivorId…). */
export async function readAccount(
  records: RecordReader,
  id: string,
  field: string,
): Promise<Account> {
  try {
    return (await records.read<Account>('account', id)).state;
  } catch (error) {
    if (!(error instanceof RecordNotFoundError)) throw error;
    throw new DomainError('account.not_found', `No account with id ${id}`, field, { id });
  }
}

/** Whether this command already recorded its decision on the account: then only complete the chain. */
export async function decisionRecorded(
  records: RecordReader,
  accountId: string,
  commandId: string,
): Promise<boolean> {
  const history = await records.history('account', accountId);
  return history.some((entry) => entry.commandId === commandId);
}

/**
 * Runs the second step's decision without writing it, so that a refusal there (the survivor was
 * itself merged away, say) refuses the whole command before the first append.
 */
export function refuseEarly(
  account: Account,
  command: AccountCommand,
  envelope: CommandEnvelope,
  clock: Clock,
): void {
  accountDecider.decide(command, account, {
    now: clock.now().toISOString(),
    actor: envelope.actor,
    policies: undefined,
  });
}

/** The second step: a command of its own, caused by the first, never pinned to the client's revision. */
export const nextStep = (envelope: CommandEnvelope, suffix: string): CommandEnvelope => ({
  ...envelope,
  commandId: `${envelope.commandId}/${suffix}`,
  causationId: envelope.commandId,
  expectedRevision: undefined,
});

/** The data of the event a step recorded (or replayed). */
export function recorded<Data>(outcome: CommandOutcome, type: string): Data {
  const event = outcome.events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`Expected ${type} in ${outcome.streamName}`);
  return event.data as Data;
}

/** The latest global position of the chain, for read-your-writes. */
export const lastPosition = (...outcomes: CommandOutcome[]): string | undefined =>
  outcomes
    .map((outcome) => outcome.position)
    .filter((position): position is string => position !== undefined)
    .sort(comparePositions)
    .pop();
