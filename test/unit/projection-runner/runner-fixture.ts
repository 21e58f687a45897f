import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Projection } from '../../../projections/projection';
import { streamId } from '../../../projections/projection';
import type { NewEvent } from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../../src/personal-data/personal-fields';
import { openSubjectKeys } from '../../../src/personal-data/open-subject-keys';
import type { BuildWorkerStores } from '../../../src/projection-runner/build-workers/build-worker-protocol';
import {
  BuildWorkers,
  BuildWorkersOptions,
} from '../../../src/projection-runner/build-workers/build-workers';
import { ProjectionRunner } from '../../../src/projection-runner/projection-runner';
import { ReadModels } from '../../../src/projection-runner/read-models';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';

const MASTER_KEY = Buffer.alloc(32, 7);

/** Counts each stream's events; refuses an event whose data says `poison`. */
export const tallyProjection = (version = 1, poison = 'poison'): Projection => ({
  name: 'tally',
  version,
  collections: [{ name: 'streams', indexes: [['count']] }],
  eventTypes: ['Tallied'],
  reads: (event) => [{ collection: 'streams', id: streamId(event) }],
  apply(event, view) {
    if (event.data.kind === poison) throw new Error(`cannot tally ${poison}`);
    const id = streamId(event);
    const current = view.get<{ id: string; count: number }>('streams', id);
    view.put('streams', { id, count: (current?.count ?? 0) + version, last: event.position });
  },
});

export const tallied = (kind = 'ok'): NewEvent => ({
  type: 'Tallied',
  data: { kind },
  metadata: {
    occurredAt: '2026-03-01T09:00:00.000Z',
    $correlationId: randomUUID(),
    $causationId: randomUUID(),
  },
});

/** Real SQLite event and read stores in a temp folder; `open` can be called again after `close`. */
export class RunnerFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'tradeflow-runner-'));
  events!: SqliteEventStore;
  store!: SqliteReadStore;
  readModels!: ReadModels;
  runner!: ProjectionRunner;

  get files() {
    return {
      events: join(this.dir, 'events.sqlite'),
      readModels: join(this.dir, 'readmodels.sqlite'),
      keys: join(this.dir, 'keys.sqlite'),
    };
  }

  /** Build workers on this fixture's stores; `stores` overrides what a worker opens. */
  buildWorkers(
    options: Partial<Omit<BuildWorkersOptions, 'stores'>> & {
      minEvents: number;
      stores?: Partial<BuildWorkerStores>;
    },
  ): BuildWorkers {
    return new BuildWorkers({
      workers: 2,
      log: () => undefined,
      ...options,
      stores: {
        eventStore: { kind: 'sqlite', file: this.files.events, synchronous: 'NORMAL' },
        readStore: { kind: 'sqlite', file: this.files.readModels },
        keysFile: this.files.keys,
        masterKey: MASTER_KEY.toString('base64'),
        ...options.stores,
      },
    });
  }

  async open(
    projections: Projection[],
    holder = 'test-instance',
    buildWorkers?: BuildWorkers,
  ): Promise<this> {
    this.events = SqliteEventStore.open({ file: this.files.events, synchronous: 'NORMAL' });
    this.store = await SqliteReadStore.open({ file: this.files.readModels });
    this.readModels = new ReadModels(this.store);
    const keys = openSubjectKeys(this.events, this.files.keys, MASTER_KEY);
    this.runner = new ProjectionRunner(
      {
        events: this.events,
        store: this.store,
        cipher: new PersonalDataCipher(keys, PERSONAL_FIELDS),
        clock: { now: () => new Date() },
        holder,
        batchSize: 2,
        flushEvery: 3,
        cacheLimit: 4,
        leaseTtlMs: 3000,
        buildWorkers,
        log: () => undefined,
      },
      projections,
      this.readModels,
    );
    await this.runner.start();
    return this;
  }

  async append(stream: string, ...events: NewEvent[]): Promise<string> {
    return (await this.events.append(stream, events, { expectedRevision: 'any' })).position;
  }

  async count(stream: string): Promise<number | undefined> {
    const id = stream.slice(stream.indexOf('-') + 1);
    const document = await this.store.get(this.readModels.collection('tally', 'streams'), id);
    return document?.count as number | undefined;
  }

  async close(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    await this.events.close();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
