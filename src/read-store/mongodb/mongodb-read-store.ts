import {
  AnyBulkWriteOperation,
  ClientSession,
  Collection,
  Db,
  Document,
  IndexDirection,
  MongoClient,
} from 'mongodb';
import {
  Checkpoint,
  CollectionSpec,
  Fence,
  FencedOffError,
  FieldValue,
  FindQuery,
  Lease,
  ReadDocument,
  ReadStore,
  ReadWrite,
  SearchHit,
  UnindexedQueryError,
  UnknownCollectionError,
} from '../read-store.port';
import { describeUnreachable, hasCode, MongoCode } from './mongodb-errors';
import {
  assertIndexedScalars,
  candidateIndexes,
  indexedPaths,
  planQuery,
  QueryPlan,
} from '../query-plan';
import {
  fromStored,
  mongoField,
  prefixMatch,
  searchWords,
  StoredDocument,
  storedFields,
  toFilter,
  toSort,
} from './mongodb-query';

const SPECS = '_readstore_collections';
const CHECKPOINTS = '_readstore_checkpoints';
const LEASES = '_readstore_leases';
export const MONGO_META_COLLECTIONS = [SPECS, CHECKPOINTS, LEASES] as const;

const TEXT_INDEX = 'readstore_text';
const SCORE = '_readstore_score';
const COLLECTION_NAME = /^[A-Za-z0-9_.-]+$/;

interface SpecRecord {
  _id: string;
  indexes: string[][];
  textFields: string[];
}

interface CheckpointRecord {
  _id: string;
  position: string;
}

interface LeaseRecord {
  _id: string;
  /** null once released. */
  holder: string | null;
  token: number;
  expiresAt: Date;
  fencedCommits?: number;
}

interface Batch {
  collection: string;
  operations: AnyBulkWriteOperation<StoredDocument>[];
}

/**
 * The production read store (DESIGN.md, "Two ports, two adapters each"). Needs a replica set or
 * a sharded cluster: commit runs in a transaction.
 */
export class MongoReadStore implements ReadStore {
  /**
   * Declared specs, read once from SPECS. Another process's dropCollection is not seen here;
   * an index another process declared is picked up when a query would otherwise be refused.
   */
  private readonly specs = new Map<string, CollectionSpec>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(
    url: string,
    dbName = databaseInUrl(url) ?? 'tradeflow',
  ): Promise<MongoReadStore> {
    // Fields set to undefined are left out, as JSON.stringify does, rather than stored as null.
    const client = new MongoClient(url, { ignoreUndefined: true });
    try {
      await client.connect();
      const db = client.db(dbName);
      await requireTransactions(db);
      for (const name of MONGO_META_COLLECTIONS) await createCollection(db, name);
      return new MongoReadStore(client, db);
    } catch (err) {
      await client.close();
      throw describeUnreachable(err);
    }
  }

  get databaseName(): string {
    return this.db.databaseName;
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    checkName(spec.name);
    const indexes = spec.indexes ?? [];
    const textFields = spec.textFields ?? [];
    const previous = await this.specRecords().findOne({ _id: spec.name });
    await createCollection(this.db, spec.name);
    const collection = this.collection(spec.name);
    // Ending each index with _id, as the SQLite adapter does, lets it serve the tie-breaking sort.
    for (const index of candidateIndexes({ name: spec.name, indexes })) {
      if (index.length === 1) continue; // _id alone is indexed
      await collection.createIndex(index.map((f): [string, IndexDirection] => [mongoField(f), 1]));
    }
    // A collection has at most one text index, so a changed field list replaces it.
    if (previous && previous.textFields.join('\0') !== textFields.join('\0')) {
      await dropIndex(collection, TEXT_INDEX);
    }
    if (textFields.length > 0) {
      await collection.createIndex(
        textFields.map((f): [string, IndexDirection] => [mongoField(f), 'text']),
        {
          name: TEXT_INDEX,
          // No stemming or stop words, like FTS5 in the SQLite adapter: names and messages in
          // this CRM come in many languages.
          default_language: 'none',
          // Otherwise MongoDB reads a document's own `language` field as its text language and
          // refuses writes where it holds a language the server does not know.
          language_override: '_readstore_language',
        },
      );
    }
    await this.specRecords().replaceOne(
      { _id: spec.name },
      { indexes, textFields },
      { upsert: true },
    );
    this.specs.set(spec.name, { name: spec.name, indexes, textFields });
  }

