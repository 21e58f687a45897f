import { DomainError } from '../../domain/shared/domain-error';
import {
  divideHalfEven,
  FxRateTable,
  minorUnitExponent,
  rateInForce,
} from '../../domain/shared/money';

/** A decimal in [0, 1] as an exact fraction: 0.35 → 35/100. */
export function probabilityFraction(probability: number): [bigint, bigint] {
  if (!Number.isFinite(probability) || probability < 0) {
    throw new DomainError('forecast.probability_invalid', `${probability} is not a probability`);
  }
  // Number→string gives the shortest decimal that round-trips (0.1 → "0.1"), so policy values
  // written as decimals stay exact; exponent forms ("1e-7") are spelt out first.
  const text = /e/i.test(String(probability))
    ? probability.toFixed(20).replace(/0+$/, '')
    : String(probability);
  const [whole, fraction = ''] = text.split('.');
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
}

const asFraction = (decimal: string): [bigint, bigint] => {
  const [whole, fraction = ''] = decimal.split('.');
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
};

/**
 * `minor` units of `currency` × `probability`, in the table's base currency at the rate in force
 * on `on`, rounded once, half to even, to the base's minor units. The probability and the rate
 * are applied exactly before that single rounding, so a deal's contribution is what
 * `convert(amount × p)` would give if minor units could hold fractions. Undefined when no rate
 * for the currency is in force on that day.
 */
export function weightedInBase(
  minor: number,
  currency: string,
  probability: number,
  table: FxRateTable,
  on: string,
): number | undefined {
  const factor = conversionFactor(currency, probability, table, on);
  if (factor === null) return undefined;
  const result = Number(divideHalfEven(BigInt(minor) * factor.numerator, factor.denominator));
  if (!Number.isSafeInteger(result)) {
    throw new DomainError('money.out_of_range', 'Amount is too large to be exact');
  }
  return result;
}

/** minor × numerator / denominator is the weighted amount in base minor units, before rounding. */
interface ConversionFactor {
  numerator: bigint;
  denominator: bigint;
}

/**
 * Factors per rate table, by currency, probability and day. A forecast rebuild weighs every deal
 * event with the same few tables, probabilities and months, so the rate lookup and the fraction
 * parsing are done once each. Tables are read-model documents, replaced and never changed in
 * place, so a table object always maps to the same factors.
 */
const FACTORS = new WeakMap<FxRateTable, Map<string, ConversionFactor | null>>();
const FACTORS_PER_TABLE = 10_000;

function conversionFactor(
  currency: string,
  probability: number,
  table: FxRateTable,
  on: string,
): ConversionFactor | null {
  let factors = FACTORS.get(table);
  if (!factors) {
    factors = new Map();
    FACTORS.set(table, factors);
  }
  const key = `${currency}|${probability}|${on}`;
  const known = factors.get(key);
  if (known !== undefined) return known;
  const factor = computeFactor(currency, probability, table, on);
  if (factors.size >= FACTORS_PER_TABLE) factors.clear();
  factors.set(key, factor);
  return factor;
}

function computeFactor(
  currency: string,
  probability: number,
  table: FxRateTable,
  on: string,
): ConversionFactor | null {
  let unitsPerBase: string;
  try {
    unitsPerBase = rateInForce(table, currency, on).unitsPerBase;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'fx.rate_missing') return null;
    throw error;
  }
  const [pNum, pDen] = probabilityFraction(probability);
  const [rateNum, rateDen] = asFraction(unitsPerBase);
  // minor / 10^eCur / (rateNum/rateDen) × 10^eBase × pNum/pDen
  return {
    numerator: pNum * rateDen * 10n ** BigInt(minorUnitExponent(table.base)),
    denominator: pDen * rateNum * 10n ** BigInt(minorUnitExponent(currency)),
  };
}
