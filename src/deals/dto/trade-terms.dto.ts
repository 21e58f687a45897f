import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO8601,
  IsNumber,
  IsObject,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { isCurrencyCode } from '../../../domain/shared/money';
import { PAYMENT_METHODS, PaymentMethod } from '../../../domain/shared/trade-terms';

/**
 * May be left out, but never null: these fields have no "clear" in the domain, and IsOptional would
 * let a null slip past every other check.
 */
export const Omittable = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A nested object of the given class, validated field by field; arrays and strings are refused. */
export const IsNestedObject = (type: () => new () => object): PropertyDecorator =>
  applyDecorators(IsObject(), ValidateNested(), Type(type));

/** A real calendar day, 'YYYY-MM-DD'. */
export const IsCalendarDay = (): PropertyDecorator =>
  applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date like 2026-03-31' }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar day' }),
  );

/** A calendar month, 'YYYY-MM'. */
export const IsCalendarMonth = (): PropertyDecorator =>
  Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month like 2026-05' });

/** A date and time with its UTC offset, so it means the same instant in every office. */
export const IsInstant = (): PropertyDecorator =>
  applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
      message: '$property must be a date and time with an offset, like 2026-03-01T09:00:00Z',
    }),
    IsISO8601({ strict: true }),
  );

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

/**
 * The domain's list of ISO 4217 codes, under class-validator's constraint name so the error code is
 * the usual one. class-validator's own list lacks XCG and ZWG (in use since 2024–25) and lets gold
 * and test codes through.
 */
const IsIso4217Code = (): PropertyDecorator => (target, property) =>
  registerDecorator({
    name: 'isISO4217CurrencyCode',
    target: target.constructor,
    propertyName: property as string,
    options: { message: `${String(property)} must be an ISO 4217 currency code such as USD` },
    validator: { validate: (value: unknown) => isCurrencyCode(value) },
  });

/** An ISO 4217 code, upper-cased first: the domain knows only 'USD', never 'usd'. */
export const IsCurrency = (): PropertyDecorator =>
  applyDecorators(Transform(upperCase), IsIso4217Code());

/** An ISO 3166-1 alpha-2 code, upper-cased first. */
export const IsCountry = (): PropertyDecorator =>
  applyDecorators(Transform(upperCase), IsISO31661Alpha2());

/** A whole number of minor units, exact in a JavaScript number. */
export const IsMinorUnits = (min: number): PropertyDecorator =>
  applyDecorators(IsInt(), Min(min), Max(Number.MAX_SAFE_INTEGER));

export class MoneyDto {
  @ApiProperty({
    example: 3_800_000,
    description: 'Whole minor units of the currency: 3800000 USD is 38,000.00',
  })
  @IsMinorUnits(1)
  minor!: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency code' })
  @IsCurrency()
  currency!: string;
}

export class PaymentTermDto {
  @ApiProperty({ enum: PAYMENT_METHODS, example: 'T/T' })
  @IsIn(PAYMENT_METHODS)
  method!: PaymentMethod;

  @ApiPropertyOptional({ example: 30, description: 'Share paid in advance, in %' })
  @Omittable()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  advancePercent?: number;

  @ApiPropertyOptional({ example: 60, description: 'Days of credit after shipment or documents' })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(3650)
  creditDays?: number;
}

export class MarginBandDto {
  @ApiProperty({ example: 0.18, description: 'Lowest acceptable gross margin, as a fraction' })
  @IsNumber()
  @Min(0)
  @Max(1)
  min!: number;

  @ApiProperty({ example: 0.35, description: 'Highest expected gross margin, as a fraction' })
  @IsNumber()
  @Min(0)
  @Max(1)
  max!: number;
}
