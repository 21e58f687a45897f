import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsIn,
  IsInt,
  IsNumber,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { STAGE_REQUIREMENTS } from '../../domain/policies/stage-policy';
import { LocalizedTextSchema } from './localized-text.schema';
import { PolicyHeaderSchema } from './policy-header.schema';

const KEY = /^[a-z][a-z0-9_]*$/;

export class TaskTemplateSchema {
  @Matches(KEY) key!: string;
  @ValidateNested() @Type(() => LocalizedTextSchema) title!: LocalizedTextSchema;
  @IsInt() @Min(0) @Max(24 * 365) dueOffsetHours!: number;
}

class StageBaseSchema {
  @ValidateNested() @Type(() => LocalizedTextSchema) label!: LocalizedTextSchema;
  @IsIn(STAGE_REQUIREMENTS, { each: true }) @ArrayUnique() entryRequirements!: string[];
  @ValidateNested({ each: true })
  @Type(() => TaskTemplateSchema)
  @ArrayUnique((template: TaskTemplateSchema) => template.key)
  taskTemplates!: TaskTemplateSchema[];
}

export class OpenStageSchema extends StageBaseSchema {
  @Matches(KEY, { message: 'key must be lower_snake_case' }) key!: string;
  @IsNumber() @Min(0) @Max(1) probability!: number;
  @IsInt() @Min(1) staleAfterDays!: number;
}

class WonOutcomeSchema extends StageBaseSchema {
  @Equals(1) probability!: 1;
}

class LostOutcomeSchema extends StageBaseSchema {
  @Equals(0) probability!: 0;
}

class OutcomesSchema {
  @ValidateNested() @Type(() => WonOutcomeSchema) won!: WonOutcomeSchema;
  @ValidateNested() @Type(() => LostOutcomeSchema) lost!: LostOutcomeSchema;
}

export class StagePolicySchema extends PolicyHeaderSchema {
  @ArrayMinSize(1)
  @ArrayUnique((stage: OpenStageSchema) => stage.key, { message: 'stage keys must be unique' })
  @ValidateNested({ each: true })
  @Type(() => OpenStageSchema)
  openStages!: OpenStageSchema[];

  @ValidateNested() @Type(() => OutcomesSchema) outcomes!: OutcomesSchema;
}

export const stagePolicyExtraChecks = (policy: StagePolicySchema): string[] =>
  policy.openStages
    .map((stage) => stage.key)
    .filter((key): key is string => ['won', 'lost'].includes(key as string))
    .map((key) => `openStages: "${key}" is an outcome, not an open stage`);