  /** Indexes are built at ensureCollection here: MongoDB builds them on a live collection well. */
  async buildIndexes(name: string): Promise<void> {
    await this.spec(name);
  }

  async dropCollection(name: string): Promise<void> {
    checkName(name);
    try {
      await this.db.dropCollection(name);
    } catch (err) {
      if (!hasCode(err, MongoCode.NamespaceNotFound)) throw err;
    }
    await this.specRecords().deleteOne({ _id: name });
    this.specs.delete(name);
  }

  async get(collection: string, id: string): Promise<ReadDocument | undefined> {
    await this.spec(collection);
    const stored = await this.collection(collection).findOne({ _id: id });
    return stored ? fromStored(stored) : undefined;
  }

  async getMany(collection: string, ids: string[]): Promise<ReadDocument[]> {
    await this.spec(collection);
    if (ids.length === 0) return [];
    const found = await this.collection(collection)
      .find({ _id: { $in: ids } })
      .toArray();
    const byId = new Map(found.map((stored) => [stored._id, fromStored(stored)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async find(collection: string, query: FindQuery = {}): Promise<ReadDocument[]> {
    const plan = await this.requireIndex(collection, query);
    if (query.limit !== undefined && query.limit <= 0) return [];
    let cursor = this.collection(collection).find(toFilter(query.where));
    if (plan.orderBy.length) cursor = cursor.sort(toSort(plan.orderBy));
    if (query.limit !== undefined) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map(fromStored);
  }

  async count(collection: string, where?: FindQuery['where']): Promise<number> {
    await this.requireIndex(collection, { where });
    return this.collection(collection).countDocuments(toFilter(where));
  }

  async commit(
    writes: ReadWrite[],
    options: { checkpoint?: Checkpoint; fence?: Fence } = {},
  ): Promise<void> {
    if (writes.length === 0 && !options.checkpoint && !options.fence) return;
    const paths = new Map<string, string[][]>();
    for (const name of new Set(writes.map((w) => w.collection))) {
      paths.set(name, indexedPaths(await this.spec(name)));
    }
    for (const write of writes) {
      if (write.kind === 'put') {
        assertIndexedScalars(write.collection, paths.get(write.collection)!, write.document);
      }
    }
    const batches = toBatches(writes);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(batches, options);
      } catch (err) {
        // Two transactions upserting the same new id can collide on the insert. The loser was
        // aborted whole, so running it again is safe, and it then finds the document.
        if (attempt === 3 || !hasCode(err, MongoCode.DuplicateKey)) throw err;
      }
    }
  }

  private async commitOnce(
    batches: Batch[],
    { checkpoint, fence }: { checkpoint?: Checkpoint; fence?: Fence },
  ): Promise<void> {
    const session = this.client.startSession();
    try {
      // withTransaction retries the whole callback on transient errors (write conflicts among
      // them) and commits; any other error aborts the transaction and is rethrown.
      await session.withTransaction(async () => {
        if (fence) await this.holdFence(fence, session);
        for (const { collection, operations } of batches) {
          await this.collection(collection).bulkWrite(operations, { session, ordered: true });
        }
        if (checkpoint) {
          await this.checkpoints().updateOne(
            { _id: checkpoint.name },
            { $set: { position: checkpoint.position } },
            { upsert: true, session },
          );
        }
      });
    } finally {
      await session.endSession();
    }
  }

  async checkpoint(name: string): Promise<string | undefined> {
    return (await this.checkpoints().findOne({ _id: name }))?.position;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.checkpoints().deleteOne({ _id: name });
  }

  async search(
    collection: string,
    text: string,
    options: { limit?: number; filter?: Record<string, FieldValue> } = {},
  ): Promise<SearchHit[]> {
    const { textFields = [] } = await this.spec(collection);
    if (textFields.length === 0) {
      throw new Error(`Collection ${collection} declares no textFields to search`);
    }
    await this.requireIndex(collection, { where: options.filter });
    const words = searchWords(text);
    const { limit } = options;
    if (words.length === 0 || (limit !== undefined && limit <= 0)) return [];
    const filter = { ...toFilter(options.filter), ...prefixMatch(words, textFields) };
    const documents = this.collection(collection);

    // The text index matches whole words only (MongoDB has no prefix text search); SQLite's
    // FTS5 matches prefixes. The prefix regexes in `filter` keep the two adapters' hits the same;
    // the text index narrows and ranks. When it finds nothing, the words may be prefixes only,
    // and the regexes run alone over what the equality filter leaves. limit(0) is no limit.
    const ranked = await documents
      .find({ ...filter, $text: { $search: words.join(' ') } })
      .project<Document>({ [SCORE]: { $meta: 'textScore' } })
      .sort({ [SCORE]: { $meta: 'textScore' } })
      .limit(limit ?? 0)
      .toArray();
    if (ranked.length > 0) {
      return ranked.map(({ [SCORE]: score, ...stored }) => ({
        collection,
        document: fromStored(stored),
        score: score as number,
      }));
    }
    const prefixed = await documents
      .find(filter)
      .limit(limit ?? 0)
      .toArray();
    return prefixed.map((stored) => ({ collection, document: fromStored(stored), score: 0 }));
  }

  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    now: Date,
  ): Promise<Lease | undefined> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const renewed = await this.leases().findOneAndUpdate(
      { _id: name, holder, expiresAt: { $gt: now } },
      { $set: { expiresAt } },
      { returnDocument: 'after' },
    );
    if (renewed) return toLease(renewed);
    try {
      // A free or expired lease is taken with the next token. A lease held elsewhere matches
      // nothing, so the upsert tries to insert a second document with its _id: duplicate key.
      const taken = await this.leases().findOneAndUpdate(
        { _id: name, $or: [{ expiresAt: { $lte: now } }, { holder }] },
        { $set: { holder, expiresAt }, $inc: { token: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return taken ? toLease(taken) : undefined;
    } catch (err) {
      if (hasCode(err, MongoCode.DuplicateKey)) return undefined;
      throw err;
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    // Kept rather than deleted: the token stays, so the next acquisition gets a greater one.
    await this.leases().updateOne(
      { _id: name, holder },
      { $set: { holder: null, expiresAt: new Date(0) } },
    );
  }

  async ping(): Promise<void> {
    try {
      await this.db.command({ ping: 1 });
    } catch (err) {
      throw describeUnreachable(err);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * The fence check is a write, not a read. Reads in a transaction take no lock, so a take-over
   * could commit between the check and this commit, and the batch would land after it. A write
   * to the lease document makes a take-over and this transaction exclusive: a take-over that
   * committed after this transaction's snapshot makes this write a write conflict, and
   * withTransaction retries, now seeing the new token; a take-over attempted after this write
   * waits until this transaction ends.
   */
  private async holdFence(fence: Fence, session: ClientSession): Promise<void> {
    const { matchedCount } = await this.leases().updateOne(
      { _id: fence.lease, token: fence.token, holder: { $ne: null } },
      { $inc: { fencedCommits: 1 } },
      { session },
    );
    if (matchedCount === 0) throw new FencedOffError(fence.lease, fence.token);
  }

  /** The SQLite adapter's rule and tie-breaking order; another instance may have added the index. */
  private async requireIndex(collection: string, query: FindQuery): Promise<QueryPlan> {
    try {
      return planQuery(await this.spec(collection), query);
    } catch (error) {
      if (!(error instanceof UnindexedQueryError)) throw error;
      return planQuery(await this.spec(collection, true), query);
    }
  }

  private async spec(name: string, fresh = false): Promise<CollectionSpec> {
    checkName(name);
    const cached = fresh ? undefined : this.specs.get(name);
    if (cached) return cached;
    const record = await this.specRecords().findOne({ _id: name });
    if (!record) {
      this.specs.delete(name);
      throw new UnknownCollectionError(name);
    }
    const spec = { name, indexes: record.indexes, textFields: record.textFields };
    this.specs.set(name, spec);
    return spec;
  }

  private collection(name: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(name);
  }

  private specRecords(): Collection<SpecRecord> {
    return this.db.collection<SpecRecord>(SPECS);
  }

  private checkpoints(): Collection<CheckpointRecord> {
    return this.db.collection<CheckpointRecord>(CHECKPOINTS);
  }

  private leases(): Collection<LeaseRecord> {
    return this.db.collection<LeaseRecord>(LEASES);
  }
}

/** The database in the URL's path (mongodb://host/<db>?options), if it names one. */
function databaseInUrl(url: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

/** Fails at start-up rather than at the first commit: a standalone server has no transactions. */
async function requireTransactions(db: Db): Promise<void> {
  const hello = await db.command({ hello: 1 });
  if (!hello.setName && hello.msg !== 'isdbgrid') {
    throw new Error(
      'MongoDB read store needs a replica set or a sharded cluster (commit runs in a ' +
        'transaction); this server is standalone. Start mongod with --replSet and name the set ' +
        'in the URL, e.g. ?replicaSet=rs0',
    );
  }
}

async function createCollection(db: Db, name: string): Promise<void> {
  try {
    await db.createCollection(name);
  } catch (err) {
    if (!hasCode(err, MongoCode.NamespaceExists)) throw err;
  }
}

async function dropIndex(collection: Collection<StoredDocument>, name: string): Promise<void> {
  try {
    await collection.dropIndex(name);
  } catch (err) {
    if (!hasCode(err, MongoCode.IndexNotFound)) throw err;
  }
}

function checkName(name: string): void {
  if (!COLLECTION_NAME.test(name) || name.startsWith('system.') || name.startsWith('_readstore_')) {
    throw new Error(`Invalid read-store collection name: ${JSON.stringify(name)}`);
  }
}

/** Consecutive writes to one collection go in one ordered bulkWrite, so order is kept. */
function toBatches(writes: ReadWrite[]): Batch[] {
  const batches: Batch[] = [];
  for (const write of writes) {
    let batch = batches[batches.length - 1];
    if (batch?.collection !== write.collection) {
      batch = { collection: write.collection, operations: [] };
      batches.push(batch);
    }
    batch.operations.push(toOperation(write));
  }
  return batches;
}

function toOperation(write: ReadWrite): AnyBulkWriteOperation<StoredDocument> {
  switch (write.kind) {
    case 'put':
      return {
        replaceOne: {
          filter: { _id: write.document.id },
          replacement: storedFields(write.document),
          upsert: true,
        },
      };
    case 'delete':
      return { deleteOne: { filter: { _id: write.id } } };
    case 'increment':
      return {
        updateOne: {
          filter: { _id: write.id },
          update: write.fields
            ? { $inc: write.amounts, $set: write.fields }
            : { $inc: write.amounts },
          upsert: true,
        },
      };
  }
}

function toLease(record: LeaseRecord): Lease {
  return {
    name: record._id,
    holder: record.holder!,
    token: record.token,
    expiresAt: record.expiresAt,
  };
}
