import {
  ApiProperty,
  ApiPropertyOptional,
  IntersectionType,
  OmitType,
  PartialType,
  PickType,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { GRADES, LIFECYCLE_STAGES } from '../../../domain/account/account.commands';
import { CommandOptionsDto } from '../../http/command-options.dto';
import { AccountProfileDto } from './account-profile.dto';
import { IsNotBlank } from './is-not-blank.validator';

export class RegisterAccountDto extends IntersectionType(AccountProfileDto, CommandOptionsDto) {
  @ApiPropertyOptional({ description: 'User id of the owner; the caller when left out' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  ownerId?: string;

  @ApiPropertyOptional({
    enum: LIFECYCLE_STAGES,
    description: 'potential when left out; imports of existing customers may start further along',
  })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  lifecycle?: (typeof LIFECYCLE_STAGES)[number];
}

/**
 * Only the fields that change. null clears an optional field; the required ones (name, country,
 * website, main products, customer type, source channel) can be changed but never cleared, so
 * `skipNullProperties: false` keeps validating them when null.
 */
export class UpdateAccountProfileDto extends IntersectionType(
  PartialType(OmitType(AccountProfileDto, ['grade'] as const), { skipNullProperties: false }),
  CommandOptionsDto,
) {}

export class ChangeGradeDto extends CommandOptionsDto {
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade!: (typeof GRADES)[number];
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) reason!: string;
}

export class ChangeLifecycleDto extends CommandOptionsDto {
  @ApiProperty({ enum: LIFECYCLE_STAGES })
  @IsIn(LIFECYCLE_STAGES)
  to!: (typeof LIFECYCLE_STAGES)[number];
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) reason!: string;
}

export class TransferOwnershipDto extends CommandOptionsDto {
  @ApiProperty({ description: 'User id of the new owner' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  to!: string;
  @ApiPropertyOptional({
    description: 'The owner the requester saw; refused if someone moved the account meanwhile',
  })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  from?: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) reason!: string;
}

// A merge is a live decision: back-dating one would let the survivor's step land before its history.
class RevisionOptionDto extends PickType(CommandOptionsDto, ['expectedRevision'] as const) {}

export class MergeAccountsDto extends RevisionOptionDto {
  @ApiProperty({ description: 'The duplicate: read-only after the merge, until unmerged' })
  @IsUUID()
  mergedId!: string;
  @ApiProperty({ description: 'The account that takes over the contacts and the work' })
  @IsUUID()
  survivorId!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) reason!: string;
}

export class UnmergeAccountDto extends RevisionOptionDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) reason!: string;
}
