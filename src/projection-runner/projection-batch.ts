import type { DocumentRef, Projection, ProjectionView } from '../../projections/projection';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { FieldValue, ReadDocument, ReadStore, ReadWrite } from '../read-store/read-store.port';
import { DocumentCache } from './document-cache';

/** Maps a projection's logical collection names to the physical ones of one build generation. */
export type CollectionNames = (logical: string) => string;

interface Counter {
  amounts: Record<string, number>;
  fields?: Record<string, FieldValue>;
}

/**
 * Applies one batch of events to a projection: loads what the events read, runs `apply`
 * synchronously over a view that lays the batch's writes over the loaded documents, and returns
 * the writes in order, ready to commit with the checkpoint.
 */
export class ProjectionBatch implements ProjectionView {
  /** What `reads` named or the batch wrote: anything else is a projection bug, cached or not. */
  private readonly declared = new Set<string>();
  /** Each document's last put or delete in the batch: only its final state is written. */
  private readonly writes = new Map<string, ReadWrite>();
  /** Increments on documents not loaded collapse into one write per document. */
  private readonly blind = new Map<string, { collection: string; id: string; counter: Counter }>();

  constructor(
    private readonly projection: Projection,
    private readonly names: CollectionNames,
    private readonly preloaded: Map<string, Map<string, ReadDocument>>,
    private readonly cache: DocumentCache = new DocumentCache(false, 0),
  ) {}

  /** Loads what the events read and the cache does not hold; may be called again for more events. */
  async load(store: ReadStore, events: RecordedEvent[]): Promise<void> {
    await this.loadRefs(
      store,
      events.flatMap((event) => this.projection.reads?.(event) ?? []),
    );
  }

  /** Loads the documents named, for reads that come from something other than an event (a timer). */
  async loadRefs(store: ReadStore, refs: DocumentRef[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const ref of refs) {
      if (this.preloaded.has(ref.collection)) continue;
      const k = key(ref.collection, ref.id);
      this.declared.add(k);
      if (this.cache.knows(k) || this.blind.has(k)) continue;
      const ids = wanted.get(ref.collection) ?? new Set<string>();
      ids.add(ref.id);
      wanted.set(ref.collection, ids);
    }
    for (const [collection, ids] of wanted) {
      const found = await store.getMany(this.names(collection), [...ids]);
      for (const id of ids) this.cache.set(key(collection, id), undefined);
      for (const document of found) this.cache.set(key(collection, document.id), document);
    }
  }

  /** Whether `get` may read every one of these documents in this batch. */
  mayRead(refs: DocumentRef[]): boolean {
    return refs.every(
      (ref) => this.preloaded.has(ref.collection) || this.declared.has(key(ref.collection, ref.id)),
    );
  }

  apply(event: RecordedEvent): void {
    this.projection.apply(event, this);
  }

  /** Each document's final state, then the collapsed blind increments. */
  drain(): ReadWrite[] {
    const writes = [...this.writes.values()];
    for (const { collection, id, counter } of this.blind.values()) {
      writes.push({ kind: 'increment', collection: this.names(collection), id, ...counter });
    }
    return writes;
  }

  get<T extends ReadDocument = ReadDocument>(collection: string, id: string): T | undefined {
    const preloaded = this.preloaded.get(collection);
    if (preloaded) return preloaded.get(id) as T | undefined;
    const k = key(collection, id);
    if (!this.declared.has(k) || this.blind.has(k)) {
      throw new UnreadDocumentError(this.projection.name, collection, id);
    }
    return this.cache.get(k) as T | undefined;
  }

  put(collection: string, document: ReadDocument): void {
    const stored = structuredClone(document);
    this.remember(collection, stored.id, stored);
    this.writes.set(key(collection, stored.id), {
      kind: 'put',
      collection: this.names(collection),
      document: stored,
    });
  }

  delete(collection: string, id: string): void {
    this.remember(collection, id, undefined);
    this.writes.set(key(collection, id), {
      kind: 'delete',
      collection: this.names(collection),
      id,
    });
  }

  increment(
    collection: string,
    id: string,
    amounts: Record<string, number>,
    fields?: Record<string, FieldValue>,
  ): void {
    const k = key(collection, id);
    if (this.preloaded.has(collection) || (this.cache.knows(k) && !this.blind.has(k))) {
      this.declared.add(k);
      // Counters change in place: the cached document is this lane's own copy, and cloning it
      // for every increment was most of a rollup's cost.
      const current = this.get(collection, id);
      const document: ReadDocument = current ?? { id };
      if (fields) Object.assign(document, fields);
      for (const field in amounts) {
        document[field] = ((document[field] as number | undefined) ?? 0) + amounts[field];
      }
      if (!current) this.remember(collection, id, document);
      this.writes.set(k, { kind: 'put', collection: this.names(collection), document });
      return;
    }
    const pending = this.blind.get(k) ?? { collection, id, counter: { amounts: {} } };
    for (const [field, amount] of Object.entries(amounts)) {
      pending.counter.amounts[field] = (pending.counter.amounts[field] ?? 0) + amount;
    }
    if (fields) pending.counter.fields = { ...pending.counter.fields, ...fields };
    this.blind.set(k, pending);
  }

  private remember(collection: string, id: string, document: ReadDocument | undefined): void {
    const preloaded = this.preloaded.get(collection);
    if (preloaded) {
      if (document) preloaded.set(id, document);
      else preloaded.delete(id);
      return;
    }
    const k = key(collection, id);
    if (this.blind.has(k)) throw new UnreadDocumentError(this.projection.name, collection, id);
    this.declared.add(k);
    this.cache.set(k, document);
  }
}

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

/** A projection read or replaced a document it did not name in `reads`: a bug in the projection. */
export class UnreadDocumentError extends Error {
  constructor(projection: string, collection: string, id: string) {
    super(
      `Projection ${projection} used ${collection}/${id} without naming it in reads(); ` +
        'declare it so the runner loads it before the batch',
    );
    this.name = 'UnreadDocumentError';
  }
}

export type { DocumentRef };
