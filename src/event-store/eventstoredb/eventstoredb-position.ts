import type { Position } from '@eventstore/db-client';
import { InvalidPositionError } from '../event-store.errors';

const DIGITS = 20;
const TOKEN = /^(\d{20})\/(\d{20})$/;

/** Zero-padded `commit/prepare`, so plain string order is $all order (see comparePositions). */
export const encodePosition = ({ commit, prepare }: Position): string =>
  `${commit.toString().padStart(DIGITS, '0')}/${prepare.toString().padStart(DIGITS, '0')}`;

export function decodePosition(token: string): Position | undefined {
  const match = TOKEN.exec(token);
  return match ? { commit: BigInt(match[1]), prepare: BigInt(match[2]) } : undefined;
}

/** Decodes a caller's checkpoint, refusing tokens this adapter did not issue. */
export function requirePosition(field: string, token: string): Position {
  const position = decodePosition(token);
  if (!position) throw new InvalidPositionError(field, token);
  return position;
}
