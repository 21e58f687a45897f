import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

export type TokenKind = 'session' | 'api' | 'intake';

const PREFIX: Record<TokenKind, string> = { session: 'tfs', api: 'tfa', intake: 'tfi' };
const FORMAT = /^(tfs|tfa|tfi)_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  tokenId: string;
  /** Shown to the caller once; only its hash is stored. */
  secret: string;
  secretHash: string;
}

/** `tfs_<token id>_<secret>`: the id finds the record, the secret proves possession. */
export function mintToken(kind: TokenKind): MintedToken {
  const tokenId = uuidv7();
  const secretPart = randomBytes(32).toString('base64url');
  return {
    tokenId,
    secret: `${PREFIX[kind]}_${tokenId.replace(/-/g, '')}_${secretPart}`,
    secretHash: hashSecret(secretPart),
  };
}

export function parseToken(
  token: string,
): { kind: TokenKind; tokenId: string; secretPart: string } | undefined {
  const match = FORMAT.exec(token);
  if (!match) return undefined;
  const kind = (Object.keys(PREFIX) as TokenKind[]).find((k) => PREFIX[k] === match[1])!;
  const hex = match[2];
  const tokenId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { kind, tokenId, secretPart: match[3] };
}

/** The secrets are 256 random bits, so a fast hash is enough to make a stolen table useless. */
export const hashSecret = (secretPart: string): string =>
  createHash('sha256').update(secretPart).digest('hex');

export const secretMatches = (secretPart: string, storedHash: string): boolean => {
  const given = Buffer.from(hashSecret(secretPart), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
};
