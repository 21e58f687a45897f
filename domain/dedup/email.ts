import { asciiHost } from './web-domain';

/**
 * Trimmed, lower-cased as a whole; the domain in punycode. Dots and `+tags` are kept: dropping them
 * is right for Gmail only, and on a company's own server `j.smith` and `jsmith` can be two people.
 */
export const normalizeEmail = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const text = raw
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .trim();
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return undefined;
  const local = text.slice(0, at).normalize('NFC').toLowerCase();
  const domain = asciiHost(text.slice(at + 1));
  if (!domain || /[\s<>(),;:"[\]\\]/.test(local)) return undefined;
  return `${local}@${domain}`;
};

/** The domain of an email address, normalized as in {@link normalizeEmail}. */
export const emailDomain = (raw: string | undefined): string | undefined =>
  normalizeEmail(raw)?.split('@')[1];
