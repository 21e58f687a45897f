import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { kindOf, POLICY_KINDS } from './policy-kinds';

export interface PolicyProblem {
  /** Dotted path into the policy, e.g. `openStages.1.probability`. */
  key: string;
  problem: string;
}

export class InvalidPolicyError extends Error {
  readonly code = 'policy.invalid';
  constructor(
    readonly source: string,
    readonly problems: PolicyProblem[],
  ) {
    super(`${source}: ${problems.map(({ key, problem }) => `${key}: ${problem}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/** Validates a policy body against the schema of its kind; throws naming the source and each key. */
export function validatePolicy(
  source: string,
  body: unknown,
): Record<string, unknown> & { id: string; version: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidPolicyError(source, [{ key: '(root)', problem: 'must be a JSON object' }]);
  }
  const id = (body as { id?: unknown }).id;
  const kind = typeof id === 'string' ? kindOf(id) : undefined;
  if (!kind) {
    throw new InvalidPolicyError(source, [
      {
        key: 'id',
        problem: `must start with a known kind (${Object.keys(POLICY_KINDS).join(', ')}), got ${JSON.stringify(id)}`,
      },
    ]);
  }
  const instance = plainToInstance(kind.schema, body);
  const problems = flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length === 0) {
    problems.push(
      ...kind.crossChecks(body as never).map((text) => {
        const [key, ...rest] = text.split(': ');
        return { key, problem: rest.join(': ') };
      }),
    );
  }
  if (problems.length > 0) throw new InvalidPolicyError(source, problems);
  return body as Record<string, unknown> & { id: string; version: number };
}

function flatten(errors: ValidationError[], prefix = ''): PolicyProblem[] {
  return errors.flatMap((error) => {
    const key = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ key, problem }));
    return [...own, ...flatten(error.children ?? [], key)];
  });
}
