import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/cli/generate-histories';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';

type Client = ReturnType<typeof httpClient>;
type Row = Record<string, string | number | null>;

// Computed here straight from the log, apart from the projection's code.
const OWNER_FIELD: Record<string, string> = {
  AccountRegistered: 'ownerId',
  AccountOwnershipTransferred: 'to',
  LeadAssigned: 'to',
  LeadOwnershipTransferred: 'to',
  DealOpened: 'ownerId',
  DealOwnerTransferred: 'to',
};

interface Expected {
  aggregate: string;
  recordId: string;
  from: string | null;
  to: string;
  occurredAt: string;
  cause: string;
  causeId: string | null;
  correlationId: string;
  position: string;
}

function ownershipFromLog(events: RecordedEvent[]): Expected[] {
  const owners = new Map<string, string>();
  const expected: Expected[] = [];
  for (const event of events) {
    const field = OWNER_FIELD[event.type];
    if (!field) continue;
    const data = event.data as Record<string, unknown>;
    const cause = (data.cause ?? event.metadata.cause) as { kind: string; id: string } | undefined;
    const actor = event.metadata.actor;
    expected.push({
      aggregate: event.streamName.split('-')[0],
      recordId: event.streamName.slice(event.streamName.indexOf('-') + 1),
      from: owners.get(event.streamName) ?? null,
      to: data[field] as string,
      occurredAt: new Date(event.metadata.occurredAt).toISOString(),
      cause: !cause
        ? actor?.role === 'system'
          ? 'system'
          : 'person'
        : cause.kind === 'system' && cause.id === 'user-deactivation'
          ? 'deactivation'
          : cause.kind,
      causeId: cause?.id ?? actor?.userId ?? null,
      correlationId: event.metadata.$correlationId,
      position: event.position,
    });
    owners.set(event.streamName, data[field] as string);
  }
  return expected;
}

const asExpected = (row: Row): Expected => ({
  aggregate: row.aggregate as string,
  recordId: row.recordId as string,
  from: row.from as string | null,
  to: row.to as string,
  occurredAt: row.occurredAt as string,
  cause: row.cause as string,
  causeId: row.causeId as string | null,
  correlationId: row.correlationId as string,
  position: row.position as string,
});

const byTime = (a: Expected, b: Expected) =>
  a.occurredAt.localeCompare(b.occurredAt) || a.position.localeCompare(b.position);

/** Who held each record at `at`, folded from the expected entries (stream order is business order). */
function holdersAt(expected: Expected[], at: string): Map<string, string> {
  const holders = new Map<string, string>();
  for (const entry of expected)
    if (entry.occurredAt <= at) holders.set(`${entry.aggregate}-${entry.recordId}`, entry.to);
  return holders;
}

