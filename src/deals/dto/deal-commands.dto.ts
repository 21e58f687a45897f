import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ACTIVITY_DIRECTIONS,
  ACTIVITY_KINDS,
  ActivityDirection,
  ActivityKind,
} from '../../../domain/deal/deal.commands';
import { CommandOptionsDto } from '../../http/command-options.dto';
import { IsCalendarDay, IsInstant, IsNestedObject, MoneyDto, Omittable } from './trade-terms.dto';

export class ChangeStageDto extends CommandOptionsDto {
  @ApiProperty({ example: 'proposal', description: 'An open stage of the stage policy' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  to!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class TransferDealOwnerDto extends CommandOptionsDto {
  @ApiProperty({ description: 'User id of the new owner' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  to!: string;

  @ApiProperty({ example: 'Rep moves to the Europe team' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class LogActivityDto extends CommandOptionsDto {
  @ApiProperty({ enum: ACTIVITY_KINDS })
  @IsIn(ACTIVITY_KINDS)
  kind!: ActivityKind;

  @ApiProperty({ enum: ACTIVITY_DIRECTIONS })
  @IsIn(ACTIVITY_DIRECTIONS)
  direction!: ActivityDirection;

  @ApiProperty({ example: 'Buyer asked for CIF Jebel Ali instead of FOB Ningbo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  summary!: string;

  @ApiProperty({ example: '2026-03-01T09:00:00+04:00', description: 'When it happened' })
  @IsInstant()
  at!: string;

  @ApiPropertyOptional({ description: 'The contact it was with, one of the account contacts' })
  @Omittable()
  @IsUUID()
  contactId?: string;
}

export class MarkWonDto extends CommandOptionsDto {
  @ApiProperty({ example: 'PO-2026-0117', description: "The buyer's order or contract number" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderReference!: string;
}

export class MarkLostDto extends CommandOptionsDto {
  @ApiProperty({
    example: 'price.competitor_cheaper',
    description: 'reason.sub-reason from the loss-reason policy',
  })
  @Matches(/^[a-z0-9_]+\.[a-z0-9_]+$/, {
    message: 'reasonCode must be a reason and a sub-reason, like price.competitor_cheaper',
  })
  reasonCode!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReopenDealDto extends CommandOptionsDto {
  @ApiProperty({ example: 'Buyer came back after the competitor missed the ship date' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class RecordPaymentDto extends CommandOptionsDto {
  @ApiProperty({ type: MoneyDto, description: 'As received, in any currency' })
  @IsNestedObject(() => MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ example: '2026-04-15' })
  @IsCalendarDay()
  receivedOn!: string;

  @ApiPropertyOptional({
    type: MoneyDto,
    description:
      'Required when paid in another currency: what the bank credited in the deal currency',
  })
  @Omittable()
  @IsNestedObject(() => MoneyDto)
  amountInDealCurrency?: MoneyDto;
}
