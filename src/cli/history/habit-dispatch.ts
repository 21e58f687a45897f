import { CommandBus } from '@nestjs/cqrs';
import type { SagaCommand } from '../../../sagas/saga';
import { ExecuteDomainCommand } from '../../commands/execute-domain-command';
import type { CommandDispatch } from '../../saga-runner/saga-lane';
import { REP_HABITS, RepCommand } from './rep-habits';

/**
 * The sagas' commands go as the system, through the saga dispatch; the generated reps' go as the
 * rep, like every other command of the history (a refusal stops the run: the history is invalid).
 */
export function inStepDispatch(bus: CommandBus, sagas: CommandDispatch): CommandDispatch {
  return async (command: SagaCommand, saga: string) => {
    if (saga !== REP_HABITS) return sagas(command, saga);
    const { actor } = command as RepCommand;
    await bus.execute(
      new ExecuteDomainCommand(
        command.aggregate,
        command.id,
        { type: command.type, data: command.data },
        {
          commandId: command.commandId,
          correlationId: command.commandId,
          actor,
          cause: { kind: 'person', id: actor.userId },
          occurredAt: command.occurredAt,
          mayBackdate: true,
        },
      ),
    );
  };
}
