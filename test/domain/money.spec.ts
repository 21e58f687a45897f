import fxDefault from '../../config/policies/fx.default.json';
import { DomainError } from '../../domain/shared/domain-error';
import {
  addMoney,
  assertMoney,
  compareMoney,
  convert,
  divideHalfEven,
  formatMajor,
  fxRateTableProblems,
  FxRateTable,
  isCurrencyCode,
  isMoney,
  minorUnitExponent,
  money,
  moneyProblem,
  parseMajor,
  rateInForce,
  subtractMoney,
} from '../../domain/shared/money';
import { FxPolicy } from '../../domain/policies/fx-policy';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  return undefined;
};

describe('Money', () => {
  it('knows how many decimals each currency has', () => {
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KRW')).toBe(0);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(minorUnitExponent('BHD')).toBe(3);
    expect(minorUnitExponent('CLF')).toBe(4);
  });

  it('accepts ISO 4217 codes only', () => {
    expect(isCurrencyCode('AED')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
    expect(isCurrencyCode(42)).toBe(false);
  });

  it('is valid only as whole minor units with a real currency', () => {
    expect(isMoney({ minor: 1250, currency: 'USD' })).toBe(true);
    expect(moneyProblem({ minor: 12.5, currency: 'USD' })).toMatch(/whole number/);
    expect(moneyProblem({ minor: 1, currency: 'XYZ' })).toMatch(/ISO 4217/);
    expect(moneyProblem(null)).toMatch(/amount with a currency/);
    expect(codeOf(() => assertMoney({ minor: 1.5, currency: 'USD' }, 'amount'))).toBe(
      'money.invalid',
    );
    expect(
      codeOf(() => assertMoney({ minor: 1, currency: 'USD' }, 'amount', 'deal.x')),
    ).toBeUndefined();
    expect(codeOf(() => money(Number.MAX_SAFE_INTEGER + 2, 'USD'))).toBe('money.invalid');
  });

  it('adds, subtracts and compares only within one currency', () => {
    const a = money(1000, 'USD');
    const b = money(250, 'USD');
    expect(addMoney(a, b)).toEqual(money(1250, 'USD'));
    expect(subtractMoney(b, a)).toEqual(money(-750, 'USD'));
    expect(compareMoney(a, b)).toBe(1);
    expect(compareMoney(b, a)).toBe(-1);
    expect(compareMoney(a, a)).toBe(0);
    expect(codeOf(() => addMoney(a, money(1, 'EUR')))).toBe('money.currency_mismatch');
    expect(codeOf(() => addMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), b))).toBe(
      'money.out_of_range',
    );
  });

  it('reads and writes major-unit amounts with the currency’s decimals', () => {
    expect(parseMajor('1234.5', 'USD')).toEqual(money(123450, 'USD'));
    expect(parseMajor('1500', 'JPY')).toEqual(money(1500, 'JPY'));
    expect(parseMajor('0.125', 'KWD')).toEqual(money(125, 'KWD'));
    expect(parseMajor('-3.07', 'EUR')).toEqual(money(-307, 'EUR'));
    expect(codeOf(() => parseMajor('10.5', 'JPY'))).toBe('money.invalid');
    expect(codeOf(() => parseMajor('1.234', 'USD'))).toBe('money.invalid');
    expect(codeOf(() => parseMajor('ten', 'USD'))).toBe('money.invalid');
    expect(formatMajor(money(123450, 'USD'))).toBe('1234.50');
    expect(formatMajor(money(5, 'USD'))).toBe('0.05');
    expect(formatMajor(money(-307, 'EUR'))).toBe('-3.07');
    expect(formatMajor(money(1500, 'JPY'))).toBe('1500');
    expect(formatMajor(money(125, 'KWD'))).toBe('0.125');
  });

  it('rounds half to even', () => {
    expect(divideHalfEven(5n, 2n)).toBe(2n);
    expect(divideHalfEven(7n, 2n)).toBe(4n);
    expect(divideHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideHalfEven(1n, 3n)).toBe(0n);
    expect(divideHalfEven(2n, 3n)).toBe(1n);
    expect(divideHalfEven(-2n, 3n)).toBe(-1n);
    expect(divideHalfEven(6n, 3n)).toBe(2n);
  });
});

