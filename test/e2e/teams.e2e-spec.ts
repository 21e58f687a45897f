import { HttpResult, httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;

const problems = (response: HttpResult): string[] =>
  response.body.errors.map(
    (error: { field: string; code: string }) => `${error.field}:${error.code}`,
  );

const gulf = {
  teamId: 'gulf-sales',
  name: 'Gulf sales',
  region: ['SA', 'AE', 'QA'],
  productLines: ['Valves ', 'pumps'],
  calendarKey: 'dubai-sales',
};

describe('teams through HTTP', () => {
  let running: RunningApp;
  let admin: Client;
  let manager: Client;

  beforeAll(async () => {
    running = await startApp();
    admin = httpClient(running.baseUrl, { id: 'u-admin', role: 'admin' });
    manager = admin.as({ id: 'u-mgr', role: 'manager' });
  });
  afterAll(() => running.stop());

  it('creates a team on a calendar of the policy in force, and reads it back', async () => {
    await admin.as({ id: 'u-omar', role: 'team_lead' }).get('/api/auth/me');
    const created = await admin.post('/api/teams', { ...gulf, leadId: 'u-omar' });
    expect(created).toMatchObject({
      status: 201,
      body: { id: 'gulf-sales', revision: 0, events: ['TeamCreated'], replayed: false },
    });

    const team = await manager.get('/api/teams/gulf-sales');
    expect(team.status).toBe(200);
    expect(team.headers.get('etag')).toBe('"0"');
    expect(team.body).toMatchObject({
      id: 'gulf-sales',
      revision: 0,
      state: {
        teamId: 'gulf-sales',
        name: 'Gulf sales',
        region: ['AE', 'QA', 'SA'],
        productLines: ['valves', 'pumps'],
        leadId: 'u-omar',
        calendarKey: 'dubai-sales',
      },
      members: [],
    });
    await admin.as({ id: 'u-gulf-rep', role: 'rep', teamId: 'gulf-sales' }).get('/api/auth/me');
    expect((await manager.get('/api/teams/gulf-sales')).body.members).toEqual(['u-gulf-rep']);
    const listed = await admin.as({ id: 'u-omar', role: 'team_lead' }).get('/api/teams');
    expect(listed.status).toBe(200);
    expect(listed.body.map((t: { teamId: string }) => t.teamId)).toContain('gulf-sales');
  });

  it('generates the id, and replays a retried create under the same Idempotency-Key', async () => {
    const body = {
      name: 'DACH sales',
      region: ['DE', 'AT', 'CH'],
      productLines: [],
      calendarKey: 'berlin-sales',
    };
    const headers = { 'idempotency-key': 'create-team-dach-0001' };
    const first = await admin.post('/api/teams', body, headers);
    expect(first).toMatchObject({ status: 201, body: { revision: 0, replayed: false } });
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const retried = await admin.post('/api/teams', body, headers);
    expect(retried.body).toEqual({ ...first.body, replayed: true });
    expect((await admin.get(`/api/teams/${first.body.id}`)).body.revision).toBe(0);
    const other = await admin.post('/api/teams', { ...body, name: 'Alpine sales' }, headers);
    expect(other.body).toMatchObject({ status: 422, code: 'command.idempotency_key_reused' });
  });

  it('refuses a calendar the policy does not have, and an unknown lead', async () => {
    const unknown = await admin.post('/api/teams', {
      ...gulf,
      teamId: 'mars-sales',
      calendarKey: 'mars-sales',
    });
    expect(unknown.body).toMatchObject({
      status: 422,
      code: 'team.calendar_unknown',
      field: 'calendarKey',
      details: { known: expect.arrayContaining(['berlin-sales', 'dubai-sales']) },
    });
    const lead = await admin.post('/api/teams', {
      ...gulf,
      teamId: 'levant-sales',
      leadId: 'u-nobody',
    });
    expect(lead.body).toMatchObject({ status: 422, code: 'team.lead_unknown', field: 'leadId' });
    expect((await admin.get('/api/teams/mars-sales')).status).toBe(404);
  });

  it('answers 400 naming each bad field', async () => {
    const bad = await admin.post('/api/teams', {
      teamId: 'Gulf Sales',
      name: ' ',
      region: ['de'],
      productLines: ['valves', ''],
      calendarKey: 'Dubai',
    });
    expect(bad.status).toBe(400);
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        'teamId:validation.matches',
        'name:validation.is_not_blank',
        'region:validation.matches',
        'productLines:validation.is_not_blank',
        'calendarKey:validation.matches',
      ]),
    );
    const notACountry = await admin.post('/api/teams', {
      ...gulf,
      teamId: 'xx-sales',
      region: ['XX'],
    });
    expect(notACountry.body).toMatchObject({
      status: 400,
      code: 'team.region_invalid',
      field: 'region',
    });
    expect((await admin.get('/api/teams/Not%20A%20Team')).body).toMatchObject({
      status: 400,
      errors: [{ field: 'id', code: 'validation.handle' }],
    });
  });

  it('lets managers re-cut region, product lines and lead, and only admins rename or change the calendar', async () => {
    const region = await manager.post(
      '/api/teams/gulf-sales/region',
      { region: ['AE', 'SA', 'OM'] },
      { 'if-match': '"0"' },
    );
    expect(region).toMatchObject({
      status: 200,
      body: { revision: 1, events: ['TeamRegionChanged'] },
    });
    const lines = await manager.post('/api/teams/gulf-sales/product-lines', {
      productLines: ['valves'],
    });
    expect(lines.body).toMatchObject({ revision: 2, events: ['TeamProductLinesChanged'] });
    const noLead = await manager.post('/api/teams/gulf-sales/lead', { leadId: null });
    expect(noLead.body).toMatchObject({ revision: 3, events: ['TeamLeadChanged'] });

    expect(
      (await manager.post('/api/teams/gulf-sales/name', { name: 'GCC sales' })).body,
    ).toMatchObject({
      status: 403,
      code: 'auth.forbidden',
    });
    expect(
      (await manager.post('/api/teams/gulf-sales/calendar', { calendarKey: 'berlin-sales' }))
        .status,
    ).toBe(403);
    expect((await manager.post('/api/teams', { ...gulf, teamId: 'gcc-sales' })).status).toBe(403);
    const rep = admin.as({ id: 'u-gulf-rep', role: 'rep', teamId: 'gulf-sales' });
    expect((await rep.get('/api/teams')).status).toBe(403);
    expect((await rep.post('/api/teams/gulf-sales/region', { region: ['AE'] })).status).toBe(403);

    expect(
      (await admin.post('/api/teams/gulf-sales/name', { name: 'GCC sales' })).body,
    ).toMatchObject({
      revision: 4,
      events: ['TeamRenamed'],
    });
    expect(
      (await admin.post('/api/teams/gulf-sales/calendar', { calendarKey: 'berlin-sales' })).body,
    ).toMatchObject({
      revision: 5,
      events: ['TeamCalendarChanged'],
    });
    expect(
      (await admin.post('/api/teams/gulf-sales/calendar', { calendarKey: 'nowhere' })).body,
    ).toMatchObject({
      status: 422,
      code: 'team.calendar_unknown',
    });
    expect(
      (await admin.post('/api/teams/gulf-sales/calendar', { calendarKey: 'berlin-sales' })).body,
    ).toMatchObject({
      status: 422,
      code: 'team.calendar_unchanged',
    });
    expect((await manager.get('/api/teams/gulf-sales')).body.state).toMatchObject({
      name: 'GCC sales',
      region: ['AE', 'OM', 'SA'],
      productLines: ['valves'],
      leadId: null,
      calendarKey: 'berlin-sales',
    });
  });

  it('answers 409 with the current revision on a stale If-Match, and 404 for an unknown team', async () => {
    const stale = await manager.post(
      '/api/teams/gulf-sales/region',
      { region: ['AE'] },
      { 'if-match': '"1"' },
    );
    expect(stale.body).toMatchObject({
      status: 409,
      code: 'concurrency.conflict',
      currentRevision: 5,
    });
    expect(
      (await manager.post('/api/teams/no-such-team/region', { region: ['AE'] })).body,
    ).toMatchObject({
      status: 404,
      code: 'team.not_found',
    });
    expect((await manager.get('/api/teams/no-such-team')).status).toBe(404);
  });
});
