import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandEnvelope } from '../../commands/command-envelope';
import { ExecuteDomainCommand } from '../../commands/execute-domain-command';
import { ConvertLeadCommand } from '../../leads/convert-lead.handler';
import { iso } from './business-hours';
import { PlannedStep } from './plan';

/** A command of the history that the application refused: the generator wrote an invalid history. */
export class HistoryRefusedError extends Error {
  constructor(
    readonly step: PlannedStep,
    readonly index: number,
    readonly refusal: unknown,
  ) {
    const target =
      step.target.kind === 'convert'
        ? `ConvertLeadCommand lead-${step.target.leadId} ${JSON.stringify(step.target.details)}`
        : `${step.target.command.type} on ${step.target.aggregate}-${step.target.id} ${JSON.stringify(step.target.command.data)}`;
    const why =
      refusal instanceof DomainError
        ? `${refusal.code}: ${refusal.message}${refusal.field ? ` (field ${refusal.field})` : ''}`
        : refusal instanceof Error
          ? `${refusal.name}: ${refusal.message}`
          : String(refusal);
    super(
      `Command ${index + 1} (${step.commandId}) at ${iso(step.at)} by ${step.actor.userId} (${step.actor.role}) was refused.\n` +
        `  command: ${target}\n  error:   ${why}`,
    );
    this.name = 'HistoryRefusedError';
  }
}

export interface RunProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

const envelopeOf = (step: PlannedStep): CommandEnvelope => ({
  commandId: step.commandId,
  correlationId: step.correlationId,
  actor: step.actor,
  ...(step.cause && { cause: step.cause }),
  ...(step.reason && { reason: step.reason }),
  occurredAt: iso(step.at),
  mayBackdate: true,
  ...(step.decidedBy && { decidedBy: step.decidedBy }),
});

/** What happens around each step: the clock moves to it, and automations catch up before it. */
export interface PlanHooks {
  /** Before the step at business time `at`, before the clock moves there. */
  before?: (at: number) => Promise<void>;
  /** The step at business time `at` is about to be written. */
  moveClock?: (at: number) => void;
}

/** Sends every step on the CommandBus in business-time order; the first refusal stops the run. */
export async function runPlan(
  bus: CommandBus,
  steps: PlannedStep[],
  onProgress: (progress: RunProgress) => void = () => undefined,
  hooks: PlanHooks = {},
  progressEveryMs = 2000,
): Promise<void> {
  const started = Date.now();
  let reported = started;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    await hooks.before?.(step.at);
    hooks.moveClock?.(step.at);
    try {
      if (step.target.kind === 'convert') {
        await bus.execute(
          new ConvertLeadCommand(step.target.leadId, step.target.details, envelopeOf(step)),
        );
      } else {
        const { aggregate, id, command } = step.target;
        await bus.execute(new ExecuteDomainCommand(aggregate, id, command, envelopeOf(step)));
      }
    } catch (error) {
      throw new HistoryRefusedError(step, index, error);
    }
    const now = Date.now();
    if (now - reported >= progressEveryMs) {
      reported = now;
      onProgress({ done: index + 1, total: steps.length, elapsedMs: now - started });
    }
  }
  onProgress({ done: steps.length, total: steps.length, elapsedMs: Date.now() - started });
}
