import { ProductLine } from './catalogue';
import { DAY } from './business-hours';

interface Show {
  name: string;
  /** 1-based month and day of the opening, every year (or every other year). */
  month: number;
  day: number;
  days: number;
  everyOtherYear?: 'even' | 'odd';
  /** Visitors from these countries only; all when absent. */
  countries?: string[];
  lines?: ProductLine[];
}

const SHOWS: Show[] = [
  { name: 'Canton Fair (spring)', month: 4, day: 15, days: 20 },
  { name: 'Canton Fair (autumn)', month: 10, day: 15, days: 20 },
  {
    name: 'The Big 5 (Dubai)',
    month: 11,
    day: 24,
    days: 4,
    countries: ['AE', 'SA', 'EG', 'TR', 'IN', 'NG'],
  },
  {
    name: 'Intersolar Europe (Munich)',
    month: 6,
    day: 18,
    days: 3,
    countries: ['DE', 'GB', 'FR', 'TR'],
    lines: ['solar'],
  },
  {
    name: 'Light + Building (Frankfurt)',
    month: 3,
    day: 8,
    days: 6,
    everyOtherYear: 'even',
    countries: ['DE', 'GB', 'FR', 'TR'],
    lines: ['led-lighting'],
  },
  {
    name: 'Valve World Expo (Düsseldorf)',
    month: 12,
    day: 1,
    days: 3,
    everyOtherYear: 'even',
    lines: ['valves'],
  },
  {
    name: 'WETEX (Dubai)',
    month: 10,
    day: 1,
    days: 3,
    countries: ['AE', 'SA', 'EG'],
    lines: ['pumps', 'valves', 'solar'],
  },
  {
    name: 'Intersolar South America (São Paulo)',
    month: 8,
    day: 26,
    days: 3,
    countries: ['BR', 'MX'],
    lines: ['solar'],
  },
  {
    name: 'Expo Eléctrica Internacional (Mexico City)',
    month: 6,
    day: 10,
    days: 3,
    countries: ['MX', 'US'],
    lines: ['led-lighting', 'solar'],
  },
];

export interface ShowVisit {
  /** e.g. "Canton Fair (autumn) 2025", the lead's sourceRef. */
  name: string;
  closesAt: number;
}

/** The latest show the buyer could have met us at, closing before `at` and within two months. */
export function showBefore(at: number, country: string, line: ProductLine): ShowVisit | undefined {
  const year = new Date(at).getUTCFullYear();
  let best: ShowVisit | undefined;
  for (const show of SHOWS) {
    if (show.countries && !show.countries.includes(country)) continue;
    if (show.lines && !show.lines.includes(line)) continue;
    for (const y of [year - 1, year]) {
      if (show.everyOtherYear === 'even' && y % 2 !== 0) continue;
      if (show.everyOtherYear === 'odd' && y % 2 === 0) continue;
      const closesAt = Date.UTC(y, show.month - 1, show.day) + show.days * DAY;
      if (closesAt > at || at - closesAt > 60 * DAY) continue;
      if (!best || closesAt > best.closesAt) best = { name: `${show.name} ${y}`, closesAt };
    }
  }
  return best;
}
