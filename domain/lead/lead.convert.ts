import { CONTACT_ROLES } from '../account/account.commands';
import { checkAccountProfile, checkGrade, pickProfile } from '../account/account.rules';
import { isCurrencyCode } from '../shared/money';
import { isNonBlank, isOneOf, refuse } from '../shared/validation';
import { ConvertLead, NewAccountDetails } from './lead.commands';
import { LeadConverted, LeadEvent } from './lead.events';
import { existingLead } from './lead.rules';
import { LeadState } from './lead.state';

const checkTargetId = (value: unknown, field: string): void => {
  if (!isNonBlank(value))
    refuse('lead.target_id_required', `The conversion has no ${field}.`, field);
};

/** The new contact is the person who wrote in, completed by what the rep adds at conversion. */
const newContactFor = (
  command: ConvertLead,
  inquirer: { name?: string; email?: string; phone?: string },
): NonNullable<LeadConverted['newContact']> => {
  const name = command.newContact?.name ?? inquirer.name;
  if (!isNonBlank(name)) {
    refuse(
      'lead.contact_name_required',
      'The inquiry has no contact name; enter one to create the contact.',
      'newContact.name',
    );
  }
  const role = command.newContact?.role ?? 'purchasing';
  if (!isOneOf(CONTACT_ROLES, role)) {
    refuse(
      'lead.contact_role_invalid',
      `Contact role must be one of: ${CONTACT_ROLES.join(', ')}.`,
      'newContact.role',
    );
  }
  const title = command.newContact?.title;
  if (title !== undefined && !isNonBlank(title)) {
    refuse(
      'lead.contact_title_invalid',
      'Title cannot be blank; leave it out instead.',
      'newContact.title',
    );
  }
  return {
    name,
    ...(inquirer.email !== undefined && { email: inquirer.email }),
    ...(inquirer.phone !== undefined && { phone: inquirer.phone }),
    role,
    ...(title !== undefined && { title }),
  };
};

/** Only the known fields, so stray input never reaches the event. */
const newAccountDetails = (details: NewAccountDetails): NewAccountDetails => {
  const { sourceChannel: _sourceChannel, ...profile } = pickProfile({
    ...details,
    sourceChannel: 'other',
  });
  return { ...profile, grade: details.grade };
};

const checkDeal = (deal: ConvertLead['deal']): void => {
  if (!isNonBlank(deal?.title)) {
    refuse('lead.deal_title_required', 'Give the new deal a title.', 'deal.title');
  }
  if (!isNonBlank(deal.productLine)) {
    refuse(
      'lead.deal_product_line_required',
      'Choose the product line of the new deal.',
      'deal.productLine',
    );
  }
  if (!isCurrencyCode(deal.currency)) {
    refuse(
      'lead.deal_currency_invalid',
      'Deal currency must be an ISO 4217 code, such as USD or EUR.',
      'deal.currency',
    );
  }
};

export const convertLead = (command: ConvertLead, state: LeadState): LeadEvent[] => {
  const lead = existingLead(state);
  if (lead.status === 'converted') {
    refuse('lead.already_converted', 'This lead has already been converted.', undefined, {
      ...lead.convertedTo,
    });
  }
  if (lead.status === 'disqualified') {
    refuse('lead.disqualified', 'A disqualified lead cannot be converted.');
  }
  const ownerId =
    lead.ownerId ?? refuse('lead.unassigned', 'Assign the lead to a rep before converting it.');
  checkTargetId(command.accountId, 'accountId');
  checkTargetId(command.contactId, 'contactId');
  checkTargetId(command.dealId, 'dealId');

  const { existingAccountId, existingContactId, newAccount } = command;
  if (existingContactId !== undefined && existingAccountId === undefined) {
    refuse(
      'lead.existing_contact_needs_account',
      'An existing contact can only be used together with its account.',
      'existingContactId',
    );
  }
  if (existingAccountId !== undefined) {
    checkTargetId(existingAccountId, 'existingAccountId');
    if (newAccount) {
      refuse(
        'lead.new_account_conflict',
        'Either attach to an existing account or describe a new one, not both.',
        'newAccount',
      );
    }
  } else {
    if (!newAccount) {
      refuse(
        'lead.new_account_required',
        'Fill in the new account, or choose an existing account to attach to.',
        'newAccount',
      );
    }
    checkAccountProfile({ ...newAccount, sourceChannel: lead.channel }, 'newAccount.');
    checkGrade(newAccount.grade, 'newAccount.grade');
  }
  if (existingContactId !== undefined) checkTargetId(existingContactId, 'existingContactId');
  checkDeal(command.deal);

  const { title, productLine, currency } = command.deal;
  const converted: LeadConverted = {
    leadId: lead.leadId,
    ownerId,
    channel: lead.channel,
    accountId: existingAccountId ?? command.accountId,
    ...(newAccount && { newAccount: newAccountDetails(newAccount) }),
    contactId: existingContactId ?? command.contactId,
    ...(existingContactId === undefined && { newContact: newContactFor(command, lead.inquirer) }),
    dealId: command.dealId,
    deal: { title, productLine, currency },
  };
  return [{ type: 'LeadConverted', data: converted }];
};