describe('ownership ledger (GET /api/audit/ownership)', () => {
  let running: RunningApp;
  let manager: Client;
  let leaver: Client;
  let events: RecordedEvent[];
  let deactivation: { correlationId: string; handovers: Array<{ record: string; id: string }> };
  const held: Record<'account' | 'lead' | 'deal', string[]> = { account: [], lead: [], deal: [] };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-audit-'));
    const now = new Date();
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    // Varied history: rule assignments, handovers by managers, a leaver, back-dated imports.
    await generate({ deals: 20, seed: 'audit-ownership', dataDir, until });
    running = await startApp(dataDir, { env: { RUN_SAGAS: 'false' } });
    manager = httpClient(running.baseUrl, { id: 'u-audit-mgr', role: 'manager' });
    leaver = manager.as({ id: 'u-audit-leaver', role: 'rep', teamId: 'team-audit' });
    await manager
      .as({ id: 'u-audit-successor', role: 'rep', teamId: 'team-audit' })
      .get('/api/auth/me');

    for (const website of ['audit-one.ae', 'audit-two.ae']) {
      const account = await leaver.post('/api/accounts', {
        name: `Audit ${website}`,
        country: 'AE',
        website,
        mainProducts: ['valves'],
        customerType: 'distributor',
        sourceChannel: 'alibaba',
        grade: 'B',
      });
      expect(account.status).toBe(201);
      held.account.push(account.body.id);
    }
    for (const email of ['a@audit-lead.de', 'b@audit-lead.de']) {
      const lead = await leaver.post('/api/inquiries', {
        channel: 'website_form',
        inquirer: { name: 'Audit Buyer', email, company: 'Audit Lead GmbH' },
      });
      expect(
        (
          await leaver.post(`/api/leads/${lead.body.id}/owner`, {
            to: 'u-audit-leaver',
            reason: 'mine',
          })
        ).status,
      ).toBe(200);
      held.lead.push(lead.body.id);
    }
    for (const title of ['Audit valves', 'Audit pumps']) {
      const deal = await leaver.post('/api/deals', {
        accountId: held.account[0],
        title,
        productLine: 'valves',
        currency: 'USD',
      });
      expect(deal.status).toBe(201);
      held.deal.push(deal.body.id);
    }
    const done = await manager.post('/api/users/u-audit-leaver/deactivate', {
      successorId: 'u-audit-successor',
      reason: 'left the company',
    });
    expect(done.status).toBe(200);
    deactivation = done.body;
    await readModelsCaughtUp(running.baseUrl, 60_000);
    events = await running.app.get<EventStore>(EVENT_STORE).readAll();
  }, 240_000);
  afterAll(() => running?.stop());

  it('equals the ownership events of the log, entry for entry', async () => {
    const expected = ownershipFromLog(events).sort(byTime);
    expect(expected.length).toBeGreaterThan(60);
    // The history is varied: rules, people, a leaver's handovers and first assignments.
    const kinds = new Set(expected.map((entry) => entry.cause));
    for (const kind of ['rule', 'person', 'deactivation']) expect(kinds.has(kind)).toBe(true);
    expect(expected.some((entry) => entry.from !== null)).toBe(true);

    const all = await manager.get('/api/audit/ownership?limit=10000');
    expect(all.status).toBe(200);
    expect(all.body.truncated).toBe(false);
    expect(all.body.rows.map(asExpected)).toEqual(expected);

    // Per owner: every entry to or from them; per record: its entries in stream order.
    const owners = [...new Set(expected.flatMap((entry) => [entry.from, entry.to]))].filter(
      (owner): owner is string => owner !== null,
    );
    for (const owner of owners.slice(0, 6)) {
      const mine = await manager.get(`/api/audit/ownership?owner=${owner}&limit=10000`);
      expect(mine.body.rows.map(asExpected)).toEqual(
        expected.filter((entry) => entry.from === owner || entry.to === owner),
      );
    }
    for (const entry of expected.filter((e) => e.from !== null).slice(0, 5)) {
      const record = await manager.get(`/api/audit/ownership/${entry.aggregate}/${entry.recordId}`);
      expect(record.body.rows.map(asExpected)).toEqual(
        expected.filter((e) => e.aggregate === entry.aggregate && e.recordId === entry.recordId),
      );
    }

    // A period is half-open on business time.
    const middle = expected[Math.floor(expected.length / 2)].occurredAt;
    const later = expected[Math.floor((expected.length * 3) / 4)].occurredAt;
    const period = await manager.get(`/api/audit/ownership?from=${middle}&to=${later}&limit=10000`);
    expect(period.body.rows.map(asExpected)).toEqual(
      expected.filter((entry) => entry.occurredAt >= middle && entry.occurredAt < later),
    );
  });

  it('answers who owned what at an instant, for a rep’s whole book', async () => {
    const expected = ownershipFromLog(events).sort(byTime);
    const instants = [0.3, 0.6, 0.9].map(
      (share) => expected[Math.floor(expected.length * share)].occurredAt,
    );
    for (const at of instants) {
      const holders = holdersAt(expected, at);
      const busiest = [...holders.values()].sort(
        (a, b) =>
          [...holders.values()].filter((h) => h === b).length -
          [...holders.values()].filter((h) => h === a).length,
      )[0];
      const book = await manager.get(`/api/audit/ownership/book?owner=${busiest}&at=${at}`);
      expect(book.status).toBe(200);
      const listed = book.body.rows.map((row: Row) => `${row.aggregate}-${row.recordId}`).sort();
      const owned = [...holders.entries()]
        .filter(([, holder]) => holder === busiest)
        .map(([record]) => record)
        .sort();
      expect(owned.length).toBeGreaterThan(0);
      expect(listed).toEqual(owned);
      expect(book.body.next).toBeNull();

      // The same book three rows a page, following the Link header.
      const paged: Row[] = [];
      let url: string | undefined = `/api/audit/ownership/book?owner=${busiest}&at=${at}&limit=3`;
      while (url !== undefined) {
        const page = await manager.get(url);
        expect(page.status).toBe(200);
        paged.push(...page.body.rows);
        const link = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '');
        expect(link?.[1] !== undefined).toBe(page.body.next !== null);
        url = link?.[1];
      }
      expect(paged).toEqual(book.body.rows);
    }
  });

  it('shows a deactivation’s handovers under its one correlation id, caused by the deactivation', async () => {
    const handedOver = deactivation.handovers
      .filter((handover) => handover.record !== 'task')
      .map((handover) => `${handover.record}-${handover.id}`)
      .sort();
    expect(handedOver).toEqual(
      [
        ...held.account.map((id) => `account-${id}`),
        ...held.lead.map((id) => `lead-${id}`),
        ...held.deal.map((id) => `deal-${id}`),
      ].sort(),
    );
    const leaverEntries = await manager.get('/api/audit/ownership?owner=u-audit-leaver');
    const handovers = leaverEntries.body.rows.filter((row: Row) => row.from === 'u-audit-leaver');
    expect(handovers.map((row: Row) => `${row.aggregate}-${row.recordId}`).sort()).toEqual(
      handedOver,
    );
    for (const row of handovers) {
      expect(row).toMatchObject({
        kind: 'handover',
        to: 'u-audit-successor',
        cause: 'deactivation',
        causeId: 'user-deactivation',
        reason: 'left the company',
        actorId: 'u-audit-mgr',
        correlationId: deactivation.correlationId,
      });
    }
    // Everything under that correlation id is one of these handovers.
    const correlated = ownershipFromLog(events).filter(
      (entry) => entry.correlationId === deactivation.correlationId,
    );
    expect(correlated.map((entry) => `${entry.aggregate}-${entry.recordId}`).sort()).toEqual(
      handedOver,
    );

    // Each handover is its own command, at its own instant.
    const times = handovers.map((row: Row) => row.occurredAt as string).sort();
    const at = times[times.length - 1];
    const before = new Date(Date.parse(times[0]) - 1).toISOString();
    const bookBefore = await manager.get(
      `/api/audit/ownership/book?owner=u-audit-leaver&at=${before}`,
    );
    expect(
      bookBefore.body.rows.map((row: Row) => `${row.aggregate}-${row.recordId}`).sort(),
    ).toEqual(handedOver);
    const bookAfter = await manager.get(
      `/api/audit/ownership/book?owner=u-audit-successor&at=${at}`,
    );
    expect(bookAfter.body.rows).toHaveLength(handedOver.length);
    expect(
      bookAfter.body.rows.every(
        (row: Row) => row.receivedFrom === 'u-audit-leaver' && row.cause === 'deactivation',
      ),
    ).toBe(true);
  });

  it('exports CSV with the same rows', async () => {
    const csv = await manager.get('/api/audit/ownership?owner=u-audit-successor&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'aggregate,recordId,kind,from,to,occurredAt,recordedAt,actorId,actorRole,cause,causeId,causeVersion,reason,correlationId,causationId,commandId,eventType,position',
    );
    const json = await manager.get('/api/audit/ownership?owner=u-audit-successor');
    expect(lines).toHaveLength(json.body.rows.length + 1);
    const book = await manager.get(
      `/api/audit/ownership/book?owner=u-audit-successor&at=${new Date().toISOString()}`,
      { accept: 'text/csv' },
    );
    expect((book.body as string).split('\r\n')[0]).toBe(
      'owner,aggregate,recordId,status,ownedSince,ownedUntil,receivedFrom,cause,causeId,causeVersion,reason,correlationId',
    );
  });

  it('keeps a rep to their own entries and records, and names the field it refuses', async () => {
    const successor = manager.as({ id: 'u-audit-successor', role: 'rep', teamId: 'team-audit' });
    const own = await successor.get('/api/audit/ownership');
    expect(own.status).toBe(200);
    expect(own.body.owners).toEqual(['u-audit-successor']);
    expect(own.body.rows.length).toBeGreaterThan(0);
    expect(
      own.body.rows.every(
        (row: Row) => row.to === 'u-audit-successor' || row.from === 'u-audit-successor',
      ),
    ).toBe(true);
    expect((await successor.get('/api/audit/ownership?owner=u-audit-mgr')).body).toMatchObject({
      status: 403,
      code: 'auth.report_forbidden',
      field: 'owner',
    });
    expect((await successor.get(`/api/audit/ownership/lead/${held.lead[0]}`)).status).toBe(200);
    const someoneElses = ownershipFromLog(events).find(
      (entry) => entry.aggregate === 'deal' && !entry.to.startsWith('u-audit'),
    )!;
    expect(
      (await successor.get(`/api/audit/ownership/deal/${someoneElses.recordId}`)).body,
    ).toMatchObject({ status: 403, code: 'auth.record_forbidden' });
    expect((await successor.get('/api/audit/ownership/book?at=2026-01-01')).status).toBe(200);

    expect((await manager.get('/api/audit/ownership/book?at=2026-01-01')).body).toMatchObject({
      status: 400,
      field: 'owner',
    });
    expect((await manager.get('/api/audit/ownership/book?owner=u-audit-mgr')).body).toMatchObject({
      status: 400,
      field: 'at',
    });
    expect((await manager.get(`/api/audit/ownership/task/${held.lead[0]}`)).body).toMatchObject({
      status: 400,
      field: 'aggregate',
    });
    expect((await manager.get('/api/audit/ownership/lead/not-a-uuid')).body).toMatchObject({
      status: 400,
      field: 'id',
    });
    expect(
      (await manager.get('/api/audit/ownership/lead/0190a000-0000-7000-8000-000000000000')).status,
    ).toBe(404);
    expect(
      (await manager.get('/api/audit/ownership?from=2026-03-02&to=2026-03-01')).body,
    ).toMatchObject({ status: 400, field: 'from' });
    expect((await manager.get('/api/audit/ownership?from=yesterday')).body).toMatchObject({
      status: 400,
      field: 'from',
    });
    expect(
      (await manager.as({ id: 'u-audit-analyst', role: 'analyst' }).get('/api/audit/ownership'))
        .status,
    ).toBe(403);
  });
});
