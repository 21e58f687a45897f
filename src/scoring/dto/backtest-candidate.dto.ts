import { ApiProperty } from '@nestjs/swagger';
import { SCORE_DIMENSIONS } from '../../../domain/policies/scoring-policy';

/** For the OpenAPI document only: the body is validated against ScoringPolicySchema. */
export class BacktestCandidateDto {
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(
      SCORE_DIMENSIONS.map((dimension) => [
        dimension,
        { type: 'integer', minimum: 0, maximum: 1000 },
      ]),
    ),
    example: {
      requirementClarity: 30,
      purchaseStage: 30,
      volumeAndFrequency: 20,
      termsAcceptability: 10,
      responsiveness: 10,
    },
  })
  weights!: Record<string, number>;

  @ApiProperty({ minimum: 0, maximum: 100, example: 65 }) convertAt!: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) nurtureBelow!: number;
}
