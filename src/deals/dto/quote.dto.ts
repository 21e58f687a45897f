import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { QuoteTier } from '../../../domain/deal/deal.commands';
import { Incoterm, INCOTERMS } from '../../../domain/shared/trade-terms';
import { CommandOptionsDto } from '../../http/command-options.dto';
import {
  IsCalendarDay,
  IsCurrency,
  IsMinorUnits,
  IsNestedObject,
  MarginBandDto,
  MoneyDto,
  Omittable,
  PaymentTermDto,
} from './trade-terms.dto';

// The domain names the tiers only as a type; this list must stay in step with it.
const QUOTE_TIERS = ['good', 'better', 'best'] as const satisfies readonly QuoteTier[];

export class QuoteLineDto {
  @ApiPropertyOptional({ example: 'BV-DN50-SS316' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku?: string;

  @ApiProperty({ example: 'Ball valve DN50, SS316, PN40' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description!: string;

  @ApiProperty({ example: 2000, description: 'Whole units of `unit`' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity!: number;

  @ApiPropertyOptional({ example: 'pcs' })
  @Omittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  unit?: string;

  @ApiProperty({
    example: 1900,
    description: 'Price per unit in minor units of the quote currency',
  })
  @IsMinorUnits(0)
  unitPriceMinor!: number;

  @ApiPropertyOptional({ example: 1400, description: 'Cost per unit, for the margin check' })
  @Omittable()
  @IsMinorUnits(0)
  unitCostMinor?: number;
}

/** Priced line by line or as one total; with a cost, the margin is checked against the targets. */
export class QuoteOfferDto {
  @ApiPropertyOptional({ type: [QuoteLineDto] })
  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => QuoteLineDto)
  lines?: QuoteLineDto[];

  @ApiPropertyOptional({
    example: 3_800_000,
    description: 'Total in minor units; must equal the lines when both are given',
  })
  @Omittable()
  @IsMinorUnits(1)
  totalMinor?: number;

  @ApiPropertyOptional({ example: 2_800_000, description: 'Total cost in minor units' })
  @Omittable()
  @IsMinorUnits(0)
  costMinor?: number;
}

export class QuoteOptionDto extends QuoteOfferDto {
  @ApiProperty({ enum: QUOTE_TIERS })
  @IsIn(QUOTE_TIERS)
  tier!: QuoteTier;

  @ApiProperty({ example: 'Brass body instead of SS316' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  description!: string;
}

export class DraftQuoteDto extends IntersectionType(CommandOptionsDto, QuoteOfferDto) {
  @ApiProperty({ example: 'USD', description: 'Must be the deal currency' })
  @IsCurrency()
  currency!: string;

  @ApiProperty({ enum: INCOTERMS })
  @IsIn(INCOTERMS)
  incoterm!: Incoterm;

  @ApiProperty({ type: PaymentTermDto })
  @IsNestedObject(() => PaymentTermDto)
  paymentTerm!: PaymentTermDto;

  @ApiProperty({ example: 500, description: 'Minimum order quantity' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  moq!: number;

  @ApiProperty({ example: 35 })
  @IsInt()
  @Min(0)
  @Max(3650)
  leadTimeDays!: number;

  @ApiProperty({ example: '2026-03-31', description: 'Last day the prices hold' })
  @IsCalendarDay()
  validUntil!: string;

  @ApiPropertyOptional({ type: [QuoteOptionDto], description: 'Good / better / best alternatives' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(QUOTE_TIERS.length)
  @ValidateNested({ each: true })
  @Type(() => QuoteOptionDto)
  options?: QuoteOptionDto[];

  @ApiPropertyOptional({ type: MoneyDto, description: "Checked on top of the deal's own floor" })
  @Omittable()
  @IsNestedObject(() => MoneyDto)
  floorPrice?: MoneyDto;

  @ApiPropertyOptional({ type: MarginBandDto })
  @Omittable()
  @IsNestedObject(() => MarginBandDto)
  targetMargin?: MarginBandDto;
}

export class QuoteNoteDto extends CommandOptionsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RejectQuoteDto extends CommandOptionsDto {
  @ApiProperty({ example: 'Below cost on the SS316 option; re-price the better tier' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
