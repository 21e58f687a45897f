import type { AutomationDecision } from '../../domain/automation/automation.decider';
import type { PolicyRef } from '../../domain/shared/decider';
import type { SagaCommand, SagaContext } from '../saga';

export interface DecisionRecord {
  recordKind: 'lead' | 'account' | 'deal';
  recordId: string;
  decision: AutomationDecision;
  /** The step, e.g. `follow_up.day3`. */
  step: string;
  /** What makes this decision unique for the record and step (a quote version, an entry). */
  key: string;
  dueAt?: string;
  /** Non-personal facts only: ids, stages, days. */
  detail?: Record<string, string | number | boolean>;
  policy?: PolicyRef;
  reason?: string;
}

/**
 * Puts a decision on the record's automation log (`automation-<recordId>`), with a command id
 * derived from the saga, record, step, decision and key: replayed, it is the same command.
 */
export function recordDecision(context: SagaContext, saga: string, record: DecisionRecord): void {
  const { recordKind, recordId, decision, step, key, dueAt, detail, policy, reason } = record;
  const command: SagaCommand = {
    aggregate: 'automation',
    id: recordId,
    commandId: `${saga}:${recordId}:${step}:${decision}:${key}`,
    type: 'RecordAutomationDecision',
    data: {
      saga,
      recordKind,
      recordId,
      decision,
      step,
      ...(dueAt !== undefined && { dueAt }),
      ...(detail !== undefined && { detail }),
      ...(policy !== undefined && { policy: { id: policy.id, version: policy.version } }),
    },
    occurredAt: context.now,
    ...(reason !== undefined && { reason }),
    ...(policy !== undefined && { policy: { id: policy.id, version: policy.version } }),
  };
  context.send(command);
}
