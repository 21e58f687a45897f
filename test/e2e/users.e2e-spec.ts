import { requestFingerprint } from '../../src/commands/command-fingerprint';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { HttpResult, httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;

const problems = (response: HttpResult): string[] =>
  response.body.errors.map(
    (error: { field: string; code: string }) => `${error.field}:${error.code}`,
  );

const PASSWORD = 'a long enough test password';
const anna = {
  userId: 'anna.schmidt',
  name: 'Anna Schmidt',
  email: 'Anna.Schmidt@Example.com',
  role: 'rep',
  teamId: 'dach-sales',
  password: PASSWORD,
};

describe('users through HTTP', () => {
  let running: RunningApp;
  let admin: Client;
  let manager: Client;

  const signIn = async (email: string, password: string) => {
    const response = await fetch(`${running.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return { status: response.status, body: (await response.json()) as { token: string } };
  };

  beforeAll(async () => {
    running = await startApp();
    admin = httpClient(running.baseUrl, { id: 'u-admin', role: 'admin' });
    manager = admin.as({ id: 'u-mgr', role: 'manager' });
    for (const [teamId, name, calendarKey] of [
      ['dach-sales', 'DACH sales', 'berlin-sales'],
      ['gulf-sales', 'Gulf sales', 'dubai-sales'],
    ]) {
      const team = { teamId, name, region: ['DE'], productLines: [], calendarKey };
      expect((await admin.post('/api/teams', team)).status).toBe(201);
    }
  });
  afterAll(() => running.stop());

  it('registers a user who can then sign in and read themselves, never a password hash', async () => {
    const created = await admin.post('/api/users', anna);
    expect(created).toMatchObject({
      status: 201,
      body: { id: 'anna.schmidt', revision: 0, events: ['UserRegistered'], replayed: false },
    });
    // Recorded with the events, so it must not be a fast hash over the password.
    const { password: _password, ...withoutPassword } = anna;
    const [registered] = await running.app
      .get<EventStore>(EVENT_STORE)
      .readStream('user-anna.schmidt');
    expect(registered.metadata.commandFingerprint).toBe(
      requestFingerprint('POST', '/api/users', withoutPassword),
    );
    const session = await signIn('anna.schmidt@example.com', PASSWORD);
    expect(session).toMatchObject({ status: 200, body: { userId: 'anna.schmidt', role: 'rep' } });

    const self = await fetch(`${running.baseUrl}/api/users/anna.schmidt`, {
      headers: { authorization: `Bearer ${session.body.token}` },
    });
    expect(self.status).toBe(200);
    expect(self.headers.get('etag')).toBe('"0"');
    const text = await self.text();
    expect(text).not.toMatch(/scrypt|password/i);
    expect(JSON.parse(text)).toEqual({
      id: 'anna.schmidt',
      revision: 0,
      state: {
        userId: 'anna.schmidt',
        name: 'Anna Schmidt',
        email: 'anna.schmidt@example.com',
        role: 'rep',
        teamId: 'dach-sales',
        availability: 'available',
        active: true,
      },
    });
    const listed = await manager.get('/api/users?teamId=dach-sales');
    expect(listed.status).toBe(200);
    expect(listed.body.map((user: { userId: string }) => user.userId)).toEqual(['anna.schmidt']);
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt/);
  });

  it('generates the id, and replays a retried registration under the same Idempotency-Key', async () => {
    const body = {
      name: 'Omar Haddad',
      email: 'omar@example.com',
      role: 'team_lead',
      password: PASSWORD,
    };
    const headers = { 'idempotency-key': 'register-omar-0001' };
    const first = await admin.post('/api/users', body, headers);
    expect(first).toMatchObject({ status: 201, body: { revision: 0, replayed: false } });
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const retried = await admin.post('/api/users', body, headers);
    expect(retried.body).toEqual({ ...first.body, replayed: true });
    expect((await admin.get(`/api/users/${first.body.id}`)).body.revision).toBe(0);
    const other = await admin.post('/api/users', { ...body, name: 'Omar H.' }, headers);
    expect(other.body).toMatchObject({ status: 422, code: 'command.idempotency_key_reused' });
  });

  it('answers 400 naming each bad field, and 422 for a taken email or an unknown team', async () => {
    const bad = await admin.post('/api/users', {
      userId: 'Not A Handle',
      name: '',
      email: 'not-an-email',
      role: 'system',
      password: 'short',
    });
    expect(bad.status).toBe(400);
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        'userId:validation.matches',
        'name:validation.is_not_blank',
        'email:validation.is_email',
        'role:validation.is_in',
        'password:validation.min_length',
      ]),
    );
    const taken = await admin.post('/api/users', {
      ...anna,
      userId: 'anna.two',
      email: 'anna.schmidt@example.com',
    });
    expect(taken.body).toMatchObject({ status: 422, code: 'user.email_taken', field: 'email' });
    const noTeam = await admin.post('/api/users', {
      ...anna,
      userId: 'anna.three',
      email: 'a3@example.com',
      teamId: 'mars',
    });
    expect(noTeam.body).toMatchObject({ status: 422, code: 'user.team_unknown', field: 'teamId' });
    expect((await admin.get('/api/users/NOT%20VALID')).body).toMatchObject({
      status: 400,
      errors: [{ field: 'id', code: 'validation.handle' }],
    });
    expect((await admin.get('/api/users?active=maybe')).body).toMatchObject({
      status: 400,
      errors: [{ field: 'active', code: 'validation.is_in' }],
    });
  });

  it('answers 403 to the wrong roles and 404 for an unknown user', async () => {
    const rep = admin.as({ id: 'anna.schmidt', role: 'rep' });
    expect(
      (await manager.post('/api/users', { ...anna, userId: 'm1', email: 'm1@example.com' })).body,
    ).toMatchObject({
      status: 403,
      code: 'auth.forbidden',
    });
    expect((await rep.get('/api/users')).status).toBe(403);
    expect((await rep.get('/api/users/u-mgr')).body).toMatchObject({
      status: 403,
      code: 'user.view_forbidden',
    });
    expect((await rep.get('/api/users/anna.schmidt')).status).toBe(200);
    expect((await manager.post('/api/users/anna.schmidt/role', { role: 'manager' })).status).toBe(
      403,
    );
    expect((await rep.post('/api/users/u-mgr/deactivate', { successorId: 'u-admin' })).status).toBe(
      403,
    );
    expect(
      (await rep.patch('/api/users/anna.schmidt', { email: 'anna@example.com' })).body,
    ).toMatchObject({
      status: 403,
      code: 'user.email_change_forbidden',
    });
    expect((await rep.patch('/api/users/u-mgr', { name: 'Someone else' })).body).toMatchObject({
      status: 403,
      code: 'user.rename_forbidden',
    });
    expect((await admin.get('/api/users/nobody')).body).toMatchObject({
      status: 404,
      code: 'user.not_found',
    });
    expect((await admin.patch('/api/users/nobody', { name: 'X' })).status).toBe(404);
    expect((await manager.post('/api/users/nobody/team', { teamId: null })).status).toBe(404);
  });

  it('lets a team lead see and cover their own team only', async () => {
    const lead = admin.as({ id: 'u-dach-lead', role: 'team_lead', teamId: 'dach-sales' });
    const listed = await lead.get('/api/users');
    expect(listed.body.map((user: { userId: string }) => user.userId).sort()).toEqual([
      'anna.schmidt',
      'u-dach-lead',
    ]);
    await admin.as({ id: 'u-gulf-rep', role: 'rep', teamId: 'gulf-sales' }).get('/api/auth/me');
    expect((await lead.get('/api/users/u-gulf-rep')).status).toBe(403);
    expect(
      (await lead.post('/api/users/u-gulf-rep/availability', { availability: 'away' })).body,
    ).toMatchObject({
      status: 403,
      code: 'user.availability_forbidden',
    });
    const away = await lead.post('/api/users/anna.schmidt/availability', {
      availability: 'away',
      until: '2099-03-09T08:00:00Z',
      reason: 'Canton Fair',
    });
    expect(away.body).toMatchObject({ events: ['UserAvailabilityChanged'] });
    const analyst = admin.as({ id: 'u-analyst', role: 'analyst' });
    expect(
      (await analyst.post('/api/users/anna.schmidt/availability', { availability: 'available' }))
        .body,
    ).toMatchObject({
      status: 403,
      code: 'user.availability_forbidden',
    });
    const back = await admin
      .as({ id: 'anna.schmidt', role: 'rep' })
      .post('/api/users/anna.schmidt/availability', { availability: 'available' });
    expect(back.status).toBe(200);
    expect((await manager.get('/api/users/anna.schmidt')).body.state.availability).toBe(
      'available',
    );
  });

  it('changes name, email, role and team, with If-Match', async () => {
    const current = await manager.get('/api/users/anna.schmidt');
    const revision = current.body.revision;
    const stale = await admin.patch(
      '/api/users/anna.schmidt',
      { name: 'Anna Weber' },
      { 'if-match': `"${revision - 1}"` },
    );
    expect(stale.body).toMatchObject({
      status: 409,
      code: 'concurrency.conflict',
      currentRevision: revision,
    });

    const renamed = await admin
      .as({ id: 'anna.schmidt', role: 'rep' })
      .patch(
        '/api/users/anna.schmidt',
        { name: 'Anna Weber', email: 'Anna.Schmidt@example.com' },
        { 'if-match': `"${revision}"` },
      );
    expect(renamed.body).toMatchObject({ revision: revision + 1, events: ['UserRenamed'] });

    const both = await admin.patch(
      '/api/users/anna.schmidt',
      { name: 'Anna Weber-Schmidt', email: 'anna.weber@example.com' },
      { 'idempotency-key': 'patch-anna-0001' },
    );
    expect(both.body).toMatchObject({
      events: ['UserEmailChanged', 'UserRenamed'],
      replayed: false,
    });
    expect((await signIn('anna.weber@example.com', PASSWORD)).status).toBe(200);
    expect((await signIn('anna.schmidt@example.com', PASSWORD)).status).toBe(401);

    const unchanged = await admin.patch('/api/users/anna.schmidt', { name: 'Anna Weber-Schmidt' });
    expect(unchanged.body).toMatchObject({ status: 422, code: 'user.name_unchanged' });
    expect((await admin.patch('/api/users/anna.schmidt', {})).body).toMatchObject({
      status: 400,
      errors: [{ code: 'validation.nothing_to_change' }],
    });

    const promoted = await admin.post('/api/users/anna.schmidt/role', { role: 'team_lead' });
    expect(promoted.body).toMatchObject({ events: ['UserRoleChanged'] });
    const me = await admin.as({ id: 'anna.schmidt', role: 'rep' }).get('/api/auth/me');
    expect(me.body).toMatchObject({ userId: 'anna.schmidt', role: 'team_lead' });
    expect((await admin.post('/api/users/u-admin/role', { role: 'rep' })).body).toMatchObject({
      status: 422,
      code: 'user.role_change_self',
    });

    expect(
      (await manager.post('/api/users/anna.schmidt/team', { teamId: 'mars' })).body,
    ).toMatchObject({
      status: 422,
      code: 'user.team_unknown',
    });
    expect((await manager.post('/api/users/anna.schmidt/team', {})).body).toMatchObject({
      status: 400,
      errors: [{ field: 'teamId', code: 'validation.matches' }],
    });
    const moved = await manager.post('/api/users/anna.schmidt/team', { teamId: 'gulf-sales' });
    expect(moved.body).toMatchObject({ events: ['UserMovedToTeam'] });
    expect((await manager.get('/api/teams/gulf-sales')).body.members).toContain('anna.schmidt');
    const out = await manager.post('/api/users/anna.schmidt/team', { teamId: null });
    expect(out.body).toMatchObject({ events: ['UserMovedToTeam'] });
    expect((await manager.get('/api/users/anna.schmidt')).body.state.teamId).toBeNull();
  });

  it('deactivates a user without records and lets an admin reactivate them', async () => {
    const created = await admin.post('/api/users', {
      userId: 'lin.wei',
      name: 'Lin Wei',
      email: 'lin.wei@example.com',
      role: 'analyst',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const lin = await signIn('lin.wei@example.com', PASSWORD);
    const deactivated = await manager.post('/api/users/lin.wei/deactivate', {
      reason: 'contract ended',
    });
    expect(deactivated.body).toMatchObject({ events: ['UserDeactivated'], handovers: [] });
    const refused = await fetch(`${running.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${lin.body.token}` },
    });
    expect(refused.status).toBe(401);
    expect((await signIn('lin.wei@example.com', PASSWORD)).status).toBe(401);
    expect(
      (await manager.get('/api/users?active=false')).body.map((u: { userId: string }) => u.userId),
    ).toEqual(['lin.wei']);

    expect((await manager.post('/api/users/lin.wei/reactivate', {})).status).toBe(403);
    const back = await admin.post('/api/users/lin.wei/reactivate', { reason: 'rehired' });
    expect(back.body).toMatchObject({ events: ['UserReactivated'] });
    // Deactivation revoked the old session: a reactivated user signs in afresh.
    const old = await fetch(`${running.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${lin.body.token}` },
    });
    expect(old.status).toBe(401);
    expect((await signIn('lin.wei@example.com', PASSWORD)).status).toBe(200);
  });
});
