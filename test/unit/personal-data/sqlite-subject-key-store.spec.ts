import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { ERASED, PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import {
  SqliteSubjectKeyStore,
  SubjectKeyRaceError,
} from '../../../src/personal-data/sqlite-subject-key-store';

const rules = {
  InquiryReceived: (data: Record<string, unknown>) => [
    { subject: `lead:${data.leadId}`, paths: ['person.name'] },
  ],
};
const inquiry = (leadId: string) => ({ leadId, person: { name: 'Ahmed Al-Farsi' } });
const metadata = {
  occurredAt: '2026-03-10T08:00:00.000Z',
  $correlationId: 'c',
  $causationId: 'c',
};

describe('subject keys sharing the embedded event store’s connection', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let keys: SqliteSubjectKeyStore;
  let cipher: PersonalDataCipher;
  const masterKey = randomBytes(32);

  /** What is durable in the file, through a connection of its own. */
  const storedKey = (subjectId: string) => {
    const reader = new Database(file, { readonly: true });
    try {
      return reader
        .prepare('SELECT wrapped, erased_at FROM subject_keys WHERE subject_id = ?')
        .get(subjectId) as { wrapped: Buffer | null; erased_at: string | null } | undefined;
    } finally {
      reader.close();
    }
  };

  const append = async (leadId: string) =>
    store.append(
      `lead-${leadId}`,
      [
        {
          type: 'InquiryReceived',
          data: await cipher.seal('InquiryReceived', inquiry(leadId)),
          metadata,
        },
      ],
      { expectedRevision: 'no_stream' },
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'subject-keys-'));
    file = join(dir, 'events.sqlite');
    store = SqliteEventStore.open({ file });
    keys = new SqliteSubjectKeyStore(store.sharedConnection(), masterKey);
    cipher = new PersonalDataCipher(keys, rules);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out a new key for sealing at once, and writes it with the events sealed with it', async () => {
    const key = await keys.keyForSealing('lead:L1');
    expect(key).toHaveLength(32);
    expect(storedKey('lead:L1')).toBeUndefined();
    expect(await keys.keyForSealing('lead:L1')).toBe(key);

    await append('L1');
    expect(storedKey('lead:L1')?.wrapped).toBeInstanceOf(Buffer);
    const [event] = await store.readStream('lead-L1');
    const restarted = new SqliteSubjectKeyStore(store.sharedConnection(), masterKey);
    expect(await new PersonalDataCipher(restarted, rules).open(event.data)).toEqual(inquiry('L1'));
  });

  it('gives two simultaneous sealers of a new subject the same key', async () => {
    const [a, b] = await Promise.all([
      keys.keyForSealing('lead:L2'),
      keys.keyForSealing('lead:L2'),
    ]);
    expect(a).toBe(b);
  });

  it('keeps a key whose commit failed, and writes it with the next one', async () => {
    const key = await keys.keyForSealing('lead:L3');
    await expect(
      store.sharedConnection().commits.run(() => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(storedKey('lead:L3')).toBeUndefined();

    await append('L3');
    const restarted = new SqliteSubjectKeyStore(store.sharedConnection(), masterKey);
    expect(await restarted.existingKey('lead:L3')).toEqual(key);
  });

  it('answers keyFor only once the key is durable', async () => {
    const key = await keys.keyFor('lead:L4');
    expect(storedKey('lead:L4')?.wrapped).toBeInstanceOf(Buffer);
    expect(await keys.keyForSealing('lead:L4')).toEqual(key);
  });

  it('never writes a key that was erased before its commit', async () => {
    await keys.keyForSealing('lead:L5');
    await keys.destroy('lead:L5', {
      erasedAt: '2026-05-01T00:00:00Z',
      erasedBy: 'u-admin',
      requestRef: 'GDPR-9',
    });
    await append('L6');
    expect(storedKey('lead:L5')).toMatchObject({ wrapped: null, erased_at: expect.any(String) });
    expect(await keys.keyForSealing('lead:L5')).toBeUndefined();
  });

  it('fails the commit that would write events sealed with a key another connection beat', async () => {
    const other = SqliteEventStore.open({ file });
    const theirKeys = new SqliteSubjectKeyStore(other.sharedConnection(), masterKey);
    try {
      const ours = await keys.keyForSealing('lead:L7');
      const theirs = await theirKeys.keyFor('lead:L7');
      expect(theirs).not.toEqual(ours);

      await expect(append('L7')).rejects.toBeInstanceOf(SubjectKeyRaceError);
      expect(await store.readStream('lead-L7')).toEqual([]);
      // The next attempt seals with the key that won, and nothing is lost.
      expect(await keys.keyForSealing('lead:L7')).toEqual(theirs);
      await append('L7');
      const [event] = await other.readStream('lead-L7');
      expect(await new PersonalDataCipher(theirKeys, rules).open(event.data)).toEqual(
        inquiry('L7'),
      );
    } finally {
      await other.close();
    }
  });

  it('reads an erased subject as erased, not with a key handed out before the erasure', async () => {
    const other = SqliteEventStore.open({ file });
    const theirKeys = new SqliteSubjectKeyStore(other.sharedConnection(), masterKey);
    try {
      await keys.keyForSealing('lead:L8');
      await theirKeys.destroy('lead:L8', {
        erasedAt: '2026-05-01T00:00:00Z',
        erasedBy: 'u-admin',
        requestRef: 'GDPR-10',
      });
      await append('L8');
      const [event] = await store.readStream('lead-L8');
      expect(await cipher.open(event.data)).toEqual({ leadId: 'L8', person: { name: ERASED } });
    } finally {
      await other.close();
    }
  });
});

describe('subject keys in a file of their own', () => {
  it('hands out keys for sealing only once they are durable: the events go elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'subject-keys-own-'));
    const file = join(dir, 'keys.sqlite');
    const keys = new SqliteSubjectKeyStore(file, randomBytes(32));
    try {
      await keys.keyForSealing('lead:L1');
      const reader = new Database(file, { readonly: true });
      expect(
        reader.prepare('SELECT subject_id FROM subject_keys').all() as Array<{
          subject_id: string;
        }>,
      ).toEqual([{ subject_id: 'lead:L1' }]);
      reader.close();
    } finally {
      await keys.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
