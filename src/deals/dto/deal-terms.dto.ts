import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsUUID,
  ValidateIf,
} from 'class-validator';
import { DELIVERY_RISKS, DeliveryRisk } from '../../../domain/deal/deal.commands';
import { Incoterm, INCOTERMS, RISK_LEVELS, RiskLevel } from '../../../domain/shared/trade-terms';
import { CommandOptionsDto } from '../../http/command-options.dto';
import {
  IsCalendarDay,
  IsCalendarMonth,
  IsNestedObject,
  MarginBandDto,
  MoneyDto,
  Omittable,
  PaymentTermDto,
} from './trade-terms.dto';

/** Only the fields sent are changed. */
export class ChangeDealTermsDto extends CommandOptionsDto {
  @ApiPropertyOptional({ type: MoneyDto, description: 'In the deal currency' })
  @Omittable()
  @IsNestedObject(() => MoneyDto)
  amount?: MoneyDto;

  @ApiPropertyOptional({ enum: INCOTERMS })
  @Omittable()
  @IsIn(INCOTERMS)
  incoterm?: Incoterm;

  @ApiPropertyOptional({ type: PaymentTermDto })
  @ValidateIf(
    (dto: ChangeDealTermsDto) => dto.paymentTermRisk !== undefined || dto.paymentTerm !== undefined,
  )
  @IsDefined({ message: 'paymentTerm must be given with paymentTermRisk' })
  @IsNestedObject(() => PaymentTermDto)
  paymentTerm?: PaymentTermDto;

  @ApiPropertyOptional({
    enum: RISK_LEVELS,
    description: 'Overrides the usual collection risk of the payment method',
  })
  @Omittable()
  @IsIn(RISK_LEVELS)
  paymentTermRisk?: RiskLevel;

  @ApiPropertyOptional({ example: '2026-06-30' })
  @Omittable()
  @IsCalendarDay()
  expectedCloseDate?: string;

  @ApiPropertyOptional({ example: '2026-08' })
  @Omittable()
  @IsCalendarMonth()
  expectedShipMonth?: string;

  @ApiPropertyOptional({
    enum: DELIVERY_RISKS,
    isArray: true,
    description: 'The full list of flags; [] clears them',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(DELIVERY_RISKS.length)
  @IsIn(DELIVERY_RISKS, { each: true })
  deliveryRisks?: DeliveryRisk[];

  @ApiPropertyOptional({ description: "The buyer's contact, one of the account's contacts" })
  @Omittable()
  @IsUUID()
  contactId?: string;
}

/** Manager only. Leave a target out to keep it, send null to clear it. */
export class SetMarginTargetsDto extends CommandOptionsDto {
  @ApiPropertyOptional({
    type: MoneyDto,
    nullable: true,
    description: 'Main offers below it need approval',
  })
  @IsOptional()
  @IsNestedObject(() => MoneyDto)
  floorPrice?: MoneyDto | null;

  @ApiPropertyOptional({ type: MarginBandDto, nullable: true })
  @IsOptional()
  @IsNestedObject(() => MarginBandDto)
  targetMargin?: MarginBandDto | null;
}
