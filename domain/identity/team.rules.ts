import { isCountryCode, isNonBlank, refuse } from '../shared/validation';
import { Team, TeamState } from './team.state';

const MAX_NAME_LENGTH = 100;
const MAX_PRODUCT_LINE_LENGTH = 100;
// The same shape as the calendar policy's keys (config/schemas), so every seeded calendar is usable.
const CALENDAR_KEY = /^[a-z][a-z0-9-]*$/;
const MAX_CALENDAR_KEY_LENGTH = 64;

export const existingTeam = (state: TeamState): Team =>
  state ?? refuse('team.not_found', 'This team does not exist.', 'teamId');

export const checkTeamId = (teamId: unknown): void => {
  if (!isNonBlank(teamId)) refuse('team.id_required', 'The team has no id.', 'teamId');
};

export const normaliseTeamName = (name: unknown): string => {
  if (!isNonBlank(name)) refuse('team.name_required', 'Give the team a name.', 'name');
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) {
    refuse(
      'team.name_too_long',
      `A team name can have at most ${MAX_NAME_LENGTH} characters.`,
      'name',
    );
  }
  return trimmed;
};

/** Sorted, so that the same countries in another order are the same region. */
export const normaliseRegion = (region: unknown): string[] => {
  if (!Array.isArray(region) || region.length === 0) {
    refuse('team.region_required', 'List at least one country the team covers.', 'region');
  }
  const invalid = region.filter((country) => !isCountryCode(country));
  if (invalid.length > 0) {
    refuse(
      'team.region_invalid',
      `Not ISO 3166-1 country codes: ${invalid.map(String).join(', ')}. Use two capital letters, e.g. DE, AE.`,
      'region',
      { invalid },
    );
  }
  const countries = region as string[];
  const duplicates = countries.filter((country, index) => countries.indexOf(country) !== index);
  if (duplicates.length > 0) {
    refuse(
      'team.region_duplicate',
      `Listed more than once: ${[...new Set(duplicates)].join(', ')}.`,
      'region',
      { duplicates: [...new Set(duplicates)] },
    );
  }
  return [...countries].sort();
};

/** Trimmed, lower-case keys, so "Valves " and "valves" are one line; the order given is kept. */
export const normaliseProductLines = (productLines: unknown): string[] => {
  if (!Array.isArray(productLines)) {
    refuse('team.product_line_invalid', 'Product lines must be a list.', 'productLines');
  }
  const keys = productLines.map((line: unknown, index) => {
    const field = `productLines[${index}]`;
    if (!isNonBlank(line))
      refuse('team.product_line_invalid', 'A product line cannot be blank.', field);
    const key = line.trim().toLowerCase();
    if (key.length > MAX_PRODUCT_LINE_LENGTH) {
      refuse(
        'team.product_line_invalid',
        `A product line can have at most ${MAX_PRODUCT_LINE_LENGTH} characters.`,
        field,
      );
    }
    return key;
  });
  const duplicates = [...new Set(keys.filter((key, index) => keys.indexOf(key) !== index))];
  if (duplicates.length > 0) {
    refuse(
      'team.product_line_duplicate',
      `Listed more than once: ${duplicates.join(', ')}.`,
      'productLines',
      { duplicates },
    );
  }
  return keys;
};

export const checkLeadId = (leadId: unknown): void => {
  if (!isNonBlank(leadId)) {
    refuse(
      'team.lead_invalid',
      'Choose the team lead, or none to leave the team without one.',
      'leadId',
    );
  }
};

export const checkCalendarKey = (calendarKey: unknown): string => {
  if (
    typeof calendarKey !== 'string' ||
    calendarKey.length > MAX_CALENDAR_KEY_LENGTH ||
    !CALENDAR_KEY.test(calendarKey)
  ) {
    refuse(
      'team.calendar_invalid',
      `${String(calendarKey)} is not a calendar key: use lower-case letters, digits and hyphens, starting with a letter, e.g. berlin-sales.`,
      'calendarKey',
    );
  }
  return calendarKey;
};

export const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item) => b.includes(item));
