import { isValidPhoneNumber } from 'libphonenumber-js';
import { Incoterm, PaymentTerm } from '../../../domain/shared/trade-terms';
import { Random } from './random';

export type Region = 'mena' | 'europe' | 'americas' | 'apac_africa';

/** What the generator needs to know about a buyer country. */
export interface Country {
  code: string;
  name: string;
  region: Region;
  /** IANA zone of the buyers' business hours. */
  zone: string;
  /** Luxon weekdays off (1 = Monday … 7 = Sunday): Friday–Saturday in Saudi Arabia and Egypt. */
  weekend: number[];
  /** BCP 47 tag of the business language. */
  language: string;
  /** Deal currency when the FX policy has a rate for it; USD otherwise. */
  currency: string;
  /** Share of its deals quoted in `currency` (the rest in USD). */
  localCurrencyShare: number;
  ports: string[];
  tlds: string[];
  weight: number;
  phone(random: Random): string;
  firstNames: string[];
  lastNames: string[];
  /** Person names written family name first (Vietnam). */
  familyNameFirst?: boolean;
  companyPrefixes: string[];
  companyTrades: Record<string, string[]>;
  legalSuffixes: string[];
  incoterms: Incoterm[];
  paymentTerms: PaymentTerm[];
  /** Certifications its buyers ask for; 'other' stands for a national mark (SASO, SON, INMETRO, NOM, BIS). */
  certifications: string[];
}

const TT_30: PaymentTerm = { method: 'T/T', advancePercent: 30 };
const TT_20: PaymentTerm = { method: 'T/T', advancePercent: 20 };
const TT_100: PaymentTerm = { method: 'T/T', advancePercent: 100 };
const LC: PaymentTerm = { method: 'L/C' };
const OA_60: PaymentTerm = { method: 'OA', creditDays: 60 };
const OA_30: PaymentTerm = { method: 'OA', creditDays: 30 };
const DP: PaymentTerm = { method: 'D/P' };

const trades = (valves: string, pumps: string, solar: string, lighting: string) => ({
  valves: [valves, 'Flow Control', 'Industrial Supplies'],
  pumps: [pumps, 'Water Technology', 'Industrial Supplies'],
  solar: [solar, 'Energy', 'Power Systems'],
  'led-lighting': [lighting, 'Electrical', 'Lighting Solutions'],
});

