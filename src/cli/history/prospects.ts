import { ContactRole, CustomerType, Grade } from '../../../domain/account/account.commands';
import { AttachmentMeta, Inquirer } from '../../../domain/lead/lead.commands';
import { InquiryChannel } from '../../../domain/shared/channels';
import { Incoterm } from '../../../domain/shared/trade-terms';
import { Product, ProductLine, PRODUCTS } from './catalogue';
import { Country, phoneFor, pickCountry, slug } from './countries';
import { Random, sha256Hex } from './random';

export interface Person {
  name: string;
  email?: string;
  phone?: string;
  title: string;
  role: ContactRole;
}

/** A buyer company and the person who writes in. */
export interface Prospect {
  country: Country;
  company: string;
  domain: string;
  customerType: CustomerType;
  grade: Grade;
  line: ProductLine;
  product: Product;
  quantity: number;
  incoterm: Incoterm;
  port: string;
  person: Person;
  /** The person writes from a free-mail address: no domain to match. */
  freeMail: boolean;
}

const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com'];

const TITLES: Record<ContactRole, string[]> = {
  purchasing: ['Purchasing Manager', 'Procurement Officer', 'Senior Buyer', 'Sourcing Manager'],
  engineering: ['Project Engineer', 'Technical Manager', 'Design Engineer'],
  quality: ['QA/QC Manager', 'Quality Engineer'],
  finance: ['Finance Manager', 'Accounts Payable'],
  owner: ['Managing Director', 'General Manager', 'Owner'],
};

export const roundTo = (value: number, step: number): number =>
  Math.max(step, Math.round(value / step) * step);

export function makePerson(
  random: Random,
  country: Country,
  domain: string,
  role: ContactRole,
  freeMail: boolean,
): Person {
  const first = random.pick(country.firstNames);
  const last = random.pick(country.lastNames);
  const name = country.familyNameFirst ? `${last} ${first}` : `${first} ${last}`;
  const local = slug(
    random.weighted([
      [`${first}.${last}`, 5],
      [first, 2],
      [`${first[0]}${last}`, 2],
    ]),
  ).replace(/-/g, '');
  const email = freeMail
    ? `${local}${random.int(1, 99)}@${random.pick(FREE_MAIL)}`
    : `${local}@${domain}`;
  return {
    name,
    email: random.chance(0.95) ? email : undefined,
    phone: random.chance(0.75) ? phoneFor(country, random) : undefined,
    title: random.pick(TITLES[role]),
    role,
  };
}

export function makeProspect(
  random: Random,
  claimDomain: (candidate: string) => string,
  options: { country?: Country; line?: ProductLine; freeMailChance?: number } = {},
): Prospect {
  const country = options.country ?? pickCountry(random);
  const product = options.line
    ? random.pick(PRODUCTS.filter((candidate) => candidate.line === options.line))
    : random.pick(PRODUCTS);
  const line = product.line;
  const prefix = random.pick(country.companyPrefixes);
  const trade = random.pick(country.companyTrades[line]);
  const company = `${prefix} ${trade} ${random.pick(country.legalSuffixes)}`;
  const domain = claimDomain(
    `${slug(`${prefix} ${trade}`).replace(/-/g, '')}.${random.pick(country.tlds)}`,
  );
  const customerType = random.weighted<CustomerType>([
    ['distributor', 5],
    ['trader', 3],
    ['manufacturer', 2],
  ]);
  const freeMail = random.chance(options.freeMailChance ?? 0.2);
  const [min, max] = product.quantity;
  // Most buyers ask for modest volumes; a few ask for a lot.
  const quantity = roundTo(min + (max - min) * random.next() ** 2, product.step);
  return {
    country,
    company,
    domain,
    customerType,
    grade: random.weighted<Grade>([
      ['A', 2],
      ['B', 5],
      ['C', 3],
    ]),
    line,
    product,
    quantity,
    incoterm: random.pick(country.incoterms),
    port: random.pick(country.ports),
    person: makePerson(
      random,
      country,
      domain,
      random.weighted<ContactRole>([
        ['purchasing', 6],
        ['owner', 2],
        ['engineering', 2],
      ]),
      freeMail,
    ),
    freeMail,
  };
}

export interface InquiryContent {
  sourceRef?: string;
  inquirer: Inquirer;
  attachments: AttachmentMeta[];
}

const formatQuantity = (quantity: number): string => quantity.toLocaleString('en-US');

