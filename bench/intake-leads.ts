/**
 * Trade-show lead lists as exhibitors export them from their badge scanners and sign-up sheets:
 * CSV with Company, Name, Email, Phone, Country, Website, Message and Show, one distinct buyer a
 * row, from many countries, numbers typed in national or international style, notes with commas,
 * quotes and line breaks. Seeded, so every run posts the same bytes.
 */
import { slug } from '../src/cli/history/countries';
import { Random } from '../src/cli/history/random';
import { BenchCompany, BenchCountry, companies, domains, mobile } from './intake-world';

export const HEADER = [
  'Company',
  'Name',
  'Email',
  'Phone',
  'Country',
  'Website',
  'Message',
  'Show',
];

const SHOWS = [
  'Canton Fair 2025 (autumn)',
  'Canton Fair 2026 (spring)',
  'The Big 5 Dubai 2025',
  'Middle East Energy 2026',
  'Intersolar Europe 2026',
  'Light + Building 2026',
  'Valve World Expo 2026',
  'Hannover Messe 2026',
  'ISH Frankfurt 2025',
  'Automechanika Dubai 2025',
  'FENASAN São Paulo 2025',
  'Expo Eléctrica Internacional 2026',
  'Africa Energy Forum 2026',
  'Power & Energy Africa 2025',
  'Vietnam ETE 2026',
  'InterLight Moscow 2025',
];

const PRODUCTS = [
  { item: 'DN50 ball valves', unit: 'pcs', min: 200, max: 5000 },
  { item: 'stainless steel gate valves PN16', unit: 'pcs', min: 100, max: 2000 },
  { item: 'butterfly valves DN100–DN300', unit: 'pcs', min: 50, max: 1500 },
  { item: 'brass fittings 1/2"', unit: 'pcs', min: 1000, max: 50000 },
  { item: 'centrifugal pumps 7.5 kW', unit: 'sets', min: 5, max: 200 },
  { item: 'submersible borehole pumps', unit: 'sets', min: 10, max: 500 },
  { item: 'solar panels 550 W mono', unit: 'pcs', min: 100, max: 20000 },
  { item: 'hybrid inverters 10 kW', unit: 'sets', min: 10, max: 800 },
  { item: 'LiFePO4 batteries 5 kWh', unit: 'sets', min: 10, max: 600 },
  { item: 'LED high bay lights 150 W', unit: 'pcs', min: 100, max: 8000 },
  { item: 'LED street lights 100 W', unit: 'pcs', min: 50, max: 5000 },
  { item: 'LED panel lights 600x600', unit: 'pcs', min: 200, max: 10000 },
  { item: 'PPR pipes and fittings', unit: 'containers', min: 1, max: 12 },
  { item: 'copper cables 4 mm²', unit: 'km', min: 5, max: 300 },
];

const PORTS = ['Jebel Ali', 'Hamburg', 'Rotterdam', 'Santos', 'Lagos', 'Mombasa', 'Manzanillo'];

const FREE_MAIL: Record<string, string[]> = {
  default: ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com'],
  DE: ['web.de', 'gmx.de', 't-online.de'],
  RU: ['mail.ru', 'yandex.ru'],
  BR: ['uol.com.br', 'bol.com.br'],
  IN: ['rediffmail.com'],
  JP: ['yahoo.co.jp'],
  KR: ['naver.com'],
  HK: ['qq.com', '163.com'],
  FR: ['orange.fr', 'free.fr'],
};

const FAMILY_FIRST = new Set(['VN', 'KR', 'HK']);

const quantity = (random: Random, min: number, max: number) => {
  const raw = min + (max - min) * random.next() ** 2;
  const step = max >= 1000 ? 100 : max >= 100 ? 10 : 1;
  return (Math.max(1, Math.round(raw / step)) * step).toLocaleString('en-US');
};

