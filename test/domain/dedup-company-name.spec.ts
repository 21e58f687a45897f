import { normalizeCompanyName } from '../../domain/dedup/company-name';
import { companyNameSimilarity, dice, jaroWinkler, trigrams } from '../../domain/dedup/similarity';

const THRESHOLD = 0.85; // as in config/policies/dedup.default.json
const core = (name: string) => normalizeCompanyName(name).core;
const similarity = (a: string, b: string) =>
  companyNameSimilarity(normalizeCompanyName(a), normalizeCompanyName(b));

describe('dedup: company name normalization', () => {
  it('Müller GmbH and Mueller GmbH are the same name', () => {
    expect(normalizeCompanyName('Müller GmbH')).toEqual({
      core: 'mueller',
      tokens: ['mueller'],
      legalForms: ['gmbh'],
      plainCore: 'muller',
    });
    expect(core('Mueller GmbH')).toBe('mueller');
    expect(similarity('Müller GmbH', 'Mueller GmbH')).toBe(1);
    expect(core('Straße Bau GmbH')).toBe('strasse bau');
  });

  it('"ACME Co., Ltd." and "Acme Company Limited" are the same name', () => {
    expect(normalizeCompanyName('ACME Co., Ltd.')).toMatchObject({
      core: 'acme',
      legalForms: ['co', 'ltd'],
    });
    expect(normalizeCompanyName('Acme Company Limited')).toMatchObject({
      core: 'acme',
      legalForms: ['company', 'limited'],
    });
  });

  it('folds accents and case', () => {
    expect(core('Société Générale')).toBe('societe generale');
    expect(core('SOCIETE GENERALE S.A.')).toBe('societe generale');
    expect(core('Łódź Stal')).toBe('lodz stal');
    expect(core('Ørsted A/S')).toBe('orsted');
    expect(core('İstanbul Kimya A.Ş.')).toBe('istanbul kimya');
    expect(core('Ａｃｍｅ　Ｔｒａｄｉｎｇ')).toBe('acme trading');
  });

  it.each([
    ['Kowalski Sp. z o.o.', 'kowalski', ['sp zoo']],
    ['KOWALSKI SP Z OO', 'kowalski', ['sp z oo']],
    ['Rossi S.r.l.', 'rossi', ['srl']],
    ['Bianchi S.p.A.', 'bianchi', ['spa']],
    ['Bluegum Pty Ltd', 'bluegum', ['pty', 'ltd']],
    ['Bluegum Pty. Limited', 'bluegum', ['pty', 'limited']],
    ['Hans Schmidt GmbH & Co. KG', 'hans schmidt', ['gmbh', 'co', 'kg']],
    ['Smith & Co.', 'smith', ['co']],
    ['Pérez y Cía.', 'perez', ['cia']],
    ['Dupont SARL', 'dupont', ['sarl']],
    ['Van Dijk B.V.', 'van dijk', ['bv']],
    ['Grupo Bimbo, S.A.B. de C.V.', 'grupo bimbo', ['sab de cv']],
    ['Tata Motors Pvt. Ltd.', 'tata motors', ['pvt', 'ltd']],
    ['Romashka OOO', 'romashka', ['ooo']],
    ['OOO Romashka', 'romashka', ['ooo']],
    ['PT Maju Jaya Tbk', 'maju jaya', ['pt', 'tbk']],
    ['Công ty TNHH Minh Long', 'minh long', ['cong ty tnhh']],
    ['The Acme Corporation', 'acme', ['the', 'corporation']],
    ['Yamato Kabushiki Kaisha', 'yamato', ['kabushiki kaisha']],
  ])('%s → %s', (name, expected, legalForms) => {
    expect(normalizeCompanyName(name)).toMatchObject({ core: expected, legalForms });
  });

  it('removes legal forms only at the ends and never the whole name', () => {
    expect(core('Co-Op Trading Ltd')).toBe('co op trading');
    expect(core('Limited Editions Ltd')).toBe('limited editions');
    expect(core('Company')).toBe('company');
    expect(core('A.B.C. Imports')).toBe(core('ABC Imports Ltd'));
    expect(core('  ')).toBe('');
  });

  it('cuts Chinese, Japanese and Korean forms without a space before them', () => {
    expect(normalizeCompanyName('深圳市光明照明有限公司')).toMatchObject({
      core: '深圳市光明照明',
      legalForms: ['有限公司'],
    });
    expect(core('深圳市光明照明股份有限公司')).toBe('深圳市光明照明');
    expect(core('光明照明（深圳）有限公司')).toBe('光明照明 深圳');
    expect(core('東京電力株式会社')).toBe(core('株式会社東京電力'));
    expect(core('삼성전자 주식회사')).toBe('삼성전자');
    expect(core('有限公司')).toBe('有限公司');
  });

  it('keeps 集团 and "group": a group is not its member company', () => {
    expect(core('光明集团有限公司')).toBe('光明集团');
    expect(core('ACME Group Ltd')).toBe('acme group');
    expect(similarity('光明集团', '光明照明有限公司')).toBeLessThan(THRESHOLD);
    expect(similarity('ACME Group', 'ACME Ltd')).toBeLessThan(THRESHOLD);
  });
});