export const COUNTRIES: Country[] = [
  {
    code: 'AE',
    name: 'United Arab Emirates',
    region: 'mena',
    zone: 'Asia/Dubai',
    weekend: [6, 7],
    language: 'en',
    currency: 'AED',
    localCurrencyShare: 0.3,
    ports: ['Jebel Ali', 'Khalifa Port', 'Sharjah'],
    tlds: ['ae', 'com'],
    weight: 12,
    phone: (r) => `+9715${r.pick(['0', '2', '5', '6'])}${r.digits(7)}`,
    firstNames: [
      'Ahmed',
      'Mohammed',
      'Khalid',
      'Fatima',
      'Rashid',
      'Yousef',
      'Aisha',
      'Hassan',
      'Saeed',
      'Rajeev',
    ],
    lastNames: [
      'Al-Farsi',
      'Al-Mansoori',
      'Al-Hashimi',
      'Al-Suwaidi',
      'Khan',
      'Menon',
      'Haddad',
      'Qasim',
    ],
    companyPrefixes: [
      'Gulf',
      'Emirates',
      'Al Noor',
      'Falcon',
      'Desert Rose',
      'Arabian',
      'Oasis',
      'Crescent',
    ],
    companyTrades: trades('Valve', 'Pumps & Systems', 'Solar Energy', 'Lighting'),
    legalSuffixes: ['Trading LLC', 'General Trading LLC', 'FZE', 'FZCO'],
    incoterms: ['CIF', 'CFR', 'FOB'],
    paymentTerms: [TT_30, TT_30, LC, TT_100],
    certifications: ['CE', 'ISO9001'],
  },
  {
    code: 'SA',
    name: 'Saudi Arabia',
    region: 'mena',
    zone: 'Asia/Riyadh',
    weekend: [5, 6],
    language: 'ar',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Jeddah Islamic Port', 'Dammam', 'Jubail'],
    tlds: ['com.sa', 'sa'],
    weight: 9,
    phone: (r) => `+9665${r.pick(['0', '3', '4', '5', '6', '9'])}${r.digits(7)}`,
    firstNames: ['Abdullah', 'Faisal', 'Saud', 'Turki', 'Nasser', 'Majed', 'Sultan', 'Noura'],
    lastNames: [
      'Al-Qahtani',
      'Al-Otaibi',
      'Al-Ghamdi',
      'Al-Harbi',
      'Al-Dosari',
      'Al-Zahrani',
      'Al-Shehri',
    ],
    companyPrefixes: ['Najd', 'Al Jazeera', 'Red Sea', 'Eastern Province', 'Hejaz', 'Al Waha'],
    companyTrades: trades('Valves', 'Pumps', 'Solar', 'Lighting'),
    legalSuffixes: ['Co. Ltd', 'Trading Est.', 'Contracting Co.'],
    incoterms: ['CIF', 'CFR'],
    paymentTerms: [LC, TT_30, LC],
    certifications: ['CE', 'other'],
  },
  {
    code: 'EG',
    name: 'Egypt',
    region: 'mena',
    zone: 'Africa/Cairo',
    weekend: [5, 6],
    language: 'ar',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Alexandria', 'Port Said', 'Sokhna'],
    tlds: ['com.eg'],
    weight: 3,
    phone: (r) => `+201${r.pick(['0', '1', '2', '5'])}${r.digits(8)}`,
    firstNames: ['Mohamed', 'Ahmed', 'Mahmoud', 'Mostafa', 'Yasmin', 'Hany', 'Tarek'],
    lastNames: ['Hassan', 'Ibrahim', 'El-Sayed', 'Fathy', 'Abdelrahman', 'Nasser'],
    companyPrefixes: ['Nile', 'Delta', 'Cairo', 'Alexandria', 'Sinai'],
    companyTrades: trades('Valves', 'Pumps', 'Solar', 'Lighting'),
    legalSuffixes: ['S.A.E.', 'for Trading Co.'],
    incoterms: ['CIF', 'CFR'],
    paymentTerms: [LC, LC, TT_30],
    certifications: ['CE'],
  },
  {
    code: 'TR',
    name: 'Türkiye',
    region: 'mena',
    zone: 'Europe/Istanbul',
    weekend: [6, 7],
    language: 'tr',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Mersin', 'Ambarli', 'Izmir'],
    tlds: ['com.tr'],
    weight: 4,
    phone: (r) => `+905${r.pick(['3', '4', '5'])}${r.digits(8)}`,
    firstNames: ['Mehmet', 'Mustafa', 'Ahmet', 'Ayşe', 'Fatma', 'Emre', 'Burak', 'Zeynep'],
    lastNames: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Öztürk', 'Aydın'],
    companyPrefixes: ['Anadolu', 'Marmara', 'Ege', 'Karadeniz', 'Akdeniz'],
    companyTrades: trades('Vana', 'Pompa', 'Solar Enerji', 'Aydınlatma'),
    legalSuffixes: ['A.Ş.', 'Ltd. Şti.'],
    incoterms: ['FOB', 'CIF'],
    paymentTerms: [TT_30, DP, TT_30],
    certifications: ['CE'],
  },
  {
    code: 'DE',
    name: 'Germany',
    region: 'europe',
    zone: 'Europe/Berlin',
    weekend: [6, 7],
    language: 'de',
    currency: 'EUR',
    localCurrencyShare: 0.8,
    ports: ['Hamburg', 'Bremerhaven'],
    tlds: ['de'],
    weight: 10,
    phone: (r) => `+4915${r.pick(['1', '2', '7', '9'])}${r.digits(8)}`,
    firstNames: [
      'Thomas',
      'Michael',
      'Stefan',
      'Julia',
      'Katrin',
      'Andreas',
      'Markus',
      'Sabine',
      'Lukas',
    ],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Wagner',
      'Becker',
      'Hoffmann',
    ],
    companyPrefixes: ['Rhein', 'Nordwest', 'Elbe', 'Bavaria', 'Main', 'Weser', 'Hanse'],
    companyTrades: trades('Armaturen', 'Pumpentechnik', 'Solartechnik', 'Lichttechnik'),
    legalSuffixes: ['GmbH', 'GmbH & Co. KG', 'AG'],
    incoterms: ['FOB', 'CIF', 'DDP', 'DAP'],
    paymentTerms: [TT_30, OA_60, TT_30],
    certifications: ['CE', 'RoHS', 'REACH'],
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    region: 'europe',
    zone: 'Europe/London',
    weekend: [6, 7],
    language: 'en-GB',
    currency: 'GBP',
    localCurrencyShare: 0.6,
    ports: ['Felixstowe', 'Southampton', 'London Gateway'],
    tlds: ['co.uk'],
    weight: 8,
    phone: (r) => `+447${r.pick(['4', '5', '7', '8', '9'])}${r.digits(8)}`,
    firstNames: ['James', 'Oliver', 'Sarah', 'Emma', 'Daniel', 'Charlotte', 'Thomas', 'Sophie'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Walker', 'Wright'],
    companyPrefixes: ['Thames', 'Pennine', 'Midlands', 'Albion', 'Northern', 'Severn', 'Clyde'],
    companyTrades: trades('Valves', 'Pump Solutions', 'Solar', 'Lighting'),
    legalSuffixes: ['Ltd', 'Limited'],
    incoterms: ['FOB', 'CIF', 'DDP'],
    paymentTerms: [TT_30, OA_30, TT_30],
    certifications: ['UKCA', 'CE', 'RoHS'],
  },
  {
    code: 'FR',
    name: 'France',
    region: 'europe',
    zone: 'Europe/Paris',
    weekend: [6, 7],
    language: 'fr',
    currency: 'EUR',
    localCurrencyShare: 0.8,
    ports: ['Le Havre', 'Marseille-Fos'],
    tlds: ['fr'],
    weight: 4,
    phone: (r) => `+336${r.digits(8)}`,
    firstNames: ['Jean', 'Pierre', 'Marie', 'Camille', 'Nicolas', 'Julien', 'Claire'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Robert', 'Richard', 'Petit', 'Moreau'],
    companyPrefixes: ['Rhône', 'Atlantique', 'Provence', 'Alsace', 'Loire'],
    companyTrades: trades('Robinetterie', 'Pompes', 'Solaire', 'Éclairage'),
    legalSuffixes: ['SAS', 'SARL', 'S.A.'],
    incoterms: ['FOB', 'CIF', 'DAP'],
    paymentTerms: [TT_30, OA_60],
    certifications: ['CE', 'RoHS'],
  },
  {
    code: 'US',
    name: 'United States',
    region: 'americas',
    zone: 'America/Chicago',
    weekend: [6, 7],
    language: 'en-US',
    currency: 'USD',
    localCurrencyShare: 1,
    ports: ['Houston', 'Long Beach', 'Savannah', 'Chicago (rail)'],
    tlds: ['com'],
    weight: 12,
    phone: (r) =>
      `+1${r.pick(['312', '773', '713', '214', '305', '404', '216'])}${r.int(2, 9)}${r.pick(['2', '3', '4', '6', '7', '8'])}${r.digits(1)}${r.digits(4)}`,
    firstNames: [
      'John',
      'Michael',
      'Jennifer',
      'David',
      'Sarah',
      'Robert',
      'Jessica',
      'William',
      'Ashley',
    ],
    lastNames: [
      'Johnson',
      'Miller',
      'Davis',
      'Garcia',
      'Rodriguez',
      'Anderson',
      'Thompson',
      'Clark',
    ],
    companyPrefixes: [
      'Midwest',
      'Lone Star',
      'Great Lakes',
      'Gulf Coast',
      'Prairie',
      'Summit',
      'Keystone',
    ],
    companyTrades: trades(
      'Valve Supply',
      'Pump & Process',
      'Solar Distribution',
      'Lighting Supply',
    ),
    legalSuffixes: ['Inc.', 'LLC', 'Corp.'],
    incoterms: ['FOB', 'DDP', 'CIF'],
    paymentTerms: [TT_30, OA_30, TT_30, OA_60],
    certifications: ['UL', 'ETL', 'FCC'],
  },
  {
    code: 'BR',
    name: 'Brazil',
    region: 'americas',
    zone: 'America/Sao_Paulo',
    weekend: [6, 7],
    language: 'pt-BR',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Santos', 'Paranaguá', 'Itajaí'],
    tlds: ['com.br'],
    weight: 7,
    phone: (r) => `+55${r.pick(['11', '21', '31', '41', '47'])}9${r.digits(8)}`,
    firstNames: ['João', 'Pedro', 'Lucas', 'Mariana', 'Ana', 'Rafael', 'Fernanda', 'Gustavo'],
    lastNames: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Almeida', 'Ferreira'],
    companyPrefixes: ['Paulista', 'Carioca', 'Minas', 'Atlântico', 'Tropical', 'Sul'],
    companyTrades: trades('Válvulas', 'Bombas', 'Energia Solar', 'Iluminação'),
    legalSuffixes: ['Ltda.', 'S.A.'],
    incoterms: ['CIF', 'FOB', 'CFR'],
    paymentTerms: [TT_30, LC, TT_30],
    certifications: ['other'],
  },
  {
    code: 'MX',
    name: 'Mexico',
    region: 'americas',
    zone: 'America/Mexico_City',
    weekend: [6, 7],
    language: 'es-MX',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Manzanillo', 'Lázaro Cárdenas', 'Veracruz'],
    tlds: ['com.mx'],
    weight: 6,
    phone: (r) => `+52${r.pick(['55', '33', '81'])}${r.int(1, 9)}${r.digits(7)}`,
    firstNames: ['José', 'Juan', 'Alejandro', 'María', 'Guadalupe', 'Carlos', 'Fernando', 'Sofía'],
    lastNames: ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Sánchez'],
    companyPrefixes: ['Azteca', 'Del Norte', 'Bajío', 'Pacífico', 'Sierra Madre', 'Regio'],
    companyTrades: trades('Válvulas', 'Bombas y Sistemas', 'Energía Solar', 'Iluminación'),
    legalSuffixes: ['S.A. de C.V.', 'S. de R.L. de C.V.'],
    incoterms: ['CIF', 'FOB', 'DAP'],
    paymentTerms: [TT_30, TT_30, LC],
    certifications: ['other', 'UL'],
  },
  {
    code: 'IN',
    name: 'India',
    region: 'apac_africa',
    zone: 'Asia/Kolkata',
    weekend: [7],
    language: 'en-IN',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Nhava Sheva', 'Chennai', 'Mundra'],
    tlds: ['in', 'co.in'],
    weight: 9,
    phone: (r) => `+91${r.pick(['98', '99', '97', '88', '70', '93'])}${r.digits(8)}`,
    firstNames: [
      'Rajesh',
      'Amit',
      'Suresh',
      'Priya',
      'Anil',
      'Vikram',
      'Deepak',
      'Sunita',
      'Arjun',
    ],
    lastNames: ['Sharma', 'Patel', 'Gupta', 'Reddy', 'Iyer', 'Mehta', 'Singh', 'Joshi'],
    companyPrefixes: ['Shree', 'Bharat', 'Deccan', 'Sai', 'Ganesh', 'Western'],
    companyTrades: trades('Valves', 'Pumps', 'Solar Energy', 'Lighting'),
    legalSuffixes: ['Pvt. Ltd.', 'Private Limited', 'LLP'],
    incoterms: ['CIF', 'FOB', 'CFR'],
    paymentTerms: [TT_20, LC, TT_30],
    certifications: ['other', 'ISO9001'],
  },
  {
    code: 'NG',
    name: 'Nigeria',
    region: 'apac_africa',
    zone: 'Africa/Lagos',
    weekend: [6, 7],
    language: 'en',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Lagos (Apapa)', 'Tin Can Island', 'Onne'],
    tlds: ['com.ng', 'ng'],
    weight: 6,
    phone: (r) => `+234${r.pick(['803', '806', '813', '816', '703', '802', '808'])}${r.digits(7)}`,
    firstNames: [
      'Chinedu',
      'Oluwaseun',
      'Emeka',
      'Ngozi',
      'Ibrahim',
      'Adebayo',
      'Funmilayo',
      'Tunde',
    ],
    lastNames: ['Okafor', 'Adeyemi', 'Okonkwo', 'Bello', 'Eze', 'Ogunleye', 'Nwosu', 'Abubakar'],
    companyPrefixes: ['Niger Delta', 'Eko', 'Royal', 'Unity', 'Crystal', 'Sahel'],
    companyTrades: trades('Valves', 'Pumps & Borehole', 'Solar Power', 'Lighting'),
    legalSuffixes: ['Ltd', 'Nigeria Ltd', 'Enterprises'],
    incoterms: ['CIF', 'CFR'],
    paymentTerms: [LC, TT_30, LC],
    certifications: ['other'],
  },
  {
    code: 'AU',
    name: 'Australia',
    region: 'apac_africa',
    zone: 'Australia/Sydney',
    weekend: [6, 7],
    language: 'en-AU',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Sydney (Port Botany)', 'Melbourne', 'Brisbane'],
    tlds: ['com.au'],
    weight: 7,
    phone: (r) => `+614${r.pick(['0', '1', '2', '3', '8'])}${r.digits(7)}`,
    firstNames: ['Jack', 'Liam', 'Olivia', 'Charlotte', 'Noah', 'Mia', 'Lachlan', 'Chloe'],
    lastNames: ['Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Nguyen', 'Kelly'],
    companyPrefixes: ['Southern Cross', 'Pacific', 'Outback', 'Harbour', 'Coastal', 'Eureka'],
    companyTrades: trades('Valves', 'Pumps & Irrigation', 'Solar', 'Lighting'),
    legalSuffixes: ['Pty Ltd'],
    incoterms: ['FOB', 'CIF', 'DDP'],
    paymentTerms: [TT_30, OA_30, TT_30],
    certifications: ['SAA', 'CE'],
  },
  {
    code: 'VN',
    name: 'Vietnam',
    region: 'apac_africa',
    zone: 'Asia/Ho_Chi_Minh',
    weekend: [7],
    language: 'vi',
    currency: 'USD',
    localCurrencyShare: 0,
    ports: ['Cat Lai (Ho Chi Minh City)', 'Hai Phong'],
    tlds: ['com.vn', 'vn'],
    weight: 3,
    phone: (r) => `+849${r.pick(['0', '1', '3', '4', '8'])}${r.digits(7)}`,
    firstNames: ['Minh', 'Hung', 'Lan', 'Thanh', 'Tuan', 'Huong', 'Duc'],
    lastNames: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Phan', 'Vu'],
    familyNameFirst: true,
    companyPrefixes: ['Saigon', 'Mekong', 'Dong A', 'Sao Mai', 'Viet Phat'],
    companyTrades: trades('Valve', 'Pump', 'Solar', 'Lighting'),
    legalSuffixes: ['Co., Ltd', 'JSC'],
    incoterms: ['CIF', 'FOB'],
    paymentTerms: [TT_30, DP],
    certifications: ['CE'],
  },
];

export const pickCountry = (random: Random): Country =>
  random.weighted(COUNTRIES.map((country) => [country, country.weight] as const));

/** A mobile number libphonenumber-js accepts, or undefined after a few misses. */
export const phoneFor = (country: Country, random: Random): string | undefined => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const candidate = country.phone(random);
    if (isValidPhoneNumber(candidate)) return candidate;
  }
  return undefined;
};

/** ASCII for e-mail addresses and domains: Müller → muller, Yılmaz → yilmaz. */
export const ascii = (text: string): string =>
  text
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export const slug = (text: string): string =>
  ascii(text)
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
