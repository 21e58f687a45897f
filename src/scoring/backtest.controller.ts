import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ScoringPolicySchema,
  scoringPolicyCrossChecks,
} from '../../config/schemas/scoring-policy.schema';
import { ScoringPolicy } from '../../domain/policies/scoring-policy';
import { InputProblem } from '../http/problem-details';
import { inputValidationPipe } from '../http/validation.pipe';
import { Allow } from '../identity/access.decorators';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { backtest, BacktestReport } from './backtest';
import { BacktestCandidateDto } from './dto/backtest-candidate.dto';
import { LeadScores } from './lead-scores';

const SCORING_POLICY = 'scoring.default';
const CANDIDATE_HEADER = { id: 'scoring.candidate', version: 1 };

/**
 * A path of its own, POST only: PoliciesController answers GET/PUT /api/policies/:id, so the two
 * never claim the same method and path.
 */
@ApiTags('policies')
@Allow('operations', 'manager', 'analyst')
@Controller('api/policies/scoring/backtest')
export class BacktestController {
  constructor(
    @Inject(POLICY_REGISTRY) private readonly registry: PolicyRegistry,
    private readonly scores: LeadScores,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Backtest candidate scoring weights against won/lost leads',
    description:
      'Re-scores the latest dimensions of every lead whose deal was won or lost, under the ' +
      'candidate and under the policy in force, and reports precision and recall at convertAt.',
  })
  @ApiBody({ type: BacktestCandidateDto })
  async backtest(@Body() body: unknown): Promise<BacktestReport> {
    const candidate = await candidateFrom(body);
    const current = this.registry.current<ScoringPolicy>(SCORING_POLICY);
    return backtest(await this.scores.all(), current, candidate);
  }
}

/** Validated as a scoring policy would be when published; 400 naming each field. */
async function candidateFrom(body: unknown): Promise<ScoringPolicy> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputProblem([
      { field: 'body', code: 'validation.is_object', reason: 'The body must be a JSON object' },
    ]);
  }
  const { id, version, ...rest } = body as Record<string, unknown>;
  const fixed = [
    ...(id === undefined ? [] : ['id']),
    ...(version === undefined ? [] : ['version']),
  ].map((field) => ({
    field,
    code: 'validation.whitelist_validation',
    reason: `property ${field} should not exist; a candidate has no id or version`,
  }));
  if (fixed.length > 0) throw new InputProblem(fixed);
  const policy = (await inputValidationPipe.transform(
    { ...CANDIDATE_HEADER, ...rest },
    { type: 'body', metatype: ScoringPolicySchema },
  )) as ScoringPolicySchema;
  const problems = scoringPolicyCrossChecks(policy).map((text) => {
    const [field, ...reason] = text.split(': ');
    return { field, code: 'validation.scoring_policy', reason: reason.join(': ') };
  });
  if (problems.length > 0) throw new InputProblem(problems);
  return { ...CANDIDATE_HEADER, ...rest } as unknown as ScoringPolicy;
}
