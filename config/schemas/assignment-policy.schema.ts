import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { GRADES } from '../../domain/account/account.commands';
import {
  ASSIGNMENT_STRATEGIES,
  AssignmentPolicy,
  AssignmentRule,
} from '../../domain/policies/assignment-policy';
import { INQUIRY_CHANNELS } from '../../domain/shared/channels';
import { isCountryCode } from '../../domain/shared/validation';
import { PolicyHeaderSchema } from './policy-header.schema';

// The shape of user and team ids (handles or UUIDv7), as the API accepts them.
const ID = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const ID_MESSAGE = { message: '$property must be a user or team id such as gulf-sales' };
const EACH_ID = { each: true, message: '$property must hold user ids' };

const IsCountryCodes = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCountryCodes',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(isCountryCode),
      defaultMessage: () => 'countries must hold ISO 3166-1 alpha-2 codes such as DE or AE',
    },
  });

class AssignmentMatchSchema {
  @IsOptional() @ArrayUnique() @IsCountryCodes() countries?: string[];
  @IsOptional() @Matches(ID, ID_MESSAGE) regionOf?: string;
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @MaxLength(100, { each: true })
  @Matches(/^\S(.*\S)?$/, { each: true, message: 'product lines must not be blank or padded' })
  @Matches(/^[^A-Z]*$/, { each: true, message: 'product lines are lower-case, as teams keep them' })
  productLines?: string[];
  @IsOptional() @ArrayUnique() @IsIn(INQUIRY_CHANNELS, { each: true }) channels?: string[];
  @IsOptional() @ArrayUnique() @IsIn(GRADES, { each: true }) grades?: string[];
}

class AssignmentStrategySchema {
  @IsIn(ASSIGNMENT_STRATEGIES) kind!: string;
  @IsOptional() @Matches(ID, ID_MESSAGE) ownerId?: string;
  @IsOptional() @Matches(ID, ID_MESSAGE) teamId?: string;
  @IsOptional() @IsArray() @ArrayUnique() @Matches(ID, EACH_ID) memberIds?: string[];
}

class AssignmentRuleSchema {
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'key must be kebab-case, e.g. gulf-inquiries' })
  key!: string;
  @ValidateNested() @Type(() => AssignmentMatchSchema) match!: AssignmentMatchSchema;
  @ValidateNested() @Type(() => AssignmentStrategySchema) strategy!: AssignmentStrategySchema;
  @IsOptional() @IsBoolean() includeTeamLeads?: boolean;
  @IsOptional() @Matches(ID, ID_MESSAGE) fallbackOwnerId?: string;
}

export class AssignmentPolicySchema extends PolicyHeaderSchema {
  @IsArray()
  @ArrayUnique((rule: AssignmentRuleSchema) => rule.key, { message: 'rule keys must be unique' })
  @ValidateNested({ each: true })
  @Type(() => AssignmentRuleSchema)
  rules!: AssignmentRuleSchema[];

  @Matches(ID, ID_MESSAGE) fallbackOwnerId!: string;
}

const strategyProblems = ({ kind, ownerId, teamId, memberIds }: AssignmentRule['strategy']) => [
  ...(kind === 'fixed_owner' && ownerId === undefined ? ['ownerId: a fixed owner needs one'] : []),
  ...(kind !== 'fixed_owner' && ownerId !== undefined
    ? [`ownerId: only a fixed owner has one; ${kind} picks from teamId or memberIds`]
    : []),
  ...(kind === 'fixed_owner' && (teamId !== undefined || memberIds !== undefined)
    ? ['kind: a fixed owner has no teamId or memberIds']
    : []),
  ...(teamId !== undefined && memberIds !== undefined
    ? ['memberIds: give either teamId or memberIds, not both']
    : []),
  ...(memberIds?.length === 0 ? ['memberIds: list at least one member, or leave it out'] : []),
];

const isCatchAll = ({ match }: AssignmentRule): boolean =>
  match.regionOf === undefined &&
  [match.countries, match.productLines, match.channels, match.grades].every(
    (list) => (list ?? []).length === 0,
  );

/** A fixed owner names only its owner, a pool a team or members; no rule hides behind a catch-all. */
export const assignmentPolicyCrossChecks = (policy: AssignmentPolicy): string[] => {
  const catchAll = policy.rules.findIndex(isCatchAll);
  return policy.rules.flatMap((rule, index) => [
    ...strategyProblems(rule.strategy).map((problem) => `rules.${index}.strategy.${problem}`),
    ...(catchAll >= 0 && index > catchAll
      ? [`rules.${index}: never reached, rule ${policy.rules[catchAll].key} matches every inquiry`]
      : []),
  ]);
};
