import { randomUUID } from 'node:crypto';
import type { Projection } from '../../projections/projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import {
  type CollectionNames,
  ProjectionBatch,
} from '../../src/projection-runner/projection-batch';
import type { FindQuery, ReadDocument, ReadStore } from '../../src/read-store/read-store.port';
import { SqliteReadStore } from '../../src/read-store/sqlite/sqlite-read-store';

let position = 0;

/** A recorded event as the store would deliver it; revisions count per stream within a history. */
export function recorded(
  streamName: string,
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  metadata: Record<string, unknown> = {},
): RecordedEvent {
  position += 1;
  return {
    id: randomUUID(),
    streamName,
    revision: 0,
    position: String(position).padStart(20, '0'),
    type,
    data,
    metadata: {
      occurredAt,
      $correlationId: randomUUID(),
      $causationId: randomUUID(),
      schemaVersion: 1,
      ...metadata,
    },
    recordedAt: occurredAt,
  };
}

/** An event that happened at `occurredAt` and was recorded at `recordedAt` (back-dated when later). */
export const happenedAndRecorded = (
  streamName: string,
  type: string,
  data: Record<string, unknown>,
  occurredAt: string,
  recordedAt = occurredAt,
): RecordedEvent => ({ ...recorded(streamName, type, data, occurredAt), recordedAt });

/** A USD deal opened in `initial_contact` under the default stage policy (version 1). */
export const dealOpened = (
  dealId: string,
  owner: string,
  amount: number,
  occurredAt: string,
  recordedAt = occurredAt,
): RecordedEvent =>
  happenedAndRecorded(
    `deal-${dealId}`,
    'DealOpened',
    {
      dealId,
      accountId: 'a-1',
      title: `Deal ${dealId}`,
      ownerId: owner,
      channel: 'alibaba',
      country: 'AE',
      productLine: 'valves',
      repeat: false,
      currency: 'USD',
      amount: { minor: amount, currency: 'USD' },
      stage: 'initial_contact',
      policy: { id: 'stages.default', version: 1 },
    },
    occurredAt,
    recordedAt,
  );

/** A user registered in a team, named after their id. */
export const userRegistered = (id: string, teamId: string, at: string, role = 'rep') =>
  recorded(
    `user-${id}`,
    'UserRegistered',
    { userId: id, name: id, email: `${id}@x.test`, role, teamId },
    at,
  );

/** Numbers revisions per stream in the order given. */
export function history(events: RecordedEvent[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event) => {
    const revision = revisions.get(event.streamName) ?? 0;
    revisions.set(event.streamName, revision + 1);
    return { ...event, revision };
  });
}

export interface ProjectedModel {
  store: ReadStore;
  /** Physical name of a logical collection. */
  name(collection: string): string;
  get(collection: string, id: string): Promise<ReadDocument | undefined>;
  find(collection: string, query?: FindQuery): Promise<ReadDocument[]>;
  close(): Promise<void>;
}

/** Physical names of a projection's logical collections in the stores these tests build. */
export function testCollectionNames(projection: Pick<Projection, 'name'>): CollectionNames {
  return (collection) => `${projection.name}_test_${collection}`;
}

export interface ProjectIntoOptions {
  /** Physical names of the projection's collections; by default testCollectionNames(projection). */
  names?: CollectionNames;
  /** Events a batch holds (at least 1): a number, or drawn anew for every batch. Default 3. */
  batchSize?: number | (() => number);
}

/**
 * Runs a projection over events into a store, as the projection runner does: ensures its
 * collections, preloads those it preloads, then applies the events it reads in batches, each
 * committed with the checkpoint. Several projections may share one store, each under its names.
 */
export async function projectInto(
  store: ReadStore,
  projection: Projection,
  events: RecordedEvent[],
  { names = testCollectionNames(projection), batchSize = 3 }: ProjectIntoOptions = {},
): Promise<void> {
  const size = typeof batchSize === 'number' ? () => batchSize : batchSize;
  for (const spec of projection.collections)
    await store.ensureCollection({ ...spec, name: names(spec.name) });
  const preloaded = new Map<string, Map<string, ReadDocument>>();
  for (const spec of projection.collections.filter((c) => c.preload)) {
    const documents = await store.find(names(spec.name));
    preloaded.set(spec.name, new Map(documents.map((d) => [d.id, d])));
  }
  const relevant = events.filter((event) => projection.eventTypes.includes(event.type));
  for (let start = 0; start < relevant.length;) {
    const slice = relevant.slice(start, start + Math.max(1, size()));
    start += slice.length;
    const batch = new ProjectionBatch(projection, names, preloaded);
    await batch.load(store, slice);
    for (const event of slice) batch.apply(event);
    await store.commit(batch.drain(), {
      checkpoint: { name: names('checkpoint'), position: slice[slice.length - 1].position },
    });
  }
}

/**
 * Runs several projections over the same events into one new in-memory SQLite read store, each
 * under testCollectionNames, as projectInto does.
 */
export async function projectAll(
  projections: Projection[],
  events: RecordedEvent[],
  batchSize: ProjectIntoOptions['batchSize'] = 3,
): Promise<ReadStore> {
  const store = SqliteReadStore.open({ file: ':memory:' });
  for (const projection of projections) await projectInto(store, projection, events, { batchSize });
  return store;
}

/**
 * Runs a projection over events on a real in-memory SQLite read store, in batches of `batchSize`
 * so that tests also cross batch boundaries.
 */
export async function project(
  projection: Projection,
  events: RecordedEvent[],
  batchSize = 3,
): Promise<ProjectedModel> {
  const store = await SqliteReadStore.open({ file: ':memory:' });
  const name = testCollectionNames(projection);
  await projectInto(store, projection, events, { names: name, batchSize });
  return {
    store,
    name,
    get: (collection, id) => store.get(name(collection), id),
    find: (collection, query) => store.find(name(collection), query),
    close: () => store.close(),
  };
}
