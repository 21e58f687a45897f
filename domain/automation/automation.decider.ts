import { Decider, DomainEvent, PolicyRef } from '../shared/decider';
import { isIsoInstant, isNonBlank, isOneOf, refuse } from '../shared/validation';

/**
 * The automation log of one record (`automation-<recordId>`): every decision a saga took about it
 * — scheduled, fired, suppressed, escalated, task created — so "why wasn't I reminded?" is answered
 * from history. The effects themselves (a task, a reassignment) are commands on their own records.
 */
export const AUTOMATION_DECISIONS = [
  'scheduled',
  'fired',
  'suppressed',
  'escalated',
  'reassigned',
  'task_created',
  'cancelled',
  'flagged',
  'stopped',
] as const;
export type AutomationDecision = (typeof AUTOMATION_DECISIONS)[number];

export const RECORD_KINDS = ['lead', 'account', 'deal'] as const;

export interface RecordAutomationDecision {
  type: 'RecordAutomationDecision';
  data: {
    saga: string;
    recordKind: (typeof RECORD_KINDS)[number];
    recordId: string;
    decision: AutomationDecision;
    /** The step of the saga, e.g. `first_response.level_2`. */
    step: string;
    dueAt?: string;
    /** Short, non-personal facts: ids, levels, minutes. */
    detail?: Record<string, string | number | boolean>;
    policy?: PolicyRef;
  };
}

export type AutomationCommand = RecordAutomationDecision;
export type AutomationDecisionRecorded = DomainEvent<
  'AutomationDecisionRecorded',
  RecordAutomationDecision['data']
>;
export type AutomationEvent = AutomationDecisionRecorded;
export type AutomationState = { decisions: number } | undefined;

export const automationDecider: Decider<AutomationCommand, AutomationEvent, AutomationState> = {
  initialState: undefined,
  decide(command) {
    const data = command.data;
    if (!isNonBlank(data.saga)) refuse('automation.saga_required', 'Name the saga.', 'saga');
    if (!isOneOf(RECORD_KINDS, data.recordKind))
      refuse(
        'automation.record_kind_invalid',
        'The record must be a lead, an account or a deal.',
        'recordKind',
      );
    if (!isNonBlank(data.recordId))
      refuse('automation.record_required', 'Name the record.', 'recordId');
    if (!isOneOf(AUTOMATION_DECISIONS, data.decision))
      refuse(
        'automation.decision_invalid',
        `The decision must be one of ${AUTOMATION_DECISIONS.join(', ')}.`,
        'decision',
      );
    if (!isNonBlank(data.step)) refuse('automation.step_required', 'Name the step.', 'step');
    if (data.dueAt !== undefined && !isIsoInstant(data.dueAt))
      refuse('automation.due_invalid', 'Give the due time in UTC ISO format.', 'dueAt');
    return [{ type: 'AutomationDecisionRecorded', data: structuredClone(data) }];
  },
  evolve: (state) => ({ decisions: (state?.decisions ?? 0) + 1 }),
};
