import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ERASED } from '../../domain/privacy/erased';
import { randomBytesFromPool } from './random-pool';
import { SubjectKeyStore } from './subject-key-store';

export { ERASED };

/** One data subject's personal fields in an event. Paths are dot-separated; `list[].field` expands. */
export interface PersonalFieldGroup {
  subject: string;
  paths: string[];
}

/** Which fields of an event type are personal, and whose they are. */
export type PersonalFieldRule = (
  data: Record<string, unknown>,
  streamName: string,
) => PersonalFieldGroup[];

/** The personal fields of one subject, sealed with that subject's key. */
interface SealedEnvelope {
  subject: string;
  iv: string;
  tag: string;
  ciphertext: string;
  paths: string[];
}

const ENVELOPES = '$personal';

/** Whose personal fields a stored event seals, read without opening anything. */
export const sealedSubjects = (data: Record<string, unknown>): string[] =>
  ((data[ENVELOPES] as SealedEnvelope[] | undefined) ?? []).map((envelope) => envelope.subject);

/**
 * Moves personal fields out of event data into AES-256-GCM envelopes, one per data subject,
 * before append, and puts them back on read. A destroyed key reads as "[erased]", never an error.
 */
export class PersonalDataCipher {
  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly rules: Record<string, PersonalFieldRule>,
  ) {}

  async seal(
    type: string,
    data: Record<string, unknown>,
    streamName = '',
  ): Promise<Record<string, unknown>> {
    const rule = this.rules[type];
    if (!rule) return data;
    const open = structuredClone(data);
    const envelopes: SealedEnvelope[] = [];
    for (const group of rule(data, streamName)) {
      const paths = group.paths.flatMap((path) => expandPath(open, path));
      if (paths.length === 0) continue;
      const personal: Record<string, unknown> = {};
      for (const path of paths) {
        personal[path] = getPath(open, path);
        deletePath(open, path);
      }
      // The sealed events are appended next: a new key may become durable in the same commit.
      const key = await this.keys.keyForSealing(group.subject);
      if (!key) {
        // The subject was erased: new personal data about them is not kept.
        for (const path of paths) setPath(open, path, ERASED);
        continue;
      }
      envelopes.push(sealWith(key, group.subject, paths, personal));
    }
    return envelopes.length > 0 ? { ...open, [ENVELOPES]: envelopes } : open;
  }

  async open(data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const envelopes = data[ENVELOPES] as SealedEnvelope[] | undefined;
    if (!envelopes) return data;
    const { [ENVELOPES]: _sealed, ...rest } = data;
    const opened = structuredClone(rest);
    for (const envelope of envelopes) {
      const key = await this.keys.existingKey(envelope.subject);
      if (!key && !(await this.keys.isErased(envelope.subject))) {
        // Erasure always leaves a record; a key that is simply absent was lost, not erased.
        throw new Error(
          `No data key for ${envelope.subject}: the key store is missing, or not the one these events were sealed with`,
        );
      }
      const personal = key ? openWith(key, envelope) : undefined;
      for (const path of envelope.paths) setPath(opened, path, personal ? personal[path] : ERASED);
    }
    return opened;
  }
}

function sealWith(
  key: Buffer,
  subject: string,
  paths: string[],
  personal: Record<string, unknown>,
): SealedEnvelope {
  const iv = randomBytesFromPool(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personal)), cipher.final()]);
  return {
    subject,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    paths,
  };
}

function openWith(key: Buffer, envelope: SealedEnvelope): Record<string, unknown> {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const plain = Buffer.concat([
    decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
}

/** `attachments[].filename` expands to one concrete path per array element that exists. */
function expandPath(data: unknown, path: string): string[] {
  const arrayAt = path.indexOf('[]');
  if (arrayAt < 0) return getPath(data, path) === undefined ? [] : [path];
  const head = path.slice(0, arrayAt);
  const tail = path.slice(arrayAt + 3);
  const list = getPath(data, head);
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, index) =>
    expandPath(data, tail ? `${head}.${index}.${tail}` : `${head}.${index}`),
  );
}

function getPath(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[key]
          : undefined,
      data,
    );
}

function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = data;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function deletePath(data: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  const parent = getPath(data, keys.slice(0, -1).join('.'));
  const target = keys.length === 1 ? data : parent;
  if (target !== null && typeof target === 'object') {
    delete (target as Record<string, unknown>)[keys[keys.length - 1]];
  }
}
