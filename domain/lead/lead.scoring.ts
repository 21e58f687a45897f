import { SCORE_DIMENSIONS, ScoringPolicy } from '../policies/scoring-policy';
import { isIntegerInRange, isNonBlank, refuse } from '../shared/validation';
import { ScoreDimensions } from './lead.commands';
import { LeadScored } from './lead.events';

export interface LeadPolicies {
  /** Needed by RecordScore only. */
  scoring?: ScoringPolicy;
}

export const MAX_DIMENSION_SCORE = 5;

export const checkScoringPolicy = (policy: ScoringPolicy | undefined): ScoringPolicy => {
  if (!policy) {
    return refuse(
      'lead.scoring_policy_missing',
      'No lead-scoring policy is in force; ask operations.',
    );
  }
  const weights = SCORE_DIMENSIONS.map((dimension) => policy.weights?.[dimension]);
  const valid =
    isNonBlank(policy.id) &&
    isIntegerInRange(policy.version, 1, Number.MAX_SAFE_INTEGER) &&
    weights.every((weight) => isIntegerInRange(weight, 0, 1000)) &&
    weights.some((weight) => weight > 0) &&
    isIntegerInRange(policy.nurtureBelow, 0, 100) &&
    isIntegerInRange(policy.convertAt, policy.nurtureBelow, 100);
  if (!valid) {
    refuse(
      'lead.scoring_policy_invalid',
      `Lead-scoring policy ${policy.id} v${policy.version} is not usable; ask operations to fix it.`,
    );
  }
  return policy;
};

export const checkDimensions = (dimensions: ScoreDimensions): void => {
  for (const dimension of SCORE_DIMENSIONS) {
    if (!isIntegerInRange(dimensions?.[dimension], 0, MAX_DIMENSION_SCORE)) {
      refuse(
        'lead.score_invalid',
        `Rate ${dimension} with a whole number from 0 to ${MAX_DIMENSION_SCORE}.`,
        `dimensions.${dimension}`,
      );
    }
  }
};

/** Weighted share of the maximum, 0..100, rounded half up in integers so replays agree exactly. */
export const scoreTotal = (dimensions: ScoreDimensions, policy: ScoringPolicy): number => {
  let earned = 0;
  let possible = 0;
  for (const dimension of SCORE_DIMENSIONS) {
    earned += dimensions[dimension] * policy.weights[dimension];
    possible += MAX_DIMENSION_SCORE * policy.weights[dimension];
  }
  return Math.floor((200 * earned + possible) / (2 * possible));
};

export const recommend = (total: number, policy: ScoringPolicy): LeadScored['recommendation'] => {
  if (total >= policy.convertAt) return 'convert';
  if (total < policy.nurtureBelow) return 'nurture';
  return 'none';
};
