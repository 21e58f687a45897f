import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The master key wraps subject keys and derives the dedup HMAC secret. It comes from
 * TRADEFLOW_MASTER_KEY (base64, 32 bytes) or, on the embedded default, from a file created once.
 */
export function loadMasterKey(fromEnv: string | undefined, file: string): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) {
      throw new Error('Environment variable TRADEFLOW_MASTER_KEY: must be 32 bytes in base64');
    }
    return key;
  }
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}

export const deriveSecret = (masterKey: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `tradeflow:${purpose}`, 32));
