import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SUBJECT_KEY_STORE, SubjectKeyStore } from '../personal-data/subject-key-store';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';

const MAGIC = Buffer.from('TFA1');

/**
 * Attachment bytes on disk, addressed by their sha256 and encrypted (AES-256-GCM) with the key of
 * the data subject they belong to, like the personal fields of events. One copy per subject, so
 * that erasing one subject's key leaves another's copy of the same file readable.
 * Layout: DATA_DIR/attachments/<sha256>/<subject>.
 */
@Injectable()
export class AttachmentStore {
  constructor(
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
    @Inject(SUBJECT_KEY_STORE) private readonly keys: SubjectKeyStore,
  ) {}

  /** Stores the bytes unless the subject was erased; answers their sha256 either way. */
  async put(subject: string, bytes: Buffer): Promise<{ sha256: string; stored: boolean }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = await this.keys.keyFor(subject);
    if (!key) return { sha256, stored: false };
    const file = this.path(sha256, subject);
    if (await exists(file)) return { sha256, stored: true };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${sha256}\u0000${subject}`));
    const sealed = Buffer.concat([cipher.update(bytes), cipher.final()]);
    await mkdir(join(this.root(), sha256), { recursive: true });
    // Written aside and renamed, so a crash never leaves a partial file under the final name.
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(partial, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), sealed]));
    await rename(partial, file);
    return { sha256, stored: true };
  }

  /** The bytes, or undefined when absent or the subject was erased. */
  async get(subject: string, sha256: string): Promise<Buffer | undefined> {
    const key = await this.keys.existingKey(subject);
    const file = this.path(sha256, subject);
    if (!key || !(await exists(file))) return undefined;
    const stored = await readFile(file);
    const iv = stored.subarray(4, 16);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${sha256}\u0000${subject}`));
    decipher.setAuthTag(stored.subarray(16, 32));
    return Buffer.concat([decipher.update(stored.subarray(32)), decipher.final()]);
  }

  /**
   * Deletes every file kept for an erased subject. Their key is gone already, so the bytes were
   * unreadable; deleting them leaves no ciphertext to wait for a broken cipher. Answers how many.
   */
  async forget(subject: string): Promise<number> {
    const name = fileName(subject);
    const folders = await readdir(this.root()).catch(() => [] as string[]);
    let removed = 0;
    for (const sha256 of folders) {
      const folder = join(this.root(), sha256);
      const files = await readdir(folder).catch(() => [] as string[]);
      for (const file of files.filter((f) => f === name || f.startsWith(`${name}.`))) {
        await rm(join(folder, file), { force: true });
        removed++;
      }
      // Another subject's copy of the same file keeps the folder.
      if (files.length > 0 && (await readdir(folder)).length === 0)
        await rmdir(folder).catch(() => undefined);
    }
    return removed;
  }

  private root(): string {
    return join(this.settings.dataDir, 'attachments');
  }

  private path(sha256: string, subject: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('Not a sha256 hex digest');
    return join(this.root(), sha256, fileName(subject));
  }
}

const fileName = (subject: string): string => subject.replace(/[^A-Za-z0-9-]/g, '_');

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
