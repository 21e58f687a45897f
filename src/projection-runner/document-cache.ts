import type { ReadDocument } from '../read-store/read-store.port';

/**
 * The documents a lane has read or written, kept across batches: the lane holds the projection's
 * lease, so nobody else changes them. A build from an empty store starts `complete`: a document
 * not in the cache does not exist, and nothing needs reading until the cache is first trimmed.
 */
export class DocumentCache {
  private readonly documents = new Map<string, ReadDocument | undefined>();

  constructor(
    private complete: boolean,
    private readonly limit: number,
  ) {}

  knows(key: string): boolean {
    return this.complete || this.documents.has(key);
  }

  get(key: string): ReadDocument | undefined {
    return this.documents.get(key);
  }

  set(key: string, document: ReadDocument | undefined): void {
    this.documents.set(key, document);
  }

  /** After a commit: past the limit, start over from the store. */
  trim(): void {
    if (this.documents.size <= this.limit) return;
    this.documents.clear();
    this.complete = false;
  }
}
