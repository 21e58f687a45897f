import { ExpectedRevision } from './event-store.port';

/** The stream is not at the revision the writer expected. `actualRevision` is -1 for no stream. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'event_store.wrong_expected_revision';
  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: number,
  ) {
    super(
      `Stream ${streamName} is at revision ${actualRevision < 0 ? 'none (no stream)' : actualRevision}, ` +
        `but the append expected ${String(expectedRevision)}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event's occurredAt is earlier than the stream's last event, which would break business order. */
export class OccurredAtBeforeStreamError extends Error {
  readonly code = 'event_store.occurred_at_before_stream';
  constructor(
    readonly streamName: string,
    readonly occurredAt: string,
    readonly lastOccurredAt: string,
  ) {
    super(
      `occurredAt ${occurredAt} is before ${lastOccurredAt}, the last event of stream ${streamName}`,
    );
    this.name = 'OccurredAtBeforeStreamError';
  }
}

/** The append itself is malformed: nothing was written. */
export class InvalidAppendError extends Error {
  readonly code = 'event_store.invalid_append';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidAppendError';
  }
}

export class StoreUnavailableError extends Error {
  readonly code = 'event_store.unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A position token that this store did not issue. */
export class InvalidPositionError extends Error {
  readonly code = 'event_store.invalid_position';
  constructor(
    readonly field: string,
    readonly position: string,
  ) {
    super(`${field}: "${position}" is not a position of this event store`);
    this.name = 'InvalidPositionError';
  }
}
