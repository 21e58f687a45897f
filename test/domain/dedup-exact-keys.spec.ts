import { emailDomain, normalizeEmail } from '../../domain/dedup/email';
import { exactDedupKeys } from '../../domain/dedup/exact-keys';
import { isFreeMailDomain } from '../../domain/dedup/free-mail';
import { normalizeDomain } from '../../domain/dedup/web-domain';

describe('dedup: emails', () => {
  it('trims and lower-cases the whole address, keeping dots and plus tags', () => {
    expect(normalizeEmail('  Jane.Doe+Quotes@Gulf-Valve.AE ')).toBe(
      'jane.doe+quotes@gulf-valve.ae',
    );
    expect(normalizeEmail('mailto:<SALES@acme.com>')).toBe('sales@acme.com');
    expect(normalizeEmail('j.smith@acme.com')).not.toBe(normalizeEmail('jsmith@acme.com'));
  });

  it('writes an international domain in punycode and refuses what is not an address', () => {
    expect(normalizeEmail('Info@Müller.de')).toBe('info@xn--mller-kva.de');
    for (const bad of [
      '',
      'no-at-sign',
      '@acme.com',
      'a@b@acme.com',
      'a b@acme.com',
      'x@localhost',
    ]) {
      expect(normalizeEmail(bad)).toBeUndefined();
    }
  });

  it('gives the domain of an address', () => {
    expect(emailDomain('Buyer@Sub.Acme.co.uk')).toBe('sub.acme.co.uk');
    expect(emailDomain('nonsense')).toBeUndefined();
  });
});

describe('dedup: web domains', () => {
  it.each([
    ['https://www.Acme.com:8443/en/contact?x=1#top', 'acme.com'],
    ['http://acme.com/', 'acme.com'],
    ['WWW.ACME.COM', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['www.acme.co.uk/about', 'acme.co.uk'],
    ['shop.acme.de', 'shop.acme.de'],
    ['müller.de', 'xn--mller-kva.de'],
    ['https://user:secret@acme.com', 'acme.com'],
  ])('%s → %s', (input, domain) => {
    expect(normalizeDomain(input)).toBe(domain);
  });

  it('refuses what is not a domain name', () => {
    for (const bad of ['', '  ', 'acme', 'http://192.168.1.10/', 'acme .com', '[::1]', 'a_b.com']) {
      expect(normalizeDomain(bad)).toBeUndefined();
    }
    expect(normalizeDomain(undefined)).toBeUndefined();
    expect(normalizeDomain('www.com')).toBe('www.com');
  });
});

describe('dedup: free mail', () => {
  it.each([
    'gmail.com',
    'googlemail.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'yahoo.com',
    'icloud.com',
    'qq.com',
    'foxmail.com',
    '163.com',
    '126.com',
    'yeah.net',
    'sina.com',
    'sohu.com',
    'aliyun.com',
    '139.com',
    'vip.163.com',
    'gmx.de',
    'web.de',
    'mail.ru',
    'yandex.ru',
    'naver.com',
    'proton.me',
  ])('%s is free mail', (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
    expect(isFreeMailDomain(domain.toUpperCase())).toBe(true);
  });

  it('a company domain is not, nor is one that only sits under a listed public suffix', () => {
    for (const domain of [
      'acme.com',
      'gulf-valve.ae',
      'siemens.de',
      'acme.com.ar',
      'acme.net.ua',
    ]) {
      expect(isFreeMailDomain(domain)).toBe(false);
    }
  });

  it('takes more domains from the policy', () => {
    expect(isFreeMailDomain('mail.local-isp.example')).toBe(false);
    expect(isFreeMailDomain('mail.local-isp.example', ['Mail.Local-ISP.example'])).toBe(true);
  });
});

describe('dedup: exact keys', () => {
  it('keys an inquiry by its email and by its web domain', () => {
    expect(
      exactDedupKeys({ email: 'Ahmed@Gulf-Valve.ae', website: 'https://www.gulf-valve.ae/' }),
    ).toEqual({ email: 'ahmed@gulf-valve.ae', domain: 'gulf-valve.ae' });
  });

  it('takes the domain from the email when there is no website, unless it is free mail', () => {
    expect(exactDedupKeys({ email: 'ahmed@gulf-valve.ae' })).toEqual({
      email: 'ahmed@gulf-valve.ae',
      domain: 'gulf-valve.ae',
    });
    expect(exactDedupKeys({ email: 'li.wei@163.com' })).toEqual({ email: 'li.wei@163.com' });
  });

  it('prefers the declared website over the email domain', () => {
    expect(exactDedupKeys({ email: 'a@acme-group.de', website: 'acme.com' }).domain).toBe(
      'acme.com',
    );
  });

  it('falls back to the email domain when the website is free mail, social or a marketplace', () => {
    for (const website of ['gmail.com', 'https://www.facebook.com/acme', 'alibaba.com/shop/acme']) {
      expect(exactDedupKeys({ email: 'x@acme.com', website }).domain).toBe('acme.com');
    }
    expect(exactDedupKeys({ email: 'x@qq.com', website: 'linkedin.com/company/acme' })).toEqual({
      email: 'x@qq.com',
    });
  });

  it('uses the policy list too', () => {
    expect(
      exactDedupKeys(
        { email: 'a@mail.local-isp.example' },
        { extraFreeMailDomains: ['mail.local-isp.example'] },
      ),
    ).toEqual({ email: 'a@mail.local-isp.example' });
  });

  it('gives nothing for nothing', () => {
    expect(exactDedupKeys({})).toEqual({});
    expect(exactDedupKeys({ email: 'not an email', website: 'not a site' })).toEqual({});
  });

  it('two different companies whose buyers both use gmail share no key, so they are not merged', () => {
    const anna = exactDedupKeys({ email: 'anna.berg@gmail.com' });
    const omar = exactDedupKeys({ email: 'omar.haddad@gmail.com' });
    expect(anna).toEqual({ email: 'anna.berg@gmail.com' });
    expect(omar).toEqual({ email: 'omar.haddad@gmail.com' });
    expect(anna.domain ?? omar.domain).toBeUndefined();
    expect(anna.email).not.toBe(omar.email);
  });
});
