import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../../src/event-store/event-store.port';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { UpcastingEventStore } from '../../../src/event-store/upcasting/upcasting-event-store';
import { appRoutes } from '../../e2e/app-routes';
import { httpClient } from '../../e2e/http-client';
import { RunningApp, startApp } from '../../e2e/http-app';
import { GULF_VALVE_ACCOUNT } from '../../e2e/test-records';

/**
 * The log is append-only (issue #8 §4): no route updates or deletes an event; a correction is a
 * new event. Every route that changes something, in place by its HTTP verb (PUT, PATCH, DELETE),
 * must be listed here with how it stays append-only, so a new one fails this test until someone
 * has said so. Then each of them is exercised on real records and the log before is checked to
 * be an unchanged prefix of the log after.
 */
const IN_PLACE_VERBS = ['PUT', 'PATCH', 'DELETE'];

const APPEND_ONLY: Record<string, string> = {
  'PATCH /api/accounts/:id': 'appends AccountProfileUpdated',
  'PATCH /api/accounts/:id/contacts/:contactId': 'appends ContactUpdated',
  'PATCH /api/deals/:id': 'appends one Deal…Changed event per changed term',
  'PATCH /api/users/:id': 'appends UserRenamed / UserEmailChanged',
  'PUT /api/policies/:id': 'appends PolicyVersionPublished: a new version, the old ones kept',
};

/** Paths that name the log itself. */
const LOG_PATHS = /\/(events?|streams?|history|log)(\/|$)/;

const snapshot = (events: RecordedEvent[]) =>
  events.map((event) =>
    JSON.stringify([
      event.id,
      event.streamName,
      event.revision,
      event.position,
      event.type,
      event.data,
      event.metadata,
      event.recordedAt,
    ]),
  );

describe('the event log is append-only', () => {
  let running: RunningApp;
  let routes: string[];

  beforeAll(async () => {
    running = await startApp();
    routes = appRoutes(running);
  });
  afterAll(() => running.stop());

  it('has no store method or statement that could rewrite or remove an event', () => {
    for (const adapter of [SqliteEventStore, EventStoreDbEventStore, UpcastingEventStore]) {
      const methods = Object.getOwnPropertyNames(adapter.prototype);
      expect({
        adapter: adapter.name,
        rewrites: methods.filter((m) =>
          /delete|update|remove|truncate|purge|tombstone|rewrite/i.test(m),
        ),
      }).toEqual({ adapter: adapter.name, rewrites: [] });
    }
    // The embedded store's SQL only ever inserts into the events table.
    const sql = ['sqlite-event-store.ts', 'sqlite-schema.ts']
      .map((file) => readFileSync(join(__dirname, '../../../src/event-store/sqlite', file), 'utf8'))
      .join('\n');
    expect(sql).toMatch(/INSERT INTO events/);
    expect(sql.match(/(UPDATE|DELETE FROM|REPLACE INTO|DROP TABLE)\s+events\b/gi)).toBeNull();
  });

  it('exposes no route that deletes or rewrites events, and names every in-place verb', () => {
    expect(routes.length).toBeGreaterThan(50);
    const inPlace = routes.filter((route) => IN_PLACE_VERBS.includes(route.split(' ')[0]));
    expect(inPlace.filter((route) => route.startsWith('DELETE '))).toEqual([]);
    expect(inPlace.filter((route) => !APPEND_ONLY[route])).toEqual([]);
    // The log is read, never written, through paths that name it.
    expect(routes.filter((route) => LOG_PATHS.test(route) && !route.startsWith('GET '))).toEqual(
      [],
    );
    // A listed route that no longer exists is a stale promise: keep the list honest.
    expect(Object.keys(APPEND_ONLY).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('answers a correction with new events and leaves every earlier event as it was', async () => {
    const manager = httpClient(running.baseUrl, { id: 'u-mgr', role: 'manager' });
    const admin = manager.as({ id: 'u-admin', role: 'admin' });
    const store = running.app.get<EventStore>(EVENT_STORE);
    const accountId = (await manager.post('/api/accounts', GULF_VALVE_ACCOUNT)).body.id;
    const contactId = (
      await manager.post(`/api/accounts/${accountId}/contacts`, {
        name: 'Ahmed Al-Farsi',
        role: 'purchasing',
      })
    ).body.contactId;
    const dealId = (
      await manager.post('/api/deals', {
        accountId,
        title: 'DN50 ball valves',
        productLine: 'valves',
        currency: 'USD',
      })
    ).body.id;
    const policy = (await manager.get('/api/policies/loss-reasons.default')).body;

    const before = snapshot(await store.readAll());
    const corrections: Record<string, () => Promise<{ status: number }>> = {
      'PATCH /api/accounts/:id': () =>
        manager.patch(`/api/accounts/${accountId}`, { ports: ['Jebel Ali'] }),
      'PATCH /api/accounts/:id/contacts/:contactId': () =>
        manager.patch(`/api/accounts/${accountId}/contacts/${contactId}`, { title: 'Buyer' }),
      'PATCH /api/deals/:id': () =>
        manager.patch(`/api/deals/${dealId}`, { amount: { minor: 3_800_000, currency: 'USD' } }),
      'PATCH /api/users/:id': () => admin.patch('/api/users/u-mgr', { name: 'Mona Manager' }),
      'PUT /api/policies/:id': () =>
        manager.put('/api/policies/loss-reasons.default', policy.body, {
          'if-match': `"${policy.version}"`,
        }),
    };
    expect(Object.keys(corrections).sort()).toEqual(Object.keys(APPEND_ONLY).sort());
    for (const [route, correct] of Object.entries(corrections)) {
      expect({ route, status: (await correct()).status }).toEqual({ route, status: 200 });
    }
    const after = snapshot(await store.readAll());
    expect(after.length).toBeGreaterThanOrEqual(before.length + Object.keys(corrections).length);
    expect(after.slice(0, before.length)).toEqual(before);
  });
});
