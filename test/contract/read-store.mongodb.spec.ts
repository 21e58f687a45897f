import { MongoClient } from 'mongodb';
import { v4 as uuidv4 } from 'uuid';
import {
  MONGO_META_COLLECTIONS,
  MongoReadStore,
} from '../../src/read-store/mongodb/mongodb-read-store';
import { runReadStoreContract } from './read-store.contract';

const url = process.env.MONGO_URL?.trim();

if (!url) {
  console.warn(
    'SKIPPED: MongoDB read-store contract suite — MONGO_URL is not set; start MongoDB with ' +
      '`docker compose up mongo` and set MONGO_URL=mongodb://localhost:27017/?replicaSet=rs0',
  );
}

// The whole contract runs against a live replica set when MONGO_URL is set, and is skipped otherwise.
runReadStoreContract(
  url ? 'MongoDB' : 'MongoDB (skipped: MONGO_URL is not set)',
  async () => {
    const store = await MongoReadStore.connect(url!);
    // The server outlives test runs, so every store gets its own name prefix.
    const prefix = `t${uuidv4().replace(/-/g, '')}_`;
    return {
      store,
      prefix,
      cleanup: async () => {
        await store.close();
        await dropPrefixed(url!, store.databaseName, prefix);
      },
    };
  },
  url ? describe : describe.skip,
);

/** Drops the collections named with `prefix`, and its declarations, checkpoints and leases. */
async function dropPrefixed(url: string, databaseName: string, prefix: string): Promise<void> {
  const client = await MongoClient.connect(url);
  try {
    const db = client.db(databaseName);
    const named = { $regex: `^${prefix}` };
    const collections = await db.listCollections({ name: named }, { nameOnly: true }).toArray();
    for (const { name } of collections) await db.dropCollection(name);
    for (const meta of MONGO_META_COLLECTIONS)
      await db.collection<{ _id: string }>(meta).deleteMany({ _id: named });
  } finally {
    await client.close();
  }
}
