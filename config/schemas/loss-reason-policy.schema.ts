import { Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsIn, Matches, ValidateNested } from 'class-validator';
import { LocalizedTextSchema } from './localized-text.schema';
import { PolicyHeaderSchema } from './policy-header.schema';

const LEVELS = ['price', 'lead_time', 'specification', 'trust', 'process', 'external'];

class LossSubReasonSchema {
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'key must be lower_snake_case' }) key!: string;
  @ValidateNested() @Type(() => LocalizedTextSchema) label!: LocalizedTextSchema;
}

class LossReasonSchema {
  @IsIn(LEVELS) key!: string;
  @ValidateNested() @Type(() => LocalizedTextSchema) label!: LocalizedTextSchema;
  @ArrayMinSize(1)
  @ArrayUnique((sub: LossSubReasonSchema) => sub.key, { message: 'sub-reason keys must be unique' })
  @ValidateNested({ each: true })
  @Type(() => LossSubReasonSchema)
  subReasons!: LossSubReasonSchema[];
}

export class LossReasonPolicySchema extends PolicyHeaderSchema {
  @ArrayMinSize(1)
  @ArrayUnique((reason: LossReasonSchema) => reason.key, { message: 'reason keys must be unique' })
  @ValidateNested({ each: true })
  @Type(() => LossReasonSchema)
  reasons!: LossReasonSchema[];
}
