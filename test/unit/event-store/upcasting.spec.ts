import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { UpcasterRegistry } from '../../../src/event-store/upcasting/upcaster-registry';
import { UpcastingEventStore } from '../../../src/event-store/upcasting/upcasting-event-store';
import { EventMetadata, RecordedEvent } from '../../../src/event-store/event-store.port';

const meta = (schemaVersion?: number): EventMetadata => ({
  occurredAt: '2026-03-01T09:00:00.000Z',
  $correlationId: 'c',
  $causationId: 'c',
  ...(schemaVersion ? { schemaVersion } : {}),
});

describe('upcasting', () => {
  let raw: SqliteEventStore;
  let store: UpcastingEventStore;
  const registry = new UpcasterRegistry().register(
    {
      type: 'InquiryReceived',
      fromVersion: 1,
      upcast: ({ source, ...rest }) => ({ ...rest, channel: source }),
    },
    {
      type: 'InquiryReceived',
      fromVersion: 2,
      upcast: (data) => ({ ...data, attachments: data.attachments ?? [] }),
    },
    { type: 'LeadDropped', fromVersion: 1, toType: 'LeadDisqualified', upcast: (d) => d },
  );

  beforeEach(async () => {
    raw = SqliteEventStore.open({ file: ':memory:', pollIntervalMs: 20 });
    store = new UpcastingEventStore(raw, registry);
    await raw.append(
      'lead-1',
      [
        { type: 'InquiryReceived', data: { source: 'alibaba' }, metadata: meta(1) },
        { type: 'LeadDropped', data: { reason: 'spam' }, metadata: meta(1) },
      ],
      { expectedRevision: 'no_stream' },
    );
  });
  afterEach(() => store.close());

  const current = {
    type: 'InquiryReceived',
    data: { channel: 'alibaba', attachments: [] },
    metadata: expect.objectContaining({ schemaVersion: 3 }),
  };
  const renamed = { type: 'LeadDisqualified', data: { reason: 'spam' } };

  it('knows the current version of each type', () => {
    expect(registry.currentVersion('InquiryReceived')).toBe(3);
    expect(registry.currentVersion('LeadDisqualified')).toBe(2);
    expect(registry.currentVersion('Unknown')).toBe(1);
  });

  it('loads old events as the current shape when reading a stream and all', async () => {
    expect(await store.readStream('lead-1')).toMatchObject([current, renamed]);
    expect(await store.readAll()).toMatchObject([current, renamed]);
  });

  it('upcasts in subscriptions', async () => {
    const subscription = store.subscribeToAll();
    const seen: RecordedEvent[] = [];
    for await (const event of subscription) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    await subscription.stop();
    expect(seen).toMatchObject([current, renamed]);
  });

  it('stamps new events with the current version, so they are not upcast again', async () => {
    await store.append(
      'lead-1',
      [{ type: 'InquiryReceived', data: { channel: 'email', attachments: [] }, metadata: meta() }],
      { expectedRevision: 1 },
    );
    const [stored] = await raw.readStream('lead-1', { fromRevision: 2 });
    expect(stored.metadata.schemaVersion).toBe(3);
    const [loaded] = await store.readStream('lead-1', { fromRevision: 2 });
    expect(loaded.data).toEqual({ channel: 'email', attachments: [] });
  });

  it('refuses two upcasters for the same step', () => {
    expect(() =>
      new UpcasterRegistry().register(
        { type: 'A', fromVersion: 1, upcast: (d) => d },
        { type: 'A', fromVersion: 1, upcast: (d) => d },
      ),
    ).toThrow(/A@1/);
  });
});
