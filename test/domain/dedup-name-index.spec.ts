import { CompanyNameIndex } from '../../domain/dedup/company-name-index';

const THRESHOLD = 0.85;

const seeded = (): CompanyNameIndex => {
  const index = new CompanyNameIndex();
  index.add('acc-mueller', 'Müller GmbH');
  index.add('acc-acme', 'ACME Co., Ltd.');
  index.add('acc-guangming', '深圳市光明照明有限公司');
  index.add('acc-guangming', 'Shenzhen Guangming Lighting Co., Ltd.');
  index.add('acc-global', 'Global Logistics Ltd');
  index.add('acc-socgen', 'Société Générale');
  return index;
};

describe('dedup: company name index', () => {
  it('finds Müller GmbH for Mueller GmbH, with its evidence and score', () => {
    const result = seeded().match('Mueller GmbH', THRESHOLD);
    expect(result.matches).toEqual([
      {
        id: 'acc-mueller',
        score: 1,
        evidence: {
          normalized: { query: 'mueller', match: 'mueller' },
          sharedTokens: ['mueller'],
          sharedTrigrams: 7,
        },
      },
    ]);
    expect(result.compared).toBeGreaterThan(0);
    expect(result.compared).toBeLessThanOrEqual(seeded().size + 1);
  });

  it('finds ACME Co., Ltd. for Acme Company Limited and nothing for another company', () => {
    const index = seeded();
    expect(index.match('Acme Company Limited', THRESHOLD).matches.map((m) => m.id)).toEqual([
      'acc-acme',
    ]);
    expect(index.match('Global Trading Ltd', THRESHOLD).matches).toEqual([]);
  });

  it('matches any of an id’s names and reports the best once', () => {
    const index = seeded();
    const chinese = index.match('深圳市光明照明', THRESHOLD);
    expect(chinese.matches).toMatchObject([{ id: 'acc-guangming', score: 1 }]);
    const english = index.match('Shenzhen Guangming Lighting', THRESHOLD);
    expect(english.matches).toMatchObject([{ id: 'acc-guangming', score: 1 }]);
  });

  it('orders matches best first and leaves out those below the threshold', () => {
    const index = new CompanyNameIndex();
    index.add('a', 'Gulf Valve Trading LLC');
    index.add('b', 'Gulf Valves Trading');
    index.add('c', 'Gulf Steel Trading');
    const { matches } = index.match('Gulf Valve Trading', THRESHOLD);
    expect(matches.map((m) => m.id)).toEqual(['a', 'b']);
    expect(matches[0].score).toBeGreaterThan(matches[1].score);
    expect(matches[1].evidence.sharedTokens).toEqual(['gulf', 'trading']);
  });

  it('forgets an id on remove, and ignores names with nothing left to compare', () => {
    const index = seeded();
    index.remove('acc-mueller');
    index.add('acc-empty', ' &. ');
    expect(index.match('Müller GmbH', THRESHOLD).matches).toEqual([]);
    expect(index.candidates('').ids).toEqual([]);
    expect(index.size).toBe(4);
  });

  it('gives candidates with the number of comparisons they will cost', () => {
    const { ids, compared, scanned } = seeded().candidates('Muller', { limit: 2 });
    expect(ids[0]).toBe('acc-mueller');
    expect(ids.length).toBeLessThanOrEqual(2);
    expect(compared).toBe(ids.length);
    expect(scanned).toBeGreaterThan(0);
  });
});

/** Deterministic, so a failure can be reproduced. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const syntheticNames = (count: number, next: () => number): string[] => {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const syllables = 'ka ro mi ta ne vo lu si be da fen gor hal jin kor lem nor pax quin rus sol tav'
    .concat(' ur vex wen xan yor zel bri cla dro fla gri plo stra tri')
    .split(' ');
  const trades = 'Trading Lighting Valves Textiles Machinery Electronics Plastics Steel Logistics'
    .concat(' Foods Chemicals Pumps Furniture Ceramics Solar Packaging Tools Cables Motors Glass')
    .split(' ');
  const cities = ['', '', '', 'Shenzhen ', 'Ningbo ', 'Dubai ', 'Berlin ', 'Hamburg ', 'Milano '];
  const forms = ['GmbH', 'Co., Ltd.', 'LLC', 'S.r.l.', 'Sp. z o.o.', 'Pty Ltd', 'S.A.', 'Inc.', ''];
  const word = () => {
    const text = Array.from({ length: 2 + Math.floor(next() * 2) }, () => pick(syllables)).join('');
    return text[0].toUpperCase() + text.slice(1);
  };
  return Array.from({ length: count }, () =>
    `${pick(cities)}${word()}${next() < 0.3 ? ` ${word()}` : ''} ${pick(trades)} ${pick(forms)}`.trim(),
  );
};

describe('dedup: company name index at 100k names', () => {
  it('compares only a few candidates and still finds a misspelt name', () => {
    const next = random(7);
    const names = syntheticNames(100_000, next);
    const index = new CompanyNameIndex();
    names.forEach((name, i) => index.add(`acc-${i}`, name));

    let exact = 0;
    let blocked = 0;
    let mostCompared = 0;
    const queries = 300;
    for (let q = 0; q < queries; q++) {
      const i = Math.floor(next() * names.length);
      const cut = 1 + Math.floor(next() * (names[i].length - 2));
      const misspelt = names[i].slice(0, cut) + names[i].slice(cut + 1);
      const { matches, compared } = index.match(names[i], THRESHOLD);
      const candidates = index.candidates(misspelt);
      mostCompared = Math.max(mostCompared, compared, candidates.compared);
      if (matches.some((match) => match.id === `acc-${i}` && match.score === 1)) exact++;
      if (candidates.ids.includes(`acc-${i}`)) blocked++;
    }
    expect(mostCompared).toBeLessThanOrEqual(50);
    expect(exact).toBe(queries);
    expect(blocked / queries).toBeGreaterThan(0.97);
  });
});
