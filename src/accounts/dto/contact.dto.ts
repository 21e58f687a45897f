import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONTACT_ROLES } from '../../../domain/account/account.commands';
import { CommandOptionsDto } from '../../http/command-options.dto';
import { IsE164Phone } from '../../http/validators';
import { IsNotBlank } from './is-not-blank.validator';

export class ContactDetailsDto {
  @ApiProperty({ example: 'Ahmed Al-Farsi' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'ahmed@gulf-valve.ae' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+971501234567', description: 'E.164' })
  @IsOptional()
  @IsE164Phone()
  phone?: string;

  @ApiProperty({ enum: CONTACT_ROLES })
  @IsIn(CONTACT_ROLES)
  role!: (typeof CONTACT_ROLES)[number];

  @ApiPropertyOptional({ example: 'Purchasing Manager' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  title?: string;
}

export class AddContactDto extends IntersectionType(ContactDetailsDto, CommandOptionsDto) {}

/** Only the details that change; null clears email, phone or title. Name and role cannot be cleared. */
export class UpdateContactDto extends IntersectionType(
  PartialType(ContactDetailsDto, { skipNullProperties: false }),
  CommandOptionsDto,
) {}

export class RemoveContactDto extends CommandOptionsDto {
  @ApiProperty({ example: 'Left the company' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  reason!: string;
}
