import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  Matches,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IANAZone } from 'luxon';
import {
  LOCAL_DATE,
  TIME_OF_DAY,
  businessCalendarProblems,
} from '../../domain/calendar/business-calendar';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { LocalizedTextSchema } from './localized-text.schema';
import { PolicyHeaderSchema } from './policy-header.schema';

const IsIanaTimeZone = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && IANAZone.isValidZone(value),
      defaultMessage: () => 'timeZone must be an IANA time zone such as Europe/Berlin',
    },
  });

const DATES = { each: true, message: '$property must hold dates YYYY-MM-DD' };

class WorkingIntervalSchema {
  @Matches(TIME_OF_DAY, { message: 'from must be a time HH:mm' }) from!: string;
  @Matches(TIME_OF_DAY, { message: 'to must be a time HH:mm' }) to!: string;
}

const Intervals = (): PropertyDecorator => (target, property) => {
  IsArray()(target, property);
  ValidateNested({ each: true })(target, property);
  Type(() => WorkingIntervalSchema)(target, property);
};

class WorkingHoursSchema {
  @Intervals() mon!: WorkingIntervalSchema[];
  @Intervals() tue!: WorkingIntervalSchema[];
  @Intervals() wed!: WorkingIntervalSchema[];
  @Intervals() thu!: WorkingIntervalSchema[];
  @Intervals() fri!: WorkingIntervalSchema[];
  @Intervals() sat!: WorkingIntervalSchema[];
  @Intervals() sun!: WorkingIntervalSchema[];
}

class TeamCalendarSchema {
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'key must be kebab-case, e.g. berlin-sales' })
  key!: string;
  @IsIanaTimeZone() timeZone!: string;
  @ValidateNested() @Type(() => WorkingHoursSchema) workingHours!: WorkingHoursSchema;
  @IsArray() @ArrayUnique() @Matches(LOCAL_DATE, DATES) holidays!: string[];
  @IsOptional() @IsArray() @ArrayUnique() @Matches(LOCAL_DATE, DATES) extraWorkingDays?: string[];
  @ValidateNested() @Type(() => LocalizedTextSchema) label!: LocalizedTextSchema;
}

export class CalendarPolicySchema extends PolicyHeaderSchema {
  @ArrayMinSize(1)
  @ArrayUnique((calendar: TeamCalendarSchema) => calendar.key, {
    message: 'calendar keys must be unique',
  })
  @ValidateNested({ each: true })
  @Type(() => TeamCalendarSchema)
  calendars!: TeamCalendarSchema[];
}

/** Interval order and overlap, real dates, and extra working days that are not holidays. */
export const calendarPolicyProblems = (policy: CalendarPolicy): string[] =>
  policy.calendars.flatMap((calendar, index) =>
    businessCalendarProblems(calendar).map((problem) => `calendars.${index}.${problem}`),
  );
