import { AssignLead } from '../lead/lead.commands';
import { AssignmentPolicy } from '../policies/assignment-policy';
import { isIsoInstant, refuse } from '../shared/validation';
import { applyRule } from './apply-rule';
import { AssignmentContext, AssignmentDecision, AssignmentInput } from './assignment.types';
import { ruleMatches } from './matching';

/** Decided by the policy as a whole rather than one of its rules, so the cause names the policy. */
const byPolicy = (
  policy: AssignmentPolicy,
  ownerId: string,
  strategy: 'existing_owner' | 'fallback',
  why: string,
): AssignmentDecision => ({
  ownerId,
  rule: null,
  strategy,
  skipped: [],
  reason: `${why} under ${policy.id} v${policy.version}`,
  cause: { kind: 'rule', id: policy.id, version: policy.version },
});

/**
 * Who gets a new lead. An existing account keeps its owner whatever their availability, as long as
 * they are active: the SLA escalation covers an owner who is away. Otherwise the first rule that
 * matches decides, and the policy's fallback owner takes the lead when none matches.
 */
export const chooseOwner = (
  input: AssignmentInput,
  policy: AssignmentPolicy,
  context: AssignmentContext,
): AssignmentDecision => {
  if (!isIsoInstant(input.at)) {
    refuse('assignment.at_invalid', 'Give the assignment time in UTC ISO format.', 'at');
  }
  const owner = context.users.find((user) => user.userId === input.accountOwnerId);
  if (owner?.active) {
    return byPolicy(policy, owner.userId, 'existing_owner', 'owner of the existing account kept');
  }
  const rule = policy.rules.find((candidate) => ruleMatches(candidate, input, context.teams));
  if (rule) return applyRule(rule, policy, input.at, context);
  return byPolicy(policy, policy.fallbackOwnerId, 'fallback', 'fallback owner: no rule matched');
};

/** The command that records the decision on the lead; its LeadAssigned event feeds the rotation. */
export const assignLeadCommand = (leadId: string, decision: AssignmentDecision): AssignLead => ({
  leadId,
  to: decision.ownerId,
  reason: decision.reason,
  cause: decision.cause,
});
