import { Type } from 'class-transformer';
import { IsISO4217CurrencyCode, Matches, ValidateNested } from 'class-validator';
import { PolicyHeaderSchema } from './policy-header.schema';

class FxRateSchema {
  @IsISO4217CurrencyCode() currency!: string;
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be a date YYYY-MM-DD' })
  effectiveFrom!: string;
  @Matches(/^\d+(\.\d+)?$/, { message: 'unitsPerBase must be a positive decimal string' })
  unitsPerBase!: string;
}

export class FxPolicySchema extends PolicyHeaderSchema {
  @IsISO4217CurrencyCode() base!: string;
  @ValidateNested({ each: true }) @Type(() => FxRateSchema) rates!: FxRateSchema[];
}
