import { normalizePhone } from '../../domain/dedup/phone';

describe('dedup: phones', () => {
  it('reads one German number in its different national and international formats', () => {
    const e164 = '+49301234567';
    expect(normalizePhone('+49 30 1234567', 'DE')).toBe(e164);
    expect(normalizePhone('030 1234567', 'DE')).toBe(e164);
    expect(normalizePhone('0049 30 1234567', 'DE')).toBe(e164);
    expect(normalizePhone('(030) 123 45 67', 'de')).toBe(e164);
    expect(normalizePhone('+49 (0)30 1234567', 'CN')).toBe(e164);
  });

  it('reads a Chinese mobile with and without +86', () => {
    expect(normalizePhone('+86 138 0013 8000', 'CN')).toBe('+8613800138000');
    expect(normalizePhone('13800138000', 'CN')).toBe('+8613800138000');
    expect(normalizePhone('0086 138-0013-8000', 'DE')).toBe('+8613800138000');
  });

  it('drops an extension, so a switchboard matches its extensions', () => {
    expect(normalizePhone('+49 30 1234567 ext. 12', 'DE')).toBe('+49301234567');
  });

  it('needs a country for a national format, and refuses what is not a valid number', () => {
    expect(normalizePhone('030 1234567')).toBeUndefined();
    expect(normalizePhone('030 1234567', 'XX')).toBeUndefined();
    expect(normalizePhone('+49 30 1234567', 'XX')).toBe('+49301234567');
    for (const bad of [undefined, '', '   ', '12', 'call me', '+49 0000']) {
      expect(normalizePhone(bad, 'DE')).toBeUndefined();
    }
  });
});
