import { DomainError } from '../shared/domain-error';
import { Money, moneyProblem } from '../shared/money';
import { PAYMENT_METHODS, PaymentTerm } from '../shared/trade-terms';
import { MarginBand } from './deal.commands';

export const invalid = (field: string, message: string): DomainError =>
  new DomainError('deal.field.invalid', message, field);

export const requireText = (value: unknown, field: string, label: string): string => {
  if (typeof value !== 'string' || value.trim() === '')
    throw new DomainError('deal.field.required', `${label} is required`, field);
  return value.trim();
};

export const optionalText = (value: unknown, field: string, label: string): string | undefined =>
  value === undefined || value === null || value === ''
    ? undefined
    : requireText(value, field, label);

const isCalendarDay = (text: string): boolean => {
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
};

export const requireDay = (value: unknown, field: string, label: string): string => {
  const text = requireText(value, field, label);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !isCalendarDay(text))
    throw invalid(field, `${label} must be a date like 2026-03-31`);
  return text;
};

export const requireMonth = (value: unknown, field: string, label: string): string => {
  const text = requireText(value, field, label);
  if (!/^\d{4}-\d{2}$/.test(text) || !isCalendarDay(`${text}-01`))
    throw invalid(field, `${label} must be a month like 2026-05`);
  return text;
};

export const requireInstant = (value: unknown, field: string, label: string): string => {
  const text = requireText(value, field, label);
  const parsed = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(parsed.getTime()))
    throw invalid(field, `${label} must be a date and time like 2026-03-01T09:00:00Z`);
  return parsed.toISOString();
};

export const requireOneOf = <T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  label: string,
): T => {
  if (value === undefined || value === null || value === '')
    throw new DomainError('deal.field.required', `${label} is required`, field);
  if (!allowed.includes(value as T))
    throw invalid(field, `${label} must be one of ${allowed.join(', ')}`);
  return value as T;
};

export const requireWholeNumber = (
  value: unknown,
  field: string,
  label: string,
  min: number,
): number => {
  if (value === undefined || value === null)
    throw new DomainError('deal.field.required', `${label} is required`, field);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw invalid(field, `${label} must be a whole number of at least ${min}`);
  return value;
};

/** Valid Money in the deal's currency, above zero unless `allowZero`. */
export const requireMoneyIn = (
  value: unknown,
  currency: string,
  field: string,
  label: string,
  allowZero = false,
): Money => {
  if (value === undefined || value === null)
    throw new DomainError('deal.field.required', `${label} is required`, field);
  const problem = moneyProblem(value);
  if (problem) throw invalid(field, `${label}: ${problem}`);
  const amount = value as Money;
  if (amount.currency !== currency)
    throw new DomainError(
      'deal.currency_mismatch',
      `${label} is in ${amount.currency} but this deal is in ${currency}`,
      field,
    );
  if (amount.minor < 0 || (!allowZero && amount.minor === 0))
    throw invalid(field, `${label} must be more than zero`);
  return { minor: amount.minor, currency: amount.currency };
};

export const requirePaymentTerm = (value: unknown, field: string): PaymentTerm => {
  if (typeof value !== 'object' || value === null)
    throw new DomainError('deal.field.required', 'Payment term is required', field);
  const term = value as PaymentTerm;
  const method = requireOneOf(term.method, PAYMENT_METHODS, `${field}.method`, 'Payment method');
  const result: PaymentTerm = { method };
  if (term.advancePercent !== undefined) {
    const advance = term.advancePercent;
    if (typeof advance !== 'number' || !(advance >= 0 && advance <= 100))
      throw invalid(`${field}.advancePercent`, 'Advance payment must be between 0 and 100 %');
    result.advancePercent = advance;
  }
  if (term.creditDays !== undefined)
    result.creditDays = requireWholeNumber(
      term.creditDays,
      `${field}.creditDays`,
      'Credit days',
      0,
    );
  return result;
};

export const requireMarginBand = (value: unknown, field: string): MarginBand => {
  const band = value as Partial<MarginBand> | null;
  const isFraction = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= 1;
  if (typeof band !== 'object' || band === null || !isFraction(band.min) || !isFraction(band.max))
    throw invalid(
      field,
      'Target margin needs a min and a max between 0 and 1 (e.g. 0.18 for 18 %)',
    );
  if (band.min > band.max) throw invalid(field, 'Target margin min must not be above its max');
  return { min: band.min, max: band.max };
};
