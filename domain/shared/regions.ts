/**
 * The world regions reports group countries into: the `region` dimension of every report, derived
 * from the deal's (or lead's) ISO 3166-1 alpha-2 country. A sales view of geography, not the UN's:
 * Turkey and Sudan sit in MENA with the Gulf buyers they trade like, Mexico in Latin America, the
 * Caucasus with Central Asia.
 */
export const REGIONS = [
  'europe',
  'mena',
  'sub_saharan_africa',
  'north_america',
  'latin_america',
  'south_asia',
  'east_asia',
  'southeast_asia',
  'central_asia',
  'oceania',
  'other',
] as const;
export type Region = (typeof REGIONS)[number];

const COUNTRIES_BY_REGION: Record<Region, string> = {
  europe:
    'AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT ' +
    'LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK',
  mena: 'AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN TR YE',
  sub_saharan_africa:
    'AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA ' +
    'NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW',
  north_america: 'BM CA GL PM UM US',
  latin_america:
    'AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GT GY HN HT JM KN KY LC ' +
    'MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI',
  south_asia: 'AF BD BT IN IO LK MV NP PK',
  east_asia: 'CN HK JP KP KR MN MO TW',
  southeast_asia: 'BN CC CX ID KH LA MM MY PH SG TH TL VN',
  central_asia: 'AM AZ GE KG KZ TJ TM UZ',
  oceania: 'AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS',
  other: 'AQ BV GS HM TF',
};

const REGION_OF = new Map<string, Region>(
  (Object.entries(COUNTRIES_BY_REGION) as Array<[Region, string]>).flatMap(([region, codes]) =>
    codes.split(' ').map((code): [string, Region] => [code, region]),
  ),
);

/** The region of a country code; 'other' for a code we do not know (never undefined, so it still groups). */
export const regionOf = (country: string): Region =>
  REGION_OF.get(country.toUpperCase()) ?? 'other';

/** The countries of a region, sorted. */
export const countriesOf = (region: Region): string[] =>
  COUNTRIES_BY_REGION[region].split(' ').sort();
