import { WrongExpectedRevisionError } from './event-store.errors';
import { EventMetadata, EventStore, RecordedEvent } from './event-store.port';

export const KEY_RESERVED = 'KeyReserved';

export interface KeyReservation {
  /** What kind of key, e.g. `email` or `domain`. */
  kind: string;
  /** Keyed hash of the normalized value, never the value itself. */
  keyHash: string;
  /** The stream that now owns the key, e.g. `account-0190…`. */
  ownerStream: string;
}

export type ReservationOutcome =
  { reserved: true } | { reserved: false; heldBy: RecordedEvent<KeyReservation> };

export const reservationStreamName = (kind: string, keyHash: string): string =>
  `reservation-${kind}-${keyHash}`;

/**
 * Claims an exact dedup key by creating its stream with `no_stream`: of two simultaneous claims,
 * exactly one creates it and the other learns who holds the key.
 */
export async function reserveKey(
  store: EventStore,
  reservation: KeyReservation,
  metadata: EventMetadata,
): Promise<ReservationOutcome> {
  const stream = reservationStreamName(reservation.kind, reservation.keyHash);
  try {
    await store.append(stream, [{ type: KEY_RESERVED, data: { ...reservation }, metadata }], {
      expectedRevision: 'no_stream',
    });
    return { reserved: true };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const [first] = await store.readStream(stream, { maxCount: 1 });
    return { reserved: false, heldBy: first as unknown as RecordedEvent<KeyReservation> };
  }
}
