import { emailDomain, normalizeEmail } from './email';
import { isFreeMailDomain, isSharedHost } from './free-mail';
import { normalizeDomain } from './web-domain';

/** What an inquiry or account tells about itself that can identify it exactly. */
export interface ExactKeySource {
  email?: string;
  website?: string;
}

/** Keys that attach a new inquiry to an existing record without review. */
export interface ExactDedupKeys {
  email?: string;
  domain?: string;
}

export interface ExactKeyOptions {
  /** More free-mail domains from the dedup policy, on top of the maintained list. */
  extraFreeMailDomains?: readonly string[];
}

/**
 * The website wins over the email's domain because it is what the company declares; either is
 * skipped when anyone can have an address or a page there (free mail, social and marketplace hosts).
 */
export const exactDedupKeys = (
  source: ExactKeySource,
  options: ExactKeyOptions = {},
): ExactDedupKeys => {
  const extra = options.extraFreeMailDomains ?? [];
  const usable = (domain: string | undefined): string | undefined =>
    domain && !isFreeMailDomain(domain, extra) && !isSharedHost(domain) ? domain : undefined;
  const email = normalizeEmail(source.email);
  const domain = usable(normalizeDomain(source.website)) ?? usable(emailDomain(email));
  return {
    ...(email ? { email } : {}),
    ...(domain ? { domain } : {}),
  };
};
