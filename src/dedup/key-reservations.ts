import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { EventMetadata, EventStore } from '../event-store/event-store.port';
import {
  KEY_RESERVED,
  KeyReservation,
  reservationStreamName,
  reserveKey,
} from '../event-store/reservation';

export const KEY_RELEASED = 'KeyReleased';

/** Where a reservation stream stands: its last event decides, so a released key can be claimed again. */
export interface Holding {
  /** -1: no stream yet. */
  revision: number;
  /** Undefined when the key is free. */
  ownerStream?: string;
  recordedAt?: string;
  occurredAt?: string;
  /** The command that wrote the last claim or release. */
  causationId?: string;
}

export async function currentHolding(
  store: EventStore,
  kind: string,
  keyHash: string,
): Promise<Holding> {
  const [last] = await store.readStream(reservationStreamName(kind, keyHash), {
    direction: 'backward',
    maxCount: 1,
  });
  if (!last) return { revision: -1 };
  const held = last.type === KEY_RESERVED;
  return {
    revision: last.revision,
    ...(held && { ownerStream: (last.data as unknown as KeyReservation).ownerStream }),
    recordedAt: last.recordedAt,
    occurredAt: last.metadata.occurredAt,
    causationId: last.metadata.$causationId,
  };
}

/**
 * Appends to a reservation stream at its exact revision, so of two writers only one wins. The
 * business time never goes back before the stream's last event.
 */
export async function appendAt(
  store: EventStore,
  type: typeof KEY_RESERVED | typeof KEY_RELEASED,
  reservation: KeyReservation,
  holding: Holding,
  metadata: EventMetadata,
): Promise<boolean> {
  const occurredAt =
    holding.occurredAt && holding.occurredAt > metadata.occurredAt
      ? holding.occurredAt
      : metadata.occurredAt;
  try {
    await store.append(
      reservationStreamName(reservation.kind, reservation.keyHash),
      [{ type, data: { ...reservation }, metadata: { ...metadata, occurredAt } }],
      { expectedRevision: holding.revision },
    );
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return false;
    throw error;
  }
}

/**
 * Reserves the key, or tells who holds it. A first claim creates the stream with `no_stream`; a
 * released key is claimed again at the stream's revision. `reserved` is true only when this call
 * wrote the claim.
 */
export async function reserve(
  store: EventStore,
  reservation: KeyReservation,
  metadata: EventMetadata,
): Promise<{ reserved: boolean; holding: Holding }> {
  const first = await reserveKey(store, reservation, metadata);
  if (first.reserved)
    return { reserved: true, holding: { revision: 0, ownerStream: reservation.ownerStream } };
  for (;;) {
    const holding = await currentHolding(store, reservation.kind, reservation.keyHash);
    if (holding.ownerStream !== undefined) return { reserved: false, holding };
    if (await appendAt(store, KEY_RESERVED, reservation, holding, metadata)) {
      return {
        reserved: true,
        holding: { revision: holding.revision + 1, ownerStream: reservation.ownerStream },
      };
    }
  }
}

/** Gives the key back, if the owner still holds it. */
export async function release(
  store: EventStore,
  reservation: KeyReservation,
  metadata: EventMetadata,
): Promise<void> {
  for (;;) {
    const holding = await currentHolding(store, reservation.kind, reservation.keyHash);
    if (holding.ownerStream !== reservation.ownerStream) return;
    if (await appendAt(store, KEY_RELEASED, reservation, holding, metadata)) return;
  }
}
