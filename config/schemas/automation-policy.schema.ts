import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { TIME_OF_DAY, minutesOfDay } from '../../domain/calendar/business-calendar';
import { AutomationPolicy } from '../../domain/policies/automation-policy';
import { PolicyHeaderSchema } from './policy-header.schema';

/** `<stage>.<template>` or `<stage>.*`, in the stage policy's lower_snake_case keys. */
const STAGE_TEMPLATE = /^[a-z][a-z0-9_]*\.([a-z][a-z0-9_]*|\*)$/;

class StageTaskRulesSchema {
  @IsArray()
  @ArrayUnique()
  @Matches(STAGE_TEMPLATE, {
    each: true,
    message: 'cancelOnLeave must hold "<stage>.<template>" or "<stage>.*" keys',
  })
  cancelOnLeave!: string[];
  @IsBoolean() cancelOnLost!: boolean;
}

class CustomerHoursSchema {
  @Matches(TIME_OF_DAY, { message: 'from must be a time HH:mm' }) from!: string;
  @Matches(TIME_OF_DAY, { message: 'to must be a time HH:mm' }) to!: string;
}

class FollowUpRulesSchema {
  // A reminder beyond three months is a campaign, not a follow-up.
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(90, { each: true })
  reminderDays!: number[];
  @ValidateNested() @Type(() => CustomerHoursSchema) customerHours!: CustomerHoursSchema;
}

class StaleDealRulesSchema {
  @IsInt() @Min(0) @Max(24 * 30) taskDueHours!: number;
}

class LifecycleRulesSchema {
  @IsInt() @Min(1) @Max(3 * 365) dormantAfterDays!: number;
  @IsInt() @Min(0) @Max(3 * 365) lostAfterDays!: number;
}

export class AutomationPolicySchema extends PolicyHeaderSchema {
  // A week: anything recorded later than that is history, whatever the window.
  @IsInt() @Min(0) @Max(7 * 24 * 60) liveWindowMinutes!: number;
  @ValidateNested() @Type(() => StageTaskRulesSchema) stageTasks!: StageTaskRulesSchema;
  @ValidateNested() @Type(() => FollowUpRulesSchema) followUps!: FollowUpRulesSchema;
  @ValidateNested() @Type(() => StaleDealRulesSchema) staleDeals!: StaleDealRulesSchema;
  @ValidateNested() @Type(() => LifecycleRulesSchema) lifecycle!: LifecycleRulesSchema;
}

/** Checks across fields: reminder days in order, customer hours that make a day. */
export const automationPolicyProblems = (policy: AutomationPolicy): string[] => {
  const problems: string[] = [];
  const days = policy.followUps.reminderDays;
  if (days.some((day, index) => index > 0 && day <= days[index - 1])) {
    problems.push('followUps.reminderDays: must be in increasing order');
  }
  const { from, to } = policy.followUps.customerHours;
  if (minutesOfDay(from) >= minutesOfDay(to)) {
    problems.push(`followUps.customerHours: from ${from} must be before to ${to}`);
  }
  return problems;
};
