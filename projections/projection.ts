import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { CollectionSpec, FieldValue, ReadDocument } from '../src/read-store/read-store.port';

/**
 * A batch's view of the read model. Reads are synchronous: the runner loads every document that
 * {@link Projection.reads} names before the batch, in one round trip per collection, and the
 * view lays the batch's own writes over them. Writes commit with the checkpoint, all or none.
 */
export interface ProjectionView {
  /** Only documents named by `reads` for an event of this batch, or written earlier in it, or in a preloaded collection. */
  get<T extends ReadDocument = ReadDocument>(collection: string, id: string): T | undefined;
  put(collection: string, document: ReadDocument): void;
  delete(collection: string, id: string): void;
  increment(
    collection: string,
    id: string,
    amounts: Record<string, number>,
    fields?: Record<string, FieldValue>,
  ): void;
}

export interface ProjectionCollection extends CollectionSpec {
  /** Small reference collections (e.g. users → team) held whole in memory by the runner. */
  preload?: boolean;
}

/**
 * What `reads` may consult: the preloaded collections, as they stand before the batch. A projection
 * whose reads depend on an index it keeps in memory (the documents a policy change touches) names
 * them from there; whatever events earlier in the batch write is readable anyway.
 */
export interface PreloadedView {
  /** Only preloaded collections: anything else throws. */
  get<T extends ReadDocument = ReadDocument>(collection: string, id: string): T | undefined;
}

export interface DocumentRef {
  collection: string;
  id: string;
}

/**
 * One read model: event → read-model writes. Pure apart from the view; no clock, no I/O, so two
 * builds from the same events are identical. Bump `version` when the definition changes: the
 * runner then builds the new version beside the live one and switches over when it has caught up.
 */
export interface Projection {
  name: string;
  version: number;
  /** Logical names; the runner maps them to one physical collection per build generation. */
  collections: ProjectionCollection[];
  /** Event types this projection applies; the runner skips the others. */
  eventTypes: readonly string[];
  /** Personal fields are opened (decrypted) only for projections that show them. */
  personalData?: boolean;
  /** Documents `apply` will read for this event, other than preloaded collections. */
  reads?(event: RecordedEvent, preloaded: PreloadedView): DocumentRef[];
  apply(event: RecordedEvent, view: ProjectionView): void;
}

/** The record id of a stream named `<type>-<id>`. */
export const streamId = (event: Pick<RecordedEvent, 'streamName'>): string =>
  event.streamName.slice(event.streamName.indexOf('-') + 1);
