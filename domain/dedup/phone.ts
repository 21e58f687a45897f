import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 (`+49301234567`), or undefined when the number is not a valid one. National formats are
 * read in `defaultCountry` (ISO 3166 alpha-2, e.g. the inquiry's country); an extension is dropped,
 * so a switchboard and its extensions compare equal.
 */
export const normalizePhone = (
  raw: string | undefined,
  defaultCountry?: string,
): string | undefined => {
  if (!raw?.trim()) return undefined;
  const country = defaultCountry?.trim().toUpperCase();
  const region = country && isSupportedCountry(country) ? (country as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(raw, region ? { defaultCountry: region } : {});
  return parsed?.isValid() ? parsed.number : undefined;
};
