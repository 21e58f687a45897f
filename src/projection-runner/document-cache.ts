import type { ReadDocument } from '../read-store/read-store.port';

/**
 * The documents a lane has read or written, kept across batches: the lane holds the projection's
 * lease, so nobody else changes them. A build from an empty store starts `complete`: a document
 * not in the cache does not exist, and nothing needs reading until the cache is first trimmed.
 * Kept per collection, so a lookup needs no composed key.
 */
export class DocumentCache {
  private readonly collections = new Map<string, Map<string, ReadDocument | undefined>>();
  private size = 0;

  constructor(
    private complete: boolean,
    private readonly limit: number,
  ) {}

  /** Whether `get` answers for this document without the store. */
  knows(collection: string, id: string): boolean {
    return this.complete || (this.collections.get(collection)?.has(id) ?? false);
  }

  get(collection: string, id: string): ReadDocument | undefined {
    return this.collections.get(collection)?.get(id);
  }

  set(collection: string, id: string, document: ReadDocument | undefined): void {
    let documents = this.collections.get(collection);
    if (!documents) {
      documents = new Map();
      this.collections.set(collection, documents);
    }
    if (!documents.has(id)) this.size += 1;
    documents.set(id, document);
  }

  /** Past the limit: the lane should commit soon, so that trim() can let go of the documents. */
  get full(): boolean {
    return this.size > this.limit;
  }

  /** After a commit: past the limit, start over from the store. */
  trim(): void {
    if (!this.full) return;
    this.collections.clear();
    this.size = 0;
    this.complete = false;
  }
}
