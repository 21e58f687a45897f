import providerDomains from 'email-providers/all.json';

/**
 * Mail providers that many unrelated people share. Their domains say nothing about the company,
 * so they never make a domain key. The package list is the maintained base; these are providers
 * common among our buyers that it lacks (checked against email-providers 2.26.0).
 */
const SUPPLEMENT = [
  '139.com',
  '189.cn',
  '263.net',
  'sohu.com',
  'vip.126.com',
  'vip.163.com',
  'vip.188.com',
  'vip.sohu.com',
  'wo.cn',
  'msn.cn',
  'hotmail.com.tw',
  'kakao.com',
  'fastmail.com',
  'tutanota.com',
  'tutanota.de',
  'tuta.com',
  'tuta.io',
  'zohomail.com',
  'op.pl',
  'azet.sk',
  'ziggo.nl',
  'online.no',
];

/**
 * Hosts where many companies keep a page (social networks, B2B marketplaces). A website there is
 * not the company's own domain, e.g. facebook.com/acme.
 */
const SHARED_HOSTS = [
  'facebook.com',
  'fb.com',
  'instagram.com',
  'linkedin.com',
  'twitter.com',
  'x.com',
  'youtube.com',
  'wa.me',
  'whatsapp.com',
  't.me',
  'linktr.ee',
  'alibaba.com',
  '1688.com',
  'aliexpress.com',
  'made-in-china.com',
  'globalsources.com',
  'indiamart.com',
  'tradeindia.com',
  'ec21.com',
  'tradekey.com',
];

const FREE_MAIL = new Set<string>([...providerDomains, ...SUPPLEMENT].map((d) => d.toLowerCase()));
const SHARED = new Set<string>(SHARED_HOSTS);

/**
 * Exact host match only: the package also lists public suffixes such as `com.ar`, so matching
 * parent domains would turn every company under them into free mail.
 */
export const isFreeMailDomain = (domain: string, extra: Iterable<string> = []): boolean => {
  const host = domain.trim().toLowerCase();
  if (FREE_MAIL.has(host)) return true;
  for (const more of extra) if (more.trim().toLowerCase() === host) return true;
  return false;
};

export const isSharedHost = (domain: string): boolean => SHARED.has(domain.trim().toLowerCase());
