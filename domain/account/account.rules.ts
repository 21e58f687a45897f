import {
  isCountryCode,
  isE164Phone,
  isEmail,
  isLanguageTag,
  isNonBlank,
  isOneOf,
  isWebsite,
  looksLikeIanaZone,
  refuse,
} from '../shared/validation';
import { SOURCE_CHANNELS } from '../shared/channels';
import { INCOTERMS, PAYMENT_METHODS } from '../shared/trade-terms';
import {
  AccountProfile,
  AccountProfileChanges,
  CERTIFICATIONS,
  CONTACT_ROLES,
  ContactDetails,
  CUSTOMER_TYPES,
  GRADES,
  PURCHASE_CYCLES,
  PURCHASE_VOLUME_BANDS,
  RequiredProfileField,
  SENSITIVITIES,
  UpdateContact,
} from './account.commands';

interface FieldRule {
  code: string;
  message: string;
  valid: (value: unknown) => boolean;
}

const listOf =
  (item: (value: unknown) => boolean, atLeastOne = false) =>
  (value: unknown): boolean =>
    Array.isArray(value) &&
    (!atLeastOne || value.length > 0) &&
    value.every(item) &&
    new Set(value).size === value.length;

const oneOf =
  (values: readonly string[]) =>
  (value: unknown): boolean =>
    isOneOf(values, value);

const REQUIRED: readonly RequiredProfileField[] = [
  'name',
  'country',
  'website',
  'mainProducts',
  'customerType',
  'sourceChannel',
];

const PROFILE_RULES: Record<keyof AccountProfile, FieldRule> = {
  name: { code: 'account.name_required', message: 'Enter the company name.', valid: isNonBlank },
  country: {
    code: 'account.country_invalid',
    message: 'Country must be a two-letter ISO code, such as DE or US.',
    valid: isCountryCode,
  },
  website: {
    code: 'account.website_invalid',
    message: "Enter the customer's website or domain, such as acme.de.",
    valid: isWebsite,
  },
  mainProducts: {
    code: 'account.main_products_required',
    message: 'List at least one main product, each only once.',
    valid: listOf(isNonBlank, true),
  },
  customerType: {
    code: 'account.customer_type_invalid',
    message: 'Customer type must be manufacturer, trader or distributor.',
    valid: oneOf(CUSTOMER_TYPES),
  },
  sourceChannel: {
    code: 'account.source_channel_invalid',
    message: `Source channel must be one of: ${SOURCE_CHANNELS.join(', ')}.`,
    valid: oneOf(SOURCE_CHANNELS),
  },
  purchaseVolumeBand: {
    code: 'account.purchase_volume_band_invalid',
    message: `Purchase volume must be one of: ${PURCHASE_VOLUME_BANDS.join(', ')}.`,
    valid: oneOf(PURCHASE_VOLUME_BANDS),
  },
  purchaseCycle: {
    code: 'account.purchase_cycle_invalid',
    message: `Purchase cycle must be one of: ${PURCHASE_CYCLES.join(', ')}.`,
    valid: oneOf(PURCHASE_CYCLES),
  },
  targetMarkets: {
    code: 'account.target_markets_invalid',
    message: 'Target markets must be two-letter ISO country codes, each only once.',
    valid: listOf(isCountryCode),
  },
  certifications: {
    code: 'account.certifications_invalid',
    message: `Certifications must be among: ${CERTIFICATIONS.join(', ')}, each only once.`,
    valid: listOf(oneOf(CERTIFICATIONS)),
  },
  competitorBrands: {
    code: 'account.competitor_brands_invalid',
    message: 'Competitor brands must be names, each only once.',
    valid: listOf(isNonBlank),
  },
  priceSensitivity: {
    code: 'account.price_sensitivity_invalid',
    message: 'Price sensitivity must be low, medium or high.',
    valid: oneOf(SENSITIVITIES),
  },
  leadTimeSensitivity: {
    code: 'account.lead_time_sensitivity_invalid',
    message: 'Lead-time sensitivity must be low, medium or high.',
    valid: oneOf(SENSITIVITIES),
  },
  timeZone: {
    code: 'account.time_zone_invalid',
    message: 'Time zone must be a zone name such as Europe/Berlin.',
    valid: looksLikeIanaZone,
  },
  language: {
    code: 'account.language_invalid',
    message: 'Language must be a language code such as en, de or es-419.',
    valid: isLanguageTag,
  },
  ports: {
    code: 'account.ports_invalid',
    message: 'Ports must be port names or codes, each only once.',
    valid: listOf(isNonBlank),
  },
  incoterms: {
    code: 'account.incoterms_invalid',
    message: `Incoterms must be among: ${INCOTERMS.join(', ')}, each only once.`,
    valid: listOf(oneOf(INCOTERMS)),
  },
  paymentTerms: {
    code: 'account.payment_terms_invalid',
    message: `Payment terms must be among: ${PAYMENT_METHODS.join(', ')}, each only once.`,
    valid: listOf(oneOf(PAYMENT_METHODS)),
  },
};

