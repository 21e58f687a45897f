import { DecideContext, PolicyRef } from '../shared/decider';
import { LossReasonPolicy } from '../policies/loss-reason-policy';
import { StagePolicy } from '../policies/stage-policy';

export interface DealPolicies {
  stages: StagePolicy;
  lossReasons: LossReasonPolicy;
}

export type DealContext = DecideContext<DealPolicies>;

export const policyRef = ({ id, version }: PolicyRef): PolicyRef => ({ id, version });

/** The business day of the command, in UTC. */
export const today = (context: DealContext): string => context.now.slice(0, 10);