/** The note taken at the booth, in the visitor's language when the exhibitor wrote it down so. */
function note(random: Random, country: BenchCountry, person: string, company: string): string {
  const p = random.pick(PRODUCTS);
  const qty = quantity(random, p.min, p.max);
  const incoterm = random.pick(['FOB Ningbo', 'FOB Shanghai', 'CIF', 'CFR', 'EXW', 'DDP']);
  const port = random.pick(PORTS);
  const terms = incoterm === 'CIF' || incoterm === 'CFR' ? `${incoterm} ${port}` : incoterm;
  const extra = random.pick([
    '',
    '',
    ' Wants samples first.',
    ' Asked for catalogue and price list.',
    ' Needs CE + ISO9001 certificates.',
    ' Distributor, has 3 branches.',
    ' Follow up after the show!',
    ` Project tender closes in ${random.int(2, 8)} weeks.`,
  ]);
  const quoted = random.chance(0.08)
    ? ` Said "price is the key", compare with current supplier.`
    : '';
  const secondLine = random.chance(0.1)
    ? `\nBooth visit ${random.int(1, 5)} of ${random.int(5, 6)}`
    : '';
  switch (random.chance(0.5) ? country.language : 'en') {
    case 'de':
      return `Interesse an ${p.item}, ca. ${qty} ${p.unit}, Lieferung ${terms}. Bitte Angebot an ${person}.${extra}${secondLine}`;
    case 'fr':
      return `Intéressé par ${p.item}, environ ${qty} ${p.unit}, livraison ${terms}. Envoyer offre et délai.${extra}${secondLine}`;
    case 'es':
      return `Solicita cotización de ${p.item}, aprox. ${qty} ${p.unit}, entrega ${terms}. Quedo atento.${extra}${secondLine}`;
    case 'pt':
      return `Cotação para ${p.item}, cerca de ${qty} ${p.unit}, entrega ${terms}. Prazo de entrega?${extra}${secondLine}`;
    case 'tr':
      return `${p.item} için ${qty} ${p.unit} fiyat teklifi, ${terms}.${extra}${secondLine}`;
    case 'it':
      return `Richiesta offerta per ${p.item}, circa ${qty} ${p.unit}, resa ${terms}.${extra}${secondLine}`;
    default:
      return random.pick([
        `Met ${person} of ${company} at the booth. Interested in ${p.item}, about ${qty} ${p.unit}, ${terms}.${extra}${quoted}${secondLine}`,
        `Needs ${qty} ${p.unit} ${p.item} for an upcoming project; price ${terms}, lead time, MOQ.${extra}${quoted}${secondLine}`,
        `Card scanned. ${p.item}: ${qty} ${p.unit}. ${terms}.${extra}${secondLine}`,
      ]);
  }
}

const cell = (value: string): string =>
  /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export const csvLine = (cells: readonly string[]): string => cells.map(cell).join(',');

/** An endless supply of distinct lead rows (cells in {@link HEADER} order). */
export function leadRows(seed: string): () => string[] {
  const random = new Random(seed);
  const nextCompany = companies(random);
  const claimDomain = domains();
  return () => {
    const company: BenchCompany = nextCompany();
    const { country } = company;
    const first = random.pick(country.first);
    const last = random.pick(country.last);
    const name = FAMILY_FIRST.has(country.code) ? `${last} ${first}` : `${first} ${last}`;
    const domain = claimDomain(company.stem, country, random);
    const freeMail = random.chance(0.2);
    const local = slug(
      random.pick([`${first}.${last}`, `${first}.${last}`, first, `${first[0]}${last}`]),
    ).replace(/-/g, random.chance(0.5) ? '' : '.');
    const email = freeMail
      ? `${local}${random.int(1, 999)}@${random.pick(FREE_MAIL[country.code] ?? FREE_MAIL.default)}`
      : `${local || 'info'}@${domain}`;
    const phone = random.chance(0.75) ? (mobile(random, country) ?? '') : '';
    const withEmail = !phone || random.chance(0.95);
    const website =
      freeMail && random.chance(0.7)
        ? ''
        : random.pick([
            domain,
            domain,
            `www.${domain}`,
            `https://www.${domain}/`,
            `http://${domain}/en/`,
          ]);
    return [
      company.name,
      name,
      withEmail ? email : '',
      phone,
      random.chance(0.1) ? country.code.toLowerCase() : country.code,
      website,
      note(random, country, name, company.name),
      random.pick(SHOWS),
    ];
  };
}

/** A CSV file of the given rows, header first, as a spreadsheet would save it. */
export const csvFile = (rows: readonly string[][]): string =>
  [csvLine(HEADER), ...rows.map(csvLine)].join('\r\n') + '\r\n';
