import { DomainError } from './domain-error';

/** An amount in integer minor units (cents, fils, yen) of an ISO 4217 currency. */
export interface Money {
  minor: number;
  currency: string;
}

/** Active ISO 4217 codes (funds codes included; precious metals and test codes left out). */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN ' +
    'BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ' +
    'ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK ' +
    'JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK ' +
    'MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN ' +
    'PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB ' +
    'TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD ' +
    'XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

const EXPONENT_EXCEPTIONS = new Map<string, number>([
  ...'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'
    .split(' ')
    .map((code): [string, number] => [code, 0]),
  ...'BHD IQD JOD KWD LYD OMR TND'.split(' ').map((code): [string, number] => [code, 3]),
  ...'CLF UYW'.split(' ').map((code): [string, number] => [code, 4]),
]);

export const isCurrencyCode = (code: unknown): code is string =>
  typeof code === 'string' && ISO_4217.has(code);

/** Digits after the decimal point: JPY 0, USD 2, KWD 3. */
export const minorUnitExponent = (currency: string): number =>
  EXPONENT_EXCEPTIONS.get(currency) ?? 2;

/** Why a value is not valid Money, or undefined when it is. */
export const moneyProblem = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return 'must be an amount with a currency';
  const { minor, currency } = value as Partial<Money>;
  if (!isCurrencyCode(currency)) return `currency ${String(currency)} is not an ISO 4217 code`;
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor))
    return 'amount must be a whole number of minor units (e.g. cents)';
  return undefined;
};

export const isMoney = (value: unknown): value is Money => moneyProblem(value) === undefined;

export const assertMoney = (value: unknown, field: string, code = 'money.invalid'): Money => {
  const problem = moneyProblem(value);
  if (problem) throw new DomainError(code, `${field}: ${problem}`, field);
  return value as Money;
};

export const money = (minor: number, currency: string): Money =>
  assertMoney({ minor, currency }, 'money');

const sameCurrency = (a: Money, b: Money): void => {
  if (a.currency !== b.currency)
    throw new DomainError(
      'money.currency_mismatch',
      `Cannot combine ${a.currency} with ${b.currency} without a conversion`,
    );
};

const checkedSafe = (minor: number): number => {
  if (!Number.isSafeInteger(minor))
    throw new DomainError('money.out_of_range', 'Amount is too large to be exact');
  return minor;
};

export const addMoney = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return { minor: checkedSafe(a.minor + b.minor), currency: a.currency };
};

export const subtractMoney = (a: Money, b: Money): Money => {
  sameCurrency(a, b);
  return { minor: checkedSafe(a.minor - b.minor), currency: a.currency };
};

/** Negative when a < b, zero when equal, positive when a > b. */
export const compareMoney = (a: Money, b: Money): number => {
  sameCurrency(a, b);
  return Math.sign(a.minor - b.minor);
};

export const zero = (currency: string): Money => ({ minor: 0, currency });

/** '1234.5' USD -> 123450 minor. Refuses more decimals than the currency has. */
export const parseMajor = (text: string, currency: string): Money => {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const exponent = minorUnitExponent(currency);
  if (!match || (match[3] ?? '').length > exponent)
    throw new DomainError('money.invalid', `${text} is not a valid ${currency} amount`);
  const digits = match[2] + (match[3] ?? '').padEnd(exponent, '0');
  return money(Number(match[1] ? -BigInt(digits) : BigInt(digits)), currency);
};

/** 123450 minor USD -> '1234.50'. */
export const formatMajor = ({ minor, currency }: Money): string => {
  const exponent = minorUnitExponent(currency);
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? sign + whole : `${sign}${whole}.${digits.slice(-exponent)}`;
};

/** numerator / denominator rounded half to even (banker's rounding); denominator > 0. */
export const divideHalfEven = (numerator: bigint, denominator: bigint): bigint => {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  if (twice < denominator) return quotient;
  const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return awayFromZero;
  return quotient % 2n === 0n ? quotient : awayFromZero;
};

// ---- FX -------------------------------------------------------------------------------------

