import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTACT_ROLES } from '../../../domain/account/account.commands';
import { DISQUALIFY_REASONS, RESPONSE_CHANNELS } from '../../../domain/lead/lead.commands';
import { NewAccountDto } from '../../accounts/dto/account-profile.dto';
import { CommandOptionsDto } from '../../http/command-options.dto';

export class ChangeOwnerDto extends CommandOptionsDto {
  @ApiProperty({ description: 'User id of the new owner' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  to!: string;
  @ApiPropertyOptional({
    description: 'The owner the requester saw; 409-style refusal if it moved meanwhile',
  })
  @IsOptional()
  @IsString()
  from?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

export class RecordResponseDto extends CommandOptionsDto {
  @ApiProperty({ enum: ['inbound', 'outbound'] }) @IsIn(['inbound', 'outbound']) direction!:
    'inbound' | 'outbound';
  @ApiProperty({ enum: RESPONSE_CHANNELS })
  @IsIn(RESPONSE_CHANNELS)
  channel!: (typeof RESPONSE_CHANNELS)[number];
  @ApiProperty({ description: 'When it was sent or received (ISO 8601)' })
  @IsISO8601({ strict: true })
  at!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) summary?: string;
}

class ScoreDimensionsDto {
  @ApiProperty() @IsInt() @Min(0) @Max(5) requirementClarity!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(5) purchaseStage!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(5) volumeAndFrequency!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(5) termsAcceptability!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(5) responsiveness!: number;
}

export class RecordScoreDto extends CommandOptionsDto {
  @ApiProperty({ type: ScoreDimensionsDto })
  @ValidateNested()
  @Type(() => ScoreDimensionsDto)
  dimensions!: ScoreDimensionsDto;
}

export class QualifyLeadDto extends CommandOptionsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class NurtureLeadDto extends CommandOptionsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class DisqualifyLeadDto extends CommandOptionsDto {
  @ApiProperty({ enum: DISQUALIFY_REASONS })
  @IsIn(DISQUALIFY_REASONS)
  reason!: (typeof DISQUALIFY_REASONS)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

class NewContactDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: CONTACT_ROLES })
  @IsOptional()
  @IsIn(CONTACT_ROLES)
  role?: (typeof CONTACT_ROLES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) title?: string;
}

class NewDealDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) productLine!: string;
  @ApiProperty({ example: 'USD' }) @IsISO4217CurrencyCode() currency!: string;
}

export class ConvertLeadDto extends CommandOptionsDto {
  @ApiPropertyOptional({
    description: 'Attach to this existing account instead of registering one',
  })
  @IsOptional()
  @IsUUID()
  existingAccountId?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID() existingContactId?: string;

  @ApiPropertyOptional({ type: NewAccountDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewAccountDto)
  newAccount?: NewAccountDto;

  @ApiPropertyOptional({ type: NewContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewContactDto)
  newContact?: NewContactDto;

  @ApiProperty({ type: NewDealDto }) @ValidateNested() @Type(() => NewDealDto) deal!: NewDealDto;
}