export const PROFILE_FIELDS = Object.keys(PROFILE_RULES) as (keyof AccountProfile)[];

/** Copies the known profile fields that are set, so stray input never reaches an event. */
export const pickProfile = (source: AccountProfile): AccountProfile => {
  const profile: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS)
    if (source[field] !== undefined) profile[field] = source[field];
  return profile as unknown as AccountProfile;
};

const checkField = (field: keyof AccountProfile, value: unknown, fieldPrefix: string): void => {
  const rule = PROFILE_RULES[field];
  if (!rule.valid(value)) refuse(rule.code, rule.message, fieldPrefix + field);
};

/** Refuses an incomplete or malformed profile. `fieldPrefix` names where it sits in the command. */
export const checkAccountProfile = (profile: AccountProfile, fieldPrefix = ''): void => {
  for (const field of PROFILE_FIELDS) {
    const value = profile[field];
    if (value === undefined && !(REQUIRED as readonly string[]).includes(field)) continue;
    checkField(field, value, fieldPrefix);
  }
};

export const checkProfileChanges = (changes: AccountProfileChanges): void => {
  for (const [field, value] of Object.entries(changes) as [keyof AccountProfile, unknown][]) {
    const rule = PROFILE_RULES[field];
    if (!rule) refuse('account.field_unknown', `"${field}" is not an account field.`, field);
    if (value === undefined) continue;
    if (value === null) {
      if ((REQUIRED as readonly string[]).includes(field)) {
        refuse(
          `account.${snake(field)}_required`,
          `${rule.message} It cannot be left empty.`,
          field,
        );
      }
      continue;
    }
    checkField(field, value, '');
  }
};

export const checkGrade = (grade: unknown, field = 'grade'): void => {
  if (!isOneOf(GRADES, grade)) refuse('account.grade_invalid', 'Grade must be A, B or C.', field);
};

const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const checkContactDetails = (contact: Partial<ContactDetails>, partial = false): void => {
  const present = (value: unknown) => !partial || value !== undefined;
  if (present(contact.name) && !isNonBlank(contact.name)) {
    refuse('account.contact_name_required', "Enter the contact's name.", 'name');
  }
  if (present(contact.role) && !isOneOf(CONTACT_ROLES, contact.role)) {
    refuse(
      'account.contact_role_invalid',
      `Contact role must be one of: ${CONTACT_ROLES.join(', ')}.`,
      'role',
    );
  }
  if (contact.email != null && !isEmail(contact.email)) {
    refuse('account.contact_email_invalid', 'That email address is not valid.', 'email');
  }
  if (contact.phone != null && !isE164Phone(contact.phone)) {
    refuse(
      'account.contact_phone_invalid',
      'Phone must be in international format, such as +4930123456.',
      'phone',
    );
  }
  if (contact.title != null && !isNonBlank(contact.title)) {
    refuse(
      'account.contact_title_invalid',
      'Title cannot be blank; leave it out instead.',
      'title',
    );
  }
};

export const checkContactChanges = (changes: UpdateContact['changes']): void => {
  for (const field of Object.keys(changes)) {
    if (!['name', 'email', 'phone', 'role', 'title'].includes(field)) {
      refuse('account.field_unknown', `"${field}" is not a contact field.`, field);
    }
  }
  checkContactDetails(changes as Partial<ContactDetails>, true);
};
