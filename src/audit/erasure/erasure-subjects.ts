import { Inject, Injectable } from '@nestjs/common';
import { type ErasureSubject, subjectKeyOf } from '../../../domain/privacy/erasure.events';
import { DomainError } from '../../../domain/shared/domain-error';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { sealedSubjects } from '../../personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../personal-data/personal-fields';

const PAGE = 1_000;
/** Event types that may seal a lead's or a contact's fields (users are erased another way). */
const SEALING_TYPES = Object.keys(PERSONAL_FIELDS).filter((type) => !type.startsWith('User'));

export const leadSubject = (leadId: string) => `lead:${leadId}`;
export const contactSubject = (contactId: string) => `contact:${contactId}`;

/**
 * Finds a person in the log: whether the lead or contact exists, which data keys are theirs, and
 * which events sealed fields under those keys. Erasure is rare and must be complete, so this reads
 * the log rather than a read model that may lag or be rebuilding.
 */
@Injectable()
export class ErasureSubjects {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async requireExists(subject: ErasureSubject): Promise<void> {
    if (subject.kind === 'lead') {
      const [first] = await this.store.readStream(`lead-${subject.leadId}`, { maxCount: 1 });
      if (!first) throw notFound('erasure.lead_not_found', 'subject.leadId', 'No lead has this id');
      return;
    }
    const events = await this.store.readStream(`account-${subject.accountId}`);
    if (events.length === 0) {
      throw notFound('erasure.account_not_found', 'subject.accountId', 'No account has this id');
    }
    const key = contactSubject(subject.contactId);
    const known = events.some(
      (event) =>
        event.data.contactId === subject.contactId || sealedSubjects(event.data).includes(key),
    );
    if (!known) {
      throw notFound(
        'erasure.contact_not_found',
        'subject.contactId',
        'This account has never had a contact with this id',
      );
    }
  }

  /**
   * The person's keys: the one named, and every lead or contact joined to it by a conversion
   * (a lead converted into a new contact, or attached to an existing one by its email).
   */
  async keysOf(subject: ErasureSubject): Promise<string[]> {
    const links = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      links.set(a, (links.get(a) ?? new Set()).add(b));
      links.set(b, (links.get(b) ?? new Set()).add(a));
    };
    for await (const event of this.scan(['LeadConverted'])) {
      const { leadId, contactId } = event.data as { leadId: string; contactId: string };
      link(leadSubject(leadId), contactSubject(contactId));
    }
    const keys = new Set([subjectKeyOf(subject)]);
    for (const key of keys) for (const linked of links.get(key) ?? []) keys.add(linked);
    return [...keys].sort();
  }

  /** `<stream>@<revision>` of every event that sealed fields under one of these keys. */
  async sealedIn(keys: string[]): Promise<string[]> {
    const wanted = new Set(keys);
    const refs: string[] = [];
    for await (const event of this.scan(SEALING_TYPES)) {
      if (sealedSubjects(event.data).some((subject) => wanted.has(subject))) {
        refs.push(`${event.streamName}@${event.revision}`);
      }
    }
    return refs;
  }

  private async *scan(eventTypes: string[]): AsyncGenerator<RecordedEvent> {
    let after: string | undefined;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: PAGE, filter: { eventTypes } });
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1].position;
    }
  }
}

const notFound = (code: string, field: string, message: string) =>
  new DomainError(code, message, field);
