import type {
  DocumentRef,
  PreloadedView,
  Projection,
  ProjectionView,
} from '../../projections/projection';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { FieldValue, ReadDocument, ReadStore, ReadWrite } from '../read-store/read-store.port';
import { DocumentCache } from './document-cache';
import { jsonClone } from './json-clone';

/** Maps a projection's logical collection names to the physical ones of one build generation. */
export type CollectionNames = (logical: string) => string;

interface Counter {
  amounts: Record<string, number>;
  fields?: Record<string, FieldValue>;
}

/** Per collection, per id. */
type ByCollection<T> = Map<string, Map<string, T>>;

function entry<T>(map: ByCollection<T>, collection: string): Map<string, T> {
  let ids = map.get(collection);
  if (!ids) {
    ids = new Map();
    map.set(collection, ids);
  }
  return ids;
}

/**
 * Applies one batch of events to a projection: loads what the events read, runs `apply`
 * synchronously over a view that lays the batch's writes over the loaded documents, and returns
 * the writes in order, ready to commit with the checkpoint.
 */
export class ProjectionBatch implements ProjectionView {
  /** What `reads` named or the batch wrote: anything else is a projection bug, cached or not. */
  private readonly declared: ByCollection<true> = new Map();
  /** Each document's last put (the document) or delete (null): only its final state is written. */
  private readonly writes: ByCollection<ReadDocument | null> = new Map();
  /** Increments on documents not loaded collapse into one write per document. */
  private readonly blind: ByCollection<Counter> = new Map();

  constructor(
    private readonly projection: Projection,
    private readonly names: CollectionNames,
    private readonly preloaded: Map<string, Map<string, ReadDocument>>,
    private readonly cache: DocumentCache = new DocumentCache(false, 0),
  ) {}

  /** Loads what the events read and the cache does not hold; may be called again for more events. */
  async load(store: ReadStore, events: RecordedEvent[]): Promise<void> {
    const reads = this.projection.reads;
    if (!reads) return;
    const refs: DocumentRef[] = [];
    for (const event of events) for (const ref of reads(event, this.preloadedView)) refs.push(ref);
    await this.loadRefs(store, refs);
  }

  /** Loads the documents named, for reads that come from something other than an event (a timer). */
  async loadRefs(store: ReadStore, refs: DocumentRef[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const ref of refs) {
      if (this.preloaded.has(ref.collection)) continue;
      entry(this.declared, ref.collection).set(ref.id, true);
      if (this.cache.knows(ref.collection, ref.id) || this.isBlind(ref.collection, ref.id))
        continue;
      const ids = wanted.get(ref.collection) ?? new Set<string>();
      ids.add(ref.id);
      wanted.set(ref.collection, ids);
    }
    for (const [collection, ids] of wanted) {
      const found = await store.getMany(this.names(collection), [...ids]);
      for (const id of ids) this.cache.set(collection, id, undefined);
      for (const document of found) this.cache.set(collection, document.id, document);
    }
  }

  /** What `reads` may consult: the preloaded collections only. */
  private readonly preloadedView: PreloadedView = {
    get: <T extends ReadDocument = ReadDocument>(collection: string, id: string) => {
      const documents = this.preloaded.get(collection);
      if (!documents) {
        throw new Error(
          `Projection ${this.projection.name}: reads() consulted ${collection}, which is not preloaded`,
        );
      }
      return documents.get(id) as T | undefined;
    },
  };

  /** Whether `get` may read every one of these documents in this batch. */
  mayRead(refs: DocumentRef[]): boolean {
    return refs.every(
      (ref) =>
        this.preloaded.has(ref.collection) ||
        (this.declared.get(ref.collection)?.has(ref.id) ?? false),
    );
  }

  apply(event: RecordedEvent): void {
    this.projection.apply(event, this);
  }

  /** Each document's final state, then the collapsed blind increments. */
  drain(): ReadWrite[] {
    const writes: ReadWrite[] = [];
    for (const [logical, documents] of this.writes) {
      const collection = this.names(logical);
      for (const [id, document] of documents) {
        writes.push(
          document ? { kind: 'put', collection, document } : { kind: 'delete', collection, id },
        );
      }
    }
    for (const [logical, counters] of this.blind) {
      const collection = this.names(logical);
      for (const [id, counter] of counters) {
        writes.push({ kind: 'increment', collection, id, ...counter });
      }
    }
    return writes;
  }

  get<T extends ReadDocument = ReadDocument>(collection: string, id: string): T | undefined {
    const preloaded = this.preloaded.get(collection);
    if (preloaded) return preloaded.get(id) as T | undefined;
    if (!this.declared.get(collection)?.has(id) || this.isBlind(collection, id)) {
      throw new UnreadDocumentError(this.projection.name, collection, id);
    }
    return this.cache.get(collection, id) as T | undefined;
  }

  put(collection: string, document: ReadDocument): void {
    // A copy as the store will hold it: the caller may go on changing its object.
    const stored = jsonClone(document);
    if (typeof stored?.id !== 'string') {
      throw new Error(`Put to ${collection}: the document needs a string id`);
    }
    this.remember(collection, stored.id, stored);
    entry(this.writes, collection).set(stored.id, stored);
  }

  delete(collection: string, id: string): void {
    this.remember(collection, id, undefined);
    entry(this.writes, collection).set(id, null);
  }

  increment(
    collection: string,
    id: string,
    amounts: Record<string, number>,
    fields?: Record<string, FieldValue>,
  ): void {
    const preloaded = this.preloaded.get(collection);
    if (preloaded || (this.cache.knows(collection, id) && !this.isBlind(collection, id))) {
      // Counters change in place: the cached document is this lane's own copy, and cloning it
      // for every increment was most of a rollup's cost.
      const current = preloaded ? preloaded.get(id) : this.cache.get(collection, id);
      const document: ReadDocument = current ?? { id };
      if (fields) Object.assign(document, fields);
      for (const field in amounts) {
        document[field] = ((document[field] as number | undefined) ?? 0) + amounts[field];
      }
      if (current) {
        if (!preloaded) entry(this.declared, collection).set(id, true);
      } else {
        this.remember(collection, id, document);
      }
      entry(this.writes, collection).set(id, document);
      return;
    }
    const counters = entry(this.blind, collection);
    const pending = counters.get(id) ?? { amounts: {} };
    for (const field in amounts) {
      pending.amounts[field] = (pending.amounts[field] ?? 0) + amounts[field];
    }
    if (fields) pending.fields = { ...pending.fields, ...fields };
    counters.set(id, pending);
  }

  private isBlind(collection: string, id: string): boolean {
    return this.blind.get(collection)?.has(id) ?? false;
  }

  private remember(collection: string, id: string, document: ReadDocument | undefined): void {
    const preloaded = this.preloaded.get(collection);
    if (preloaded) {
      if (document) preloaded.set(id, document);
      else preloaded.delete(id);
      return;
    }
    if (this.isBlind(collection, id)) {
      throw new UnreadDocumentError(this.projection.name, collection, id);
    }
    entry(this.declared, collection).set(id, true);
    this.cache.set(collection, id, document);
  }
}

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
