import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsFQDN,
  IsIn,
  IsISO31661Alpha2,
  IsLocale,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import {
  CERTIFICATIONS,
  CUSTOMER_TYPES,
  GRADES,
  PURCHASE_CYCLES,
  PURCHASE_VOLUME_BANDS,
  SENSITIVITIES,
} from '../../../domain/account/account.commands';
import { SOURCE_CHANNELS } from '../../../domain/shared/channels';
import { INCOTERMS, PAYMENT_METHODS } from '../../../domain/shared/trade-terms';
import { IsIanaTimeZone } from '../../http/validators';
import { IsNotBlank } from './is-not-blank.validator';

// The domain takes country codes in upper case only and leaves normalising to the input layer.
const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value.toUpperCase()
    : Array.isArray(value)
      ? value.map((item) => (typeof item === 'string' ? item.toUpperCase() : item))
      : value;

// Domains are case-insensitive; one spelling keeps same-domain dedup exact.
const lowerCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : value;

// en_US and EN are common spellings of the BCP 47 tags the domain expects (en-US, en).
const languageTag = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value.replace(/_/g, '-').replace(/^[A-Za-z]+/, (primary) => primary.toLowerCase())
    : value;

/** The business and trade fields of an account, shared by registration and conversion. */
export class AccountProfileFieldsDto {
  @ApiProperty({ example: 'Gulf Valve Trading LLC' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'AE', description: 'ISO 3166-1 alpha-2' })
  @Transform(upperCase)
  @IsISO31661Alpha2()
  country!: string;

  @ApiProperty({ example: 'gulf-valve.ae', description: 'Web domain (or URL host)' })
  @Transform(lowerCase)
  @IsFQDN({ require_tld: true }, { message: 'website must be a web domain such as gulf-valve.ae' })
  website!: string;

  @ApiProperty({ example: ['ball valves'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(200, { each: true })
  mainProducts!: string[];

  @ApiProperty({ enum: CUSTOMER_TYPES })
  @IsIn(CUSTOMER_TYPES)
  customerType!: (typeof CUSTOMER_TYPES)[number];

  @ApiPropertyOptional({ enum: PURCHASE_VOLUME_BANDS })
  @IsOptional()
  @IsIn(PURCHASE_VOLUME_BANDS)
  purchaseVolumeBand?: (typeof PURCHASE_VOLUME_BANDS)[number];

  @ApiPropertyOptional({ enum: PURCHASE_CYCLES })
  @IsOptional()
  @IsIn(PURCHASE_CYCLES)
  purchaseCycle?: (typeof PURCHASE_CYCLES)[number];

  @ApiPropertyOptional({ example: ['SA', 'QA'], description: 'ISO 3166-1 alpha-2 codes' })
  @IsOptional()
  @Transform(upperCase)
  @IsArray()
  @ArrayMaxSize(250)
  @ArrayUnique()
  @IsISO31661Alpha2({ each: true })
  targetMarkets?: string[];

  @ApiPropertyOptional({ enum: CERTIFICATIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CERTIFICATIONS, { each: true })
  certifications?: (typeof CERTIFICATIONS)[number][];

  @ApiPropertyOptional({ example: ['Valvitalia'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(200, { each: true })
  competitorBrands?: string[];

  @ApiPropertyOptional({ enum: SENSITIVITIES })
  @IsOptional()
  @IsIn(SENSITIVITIES)
  priceSensitivity?: (typeof SENSITIVITIES)[number];

  @ApiPropertyOptional({ enum: SENSITIVITIES })
  @IsOptional()
  @IsIn(SENSITIVITIES)
  leadTimeSensitivity?: (typeof SENSITIVITIES)[number];

  @ApiPropertyOptional({ example: 'Asia/Dubai' })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'ar', description: 'BCP 47 language tag' })
  @IsOptional()
  @Transform(languageTag)
  @IsLocale()
  language?: string;

  @ApiPropertyOptional({ example: ['Jebel Ali'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(100, { each: true })
  ports?: string[];

  @ApiPropertyOptional({ enum: INCOTERMS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(INCOTERMS, { each: true })
  incoterms?: (typeof INCOTERMS)[number][];

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(PAYMENT_METHODS, { each: true })
  paymentTerms?: (typeof PAYMENT_METHODS)[number][];
}

export class NewAccountDto extends AccountProfileFieldsDto {
  @ApiProperty({ enum: GRADES })
  @IsIn(GRADES)
  grade!: (typeof GRADES)[number];
}

export class AccountProfileDto extends NewAccountDto {
  @ApiProperty({ enum: SOURCE_CHANNELS })
  @IsIn(SOURCE_CHANNELS)
  sourceChannel!: (typeof SOURCE_CHANNELS)[number];
}
