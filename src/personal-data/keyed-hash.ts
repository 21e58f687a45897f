import { createHmac } from 'node:crypto';

/**
 * Dedup keys are HMACs under a server secret, so a leaked log cannot be matched against a list of
 * known emails or domains.
 */
export class KeyedHasher {
  constructor(private readonly secret: Buffer) {}

  hash(kind: string, normalizedValue: string): string {
    return createHmac('sha256', this.secret)
      .update(`${kind}\u0000${normalizedValue}`)
      .digest('hex');
  }
}
