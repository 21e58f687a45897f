import { ClassConstructor } from 'class-transformer';
import {
  CalendarPolicySchema,
  calendarPolicyProblems,
} from '../../config/schemas/calendar-policy.schema';
import { FxPolicySchema } from '../../config/schemas/fx-policy.schema';
import { LossReasonPolicySchema } from '../../config/schemas/loss-reason-policy.schema';
import { PolicyHeaderSchema } from '../../config/schemas/policy-header.schema';
import {
  StagePolicySchema,
  stagePolicyExtraChecks,
} from '../../config/schemas/stage-policy.schema';
import {
  ScoringPolicySchema,
  scoringPolicyCrossChecks,
} from '../../config/schemas/scoring-policy.schema';
import {
  AssignmentPolicySchema,
  assignmentPolicyCrossChecks,
} from '../../config/schemas/assignment-policy.schema';
import { DedupPolicySchema } from '../../config/schemas/dedup-policy.schema';
import { SlaPolicySchema, slaPolicyCrossChecks } from '../../config/schemas/sla-policy.schema';
import {
  AutomationPolicySchema,
  automationPolicyProblems,
} from '../../config/schemas/automation-policy.schema';
import {
  ChannelCostPolicySchema,
  channelCostPolicyCrossChecks,
} from '../../config/schemas/channel-cost-policy.schema';
import { fxRateTableProblems } from '../../domain/shared/money';
import { FxPolicy } from '../../domain/policies/fx-policy';

/** Each kind of policy: its schema, and the checks that span fields. */
export interface PolicyKind {
  kind: string;
  schema: ClassConstructor<PolicyHeaderSchema>;
  crossChecks(policy: never): string[];
}

export const POLICY_KINDS: Record<string, PolicyKind> = {
  stages: { kind: 'stages', schema: StagePolicySchema, crossChecks: stagePolicyExtraChecks },
  'loss-reasons': { kind: 'loss-reasons', schema: LossReasonPolicySchema, crossChecks: () => [] },
  scoring: { kind: 'scoring', schema: ScoringPolicySchema, crossChecks: scoringPolicyCrossChecks },
  assignment: {
    kind: 'assignment',
    schema: AssignmentPolicySchema,
    crossChecks: assignmentPolicyCrossChecks,
  },
  dedup: { kind: 'dedup', schema: DedupPolicySchema, crossChecks: () => [] },
  fx: {
    kind: 'fx',
    schema: FxPolicySchema,
    crossChecks: (policy: FxPolicy) => fxRateTableProblems(policy).map((p) => `rates: ${p}`),
  },
  calendars: {
    kind: 'calendars',
    schema: CalendarPolicySchema,
    crossChecks: calendarPolicyProblems,
  },
  'channel-costs': {
    kind: 'channel-costs',
    schema: ChannelCostPolicySchema,
    crossChecks: channelCostPolicyCrossChecks,
  },
  sla: { kind: 'sla', schema: SlaPolicySchema, crossChecks: slaPolicyCrossChecks },
  automation: {
    kind: 'automation',
    schema: AutomationPolicySchema,
    crossChecks: automationPolicyProblems,
  },
};

/** A policy id names its kind: `stages.default` is of kind `stages`. */
export const kindOf = (policyId: string): PolicyKind | undefined =>
  POLICY_KINDS[policyId.split('.')[0]];
