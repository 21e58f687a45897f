import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import { PolicyHeaderSchema } from './policy-header.schema';

class ScoreWeightsSchema {
  @IsInt() @Min(0) @Max(1000) requirementClarity!: number;
  @IsInt() @Min(0) @Max(1000) purchaseStage!: number;
  @IsInt() @Min(0) @Max(1000) volumeAndFrequency!: number;
  @IsInt() @Min(0) @Max(1000) termsAcceptability!: number;
  @IsInt() @Min(0) @Max(1000) responsiveness!: number;
}

export class ScoringPolicySchema extends PolicyHeaderSchema {
  @ValidateNested() @Type(() => ScoreWeightsSchema) weights!: ScoreWeightsSchema;
  @IsInt() @Min(0) @Max(100) convertAt!: number;
  @IsInt() @Min(0) @Max(100) nurtureBelow!: number;
}

export const scoringPolicyCrossChecks = (policy: ScoringPolicySchema): string[] => [
  ...(Object.values(policy.weights).every((weight) => weight === 0)
    ? ['weights: at least one weight must be above 0']
    : []),
  ...(policy.nurtureBelow > policy.convertAt ? ['nurtureBelow: must not be above convertAt'] : []),
];
