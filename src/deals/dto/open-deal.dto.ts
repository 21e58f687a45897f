import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { SOURCE_CHANNELS, SourceChannel } from '../../../domain/shared/channels';
import { Incoterm, INCOTERMS } from '../../../domain/shared/trade-terms';
import { CommandOptionsDto } from '../../http/command-options.dto';
import {
  IsCalendarDay,
  IsCalendarMonth,
  IsCountry,
  IsCurrency,
  IsNestedObject,
  MoneyDto,
  Omittable,
  PaymentTermDto,
} from './trade-terms.dto';

export class OpenDealDto extends CommandOptionsDto {
  @ApiProperty({ description: 'The customer account the deal is with' })
  @IsUUID()
  accountId!: string;

  @ApiProperty({ example: 'DN50 ball valves, 2,000 pcs' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'valves' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  productLine!: string;

  @ApiProperty({ example: 'USD', description: 'The currency the deal is quoted and paid in' })
  @IsCurrency()
  currency!: string;

  @ApiPropertyOptional({ description: 'Defaults to the caller' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ownerId?: string;

  @ApiPropertyOptional({ enum: SOURCE_CHANNELS, description: "Defaults to the account's channel" })
  @Omittable()
  @IsIn(SOURCE_CHANNELS)
  channel?: SourceChannel;

  @ApiPropertyOptional({
    example: 'AE',
    description: "ISO 3166-1 alpha-2; defaults to the account's",
  })
  @Omittable()
  @IsCountry()
  country?: string;

  @ApiPropertyOptional({ description: "The buyer's contact, one of the account's contacts" })
  @Omittable()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ type: MoneyDto, description: 'In the deal currency' })
  @Omittable()
  @IsNestedObject(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ enum: INCOTERMS })
  @Omittable()
  @IsIn(INCOTERMS)
  incoterm?: Incoterm;

  @ApiPropertyOptional({ type: PaymentTermDto })
  @Omittable()
  @IsNestedObject(() => PaymentTermDto)
  paymentTerm?: PaymentTermDto;

  @ApiPropertyOptional({ example: '2026-06-30' })
  @Omittable()
  @IsCalendarDay()
  expectedCloseDate?: string;

  @ApiPropertyOptional({ example: '2026-08' })
  @Omittable()
  @IsCalendarMonth()
  expectedShipMonth?: string;

  @ApiPropertyOptional({
    example: 'proposal',
    description:
      'An open stage of the stage policy; its entry requirements apply. Defaults to the first',
  })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  firstStage?: string;
}
