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
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';
import { ProjectionRunner } from '../../../src/projection-runner/projection-runner';
import { ReadModels } from '../../../src/projection-runner/read-models';
import { SqliteReadStore } from '../../../src/read-store/sqlite/sqlite-read-store';

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

  async open(projections: Projection[], holder = 'test-instance'): Promise<this> {
    this.events = SqliteEventStore.open({
      file: join(this.dir, 'events.sqlite'),
      synchronous: 'NORMAL',
    });
    this.store = await SqliteReadStore.open({ file: join(this.dir, 'readmodels.sqlite') });
    this.readModels = new ReadModels(this.store);
    const keys = new SqliteSubjectKeyStore(join(this.dir, 'keys.sqlite'), Buffer.alloc(32, 7));
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
