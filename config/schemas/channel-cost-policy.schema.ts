import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ChannelCostPolicy,
  channelCostPolicyProblems,
} from '../../domain/policies/channel-cost-policy';
import { SOURCE_CHANNELS } from '../../domain/shared/channels';
import { PolicyHeaderSchema } from './policy-header.schema';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_MESSAGE = { message: '$property must be a month YYYY-MM' };

class ChannelMonthlyCostSchema {
  @IsIn(SOURCE_CHANNELS) channel!: string;
  @Matches(MONTH, MONTH_MESSAGE) from!: string;
  @IsOptional() @Matches(MONTH, MONTH_MESSAGE) until?: string;
  @IsInt() @Min(0) amountMinor!: number;
}

export class ChannelCostPolicySchema extends PolicyHeaderSchema {
  @IsISO4217CurrencyCode() currency!: string;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ChannelMonthlyCostSchema)
  costs!: ChannelMonthlyCostSchema[];
}

export const channelCostPolicyCrossChecks = (policy: ChannelCostPolicy): string[] =>
  channelCostPolicyProblems(policy);