describe('dedup: company name similarity', () => {
  it('Jaro–Winkler and Dice give the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('abc', '')).toBe(0);
    expect(dice(trigrams('acme'), trigrams('acme'))).toBe(1);
    expect([...trigrams('ab')]).toEqual([' ab', 'ab ']);
  });

  it.each([
    ['Müller GmbH', 'Mueller GmbH'],
    ['Müller GmbH', 'Muller GmbH'],
    ['ACME Co., Ltd.', 'Acme Company Limited'],
    ['Société Générale', 'Societe Generale'],
    ['深圳市光明照明有限公司', '深圳市光明照明'],
    ['Kowalski Sp. z o.o.', 'Kowalski'],
    ['Rossi S.r.l.', 'ROSSI SRL'],
    ['Bluegum Pty Ltd', 'Bluegum'],
    ['Shenzhen Guangming Lighting Co., Ltd.', 'Shenzhen Guang Ming Lighting Co Ltd'],
  ])('%s and %s score 1', (a, b) => {
    expect(similarity(a, b)).toBe(1);
  });

  it.each([
    ['Acme Trading LLC', 'Acme Tradng LLC'],
    ['Gulf Valve Trading', 'Gulf Valves Trading'],
    ['Generale Societe', 'Societe Generale'],
    ['Berlin Pumpen GmbH', 'Berliner Pumpen GmbH'],
    ['Shenzhen Bright Lighting Technology', 'Shenzhen Brite Lighting Technology'],
  ])('%s and %s are similar enough to review', (a, b) => {
    const score = similarity(a, b);
    expect(score).toBeGreaterThanOrEqual(THRESHOLD);
    expect(score).toBeLessThan(1);
  });

  it.each([
    ['Global Trading Ltd', 'Global Logistics Ltd'],
    ['Shenzhen ABC Lighting', 'Shenzhen XYZ Lighting'],
    ['Orient Star Textiles', 'Orient Sun Textiles'],
    ['Ningbo Ocean Import & Export', 'Ningbo Orient Import & Export'],
    ['China National Machinery', 'China National Chemical'],
    ['Alpha Industries', 'Beta Industries'],
    ['Nova Tech', 'Nova Steel'],
    ['Meyer', 'Meier'],
    ['深圳市光明照明有限公司', '广州市光明照明有限公司'],
  ])('%s and %s are different companies', (a, b) => {
    expect(similarity(a, b)).toBeLessThan(THRESHOLD);
  });

  it('a name without its Chinese city still reaches review, below an exact match', () => {
    expect(similarity('深圳市光明照明有限公司', '光明照明有限公司')).toBe(0.95);
    expect(similarity('广东省光明照明', '光明照明')).toBe(0.95);
    expect(similarity('深圳市光明照明', '深圳市光明电子')).toBeLessThan(THRESHOLD);
  });

  it('is symmetric and stays within 0..1', () => {
    const pairs = [
      ['Acme', 'Apex'],
      ['Hans Müller Maschinenbau', 'Mueller Hans'],
      ['深圳市光明照明', '光明'],
      ['x', 'Acme International Trading Company'],
    ];
    for (const [a, b] of pairs) {
      const score = similarity(a, b);
      expect(score).toBe(similarity(b, a));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});
