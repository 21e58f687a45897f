import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';

/** Server error codes the adapter tells apart (src/mongo/base/error_codes.yml in the server). */
export const MongoCode = {
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  NamespaceExists: 48,
  DuplicateKey: 11000,
} as const;

export function hasCode(err: unknown, code: number): boolean {
  return err instanceof MongoError && err.code === code;
}

/** Turns "no server answered" into an error that says what failed; anything else passes through. */
export function describeUnreachable(err: unknown): unknown {
  if (err instanceof MongoServerSelectionError || err instanceof MongoNetworkError) {
    return new Error(`MongoDB read store is unreachable: ${err.message}`, { cause: err });
  }
  return err;
}
