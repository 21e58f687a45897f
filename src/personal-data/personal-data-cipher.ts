import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SubjectKeyStore } from './subject-key-store';

export const ERASED = '[erased]';

/** Which fields of an event are personal, and whose they are. Paths are dot-separated. */
export interface PersonalFieldRule {
  subject(data: Record<string, unknown>): string | undefined;
  paths: string[];
}

/** The encrypted part of an event's data: the personal fields, sealed with the subject's key. */
interface SealedEnvelope {
  subject: string;
  iv: string;
  tag: string;
  ciphertext: string;
  paths: string[];
}

const ENVELOPE = '$personal';

/**
 * Moves personal fields out of event data into one AES-256-GCM envelope per event before append,
 * and puts them back on read. A destroyed key reads as "[erased]", never as an error.
 */
export class PersonalDataCipher {
  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly rules: Record<string, PersonalFieldRule>,
  ) {}

  async seal(type: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const rule = this.rules[type];
    const subject = rule?.subject(data);
    if (!rule || !subject) return data;
    const personal: Record<string, unknown> = {};
    const open = structuredClone(data);
    const paths = rule.paths.flatMap((path) => expandPath(open, path));
    for (const path of paths) {
      personal[path] = getPath(open, path);
      deletePath(open, path);
    }
    if (paths.length === 0) return data;
    const key = await this.keys.keyFor(subject);
    if (!key) {
      // The subject was erased: new personal data about them is not kept.
      for (const path of paths) setPath(open, path, ERASED);
      return open;
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personal)), cipher.final()]);
    const envelope: SealedEnvelope = {
      subject,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      paths,
    };
    return { ...open, [ENVELOPE]: envelope };
  }

  async open(data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const envelope = data[ENVELOPE] as SealedEnvelope | undefined;
    if (!envelope) return data;
    const { [ENVELOPE]: _sealed, ...rest } = data;
    const opened = structuredClone(rest);
    const key = await this.keys.existingKey(envelope.subject);
    if (!key) {
      for (const path of envelope.paths) setPath(opened, path, ERASED);
      return opened;
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
      decipher.final(),
    ]);
    const personal = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    for (const [path, value] of Object.entries(personal)) setPath(opened, path, value);
    return opened;
  }
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
