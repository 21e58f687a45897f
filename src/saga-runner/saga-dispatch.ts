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
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import type { Clock } from '../shared/clock';
import type { CommandDispatch } from './saga-lane';

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
      const envelope: CommandEnvelope = {
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
