/**
 * What the exporter sells: a Ningbo manufacturer of flow-control and power equipment. Prices are
 * list prices in US cents, FOB Ningbo; cost is the factory cost the margin is measured against.
 */
export type ProductLine = 'valves' | 'pumps' | 'solar' | 'led-lighting';

export interface Product {
  sku: string;
  line: ProductLine;
  description: string;
  /** For titles and messages. */
  short: string;
  unit: string;
  listUsdCents: number;
  costUsdCents: number;
  quantity: [number, number];
  /** Quantities are rounded to this step. */
  step: number;
  moq: number;
  leadTimeDays: [number, number];
  /** A cheaper and a premium variant, for good/better/best options. */
  tiers?: { good: string; best: string };
}

export const PRODUCTS: Product[] = [
  {
    sku: 'BV-DN25-SS316',
    line: 'valves',
    description: 'Stainless steel 316 ball valve DN25 PN40, full bore',
    short: 'DN25 stainless ball valves',
    unit: 'pcs',
    listUsdCents: 1450,
    costUsdCents: 1010,
    quantity: [500, 8000],
    step: 100,
    moq: 500,
    leadTimeDays: [25, 40],
    tiers: { good: 'BV-DN25-CS', best: 'BV-DN25-SS316-FS' },
  },
  {
    sku: 'BV-DN50-SS316',
    line: 'valves',
    description: 'Stainless steel 316 ball valve DN50 PN40, full bore',
    short: 'DN50 stainless ball valves',
    unit: 'pcs',
    listUsdCents: 3890,
    costUsdCents: 2740,
    quantity: [300, 5000],
    step: 100,
    moq: 300,
    leadTimeDays: [30, 45],
    tiers: { good: 'BV-DN50-CS', best: 'BV-DN50-SS316-FS' },
  },
  {
    sku: 'BFV-DN150-EPDM',
    line: 'valves',
    description: 'Wafer butterfly valve DN150 PN16, ductile iron body, EPDM seat',
    short: 'DN150 butterfly valves',
    unit: 'pcs',
    listUsdCents: 6800,
    costUsdCents: 4830,
    quantity: [100, 2000],
    step: 50,
    moq: 100,
    leadTimeDays: [30, 50],
  },
  {
    sku: 'GV-DN100-CI',
    line: 'valves',
    description: 'Cast iron resilient-seated gate valve DN100 PN16',
    short: 'DN100 gate valves',
    unit: 'pcs',
    listUsdCents: 9200,
    costUsdCents: 6620,
    quantity: [50, 1500],
    step: 50,
    moq: 50,
    leadTimeDays: [35, 55],
  },
  {
    sku: 'CP-50-160-7.5',
    line: 'pumps',
    description: 'End-suction centrifugal pump 50-160, 7.5 kW, IE3 motor',
    short: 'centrifugal pumps 7.5 kW',
    unit: 'sets',
    listUsdCents: 68000,
    costUsdCents: 49200,
    quantity: [5, 120],
    step: 5,
    moq: 5,
    leadTimeDays: [30, 45],
    tiers: { good: 'CP-50-160-7.5-CI', best: 'CP-50-160-7.5-SS' },
  },
  {
    sku: 'SP-4SD8-1.5',
    line: 'pumps',
    description: '4" stainless submersible borehole pump, 1.5 kW, 8 m³/h',
    short: 'borehole pumps 1.5 kW',
    unit: 'sets',
    listUsdCents: 21000,
    costUsdCents: 15100,
    quantity: [20, 400],
    step: 10,
    moq: 20,
    leadTimeDays: [20, 35],
  },
  {
    sku: 'ISG65-4',
    line: 'pumps',
    description: 'Inline booster pump ISG65-160, 4 kW',
    short: 'inline booster pumps',
    unit: 'sets',
    listUsdCents: 42000,
    costUsdCents: 30400,
    quantity: [10, 200],
    step: 5,
    moq: 10,
    leadTimeDays: [25, 40],
  },
  {
    sku: 'INV-5K-HYB',
    line: 'solar',
    description: '5 kW single-phase hybrid inverter, 48 V battery',
    short: '5 kW hybrid inverters',
    unit: 'pcs',
    listUsdCents: 48000,
    costUsdCents: 35300,
    quantity: [20, 600],
    step: 10,
    moq: 20,
    leadTimeDays: [20, 35],
    tiers: { good: 'INV-5K-HYB-LITE', best: 'INV-6K-HYB-PRO' },
  },
  {
    sku: 'INV-10K-3P',
    line: 'solar',
    description: '10 kW three-phase on-grid inverter, 2 MPPT',
    short: '10 kW three-phase inverters',
    unit: 'pcs',
    listUsdCents: 76000,
    costUsdCents: 55800,
    quantity: [10, 400],
    step: 10,
    moq: 10,
    leadTimeDays: [20, 40],
  },
  {
    sku: 'INV-50K-STR',
    line: 'solar',
    description: '50 kW string inverter, 4 MPPT, IP66',
    short: '50 kW string inverters',
    unit: 'pcs',
    listUsdCents: 265000,
    costUsdCents: 197500,
    quantity: [2, 60],
    step: 1,
    moq: 2,
    leadTimeDays: [30, 50],
  },
  {
    sku: 'HB-150-UFO',
    line: 'led-lighting',
    description: 'LED UFO high bay 150 W, 160 lm/W, 1–10 V dimmable',
    short: '150 W LED high bays',
    unit: 'pcs',
    listUsdCents: 3650,
    costUsdCents: 2470,
    quantity: [200, 6000],
    step: 100,
    moq: 200,
    leadTimeDays: [15, 30],
    tiers: { good: 'HB-150-UFO-ECO', best: 'HB-150-UFO-DALI' },
  },
  {
    sku: 'FL-200-IP66',
    line: 'led-lighting',
    description: 'LED floodlight 200 W, IP66, 5-year warranty',
    short: '200 W LED floodlights',
    unit: 'pcs',
    listUsdCents: 4200,
    costUsdCents: 2880,
    quantity: [200, 4000],
    step: 100,
    moq: 200,
    leadTimeDays: [15, 30],
  },
  {
    sku: 'SL-100-ZHAGA',
    line: 'led-lighting',
    description: 'LED street light 100 W with Zhaga socket',
    short: '100 W LED street lights',
    unit: 'pcs',
    listUsdCents: 5200,
    costUsdCents: 3580,
    quantity: [200, 5000],
    step: 100,
    moq: 200,
    leadTimeDays: [20, 35],
  },
];

