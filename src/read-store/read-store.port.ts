/**
 * The read-store port: the narrow interface DESIGN.md describes, not a MongoDB emulation.
 * Documents by id, finds on declared indexes, counters, a batch that commits with a checkpoint,
 * leases with fencing tokens, and text search on declared fields. Timers are documents in a
 * collection the saga declares, so they commit with the saga's state and checkpoint.
 *
 * Both adapters (SQLite, MongoDB) are held to test/contract/read-store.contract.ts.
 */

export interface ReadDocument {
  id: string;
  [field: string]: unknown;
}

/** A compound index: finds must use a prefix of one, equality on all but the last used field. */
export type IndexSpec = string[];

export interface CollectionSpec {
  name: string;
  indexes?: IndexSpec[];
  /** Fields searched by {@link ReadStore.search}: FTS5 on SQLite, a text index on MongoDB. */
  textFields?: string[];
}

export type FieldValue = string | number | boolean | null;

/** Equality on a value, or a range; bounds follow the field's natural order (strings: binary). */
export type FieldCondition =
  | FieldValue
  | { gte?: FieldValue; gt?: FieldValue; lte?: FieldValue; lt?: FieldValue }
  | { in: FieldValue[] };

export interface FindQuery {
  where?: Record<string, FieldCondition>;
  sort?: Array<[field: string, direction: 'asc' | 'desc']>;
  limit?: number;
}

export type ReadWrite =
  | { kind: 'put'; collection: string; document: ReadDocument }
  | { kind: 'delete'; collection: string; id: string }
  /**
   * Adds each amount to the field (missing counts as 0); creates the document when absent.
   * `fields` are set as given, so a counter document can carry the indexed keys it is found by.
   */
  | {
      kind: 'increment';
      collection: string;
      id: string;
      amounts: Record<string, number>;
      fields?: Record<string, FieldValue>;
    };

export interface Checkpoint {
  /** The projection's or saga's name, including its generation for blue/green rebuilds. */
  name: string;
  /** Global position of the last event whose effects are in this batch. */
  position: string;
}

/** A lease holder's token; a commit carrying a stale one is refused with FencedOffError. */
export interface Fence {
  lease: string;
  token: number;
}

export interface Lease {
  name: string;
  holder: string;
  /** Grows by one at every acquisition, so an older holder's writes can be told apart. */
  token: number;
  expiresAt: Date;
}

export interface SearchHit {
  collection: string;
  document: ReadDocument;
  score: number;
}

export interface EnsureOptions {
  /**
   * For a collection nobody reads until it is complete (a build generation): the adapter may leave
   * its declared indexes and text index out until {@link ReadStore.buildIndexes}, and build them in
   * one pass over the finished documents instead of keeping them up at every write. Meanwhile
   * finds and counts still answer (unindexed), and search refuses. An ensure without this option
   * builds whatever an earlier one left out.
   */
  deferIndexes?: boolean;
}

export interface ReadStore {
  ensureCollection(spec: CollectionSpec, options?: EnsureOptions): Promise<void>;
  /** Builds what a deferred ensureCollection left out; nothing when the collection is complete. */
  buildIndexes(name: string): Promise<void>;
  dropCollection(name: string): Promise<void>;
  get(collection: string, id: string): Promise<ReadDocument | undefined>;
  /** In the order of `ids`; missing ids are left out. */
  getMany(collection: string, ids: string[]): Promise<ReadDocument[]>;
  /** Refused with UnindexedQueryError unless an index declared for the collection serves it. */
  find(collection: string, query?: FindQuery): Promise<ReadDocument[]>;
  count(collection: string, where?: FindQuery['where']): Promise<number>;
  /** Writes apply in order, all or none, together with the checkpoint when given. */
  commit(writes: ReadWrite[], options?: { checkpoint?: Checkpoint; fence?: Fence }): Promise<void>;
  checkpoint(name: string): Promise<string | undefined>;
  deleteCheckpoint(name: string): Promise<void>;
  /**
   * Words match by prefix; `filter` narrows on indexed equality fields. With a limit, the SQLite
   * adapter ranks a bounded set of the newest matches (and of the newest whose first text field
   * matches), not every match: see sqlite-search.ts.
   */
  search(
    collection: string,
    text: string,
    options?: { limit?: number; filter?: Record<string, FieldValue> },
  ): Promise<SearchHit[]>;
  /** Acquires a free or expired lease, or renews one this holder has; undefined when held elsewhere. */
  acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<Lease | undefined>;
  releaseLease(name: string, holder: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class UnindexedQueryError extends Error {
  constructor(collection: string, fields: string[]) {
    super(`No index on ${collection} serves a query on ${fields.join(', ') || '(nothing)'}`);
    this.name = 'UnindexedQueryError';
  }
}

export class FencedOffError extends Error {
  constructor(lease: string, token: number) {
    super(`Lease ${lease}: token ${token} is no longer the holder's; the write was refused`);
    this.name = 'FencedOffError';
  }
}

export class UnknownCollectionError extends Error {
  constructor(collection: string) {
    super(`Collection ${collection} was never declared with ensureCollection`);
    this.name = 'UnknownCollectionError';
  }
}

export const READ_STORE = Symbol('READ_STORE');
