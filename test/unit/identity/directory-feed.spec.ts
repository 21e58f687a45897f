import { randomBytes } from 'node:crypto';
import {
  EventStore,
  EventSubscription,
  SubscribeOptions,
} from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { Directory } from '../../../src/identity/directory';
import { DirectoryFeed } from '../../../src/identity/directory-feed';
import { PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';

/** The real SQLite store, whose first subscription breaks after its first event, as a dropped connection would. */
function breakingOnce(store: SqliteEventStore): EventStore {
  let broken = false;
  return Object.assign(Object.create(store) as EventStore, {
    subscribeToAll(options?: SubscribeOptions): EventSubscription {
      const inner = store.subscribeToAll({ ...options });
      if (broken) return inner;
      broken = true;
      return {
        stop: () => inner.stop(),
        async *[Symbol.asyncIterator]() {
          for await (const event of inner) {
            yield event;
            await inner.stop();
            throw new Error('connection dropped');
          }
        },
      };
    },
  });
}

const issued = (tokenId: string) => ({
  type: 'TokenIssued',
  data: {
    tokenId,
    kind: 'api',
    userId: 'u-1',
    secretHash: 'x',
    label: 't',
    expiresAt: '2030-01-01T00:00:00Z',
    issuedBy: 'admin',
  },
  metadata: { occurredAt: new Date().toISOString(), $correlationId: 'c', $causationId: 'c' },
});

describe('directory feed', () => {
  it('resubscribes after a subscription error, from the last event it applied, so later revocations still arrive', async () => {
    const sqlite = SqliteEventStore.open({ file: ':memory:', pollIntervalMs: 20 });
    const keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    const feed = new DirectoryFeed(
      new Directory(),
      breakingOnce(sqlite),
      new PersonalDataCipher(keys, {}),
    );
    await feed.onModuleInit();
    await sqlite.append('token-t1', [issued('t1')], { expectedRevision: 'no_stream' });
    await sqlite.append('token-t2', [issued('t2')], { expectedRevision: 'no_stream' });
    await sqlite.append(
      'token-t1',
      [
        {
          type: 'TokenRevoked',
          data: { tokenId: 't1', revokedBy: 'admin', reason: 'left' },
          metadata: issued('t1').metadata,
        },
      ],
      { expectedRevision: 0 },
    );
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !feed.directory.token('t1')?.revokedAt) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(feed.directory.token('t2')).toBeDefined();
    expect(feed.directory.token('t1')?.revokedAt).toBeDefined();
    await feed.onApplicationShutdown();
    await sqlite.close();
    await keys.close();
  });
});
