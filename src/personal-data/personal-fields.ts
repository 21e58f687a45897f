import { PersonalFieldGroup, PersonalFieldRule } from './personal-data-cipher';

/**
 * The personal fields of every event type that has any. Subjects: `lead:<leadId>` for the person
 * behind an inquiry, `contact:<contactId>` for a contact, `deal:<dealId>` for free-text activity
 * notes not tied to a contact. Company names, domains and countries are business data, not personal.
 */
const CONTACT_FIELDS = ['name', 'email', 'phone', 'title'];
const streamId = (streamName: string) => streamName.slice(streamName.indexOf('-') + 1);

const lead =
  (...paths: string[]): PersonalFieldRule =>
  (data) => [{ subject: `lead:${data.leadId}`, paths }];

const contactList =
  (list: string): PersonalFieldRule =>
  (data) =>
    ((data[list] as Array<{ contactId: string }> | undefined) ?? []).map(
      (contact, index): PersonalFieldGroup => ({
        subject: `contact:${contact.contactId}`,
        paths: CONTACT_FIELDS.map((field) => `${list}.${index}.${field}`),
      }),
    );

const dealNote =
  (...paths: string[]): PersonalFieldRule =>
  (_data, streamName) => [{ subject: `deal:${streamId(streamName)}`, paths }];

export const PERSONAL_FIELDS: Record<string, PersonalFieldRule> = {
  InquiryReceived: lead(
    'inquirer.name',
    'inquirer.email',
    'inquirer.phone',
    'inquirer.message',
    'attachments[].filename',
  ),
  LeadResponseRecorded: lead('summary'),
  LeadQualified: lead('note'),
  LeadNurtured: lead('reason'),
  LeadDisqualified: lead('note'),
  LeadConverted: (data) => [
    {
      subject: `contact:${data.contactId}`,
      paths: CONTACT_FIELDS.map((field) => `newContact.${field}`),
    },
  ],
  ContactAdded: (data) => [{ subject: `contact:${data.contactId}`, paths: CONTACT_FIELDS }],
  ContactUpdated: (data) => [
    {
      subject: `contact:${data.contactId}`,
      paths: CONTACT_FIELDS.map((field) => `changes.${field}`),
    },
  ],
  AccountMergedInto: contactList('movedContacts'),
  AccountAbsorbed: contactList('contacts'),
  AccountUnmerged: contactList('returnedContacts'),
  // The shared phone a dedup review was opened for is the inquirer's.
  DedupReviewOpened: lead('evidence.phone'),
  UserRegistered: (data) => [{ subject: `user:${data.userId}`, paths: ['name', 'email'] }],
  UserRenamed: (data) => [{ subject: `user:${data.userId}`, paths: ['name'] }],
  UserEmailChanged: (data) => [{ subject: `user:${data.userId}`, paths: ['email'] }],
  // Free-text notes may name people; they are sealed under the record they belong to.
  DealStageChanged: dealNote('note'),
  DealLost: dealNote('note'),
  QuoteApprovalRequested: dealNote('note'),
  QuoteApproved: dealNote('note'),
  TaskCompleted: (data) => [{ subject: `task:${data.taskId}`, paths: ['note'] }],
  DealActivityLogged: (data, streamName) => [
    {
      subject: data.contactId ? `contact:${data.contactId}` : `deal:${streamId(streamName)}`,
      paths: ['summary'],
    },
  ],
};
