import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { ExpectedRevision } from '../event-store.port';

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_INTERNAL = 13;
const GRPC_UNAVAILABLE = 14;

const grpcCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/**
 * The server could not be reached or did not answer in time. Before the first connection the
 * client can throw the raw gRPC error (code 14) instead of its own UnavailableError.
 */
export function isUnavailable(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    grpcCode(error) === GRPC_UNAVAILABLE ||
    grpcCode(error) === GRPC_DEADLINE_EXCEEDED ||
    (error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message))
  );
}

/** A dropped connection or a cancelled call, after which a subscription should resubscribe. */
export const isDropped = (error: unknown): boolean =>
  isUnavailable(error) ||
  error instanceof CancelledError ||
  error instanceof NotLeaderError ||
  grpcCode(error) === GRPC_INTERNAL;

export function toStoreError(error: unknown): unknown {
  if (!isUnavailable(error) || error instanceof StoreUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`EventStoreDB is unavailable: ${reason}`, { cause: error });
}

/** 6.2.1 reports the stream's revision as `actualVersion`: a bigint, or 'no_stream'. */
export function toWrongExpectedRevision(
  error: WrongExpectedVersionError,
  streamName: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError {
  const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
  return new WrongExpectedRevisionError(streamName, expected, actual < 0 ? -1 : actual);
}

export function toAppendError(
  error: unknown,
  streamName: string,
  expected: ExpectedRevision,
): unknown {
  return error instanceof WrongExpectedVersionError
    ? toWrongExpectedRevision(error, streamName, expected)
    : toStoreError(error);
}
