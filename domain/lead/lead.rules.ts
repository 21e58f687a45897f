import { isCause } from '../shared/cause';
import { INQUIRY_CHANNELS } from '../shared/channels';
import {
  isCountryCode,
  isE164Phone,
  isEmail,
  isIntegerInRange,
  isMimeType,
  isNonBlank,
  isOneOf,
  isSha256Hex,
  isWebsite,
  refuse,
} from '../shared/validation';
import { AttachmentMeta, Inquirer, ReceiveInquiry } from './lead.commands';
import { Lead, LeadState } from './lead.state';

export const existingLead = (state: LeadState): Lead =>
  state ?? refuse('lead.not_found', 'This lead does not exist.');

/** Converted and disqualified leads are closed: work continues on the deal, or not at all. */
export const openLead = (state: LeadState): Lead => {
  const lead = existingLead(state);
  if (lead.status === 'converted') {
    refuse(
      'lead.already_converted',
      'This lead has already been converted; work on its deal and account instead.',
      undefined,
      { ...lead.convertedTo },
    );
  }
  if (lead.status === 'disqualified') {
    refuse('lead.disqualified', 'This lead was disqualified, so it is closed.');
  }
  return lead;
};

export const checkReason = (reason: unknown, field = 'reason'): void => {
  if (!isNonBlank(reason)) refuse('lead.reason_required', 'Give a reason for this change.', field);
};

export const checkCause = (cause: unknown, field = 'cause'): void => {
  if (!isCause(cause)) {
    refuse(
      'lead.cause_invalid',
      'Say who or what caused this: a person, a rule with its version, a saga, the system or an import.',
      field,
    );
  }
};

const INQUIRER_CHECKS: Record<keyof Inquirer, [(value: unknown) => boolean, string]> = {
  name: [isNonBlank, 'Name cannot be blank; leave it out instead.'],
  email: [isEmail, 'That email address is not valid.'],
  phone: [isE164Phone, 'Phone must be in international format, such as +4930123456.'],
  company: [isNonBlank, 'Company cannot be blank; leave it out instead.'],
  country: [isCountryCode, 'Country must be a two-letter ISO code, such as DE or US.'],
  website: [isWebsite, 'Enter a website or domain, such as acme.de.'],
  message: [isNonBlank, 'Message cannot be blank; leave it out instead.'],
};

/** Only the known fields, so stray input never reaches the event. */
export const pickInquirer = (inquirer: Inquirer): Inquirer => {
  const picked: Inquirer = {};
  for (const field of Object.keys(INQUIRER_CHECKS) as (keyof Inquirer)[]) {
    if (inquirer[field] !== undefined) picked[field] = inquirer[field];
  }
  return picked;
};

const checkInquirer = (inquirer: Inquirer | undefined): void => {
  if (!inquirer || !(inquirer.name || inquirer.email || inquirer.phone || inquirer.company)) {
    refuse(
      'lead.inquirer_unknown',
      'An inquiry must say who it is from: a name, email, phone or company.',
      'inquirer',
    );
  }
  for (const [field, [valid, message]] of Object.entries(INQUIRER_CHECKS)) {
    const value = inquirer[field as keyof Inquirer];
    if (value !== undefined && !valid(value)) {
      refuse(`lead.${field}_invalid`, message, `inquirer.${field}`);
    }
  }
};

const ATTACHMENT_CHECKS: [keyof AttachmentMeta, (value: unknown) => boolean][] = [
  ['sha256', isSha256Hex],
  ['filename', isNonBlank],
  ['mime', isMimeType],
  ['size', (value) => isIntegerInRange(value, 0, Number.MAX_SAFE_INTEGER)],
];

const checkAttachment = (attachment: AttachmentMeta, index: number): void => {
  const failed = ATTACHMENT_CHECKS.find(([field, valid]) => !valid(attachment?.[field]));
  if (failed) {
    refuse(
      'lead.attachment_invalid',
      `Attachment ${index + 1} has no valid ${failed[0]}.`,
      `attachments[${index}].${failed[0]}`,
    );
  }
};

export const checkInquiry = (inquiry: ReceiveInquiry): void => {
  if (!isNonBlank(inquiry.leadId)) refuse('lead.id_required', 'The lead has no id.', 'leadId');
  if (!isOneOf(INQUIRY_CHANNELS, inquiry.channel)) {
    refuse(
      'lead.channel_invalid',
      `Channel must be one of: ${INQUIRY_CHANNELS.join(', ')}.`,
      'channel',
    );
  }
  if (inquiry.sourceRef !== undefined && !isNonBlank(inquiry.sourceRef)) {
    refuse(
      'lead.source_ref_invalid',
      'Source reference cannot be blank; leave it out instead.',
      'sourceRef',
    );
  }
  if (!isSha256Hex(inquiry.payloadHash)) {
    refuse(
      'lead.payload_hash_invalid',
      'The inquiry needs the sha256 of its original payload.',
      'payloadHash',
    );
  }
  if (typeof inquiry.live !== 'boolean') {
    refuse('lead.live_required', 'Say whether the inquiry is live or imported.', 'live');
  }
  checkInquirer(inquiry.inquirer);
  if (!Array.isArray(inquiry.attachments)) {
    refuse('lead.attachment_invalid', 'Attachments must be a list, even if empty.', 'attachments');
  }
  inquiry.attachments.forEach(checkAttachment);
};
