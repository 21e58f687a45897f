import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  SLA_ACTIONS,
  SLA_HANDOVER_MODES,
  SLA_TIME_MODES,
  SlaPolicy,
  slaPolicyProblems,
} from '../../domain/policies/sla-policy';
import { PolicyHeaderSchema } from './policy-header.schema';

// The shape of user and team ids (handles or UUIDv7), as the API accepts them.
const ID = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const ID_MESSAGE = { message: '$property must be a user or team id such as berlin-sales' };
const STAGE_KEY = /^[a-z][a-z0-9_]*$/;
/** A year of minutes: anything longer is a typo, and business time is walked day by day. */
const MAX_MINUTES = 366 * 24 * 60;

class SlaLadderStepSchema {
  @IsInt() @Min(1) @Max(20) level!: number;
  @IsInt() @Min(0) @Max(MAX_MINUTES) afterMinutes!: number;
  @IsIn(SLA_ACTIONS) action!: string;
}

class SlaClockSchema {
  @IsBoolean() enabled!: boolean;
  @IsIn(SLA_TIME_MODES) mode!: string;
  @IsInt() @Min(1) @Max(MAX_MINUTES) targetMinutes!: number;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SlaLadderStepSchema)
  ladder!: SlaLadderStepSchema[];
  @IsIn(SLA_HANDOVER_MODES) onHandover!: string;
}

class SlaProposalClockSchema extends SlaClockSchema {
  @IsArray()
  @ArrayUnique()
  @Matches(STAGE_KEY, { each: true, message: 'stopAtStages must hold stage keys' })
  stopAtStages!: string[];
}

class SlaTeamManagerSchema {
  @Matches(ID, ID_MESSAGE) teamId!: string;
  @Matches(ID, ID_MESSAGE) userId!: string;
}

class SlaRecipientsSchema {
  @IsArray()
  @ArrayUnique((manager: SlaTeamManagerSchema) => manager.teamId, {
    message: 'one manager per team',
  })
  @ValidateNested({ each: true })
  @Type(() => SlaTeamManagerSchema)
  managers!: SlaTeamManagerSchema[];
  @IsOptional() @Matches(ID, ID_MESSAGE) defaultManagerId?: string;
  @IsOptional() @Matches(ID, ID_MESSAGE) fallbackRecipientId?: string;
}

export class SlaPolicySchema extends PolicyHeaderSchema {
  @IsInt() @Min(0) @Max(MAX_MINUTES) liveWindowMinutes!: number;
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'defaultCalendarKey must be a calendar key' })
  defaultCalendarKey!: string;
  @ValidateNested() @Type(() => SlaClockSchema) firstResponse!: SlaClockSchema;
  @ValidateNested() @Type(() => SlaProposalClockSchema) proposal!: SlaProposalClockSchema;
  @ValidateNested() @Type(() => SlaRecipientsSchema) recipients!: SlaRecipientsSchema;
}

/** Ladder levels unique and rungs in time order, per clock. */
export const slaPolicyCrossChecks = (policy: SlaPolicy): string[] => slaPolicyProblems(policy);