describe('FX conversion', () => {
  const table: FxRateTable = {
    base: 'USD',
    rates: [
      { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.8550' },
      { currency: 'EUR', effectiveFrom: '2026-02-01', unitsPerBase: '0.8450' },
      { currency: 'JPY', effectiveFrom: '2026-01-01', unitsPerBase: '156.50' },
      { currency: 'AED', effectiveFrom: '2025-01-01', unitsPerBase: '3.6725' },
      { currency: 'KWD', effectiveFrom: '2025-01-01', unitsPerBase: '0.3075' },
      { currency: 'GBP', effectiveFrom: '2026-01-01', unitsPerBase: '0.5' },
    ],
  };

  it('uses the rate in force on the day: the latest one dated on or before it', () => {
    expect(rateInForce(table, 'EUR', '2026-01-31').unitsPerBase).toBe('0.8550');
    expect(rateInForce(table, 'EUR', '2026-02-01').unitsPerBase).toBe('0.8450');
    expect(rateInForce(table, 'EUR', '2026-06-30').unitsPerBase).toBe('0.8450');
    expect(rateInForce(table, 'USD', '2020-01-01').unitsPerBase).toBe('1');
  });

  it('reads a timestamp as its UTC day', () => {
    expect(rateInForce(table, 'EUR', '2026-01-31T23:59:59.999Z').unitsPerBase).toBe('0.8550');
    expect(rateInForce(table, 'EUR', '2026-02-01T00:30:00+01:00').unitsPerBase).toBe('0.8550');
  });

  it('refuses a day with no rate in force, and a non-date', () => {
    expect(codeOf(() => rateInForce(table, 'EUR', '2025-12-31'))).toBe('fx.rate_missing');
    expect(codeOf(() => rateInForce(table, 'CNY', '2026-03-01'))).toBe('fx.rate_missing');
    expect(codeOf(() => rateInForce(table, 'EUR', 'yesterday'))).toBe('fx.date_invalid');
  });

  it('converts to and from the base currency', () => {
    expect(convert(money(100000, 'USD'), 'EUR', '2026-01-15', table)).toEqual(money(85500, 'EUR'));
    expect(convert(money(85500, 'EUR'), 'USD', '2026-01-15', table)).toEqual(money(100000, 'USD'));
    expect(convert(money(100000, 'USD'), 'EUR', '2026-02-15', table)).toEqual(money(84500, 'EUR'));
  });

  it('crosses through the base currency with the currencies’ own decimals', () => {
    // 1,000.00 EUR = 1000 / 0.855 USD = 1169.5906... USD = 183,040.9356... JPY
    expect(convert(money(100000, 'EUR'), 'JPY', '2026-01-15', table)).toEqual(money(183041, 'JPY'));
    // 367.25 AED = 100 USD = 30.750 KWD
    expect(convert(money(36725, 'AED'), 'KWD', '2026-01-15', table)).toEqual(money(30750, 'KWD'));
    expect(convert(money(1000, 'JPY'), 'USD', '2026-01-15', table)).toEqual(money(639, 'USD'));
  });

  it('rounds ties to the even minor unit', () => {
    expect(convert(money(1, 'USD'), 'GBP', '2026-01-15', table)).toEqual(money(0, 'GBP'));
    expect(convert(money(3, 'USD'), 'GBP', '2026-01-15', table)).toEqual(money(2, 'GBP'));
    expect(convert(money(5, 'USD'), 'GBP', '2026-01-15', table)).toEqual(money(2, 'GBP'));
    expect(convert(money(7, 'USD'), 'GBP', '2026-01-15', table)).toEqual(money(4, 'GBP'));
    expect(convert(money(-5, 'USD'), 'GBP', '2026-01-15', table)).toEqual(money(-2, 'GBP'));
  });

  it('leaves an amount already in the target currency alone and refuses unknown targets', () => {
    expect(convert(money(123, 'EUR'), 'EUR', '1999-01-01', table)).toEqual(money(123, 'EUR'));
    expect(codeOf(() => convert(money(123, 'EUR'), 'XYZ', '2026-01-15', table))).toBe(
      'money.invalid',
    );
  });

  it('finds problems in a rate table', () => {
    expect(
      fxRateTableProblems({
        base: 'USD',
        rates: [
          { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.9' },
          { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.91' },
          { currency: 'USD', effectiveFrom: '2026-01-01', unitsPerBase: '1' },
          { currency: 'GBP', effectiveFrom: '1/1/2026', unitsPerBase: '-0.8' },
          { currency: 'JPY', effectiveFrom: '2026-01-01', unitsPerBase: '0' },
        ],
      }),
    ).toEqual([
      'EUR from 2026-01-01: two rates for the same day',
      'USD from 2026-01-01: the base currency needs no rate',
      'GBP from 1/1/2026: date must be YYYY-MM-DD',
      'GBP from 1/1/2026: rate must be a positive decimal',
      'JPY from 2026-01-01: rate must be a positive decimal',
    ]);
  });

  it('ships a usable default rate table in USD with EUR, CNY, GBP, JPY and AED', () => {
    const policy: FxPolicy = fxDefault;
    expect(policy.base).toBe('USD');
    expect(fxRateTableProblems(policy)).toEqual([]);
    for (const currency of ['EUR', 'CNY', 'GBP', 'JPY', 'AED'])
      expect(rateInForce(policy, currency, '2026-03-01').currency).toBe(currency);
    expect(convert(money(367250, 'AED'), 'USD', '2026-03-01', policy)).toEqual(
      money(100000, 'USD'),
    );
  });
});
