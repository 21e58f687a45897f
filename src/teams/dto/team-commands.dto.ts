import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsNotBlank } from '../../accounts/dto/is-not-blank.validator';
import { IdentityWriteDto } from '../../users/dto/user-commands.dto';
import { HANDLE, HANDLE_RULE } from '../../users/handle';

const handle = (field: string) => Matches(HANDLE, { message: `${field} must be ${HANDLE_RULE}` });

const CountryList = (): PropertyDecorator => (target, property) => {
  IsArray()(target, property);
  ArrayNotEmpty()(target, property);
  ArrayMaxSize(250)(target, property);
  Matches(/^[A-Z]{2}$/, {
    each: true,
    message: 'region must list ISO 3166-1 codes such as DE, AE',
  })(target, property);
};

const ProductLineList = (): PropertyDecorator => (target, property) => {
  IsArray()(target, property);
  ArrayMaxSize(100)(target, property);
  IsString({ each: true })(target, property);
  IsNotBlank({ each: true })(target, property);
  MaxLength(100, { each: true })(target, property);
};

const CalendarKey = (): PropertyDecorator => (target, property) => {
  Matches(/^[a-z][a-z0-9-]*$/, {
    message: 'calendarKey must be a calendar key such as berlin-sales',
  })(target, property);
  MaxLength(64)(target, property);
};

export class CreateTeamDto {
  @ApiPropertyOptional({
    example: 'gulf-sales',
    description: 'A readable handle; a UUIDv7 is generated when left out',
  })
  @IsOptional()
  @handle('teamId')
  teamId?: string;

  @ApiProperty({ example: 'Gulf sales' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: ['AE', 'SA', 'QA'], description: 'ISO 3166-1 alpha-2 countries covered' })
  @CountryList()
  region!: string[];

  @ApiProperty({ example: ['valves'], description: 'Empty: the team sells every product line' })
  @ProductLineList()
  productLines!: string[];

  @ApiPropertyOptional({ example: 'omar.haddad' })
  @IsOptional()
  @handle('leadId')
  leadId?: string;

  @ApiProperty({
    example: 'dubai-sales',
    description: 'A calendar of the calendar policy in force',
  })
  @CalendarKey()
  calendarKey!: string;
}

export class RenameTeamDto extends IdentityWriteDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) name!: string;
}

export class ChangeRegionDto extends IdentityWriteDto {
  @ApiProperty({ example: ['AE', 'SA'] }) @CountryList() region!: string[];
}

export class ChangeProductLinesDto extends IdentityWriteDto {
  @ApiProperty({ example: ['valves', 'pumps'] }) @ProductLineList() productLines!: string[];
}

export class ChangeLeadDto extends IdentityWriteDto {
  @ApiProperty({ nullable: true, type: String, description: 'null leaves the team without a lead' })
  @ValidateIf((body: ChangeLeadDto) => body.leadId !== null)
  @handle('leadId')
  leadId!: string | null;
}

export class ChangeCalendarDto extends IdentityWriteDto {
  @ApiProperty({ example: 'berlin-sales' }) @CalendarKey() calendarKey!: string;
}
