import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_REQUEST_REF } from '../../../domain/privacy/erasure.decider';
import type { ErasureSubject } from '../../../domain/privacy/erasure.events';
import { IsNotBlank } from '../../accounts/dto/is-not-blank.validator';
import { InputProblem } from '../../http/problem-details';

/** A lead (the person behind an inquiry), or a contact of an account. */
export class ErasureSubjectDto {
  @ApiPropertyOptional({ description: 'The lead whose inquirer is to be erased' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @ApiPropertyOptional({ description: 'With contactId: the account the contact belongs to' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  contactId?: string;
}

export class EraseSubjectDto {
  @ApiProperty({ type: ErasureSubjectDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ErasureSubjectDto)
  subject!: ErasureSubjectDto;

  @ApiProperty({ example: 'DPO-2026-017', description: 'The reference of the erasure request' })
  @IsString()
  @IsNotBlank()
  @MaxLength(MAX_REQUEST_REF)
  requestRef!: string;
}

/** Exactly one of: a lead id, or an account id with a contact id. */
export function erasureSubjectOf(dto: ErasureSubjectDto): ErasureSubject {
  const { leadId, accountId, contactId } = dto;
  if (leadId !== undefined && accountId === undefined && contactId === undefined) {
    return { kind: 'lead', leadId: leadId.toLowerCase() };
  }
  if (leadId === undefined && accountId !== undefined && contactId !== undefined) {
    return {
      kind: 'contact',
      accountId: accountId.toLowerCase(),
      contactId: contactId.toLowerCase(),
    };
  }
  throw new InputProblem([
    {
      field: 'subject',
      code: 'validation.erasure_subject',
      reason: 'subject must name either leadId, or accountId together with contactId',
    },
  ]);
}
