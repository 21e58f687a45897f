import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';

type Client = ReturnType<typeof httpClient>;

/**
 * The read side through HTTP: a write answers with its position, a read with ?minPosition= sees
 * it; reports answer JSON and CSV; the admin endpoint shows every projection; a rebuild switches
 * readers to the new generation with the same answers; read models survive a restart.
 */
describe('read models through HTTP', () => {
  let running: RunningApp;
  let rep: Client;
  let manager: Client;
  let admin: Client;

  const openDeal = async (title: string, amountMinor: number) => {
    const account = await rep.post('/api/accounts', {
      name: `${title} Trading`,
      country: 'DE',
      website: `${title.toLowerCase().replace(/\W/g, '')}.de`,
      mainProducts: ['valves'],
      customerType: 'distributor',
      sourceChannel: 'trade_show',
      grade: 'A',
    });
    expect(account.status).toBe(201);
    const deal = await rep.post('/api/deals', {
      accountId: account.body.id,
      title,
      productLine: 'valves',
      currency: 'USD',
      amount: { minor: amountMinor, currency: 'USD' },
    });
    expect(deal.status).toBe(201);
    return deal.body as { id: string; position: string };
  };

  beforeAll(async () => {
    running = await startApp();
    rep = httpClient(running.baseUrl, { id: 'u-rp-rep', role: 'rep', teamId: 'team-rp' });
    manager = httpClient(running.baseUrl, { id: 'u-rp-manager', role: 'manager' });
    admin = httpClient(running.baseUrl, { id: 'u-rp-admin', role: 'admin' });
  });
  afterAll(() => running.stop());

  it('a read with the position a write answered with sees that write', async () => {
    const deal = await openDeal('Rhein Armaturen', 1_250_000);
    expect(deal.position).toMatch(/^\d+$/);
    const facts = await rep.get(`/api/reports/deal-facts/${deal.id}?minPosition=${deal.position}`);
    expect(facts.status).toBe(200);
    expect(facts.body).toMatchObject({ id: deal.id, ownerId: 'u-rp-rep', status: 'open' });

    const board = await rep.get(`/api/reports/pipeline?minPosition=${deal.position}`);
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).toContain(deal.id);
  });

  it('refuses a malformed minPosition, naming the field', async () => {
    const response = await rep.get('/api/reports/pipeline?minPosition=%27%3B%20drop');
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'minPosition' });
  });

  it('answers a report in JSON and in CSV, scoped by role', async () => {
    await openDeal('Elbe Pumpen', 500_000);
    await readModelsCaughtUp(running.baseUrl);
    const json = await manager.get('/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01');
    expect(json.status).toBe(200);
    const csv = await manager.get('/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01', {
      accept: 'text/csv',
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).split('\r\n')[0]).toMatch(/stage/);

    const unsupported = await manager.get('/api/reports/stage-conversion?country=DE&groupBy=owner');
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.code).toBe('report.filter_combination_unsupported');

    // A rep's own figures break down by another dimension.
    const mine = await rep.get(
      '/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01&groupBy=channel',
    );
    expect(mine.status).toBe(200);
    expect(mine.body.groups).toEqual([
      expect.objectContaining({ group: 'trade_show', opened: expect.any(Number) }),
    ]);
    const channels = await rep.get('/api/reports/channels?from=2020-01-01&to=2100-01-01');
    expect(channels.status).toBe(200);
    expect(channels.body.groupBy).toBe('channel');
  });

  it('shows every projection with its checkpoint and lag to operations', async () => {
    await readModelsCaughtUp(running.baseUrl);
    const status = await admin.get('/api/admin/projections');
    expect(status.status).toBe(200);
    const names = status.body.projections.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'deal-facts',
        'stage-conversion',
        'weighted-forecast',
        'search-index',
      ]),
    );
    for (const projection of status.body.projections) {
      // Sign-ins keep appending, so a projection may be an event or two behind at any instant.
      expect(projection).toMatchObject({ role: 'live', failure: null, generation: 1 });
      expect(typeof projection.behind).toBe('number');
      // null until the first event of the kinds it applies.
      expect(projection.checkpoint === null || /^\d+$/.test(projection.checkpoint)).toBe(true);
    }
    expect((await admin.post('/api/admin/projections/no-such/rebuild')).status).toBe(404);
  });

  it('a rebuild builds beside the live generation and switches readers to equal answers', async () => {
    await readModelsCaughtUp(running.baseUrl);
    const before = await manager.get('/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01');
    const started = await admin.post('/api/admin/projections/stage-conversion/rebuild');
    expect(started.status).toBe(202);
    expect(started.body.generation).toBe(2);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { body } = await admin.get('/api/admin/projections');
      const live = body.projections.find(
        (p: { name: string; role: string }) => p.name === 'stage-conversion' && p.role === 'live',
      );
      if (live?.generation >= 2) break;
      if (Date.now() > deadline) throw new Error('rebuild did not switch over');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await manager.get('/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01');
    expect(after.body).toEqual(before.body);
  });

  it('read models survive a restart and resume from their checkpoints', async () => {
    const deal = await openDeal('Oder Ventile', 750_000);
    await readModelsCaughtUp(running.baseUrl);
    const before = await manager.get(`/api/reports/deal-facts/${deal.id}`);
    await running.stop({ keepData: true });
    running = await startApp(running.dataDir);
    rep = rep.as({ id: 'u-rp-rep', role: 'rep', teamId: 'team-rp' });
    manager = httpClient(running.baseUrl, { id: 'u-rp-manager', role: 'manager' });
    admin = httpClient(running.baseUrl, { id: 'u-rp-admin', role: 'admin' });
    await readModelsCaughtUp(running.baseUrl);
    const after = await manager.get(`/api/reports/deal-facts/${deal.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });
});