export const LINE_LABELS: Record<ProductLine, string> = {
  valves: 'industrial valves',
  pumps: 'pumps',
  solar: 'solar inverters',
  'led-lighting': 'LED lighting',
};

/** What a customer in each line makes or resells (the account's main products). */
export const CUSTOMER_PRODUCTS: Record<ProductLine, string[][]> = {
  valves: [
    ['industrial valves', 'pipe fittings'],
    ['water treatment projects'],
    ['oil and gas MRO supplies'],
    ['HVAC systems', 'valves'],
  ],
  pumps: [
    ['pumps', 'irrigation systems'],
    ['water supply projects'],
    ['borehole drilling'],
    ['building services', 'booster sets'],
  ],
  solar: [
    ['solar EPC'],
    ['solar kits', 'batteries'],
    ['electrical wholesale'],
    ['off-grid power systems'],
  ],
  'led-lighting': [
    ['lighting distribution'],
    ['electrical contracting'],
    ['street lighting projects'],
    ['warehouse fit-out'],
  ],
};

export const COMPETITORS: Record<ProductLine, string[]> = {
  valves: ['Kitz', 'Zetkama', 'Genebre', 'Tianjin Tanggu', 'Neway'],
  pumps: ['Grundfos', 'Wilo', 'Ebara', 'Pentax', 'Leo'],
  solar: ['Growatt', 'Sungrow', 'Deye', 'GoodWe', 'Huawei'],
  'led-lighting': ['Opple', 'Philips', 'Mean Well', 'Ledvance'],
};

export const productsOf = (line: ProductLine): Product[] =>
  PRODUCTS.filter((product) => product.line === line);
