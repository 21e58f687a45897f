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

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, /SQLITE_SYNCHRONOUS.*FULL or NORMAL/],
    [{ EVENTSTORE_URL: 'http://localhost:2113' }, /EVENTSTORE_URL/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});