/** The customer's own words, in their language when they wrote in it. */
function message(random: Random, p: Prospect, channel: InquiryChannel, show?: string): string {
  const qty = formatQuantity(p.quantity);
  const { unit, short, description } = p.product;
  const where = `${p.incoterm} ${p.port}`;
  const language = p.country.language.slice(0, 2);
  if (channel !== 'trade_show' && random.chance(0.5)) {
    if (language === 'de')
      return `Sehr geehrte Damen und Herren, bitte bieten Sie uns ${qty} ${unit === 'pcs' ? 'Stück' : 'Sätze'} ${description} an, Lieferung ${where}. Mit freundlichen Grüßen`;
    if (language === 'pt')
      return `Olá, gostaria de uma cotação para ${qty} unidades de ${short}, entrega ${where}. Prazo de entrega? Obrigado.`;
    if (language === 'es')
      return `Buen día, solicito cotización de ${qty} piezas de ${short}, entrega ${where}. Quedo atento, saludos.`;
    if (language === 'fr')
      return `Bonjour, merci de nous faire une offre pour ${qty} pièces de ${short}, livraison ${where}. Cordialement.`;
    if (language === 'tr')
      return `Merhaba, ${qty} adet ${short} için ${where} fiyat teklifi rica ederiz.`;
  }
  const cert = random.chance(0.4)
    ? ` We need ${random.pick(p.country.certifications.filter((c) => c !== 'other').concat('ISO9001'))} certificates.`
    : '';
  switch (channel) {
    case 'website_form':
      return `Product: ${description}\nQuantity: ${qty} ${unit}\nDestination: ${p.port}, ${p.country.name}\nMessage: Please send your best price ${where} and the delivery time.${cert}`;
    case 'alibaba':
    case 'made_in_china':
      return random.pick([
        `Hello, I am interested in your product "${short}". Please send price for ${qty} ${unit} and your MOQ. Thanks.`,
        `Hi, we need ${qty} ${unit} ${short}. What is your best FOB price and lead time?${cert}`,
        `Dear supplier, please quote ${description}, quantity ${qty} ${unit}, ${where}.`,
      ]);
    case 'trade_show':
      return `Card from ${show ?? 'a trade show'}: ${p.person.title}, ${p.company}. Interested in ${short}, about ${qty} ${unit} for an upcoming project. Asked for catalogue and price list.`;
    case 'linkedin':
    case 'facebook':
      return `Hi, saw your post about ${short}. We are a ${p.customerType} in ${p.country.name}. Can you share your catalogue and prices for about ${qty} ${unit}?`;
    case 'email':
      return `RFQ: ${qty} ${unit} ${description}. Delivery ${where}. Please quote with lead time, payment terms and validity.${cert} Specification attached.`;
    case 'other':
      return `Phone call: ${p.person.name} of ${p.company} asked for ${short}, about ${qty} ${unit}. Referred by a customer.`;
  }
}

const ATTACHMENT_KINDS = [
  { suffix: 'RFQ.pdf', mime: 'application/pdf' },
  { suffix: 'drawing.pdf', mime: 'application/pdf' },
  {
    suffix: 'specification.xlsx',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  { suffix: 'site-photo.jpg', mime: 'image/jpeg' },
];

function sourceRef(
  random: Random,
  p: Prospect,
  channel: InquiryChannel,
  at: number,
  form: () => number,
  show?: string,
): string | undefined {
  switch (channel) {
    case 'alibaba':
      return `ALI-${random.digits(12)}`;
    case 'made_in_china':
      return `MIC-${random.digits(10)}`;
    case 'website_form':
      return `WF-${new Date(at).getUTCFullYear()}-${String(form()).padStart(6, '0')}`;
    case 'trade_show':
      return show;
    case 'linkedin':
      return `LI-${random.hex(16)}`;
    case 'facebook':
      return `FB-${random.digits(16)}`;
    case 'email':
      return `<${random.hex(20)}@${p.freeMail ? 'mail.gmail.com' : `mail.${p.domain}`}>`;
    case 'other':
      return undefined;
  }
}

/** What the intake records for an inquiry: who, what they said, what they attached. */
export function makeInquiry(
  random: Random,
  p: Prospect,
  channel: InquiryChannel,
  at: number,
  formNumber: () => number,
  show?: string,
  text?: string,
): InquiryContent {
  const { person } = p;
  const inquirer: Inquirer = {
    name: person.name,
    ...(person.email && { email: person.email }),
    ...(person.phone && random.chance(channel === 'email' ? 0.4 : 0.8) && { phone: person.phone }),
    company: p.company,
    country: p.country.code,
    ...(!p.freeMail || random.chance(0.4) ? { website: p.domain } : {}),
    message: text ?? message(random, p, channel, show),
  };
  const attachments: AttachmentMeta[] =
    (channel === 'email' || channel === 'website_form') && random.chance(0.45)
      ? random.sample(ATTACHMENT_KINDS, random.int(1, 2)).map((kind) => ({
          sha256: sha256Hex(`${p.domain}:${kind.suffix}:${random.hex(8)}`),
          filename: `${slug(p.company.split(' ').slice(0, 2).join(' '))}-${kind.suffix}`,
          mime: kind.mime,
          size: random.int(40_000, 4_000_000),
        }))
      : [];
  return { sourceRef: sourceRef(random, p, channel, at, formNumber, show), inquirer, attachments };
}

/** sha256 of the inquiry as the channel delivered it. */
export const payloadHash = (channel: InquiryChannel, content: InquiryContent, at: number): string =>
  sha256Hex(JSON.stringify({ channel, ...content, at }));
