import { Role } from '../../domain/shared/roles';
import { TokenKind } from './access-tokens';

/** Streams `token-<tokenId>`: the record of an issued token; only the secret's hash is kept. */
export interface TokenIssued {
  tokenId: string;
  kind: TokenKind;
  /** The user it acts for; absent for intake keys, which act for their source. */
  userId?: string;
  /** Intake keys: the source they may create inquiries for, e.g. `website-form`. */
  source?: string;
  secretHash: string;
  label: string;
  expiresAt: string;
  issuedBy: string;
}

export interface TokenRevoked {
  tokenId: string;
  revokedBy: string;
  reason: string;
}

/** Streams `credential-<userId>`. */
export interface PasswordSet {
  userId: string;
  passwordHash: string;
  setBy: string;
}

export const IDENTITY_STREAM_PREFIXES = ['user-', 'team-', 'token-', 'credential-'];

export interface Principal {
  kind: TokenKind;
  tokenId: string;
  /** User id, or `intake:<source>` for an intake key. */
  userId: string;
  role: Role;
  teamId: string | null;
  source?: string;
}
