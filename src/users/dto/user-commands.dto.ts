import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { AVAILABILITIES, Availability } from '../../../domain/identity/user.commands';
import { Role, ROLES } from '../../../domain/shared/roles';
import { IsNotBlank } from '../../accounts/dto/is-not-blank.validator';
import { CommandOptionsDto } from '../../http/command-options.dto';
import { HANDLE, HANDLE_RULE } from '../handle';

/** 'system' is the application's own actor; no person holds it. */
export const ASSIGNABLE_ROLES = ROLES.filter((role) => role !== 'system');

const handle = (field: string) => Matches(HANDLE, { message: `${field} must be ${HANDLE_RULE}` });

// Identity changes are live decisions: If-Match (or expectedRevision), never back-dated.
export class IdentityWriteDto extends PickType(CommandOptionsDto, ['expectedRevision'] as const) {}

export class RegisterUserDto {
  @ApiPropertyOptional({
    example: 'anna.schmidt',
    description: 'A readable handle; a UUIDv7 is generated when left out',
  })
  @IsOptional()
  @handle('userId')
  userId?: string;

  @ApiProperty({ example: 'Anna Schmidt' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'anna.schmidt@example.com', description: 'The sign-in identity' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'gulf-sales' })
  @IsOptional()
  @handle('teamId')
  teamId?: string;

  @ApiProperty({ description: 'At least 12 characters; never returned or logged' })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password!: string;
}

export class UpdateUserDto extends IdentityWriteDto {
  @ApiPropertyOptional({ description: 'Admins, or the user themselves' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Admins only: it is the sign-in identity' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class ChangeRoleDto extends IdentityWriteDto {
  @ApiProperty({ enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES)
  role!: Role;
}

export class MoveToTeamDto extends IdentityWriteDto {
  @ApiProperty({ nullable: true, type: String, description: 'null takes the user out of any team' })
  @ValidateIf((body: MoveToTeamDto) => body.teamId !== null)
  @handle('teamId')
  teamId!: string | null;
}

export class SetAvailabilityDto extends IdentityWriteDto {
  @ApiProperty({ enum: AVAILABILITIES })
  @IsIn(AVAILABILITIES)
  availability!: Availability;

  @ApiPropertyOptional({
    example: '2026-03-09T08:00:00Z',
    description: 'End of an away period, UTC',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ example: 'Canton Fair' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason?: string;
}

export class DeactivateUserDto extends IdentityWriteDto {
  @ApiPropertyOptional({
    description:
      'Who takes over the open accounts, leads, deals and tasks; required unless the user holds none',
  })
  @IsOptional()
  @handle('successorId')
  successorId?: string;

  @ApiPropertyOptional({
    example: 'left the company',
    description: 'Defaults to "left the company"',
  })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason?: string;
}

export class ReactivateUserDto extends IdentityWriteDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason?: string;
}

export class ListUsersQueryDto {
  @ApiPropertyOptional() @IsOptional() @handle('teamId') teamId?: string;
  @ApiPropertyOptional({ enum: ASSIGNABLE_ROLES })
  @IsOptional()
  @IsIn(ASSIGNABLE_ROLES)
  role?: Role;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) active?:
    'true' | 'false';
}
