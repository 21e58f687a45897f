import { randomBytes } from 'node:crypto';
import { ERASED, PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';
import { KeyedHasher } from '../../../src/personal-data/keyed-hash';

const rules = {
  InquiryReceived: (data: Record<string, unknown>) => [
    {
      subject: `lead:${data.leadId}`,
      paths: ['person.name', 'person.email', 'message', 'attachments[].filename'],
    },
  ],
  ContactsMoved: (data: Record<string, unknown>) =>
    (data.contacts as Array<{ contactId: string }>).map((contact, index) => ({
      subject: `contact:${contact.contactId}`,
      paths: [`contacts.${index}.name`],
    })),
};
const inquiry = {
  leadId: 'L1',
  channel: 'alibaba',
  person: { name: 'Ahmed Al-Farsi', email: 'ahmed@gulf-trading.ae', country: 'AE' },
  message: 'Need 2000 pcs of valve DN50',
  attachments: [
    { filename: 'ahmed-drawing.pdf', sha256: 'abc' },
    { filename: 'spec.xlsx', sha256: 'def' },
  ],
};

describe('personal data cipher', () => {
  let keys: SqliteSubjectKeyStore;
  let cipher: PersonalDataCipher;
  beforeEach(() => {
    keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    cipher = new PersonalDataCipher(keys, rules);
  });
  afterEach(() => keys.close());

  it('seals personal fields so none appears in the stored data, and opens them back', async () => {
    const sealed = await cipher.seal('InquiryReceived', inquiry);
    const text = JSON.stringify(sealed);
    for (const secret of ['Ahmed', 'gulf-trading', 'valve', 'ahmed-drawing']) {
      expect(text).not.toContain(secret);
    }
    expect(sealed).toMatchObject({ leadId: 'L1', channel: 'alibaba', person: { country: 'AE' } });
    expect(await cipher.open(sealed)).toEqual(inquiry);
  });

  it('leaves events without personal fields untouched', async () => {
    expect(await cipher.seal('DealStageChanged', { dealId: 'D1', to: 'proposal' })).toEqual({
      dealId: 'D1',
      to: 'proposal',
    });
  });

  it('reads "[erased]" for every personal field once the key is destroyed, keeping the rest', async () => {
    const sealed = await cipher.seal('InquiryReceived', inquiry);
    await keys.destroy('lead:L1', {
      erasedAt: '2026-05-01T00:00:00Z',
      erasedBy: 'u-admin',
      requestRef: 'GDPR-7',
    });
    expect(await keys.isErased('lead:L1')).toBe(true);
    const opened = await cipher.open(sealed);
    expect(opened).toEqual({
      ...inquiry,
      person: { name: ERASED, email: ERASED, country: 'AE' },
      message: ERASED,
      attachments: [
        { filename: ERASED, sha256: 'abc' },
        { filename: ERASED, sha256: 'def' },
      ],
    });
    const later = await cipher.seal('InquiryReceived', inquiry);
    expect(JSON.stringify(later)).not.toContain('Ahmed');
  });

  it('seals each subject with its own key, so erasing one leaves the other readable', async () => {
    const moved = {
      contacts: [
        { contactId: 'C1', name: 'Li Wei', role: 'purchasing' },
        { contactId: 'C2', name: 'Maria Rossi', role: 'quality' },
      ],
    };
    const sealed = await cipher.seal('ContactsMoved', moved);
    expect(JSON.stringify(sealed)).not.toMatch(/Li Wei|Maria/);
    await keys.destroy('contact:C1', {
      erasedAt: '2026-05-01T00:00:00Z',
      erasedBy: 'u-admin',
      requestRef: 'R1',
    });
    expect(await cipher.open(sealed)).toEqual({
      contacts: [
        { contactId: 'C1', name: ERASED, role: 'purchasing' },
        { contactId: 'C2', name: 'Maria Rossi', role: 'quality' },
      ],
    });
  });

  it('fails loudly when a key is missing rather than erased, so a lost key store is never read as erasure', async () => {
    const sealed = await cipher.seal('InquiryReceived', inquiry);
    const otherStore = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    await expect(new PersonalDataCipher(otherStore, rules).open(sealed)).rejects.toThrow(
      /No data key for lead:L1/,
    );
    await otherStore.close();
  });

  it('hashes dedup keys with a keyed hash that differs per secret', () => {
    const a = new KeyedHasher(randomBytes(32));
    const b = new KeyedHasher(randomBytes(32));
    expect(a.hash('email', 'ahmed@gulf-trading.ae')).toBe(a.hash('email', 'ahmed@gulf-trading.ae'));
    expect(a.hash('email', 'ahmed@gulf-trading.ae')).not.toBe(
      b.hash('email', 'ahmed@gulf-trading.ae'),
    );
    expect(a.hash('email', 'x')).not.toBe(a.hash('domain', 'x'));
  });
});
