import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';

type Client = ReturnType<typeof httpClient>;
type Row = Record<string, string | number | null>;

// Monday 2 March 2026, 09:00 in Berlin: both teams work to the berlin-sales calendar, so the
// first-response target of 30 business minutes is 30 real minutes here. The clock moves by hand.
let now = new Date('2026-03-02T08:00:00.000Z');
const clock = { now: () => now };
const at = (time: string) => new Date(`2026-03-02T${time}:00.000Z`);

const inquiry = (email: string, country: string, channel: string) => ({
  channel,
  inquirer: { name: 'Buyer', email, company: `Buyer ${email}`, country },
});

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

jest.setTimeout(120_000);

describe('SLA report and lead-queue due times (GET /api/reports/sla, /api/reports/lead-queue)', () => {
  let running: RunningApp;
  let manager: Client;
  let anna: Client;
  let ben: Client;
  const leads: Record<'x' | 'y' | 'z', string> = { x: '', y: '', z: '' };

  const queueRow = async (client: Client, leadId: string): Promise<Row | undefined> =>
    (await client.get('/api/reports/lead-queue')).body.rows?.find(
      (row: Row) => row.leadId === leadId,
    );

  beforeAll(async () => {
    running = await startApp(undefined, { clock });
    manager = httpClient(running.baseUrl, { id: 'u-sla-mgr', role: 'manager' });
    const admin = manager.as({ id: 'u-sla-admin', role: 'admin' });
    for (const [teamId, region] of [
      ['dach-sales', ['DE']],
      ['gulf-sales', ['AE']],
    ] as const) {
      const team = await admin.post('/api/teams', {
        teamId,
        name: teamId,
        region,
        productLines: [],
        calendarKey: 'berlin-sales',
      });
      expect(team.status).toBe(201);
    }
    anna = manager.as({ id: 'u-sla-anna', role: 'rep', teamId: 'dach-sales' });
    ben = manager.as({ id: 'u-sla-ben', role: 'rep', teamId: 'gulf-sales' });
    await anna.get('/api/auth/me');
    await ben.get('/api/auth/me');
    // The DACH team has a lead to chase at level 2; the Gulf team has none, so its rung is suppressed.
    await manager
      .as({ id: 'u-sla-lead', role: 'team_lead', teamId: 'dach-sales' })
      .get('/api/auth/me');
    expect((await admin.post('/api/teams/dach-sales/lead', { leadId: 'u-sla-lead' })).status).toBe(
      200,
    );

    // Live inquiries through an intake key: the rules assign DE to anna, AE to ben, on receipt.
    const intake = manager.as({ id: 'web-form', role: 'intake' });
    for (const [key, body] of [
      ['x', inquiry('x@buyer-x.de', 'DE', 'website_form')],
      ['y', inquiry('y@buyer-y.de', 'DE', 'email')],
      ['z', inquiry('z@buyer-z.ae', 'AE', 'alibaba')],
    ] as const) {
      const created = await intake.post('/api/inquiries', body);
      expect(created.body.events).toEqual(['InquiryReceived', 'LeadAssigned']);
      leads[key] = created.body.id;
    }
  }, 60_000);
  afterAll(() => running?.stop());

  it('shows each open lead’s first-response due time and ladder level in the queue', async () => {
    const due = await until(
      'x due',
      () => queueRow(anna, leads.x),
      (row) => row?.firstResponseDueAt === '2026-03-02T08:30:00.000Z',
    );
    expect(due).toMatchObject({
      owner: 'u-sla-anna',
      slaLevel: 0,
      slaBreached: 0,
      secondsToDue: 1800,
    });

    now = at('08:10');
    const answered = await anna.post(`/api/leads/${leads.x}/responses`, {
      direction: 'outbound',
      channel: 'email',
      at: now.toISOString(),
    });
    expect(answered.status).toBe(200);
    // The reminder at 20 minutes goes out on y (unanswered), not on x.
    now = at('08:25');
    const reminded = await until(
      'y reminded',
      () => queueRow(anna, leads.y),
      (row) => row?.slaLevel === 1,
    );
    expect(reminded).toMatchObject({
      firstResponseDueAt: '2026-03-02T08:30:00.000Z',
      secondsToDue: 300,
      slaBreached: 0,
    });
    expect(await queueRow(anna, leads.x)).toMatchObject({
      responded: 1,
      firstResponseDueAt: null,
      secondsToDue: null,
      slaLevel: 0,
    });

    // Past the deadline: breached; anna's team lead chased (level 2), ben's team has none.
    now = at('08:35');
    const breached = await until(
      'y breached',
      () => queueRow(anna, leads.y),
      (row) => row?.slaBreached === 1 && row?.slaLevel === 2,
    );
    expect(breached).toMatchObject({ secondsToDue: -300 });
    expect(await queueRow(ben, leads.z)).toMatchObject({ slaBreached: 1, slaLevel: 1 });
    now = at('08:40');
    expect(
      (
        await ben.post(`/api/leads/${leads.z}/responses`, {
          direction: 'outbound',
          channel: 'email',
          at: now.toISOString(),
        })
      ).status,
    ).toBe(200);
    await until(
      'z answered',
      () => queueRow(ben, leads.z),
      (row) => row?.responded === 1 && row?.firstResponseDueAt === null,
    );
  });

  it('reports compliance, breaches and escalations by level, per rep, team and channel', async () => {
    const period = 'from=2026-03-02&to=2026-03-03';
    const byOwner = await until(
      'report',
      async () => (await manager.get(`/api/reports/sla?${period}`)).body,
      (body) =>
        body.rows?.find((row: Row) => row.owner === 'u-sla-ben')?.breached === 1 &&
        body.rows?.find((row: Row) => row.owner === 'u-sla-anna')?.level2Fired === 1,
    );
    await readModelsCaughtUp(running.baseUrl);
    expect(byOwner).toMatchObject({
      report: 'sla',
      clock: 'first_response',
      groupBy: 'owner',
      levels: [1, 2],
      period: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z', tz: 'UTC' },
    });
    // x met in 600 s; y breached, still unanswered; z breached, answered late.
    expect(byOwner.rows).toEqual([
      {
        owner: 'u-sla-anna',
        started: 2,
        judged: 2,
        met: 1,
        breached: 1,
        running: 0,
        closed: 0,
        compliance: 0.5,
        medianMetSeconds: 600,
        level1Fired: 1,
        level2Fired: 1,
        rungsSuppressed: 0,
      },
      {
        owner: 'u-sla-ben',
        started: 1,
        judged: 1,
        met: 0,
        breached: 1,
        running: 0,
        closed: 0,
        compliance: 0,
        medianMetSeconds: null,
        level1Fired: 1,
        level2Fired: 0,
        rungsSuppressed: 1,
      },
    ]);
    const byTeam = (await manager.get(`/api/reports/sla?${period}&groupBy=team`)).body.rows;
    expect(byTeam.map((row: Row) => [row.team, row.started, row.compliance])).toEqual([
      ['dach-sales', 2, 0.5],
      ['gulf-sales', 1, 0],
    ]);
    const byChannel = (await manager.get(`/api/reports/sla?${period}&groupBy=channel`)).body.rows;
    expect(byChannel.map((row: Row) => [row.channel, row.met, row.breached])).toEqual([
      ['alibaba', 0, 1],
      ['email', 0, 1],
      ['website_form', 1, 0],
    ]);
    const proposal = (await manager.get(`/api/reports/sla?${period}&clock=proposal&groupBy=team`))
      .body;
    expect(proposal.clock).toBe('proposal');
    expect(proposal.rows.map((row: Row) => [row.team, row.running])).toEqual([
      ['dach-sales', 2],
      ['gulf-sales', 1],
    ]);

    const csv = await manager.get(`/api/reports/sla?${period}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((csv.body as string).split('\r\n').slice(0, 2)).toEqual([
      'owner,started,judged,met,breached,running,closed,compliance,medianMetSeconds,level1Fired,level2Fired,rungsSuppressed',
      'u-sla-anna,2,2,1,1,0,0,0.5,600,1,1,0',
    ]);
  });

  it('keeps a rep to their own figures, and names the field it refuses', async () => {
    const own = (await ben.get('/api/reports/sla?from=2026-03-02&to=2026-03-03')).body;
    expect(own.rows.map((row: Row) => row.owner)).toEqual(['u-sla-ben']);
    expect((await manager.get('/api/reports/sla?clock=quote')).body).toMatchObject({
      status: 400,
      field: 'clock',
    });
    expect((await manager.get('/api/reports/sla?groupBy=productLine')).body).toMatchObject({
      status: 400,
      code: 'report.dimension_unsupported',
      field: 'groupBy',
    });
    expect(
      (await manager.get('/api/reports/sla?from=2026-03-03&to=2026-03-02')).body,
    ).toMatchObject({
      status: 400,
      field: 'from',
    });
  });
});
