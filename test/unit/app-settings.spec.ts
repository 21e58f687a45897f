import { availableParallelism } from 'node:os';
import { readSettings } from '../../src/settings/app-settings';

describe('settings from the environment', () => {
  it('defaults to the embedded SQLite store under ./data with synchronous FULL', () => {
    const settings = readSettings({});
    expect(settings.port).toBe(3000);
    expect(settings.eventStore).toMatchObject({ kind: 'sqlite', synchronous: 'FULL' });
    expect(settings.eventStore.kind === 'sqlite' && settings.eventStore.file).toMatch(
      /data\/events\.sqlite$/,
    );
  });

  it('uses EventStoreDB when EVENTSTORE_URL is set', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(() => readSettings({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' })).toThrow(
      /TRADEFLOW_MASTER_KEY/,
    );
    expect(
      readSettings({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', TRADEFLOW_MASTER_KEY: key })
        .eventStore,
    ).toEqual({
      kind: 'eventstoredb',
      url: 'esdb://localhost:2113?tls=false',
    });
  });

  it('builds in up to two worker threads by default, one per CPU; 0 builds on the main thread', () => {
    const { buildWorkers, buildWorkerMinEvents } = readSettings({}).projections;
    expect(buildWorkers).toBe(Math.min(2, availableParallelism()));
    expect(buildWorkerMinEvents).toBe(50_000);
    expect(readSettings({ PROJECTION_BUILD_WORKERS: '0' }).projections.buildWorkers).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, /SQLITE_SYNCHRONOUS.*FULL or NORMAL/],
    [{ EVENTSTORE_URL: 'http://localhost:2113' }, /EVENTSTORE_URL/],
    [{ PROJECTION_BUILD_WORKERS: '17' }, /PROJECTION_BUILD_WORKERS.*from 0 to 16/],
    [{ PROJECTION_BUILD_WORKERS: 'two' }, /PROJECTION_BUILD_WORKERS/],
    [{ PROJECTION_BUILD_WORKER_MIN_EVENTS: '0' }, /PROJECTION_BUILD_WORKER_MIN_EVENTS.*from 1/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});
