import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AssignmentPolicySchema,
  assignmentPolicyCrossChecks,
} from '../../config/schemas/assignment-policy.schema';
import { AssignmentPolicy } from '../../domain/policies/assignment-policy';
import { POLICY_KINDS } from '../../src/policies/policy-kinds';
import { InvalidPolicyError, validatePolicy } from '../../src/policies/policy-validation';

const FILE = join(__dirname, '../../config/policies/assignment.default.json');
const defaultPolicy = (): AssignmentPolicy =>
  JSON.parse(readFileSync(FILE, 'utf8')) as AssignmentPolicy;

const problemsOf = (change: (policy: AssignmentPolicy) => void) => {
  const policy = defaultPolicy();
  change(policy);
  try {
    validatePolicy('assignment', policy);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicyError);
    return (error as InvalidPolicyError).problems;
  }
  throw new Error('expected the policy to be refused');
};

describe('assignment policy', () => {
  it('the default file passes the schema and the cross-checks', () => {
    const instance = plainToInstance(AssignmentPolicySchema, defaultPolicy());
    expect(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
    expect(assignmentPolicyCrossChecks(defaultPolicy())).toEqual([]);
    expect(validatePolicy(FILE, defaultPolicy())).toMatchObject({
      id: 'assignment.default',
      version: 1,
    });
    expect(POLICY_KINDS.assignment.schema).toBe(AssignmentPolicySchema);
  });

  it('refuses unknown countries, channels, grades and strategies, naming each key', () => {
    const problems = problemsOf((policy) => {
      policy.rules[0].match.countries = ['UAE'];
      policy.rules[1].match.channels = ['fax' as never];
      policy.rules[1].match.grades = ['D' as never];
      policy.rules[1].match.productLines = ['Valves'];
      policy.rules[2].strategy.kind = 'random' as never;
      (policy.rules[2] as unknown as Record<string, unknown>).priority = 1;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { key: 'rules.0.match.countries', problem: expect.stringMatching(/ISO 3166/) },
        { key: 'rules.1.match.channels', problem: expect.stringMatching(/channels/) },
        { key: 'rules.1.match.grades', problem: expect.stringMatching(/grades/) },
        { key: 'rules.1.match.productLines', problem: expect.stringMatching(/lower-case/) },
        { key: 'rules.2.strategy.kind', problem: expect.stringMatching(/kind/) },
        { key: 'rules.2.priority', problem: expect.stringMatching(/should not exist/) },
      ]),
    );
  });

  it('refuses duplicate rule keys and a missing fallback owner', () => {
    const problems = problemsOf((policy) => {
      policy.rules[1].key = policy.rules[0].key;
      delete (policy as Partial<AssignmentPolicy>).fallbackOwnerId;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { key: 'rules', problem: 'rule keys must be unique' },
        { key: 'fallbackOwnerId', problem: expect.stringMatching(/user or team id/) },
      ]),
    );
  });

  it('refuses strategies that name the wrong pool, and rules after a catch-all', () => {
    const problems = problemsOf((policy) => {
      policy.rules[0].strategy = { kind: 'fixed_owner', teamId: 'gulf-sales' };
      policy.rules[1].strategy = { kind: 'least_loaded', teamId: 'dach-sales', memberIds: [] };
      policy.rules.push({
        key: 'late',
        match: { countries: ['FR'] },
        strategy: { kind: 'round_robin' },
      });
    });
    expect(problems).toEqual([
      { key: 'rules.0.strategy.ownerId', problem: 'a fixed owner needs one' },
      { key: 'rules.0.strategy.kind', problem: 'a fixed owner has no teamId or memberIds' },
      { key: 'rules.1.strategy.memberIds', problem: 'give either teamId or memberIds, not both' },
      { key: 'rules.1.strategy.memberIds', problem: 'list at least one member, or leave it out' },
      { key: 'rules.3', problem: 'never reached, rule everyone-else matches every inquiry' },
    ]);
  });
});