/** One dated rate: how many units of `currency` one unit of the base currency buys from `effectiveFrom` on. */
export interface FxRate {
  currency: string;
  /** 'YYYY-MM-DD'; the rate is in force from this day until the next dated rate. */
  effectiveFrom: string;
  /** A decimal string, so rates stay exact, e.g. '3.6725' AED per USD. */
  unitsPerBase: string;
}

export interface FxRateTable {
  base: string;
  rates: FxRate[];
}

const DECIMAL = /^\d+(?:\.\d+)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}/;

/** Problems with a rate table (empty when it is usable). */
export const fxRateTableProblems = (table: FxRateTable): string[] => {
  const problems: string[] = [];
  if (!isCurrencyCode(table.base)) problems.push(`base ${table.base} is not an ISO 4217 code`);
  const seen = new Set<string>();
  for (const rate of table.rates) {
    const label = `${rate.currency} from ${rate.effectiveFrom}`;
    if (!isCurrencyCode(rate.currency)) problems.push(`${label}: not an ISO 4217 code`);
    if (rate.currency === table.base) problems.push(`${label}: the base currency needs no rate`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(rate.effectiveFrom))
      problems.push(`${label}: date must be YYYY-MM-DD`);
    if (!DECIMAL.test(rate.unitsPerBase) || !/[1-9]/.test(rate.unitsPerBase))
      problems.push(`${label}: rate must be a positive decimal`);
    const key = `${rate.currency}@${rate.effectiveFrom}`;
    if (seen.has(key)) problems.push(`${label}: two rates for the same day`);
    seen.add(key);
  }
  return problems;
};

/** 'YYYY-MM-DD' of a date or an ISO timestamp (timestamps are read in UTC). */
const dayOf = (on: string): string => {
  const instant = DAY.test(on) ? new Date(on.length === 10 ? `${on}T00:00:00Z` : on) : undefined;
  if (!instant || Number.isNaN(instant.getTime()))
    throw new DomainError('fx.date_invalid', `${on} is not a date`, 'on');
  return instant.toISOString().slice(0, 10);
};

/** The rate in force on a day: the latest one dated on or before it. */
export const rateInForce = (table: FxRateTable, currency: string, on: string): FxRate => {
  const day = dayOf(on);
  if (currency === table.base) return { currency, effectiveFrom: '0000-01-01', unitsPerBase: '1' };
  let found: FxRate | undefined;
  for (const rate of table.rates)
    if (
      rate.currency === currency &&
      rate.effectiveFrom <= day &&
      (!found || rate.effectiveFrom > found.effectiveFrom)
    )
      found = rate;
  if (!found)
    throw new DomainError(
      'fx.rate_missing',
      `No ${currency} rate is in force on ${day}`,
      'currency',
      {
        currency,
        on: day,
      },
    );
  return found;
};

const asFraction = (decimal: string): [bigint, bigint] => {
  const [whole, fraction = ''] = decimal.split('.');
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
};

/**
 * Converts with the rates in force on `on`, crossing through the base currency exactly and
 * rounding once, half to even, to the target's minor units.
 */
export const convert = (amount: Money, to: string, on: string, table: FxRateTable): Money => {
  assertMoney(amount, 'amount');
  if (!isCurrencyCode(to))
    throw new DomainError('money.invalid', `${to} is not an ISO 4217 code`, 'currency');
  if (amount.currency === to) return amount;
  const [fromNum, fromDen] = asFraction(rateInForce(table, amount.currency, on).unitsPerBase);
  const [toNum, toDen] = asFraction(rateInForce(table, to, on).unitsPerBase);
  // minor / 10^eFrom / (fromNum/fromDen) * (toNum/toDen) * 10^eTo
  const numerator = BigInt(amount.minor) * fromDen * toNum * 10n ** BigInt(minorUnitExponent(to));
  const denominator = 10n ** BigInt(minorUnitExponent(amount.currency)) * fromNum * toDen;
  return { minor: checkedSafe(Number(divideHalfEven(numerator, denominator))), currency: to };
};
