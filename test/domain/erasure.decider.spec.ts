import { EraseSubject, ErasureCommand } from '../../domain/privacy/erasure.commands';
import { erasureDecider } from '../../domain/privacy/erasure.decider';
import {
  ErasureEvent,
  sealedInStreams,
  subjectRecordIds,
} from '../../domain/privacy/erasure.events';
import { specify } from './decider-spec';

const erasure = specify(erasureDecider);
const ADMIN = { userId: 'u-admin', role: 'admin' };

const request: EraseSubject = {
  erasureId: 'l-1',
  subject: { kind: 'lead', leadId: 'l-1' },
  requestRef: 'DPO-2026-017',
  subjectIds: ['lead:l-1', 'contact:c-1'],
  sealedIn: ['lead-l-1@0', 'lead-l-1@2', 'account-a-1@1', 'deal-d-1@4'],
};
const erase = (changes: Partial<EraseSubject> = {}): ErasureCommand => ({
  type: 'EraseSubject',
  data: { ...request, ...changes },
});
const erased: ErasureEvent = {
  type: 'SubjectErased',
  data: {
    erasureId: 'l-1',
    subject: { kind: 'lead', leadId: 'l-1' },
    requestRef: 'DPO-2026-017',
    erasedBy: 'u-admin',
    subjectIds: ['lead:l-1', 'contact:c-1'],
    sealedIn: ['lead-l-1@0', 'lead-l-1@2', 'account-a-1@1', 'deal-d-1@4'],
  },
};

describe('erasure decider', () => {
  it('records who erased whom, under which request, and where their data was sealed', () => {
    erasure.given().when(erase(), { actor: ADMIN }).then([erased]);
  });

  it('erases a contact of an account', () => {
    const [event] = erasure
      .given()
      .when(
        erase({
          erasureId: 'c-1',
          subject: { kind: 'contact', accountId: 'a-1', contactId: 'c-1' },
          subjectIds: ['contact:c-1'],
          sealedIn: ['account-a-1@1'],
        }),
        { actor: ADMIN },
      )
      .events();
    expect(event.data).toMatchObject({
      subject: { kind: 'contact', accountId: 'a-1', contactId: 'c-1' },
      subjectIds: ['contact:c-1'],
    });
  });

  it('names each key and sealed event once, and trims the reference', () => {
    const [event] = erasure
      .given()
      .when(
        erase({
          requestRef: '  DPO-2026-017 ',
          subjectIds: ['lead:l-1', 'lead:l-1'],
          sealedIn: ['lead-l-1@0', 'lead-l-1@0'],
        }),
        { actor: ADMIN },
      )
      .events();
    expect(event.data).toMatchObject({
      requestRef: 'DPO-2026-017',
      subjectIds: ['lead:l-1'],
      sealedIn: ['lead-l-1@0'],
    });
  });

  it('answers a repeated request under the same reference with nothing new', () => {
    erasure
      .given([erased])
      .when(erase({ requestRef: ' DPO-2026-017' }))
      .then([]);
  });

  it('refuses a second erasure under another reference, naming the first', () => {
    const error = erasure
      .given([erased])
      .when(erase({ requestRef: 'DPO-2026-099' }))
      .thenThrows('erasure.already_erased', /DPO-2026-017/);
    expect(error.field).toBe('requestRef');
    expect(error.details).toEqual({ requestRef: 'DPO-2026-017' });
  });

  describe('the contact an erased lead became', () => {
    const contact = { kind: 'contact', accountId: 'a-1', contactId: 'c-1' } as const;

    it('is answered with the lead’s erasure under the same reference, recording nothing', () => {
      erasure
        .given([erased])
        .when(erase({ subject: contact, subjectIds: ['contact:c-1'], sealedIn: [] }))
        .then([]);
    });

    it('is refused under another reference, naming the first', () => {
      const error = erasure
        .given([erased])
        .when(erase({ subject: contact, requestRef: 'DPO-2026-099' }))
        .thenThrows('erasure.already_erased', /DPO-2026-017/);
      expect(error.details).toEqual({ requestRef: 'DPO-2026-017' });
    });

    it('but a person the erasure does not cover is not answered with it', () => {
      const error = erasure
        .given([erased])
        .when(erase({ subject: { ...contact, contactId: 'c-9' } }))
        .thenThrows('erasure.other_subject');
      expect(error.field).toBe('subject');
    });
  });

  it.each([
    ['a blank reference', { requestRef: '  ' }, 'erasure.request_ref_invalid', 'requestRef'],
    [
      'an overlong reference',
      { requestRef: 'x'.repeat(201) },
      'erasure.request_ref_invalid',
      'requestRef',
    ],
    ['no subject', { subject: undefined as never }, 'erasure.subject_invalid', 'subject'],
    [
      'a contact without its account',
      { subject: { kind: 'contact', accountId: '', contactId: 'c-1' } as const },
      'erasure.subject_invalid',
      'subject',
    ],
    ['no key to destroy', { subjectIds: [] }, 'erasure.subject_ids_invalid', undefined],
    [
      'a key of another kind',
      { subjectIds: ['user:u-1'] },
      'erasure.subject_ids_invalid',
      undefined,
    ],
    ['a malformed event ref', { sealedIn: ['lead-l-1'] }, 'erasure.sealed_in_invalid', undefined],
  ])('refuses %s', (_case, changes, code, field) => {
    const error = erasure
      .given()
      .when(erase(changes as Partial<EraseSubject>))
      .thenThrows(code);
    expect(error.field).toBe(field);
  });

  it('checks the request before answering a repeat', () => {
    erasure
      .given([erased])
      .when(erase({ requestRef: '' }))
      .thenThrows('erasure.request_ref_invalid');
  });

  it('tells read models which records and events to blank', () => {
    expect(subjectRecordIds(erased.data, 'contact')).toEqual(['c-1']);
    expect(subjectRecordIds(erased.data, 'lead')).toEqual(['l-1']);
    expect(sealedInStreams(erased.data, 'account')).toEqual([
      { streamName: 'account-a-1', revision: 1 },
    ]);
    expect(sealedInStreams(erased.data, 'lead').map((ref) => ref.revision)).toEqual([0, 2]);
  });
});
