import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { SagaCommand } from '../../sagas/saga';
import { DomainError } from '../../domain/shared/domain-error';
import {
  REASSIGN_LEAD_BY_RULE,
  ReassignLeadByRule,
  ReassignLeadByRuleData,
} from '../assignment/reassign-lead-by-rule';
import type { CommandEnvelope } from '../commands/command-envelope';
import { ExecuteDomainCommandsInOrder } from '../commands/execute-commands-in-order';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import type { Clock } from '../shared/clock';
import type { CommandDispatch, CommandDispatchInOrder } from './outbox-sender';

const SYSTEM = { userId: 'system', role: 'system' };

/**
 * Sends a saga's command through the normal command pipeline as the system, under the saga (and
 * the rule that decided it). Its id makes a second send a no-op. A business refusal (the lead was
 * converted meanwhile) is final and logged; anything else is thrown, so the command stays queued.
 * A reassignment by the assignment rules goes to its own handler: the owner is chosen there.
 */
export function sagaDispatch(bus: CommandBus, clock: Clock): CommandDispatch {
  const logger = new Logger('Sagas');
  return async (command: SagaCommand, saga: string) => {
    const send = (occurredAt: string) => {
      const envelope = sagaEnvelope(command, saga, occurredAt);
      return bus.execute(
        command.type === REASSIGN_LEAD_BY_RULE
          ? new ReassignLeadByRule(command.data as unknown as ReassignLeadByRuleData, envelope)
          : new ExecuteDomainCommand(
              command.aggregate,
              command.id,
              { type: command.type, data: command.data },
              envelope,
            ),
      );
    };
    try {
      await send(command.occurredAt);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'command.occurred_at_before_stream') {
        // Caught up after downtime: the record moved on since the due time, so the effect is dated now.
        await sendOrLog(() => send(clock.now().toISOString()), logger, saga, command);
        return;
      }
      if (error instanceof DomainError) {
        logger.warn({
          msg: 'saga command refused',
          saga,
          commandId: command.commandId,
          code: error.code,
        });
        return;
      }
      throw error;
    }
  };
}

/**
 * A record's decided domain commands in one append, up to the first one that must go alone (a
 * reassignment by the rules, or one the pipeline would refuse or re-date): resolves to how many
 * were recorded, in order.
 */
export function sagaDispatchInOrder(bus: CommandBus): CommandDispatchInOrder {
  return async (commands: SagaCommand[], saga: string) => {
    const end = commands.findIndex((command) => command.type === REASSIGN_LEAD_BY_RULE);
    const run = end < 0 ? commands : commands.slice(0, end);
    if (run.length < 2) return 0;
    return bus.execute(
      new ExecuteDomainCommandsInOrder(
        run[0].aggregate,
        run[0].id,
        run.map((command) => ({
          command: { type: command.type, data: command.data },
          envelope: sagaEnvelope(command, saga, command.occurredAt),
        })),
      ),
    );
  };
}

/** As the system, under the saga and the rule that decided the command, dated when it decided. */
function sagaEnvelope(command: SagaCommand, saga: string, occurredAt: string): CommandEnvelope {
  return {
    commandId: command.commandId,
    correlationId: command.correlationId ?? command.commandId,
    actor: SYSTEM,
    cause: command.policy
      ? { kind: 'rule', id: command.policy.id, version: command.policy.version }
      : { kind: 'saga', id: saga },
    reason: command.reason ?? `automation: ${saga}`,
    occurredAt,
    mayBackdate: true,
  };
}

async function sendOrLog(
  send: () => Promise<unknown>,
  logger: Logger,
  saga: string,
  command: SagaCommand,
) {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    logger.warn({
      msg: 'saga command refused',
      saga,
      commandId: command.commandId,
      code: error.code,
    });
  }
}
