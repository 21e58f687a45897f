/**
 * The ASCII (punycode) host of a URL or bare domain, lower-case, without a trailing dot; undefined
 * for anything that is not a registered-looking domain name (no dot, an IP address, junk).
 */
export const asciiHost = (raw: string): string | undefined => {
  const text = raw.trim();
  if (!text || /\s/.test(text)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return undefined;
  }
  host = host.replace(/\.$/, '');
  const labels = host.split('.');
  const wellFormed = labels.every((label) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label));
  const tld = labels[labels.length - 1];
  return labels.length >= 2 && wellFormed && !/^\d+$/.test(tld) ? host : undefined;
};

/**
 * A company's web domain from what a buyer typed as website: a URL with scheme, path or port, or a
 * bare domain. Only `www.` is dropped: reducing `shop.acme.de` to `acme.de` needs the public suffix
 * list, and a wrong cut would merge companies (`acme.co.uk` is not `co.uk`).
 */
export const normalizeDomain = (raw: string | undefined): string | undefined => {
  const host = raw === undefined ? undefined : asciiHost(raw);
  return host?.startsWith('www.') && host.split('.').length > 2 ? host.slice(4) : host;
};
