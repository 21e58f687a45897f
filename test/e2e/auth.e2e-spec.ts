import { HttpResult, httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { GULF_VALVE_ACCOUNT } from './test-records';
import { FIRST_ADMIN } from './test-identities';

type Client = ReturnType<typeof httpClient>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NEW_PASSWORD = 'twelve chars and then some';

const inquiry = (email: string) => ({
  channel: 'website_form',
  inquirer: { name: 'Lena Vogel', email, company: 'Vogel Armaturen GmbH', country: 'DE' },
});

/** Calls with exactly the Authorization header given (or none), the way any HTTP client would. */
async function call(
  baseUrl: string,
  method: string,
  path: string,
  authorization?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(authorization ? { authorization } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A client holding one raw token, for tokens the tests issue, revoke and expire themselves. */
const withToken = (baseUrl: string, token: string) => ({
  get: (path: string) => call(baseUrl, 'GET', path, `Bearer ${token}`),
  post: (path: string, body: unknown = {}, headers?: Record<string, string>) =>
    call(baseUrl, 'POST', path, `Bearer ${token}`, body, headers),
});

const signIn = (baseUrl: string, email: string, password: string) =>
  call(baseUrl, 'POST', '/api/auth/sign-in', undefined, { email, password });

const expectUnauthenticated = (response: HttpResult) => {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer');
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 401, code: 'auth.unauthenticated' });
};

describe('authentication through HTTP', () => {
  let running: RunningApp;
  let admin: Client;
  let rep: Client;
  let manager: Client;

  beforeAll(async () => {
    running = await startApp();
    admin = httpClient(running.baseUrl, { id: 'u-admin-1', role: 'admin' });
    rep = admin.as({ id: 'u-rep-1', role: 'rep', teamId: 't-gulf' });
    manager = admin.as({ id: 'u-mgr-1', role: 'manager' });
    // A user to sign in as by hand: registered on first use, then given a known password.
    const signingIn = admin.as({ id: 'u-signin', role: 'rep', teamId: 't-gulf' });
    expect((await signingIn.get('/api/auth/me')).status).toBe(200);
    expect(
      await admin.post('/api/auth/password', { userId: 'u-signin', password: NEW_PASSWORD }),
    ).toMatchObject({ status: 200, body: { userId: 'u-signin' } });
  });
  afterAll(() => running.stop());

  describe('sign-in', () => {
    it('signs the first admin in with the configured email and password', async () => {
      const response = await signIn(running.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        userId: 'admin',
        role: 'admin',
        kind: 'session',
        tokenId: expect.any(String),
        token: expect.stringMatching(/^tfs_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/),
      });
      // A session lasts SESSION_HOURS, 12 by default.
      const lifetime = Date.parse(response.body.expiresAt) - Date.now();
      expect(lifetime).toBeGreaterThan(11.9 * HOUR);
      expect(lifetime).toBeLessThanOrEqual(12 * HOUR);
    });

    it('gives a session token that acts as the user, whatever the email’s case', async () => {
      const response = await signIn(running.baseUrl, 'U-SignIn@Tradeflow.test', NEW_PASSWORD);
      expect(response.status).toBe(200);
      const me = await withToken(running.baseUrl, response.body.token).get('/api/auth/me');
      expect(me).toMatchObject({
        status: 200,
        body: {
          kind: 'session',
          tokenId: response.body.tokenId,
          userId: 'u-signin',
          role: 'rep',
          teamId: 't-gulf',
        },
      });
    });

    it('answers an unknown email and a wrong password with the same 401', async () => {
      const unknown = await signIn(running.baseUrl, 'nobody@tradeflow.test', NEW_PASSWORD);
      const wrong = await signIn(running.baseUrl, 'u-signin@tradeflow.test', 'not the password');
      for (const response of [unknown, wrong]) expectUnauthenticated(response);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).not.toHaveProperty('token');
    });

    it('refuses a malformed sign-in with 400 naming the field', async () => {
      const response = await call(running.baseUrl, 'POST', '/api/auth/sign-in', undefined, {
        email: 'not-an-email',
        password: '',
      });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['email', 'password']),
      );
    });
  });

  describe('without a valid token', () => {
    const protectedRoutes: Array<[string, string, unknown?]> = [
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/sign-out', {}],
      ['POST', '/api/inquiries', inquiry('anon@vogel.de')],
      ['GET', '/api/leads/0190a7e4-0000-7000-8000-000000000000'],
      ['GET', '/api/accounts/0190a7e4-0000-7000-8000-000000000000'],
      ['GET', '/api/deals/0190a7e4-0000-7000-8000-000000000000'],
      ['GET', '/api/tasks/0190a7e4-0000-7000-8000-000000000000'],
      ['GET', '/api/policies'],
      ['GET', '/api/tokens'],
      ['GET', '/metrics'],
    ];

    it('answers 401 with WWW-Authenticate: Bearer on every protected route', async () => {
      for (const [method, path, body] of protectedRoutes) {
        const response = await call(running.baseUrl, method, path, undefined, body);
        expectUnauthenticated(response);
        expect(response.body).toMatchObject({ field: 'Authorization', instance: path });
      }
    });

    it('refuses a garbage, a foreign-scheme, a made-up and a tampered token alike', async () => {
      const real = (await signIn(running.baseUrl, 'u-signin@tradeflow.test', NEW_PASSWORD)).body
        .token as string;
      const tampered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
      const madeUp = `tfs_${'0'.repeat(32)}_${'A'.repeat(43)}`;
      for (const authorization of [
        'Bearer garbage',
        'Bearer ',
        `Basic ${Buffer.from(`u-signin:${NEW_PASSWORD}`).toString('base64')}`,
        real, // the token without its scheme
        `Bearer ${madeUp}`,
        `Bearer ${tampered}`,
      ]) {
        expectUnauthenticated(await call(running.baseUrl, 'GET', '/api/auth/me', authorization));
      }
      expect((await withToken(running.baseUrl, real).get('/api/auth/me')).status).toBe(200);
    });

    it('ignores the old X-Actor headers: they neither authenticate nor change who acts', async () => {
      const spoof = { 'x-actor-id': 'u-mgr-1', 'x-actor-role': 'manager' };
      expectUnauthenticated(
        await call(running.baseUrl, 'POST', '/api/inquiries', undefined, inquiry('x@v.de'), spoof),
      );
      const created = await rep.post('/api/inquiries', inquiry('spoof@vogel.de'), spoof);
      expect(created.status).toBe(201);
      const [event] = (await manager.get(`/api/leads/${created.body.id}/history`)).body;
      expect(event.actor).toEqual({ userId: 'u-rep-1', role: 'rep' });
    });

    it('keeps /health, /ready, /api/docs and sign-in open', async () => {
      for (const path of ['/health', '/ready', '/api/docs', '/api/docs/openapi.json']) {
        expect((await fetch(`${running.baseUrl}${path}`)).status).toBe(200);
      }
    });
  });

  it('signs out: the session token is revoked and the next call is refused', async () => {
    const session = (await signIn(running.baseUrl, 'u-signin@tradeflow.test', NEW_PASSWORD)).body;
    const client = withToken(running.baseUrl, session.token);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect(await client.post('/api/auth/sign-out')).toMatchObject({
      status: 200,
      body: { revoked: session.tokenId },
    });
    const after = await client.get('/api/auth/me');
    expectUnauthenticated(after);
    expect(after.body.detail).toMatch(/revoked/);
    expectUnauthenticated(await client.post('/api/auth/sign-out'));
    // Another session of the same user is untouched.
    const other = (await signIn(running.baseUrl, 'u-signin@tradeflow.test', NEW_PASSWORD)).body;
    expect((await withToken(running.baseUrl, other.token).get('/api/auth/me')).status).toBe(200);
  });

  describe('API tokens and intake keys', () => {
    it('lets an admin issue an API token that acts as its user, shown once', async () => {
      const issued = await admin.post('/api/tokens', {
        kind: 'api',
        userId: 'u-rep-1',
        label: 'ERP integration',
        expiresInDays: 30,
      });
      expect(issued).toMatchObject({
        status: 201,
        body: {
          kind: 'api',
          tokenId: expect.any(String),
          token: expect.stringMatching(/^tfa_/),
        },
      });
      expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(29 * DAY);
      const integration = withToken(running.baseUrl, issued.body.token);
      expect((await integration.get('/api/auth/me')).body).toMatchObject({
        kind: 'api',
        tokenId: issued.body.tokenId,
        userId: 'u-rep-1',
        role: 'rep',
      });
      const created = await integration.post('/api/inquiries', inquiry('erp@vogel.de'));
      expect(created.status).toBe(201);
      const [event] = (await manager.get(`/api/leads/${created.body.id}/history`)).body;
      expect(event.actor).toEqual({ userId: 'u-rep-1', role: 'rep' });
      // The rep's record scope applies to the integration too.
      expect((await integration.get(`/api/leads/${created.body.id}`)).status).toBe(200);
    });

    it('refuses an API token for an unknown user and an intake key without a source', async () => {
      expect(
        await admin.post('/api/tokens', {
          kind: 'api',
          userId: 'u-nobody',
          label: 'x',
          expiresInDays: 1,
        }),
      ).toMatchObject({ status: 422, body: { code: 'token.user_unknown', field: 'userId' } });
      expect(
        await admin.post('/api/tokens', { kind: 'intake', label: 'x', expiresInDays: 1 }),
      ).toMatchObject({ status: 422, body: { code: 'token.source_required', field: 'source' } });
      const invalid = await admin.post('/api/tokens', {
        kind: 'session',
        source: 'Web Form!',
        label: '',
        expiresInDays: 731,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['kind', 'source', 'label', 'expiresInDays']),
      );
    });

    it('gives an intake key inquiries to create and nothing else', async () => {
      const issued = await admin.post('/api/tokens', {
        kind: 'intake',
        source: 'website-form',
        label: 'Website contact form',
        expiresInDays: 90,
      });
      expect(issued).toMatchObject({
        status: 201,
        body: { kind: 'intake', token: expect.stringMatching(/^tfi_/) },
      });
      const intake = withToken(running.baseUrl, issued.body.token);
      expect((await intake.get('/api/auth/me')).body).toEqual({
        kind: 'intake',
        tokenId: issued.body.tokenId,
        userId: 'intake:website-form',
        role: 'intake',
        teamId: null,
        source: 'website-form',
      });

      const created = await intake.post('/api/inquiries', inquiry('form@vogel.de'));
      // A live inquiry through an intake key is routed by the assignment rules at once; with no
      // teams set up here, the policy's fallback owner gets it, under the rule's id and version.
      expect(created).toMatchObject({
        status: 201,
        body: { events: ['InquiryReceived', 'LeadAssigned'] },
      });
      const [event, assigned] = (await manager.get(`/api/leads/${created.body.id}/history`)).body;
      expect(event.actor).toEqual({ userId: 'intake:website-form', role: 'intake' });
      expect(assigned).toMatchObject({
        actor: { userId: 'system', role: 'system' },
        cause: { kind: 'rule', id: expect.stringMatching(/^assignment\.default#/), version: 1 },
        data: { to: 'u-sales-manager' },
      });

      const accountId = (await rep.post('/api/accounts', GULF_VALVE_ACCOUNT)).body.id;
      const leadId = created.body.id;
      const refused: Array<[string, string, unknown?]> = [
        ['GET', `/api/leads/${leadId}`],
        ['GET', `/api/leads/${leadId}/history`],
        ['GET', `/api/accounts/${accountId}`],
        ['GET', `/api/accounts/${accountId}/history`],
        ['GET', '/api/deals/0190a7e4-0000-7000-8000-000000000000'],
        ['GET', '/api/tasks/0190a7e4-0000-7000-8000-000000000000'],
        ['GET', '/api/policies'],
        ['GET', '/api/policies/stages.default'],
        ['GET', '/api/tokens'],
        ['GET', '/metrics'],
        ['POST', `/api/leads/${leadId}/owner`, { to: 'u-rep-1', reason: 'self-service' }],
        ['POST', '/api/accounts', GULF_VALVE_ACCOUNT],
        ['POST', '/api/tokens', { kind: 'intake', source: 'x-form', label: 'x', expiresInDays: 1 }],
        ['POST', '/api/auth/sign-out', {}],
        ['POST', '/api/auth/password', { password: 'an intake key has no password' }],
      ];
      for (const [method, path, body] of refused) {
        const response = await call(
          running.baseUrl,
          method,
          path,
          `Bearer ${issued.body.token}`,
          body,
        );
        expect({ method, path, status: response.status, code: response.body?.code }).toEqual({
          method,
          path,
          status: 403,
          code: 'auth.forbidden',
        });
        expect(response.body.details).toMatchObject({ role: 'intake' });
      }
      // Nothing was written by the refused attempts: still the inquiry and its assignment.
      expect((await manager.get(`/api/leads/${leadId}/history`)).body).toHaveLength(2);
    });

    it('refuses a revoked token, and says so when revoking twice or an unknown one', async () => {
      const issued = (
        await admin.post('/api/tokens', {
          kind: 'intake',
          source: 'alibaba',
          label: 'Alibaba sync',
          expiresInDays: 30,
        })
      ).body;
      const intake = withToken(running.baseUrl, issued.token);
      expect((await intake.post('/api/inquiries', inquiry('ali@vogel.de'))).status).toBe(201);
      expect(
        await admin.post(`/api/tokens/${issued.tokenId}/revoke`, { reason: 'Leaked in a log' }),
      ).toMatchObject({ status: 200, body: { revoked: issued.tokenId } });
      const refused = await intake.post('/api/inquiries', inquiry('ali2@vogel.de'));
      expectUnauthenticated(refused);
      expect(refused.body.detail).toMatch(/revoked/);
      expect(
        await admin.post(`/api/tokens/${issued.tokenId}/revoke`, { reason: 'again' }),
      ).toMatchObject({ status: 422, body: { code: 'token.already_revoked' } });
      expect(
        await admin.post('/api/tokens/0190a7e4-0000-7000-8000-000000000000/revoke', {
          reason: 'x',
        }),
      ).toMatchObject({ status: 404, body: { code: 'token.not_found' } });
      expect(await admin.post(`/api/tokens/${issued.tokenId}/revoke`, {})).toMatchObject({
        status: 400,
        body: { field: 'reason' },
      });
      const listed = (await admin.get('/api/tokens')).body.find(
        (token: { tokenId: string }) => token.tokenId === issued.tokenId,
      );
      expect(Date.parse(listed.revokedAt)).not.toBeNaN();
    });

    it('lists tokens to admins without secrets or hashes', async () => {
      const issued = (
        await admin.post('/api/tokens', {
          kind: 'api',
          userId: 'u-rep-1',
          label: 'Listed token',
          expiresInDays: 7,
        })
      ).body;
      const list = await admin.get('/api/tokens');
      expect(list.status).toBe(200);
      const ids = list.body.map((token: { tokenId: string }) => token.tokenId);
      expect(ids).toEqual([...ids].sort());
      expect(
        list.body.find((token: { tokenId: string }) => token.tokenId === issued.tokenId),
      ).toEqual({
        tokenId: issued.tokenId,
        kind: 'api',
        userId: 'u-rep-1',
        label: 'Listed token',
        expiresAt: issued.expiresAt,
        issuedBy: 'u-admin-1',
      });
      expect(list.body.map((token: { kind: string }) => token.kind)).toEqual(
        expect.arrayContaining(['session', 'api', 'intake']),
      );
      const text = JSON.stringify(list.body);
      expect(text).not.toMatch(/secret|hash|"token"/i);
      expect(text).not.toContain(issued.token.slice(-43));
    });

    it('keeps token management to admins', async () => {
      for (const role of ['rep', 'team_lead', 'manager', 'analyst', 'operations']) {
        const client = admin.as({ id: `u-${role}-tokens`, role });
        expect(await client.get('/api/tokens')).toMatchObject({
          status: 403,
          body: { code: 'auth.forbidden', details: { role } },
        });
        expect(
          await client.post('/api/tokens', {
            kind: 'api',
            userId: `u-${role}-tokens`,
            label: 'mine',
            expiresInDays: 1,
          }),
        ).toMatchObject({ status: 403, body: { code: 'auth.forbidden' } });
      }
    });
  });

  describe('who acts', () => {
    it('records the authenticated user, and refuses a body that names another actor', async () => {
      for (const claim of [
        { actor: { userId: 'u-mgr-1', role: 'manager' } },
        { userId: 'u-mgr-1' },
        { createdBy: 'u-mgr-1' },
      ]) {
        const response = await rep.post('/api/inquiries', {
          ...inquiry('claim@vogel.de'),
          ...claim,
        });
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([
          expect.objectContaining({
            field: Object.keys(claim)[0],
            code: 'validation.whitelist_validation',
          }),
        ]);
      }
      const accountId = (
        await rep.post('/api/accounts', { ...GULF_VALVE_ACCOUNT, website: 'gulf-valve-actors.ae' })
      ).body.id;
      expect(
        (
          await rep.post(`/api/accounts/${accountId}/grade`, {
            grade: 'A',
            reason: 'Volume',
            actor: { userId: 'u-mgr-1', role: 'manager' },
          })
        ).body,
      ).toMatchObject({ status: 400, field: 'actor' });
      expect(
        (await rep.post(`/api/accounts/${accountId}/grade`, { grade: 'A', reason: 'Volume' }))
          .status,
      ).toBe(200);
      const history = (await rep.get(`/api/accounts/${accountId}/history`)).body;
      expect(history.map((entry: { actor: unknown }) => entry.actor)).toEqual([
        { userId: 'u-rep-1', role: 'rep' },
        { userId: 'u-rep-1', role: 'rep' },
      ]);
      expect(history[1].cause).toEqual({ kind: 'person', id: 'u-rep-1' });
    });
  });

  describe('passwords', () => {
    it('refuses a password shorter than 12 characters with user.password_weak', async () => {
      for (const client of [rep, admin]) {
        expect(
          await client.post('/api/auth/password', { userId: 'u-rep-1', password: 'elevenchars' }),
        ).toMatchObject({
          status: 422,
          body: { code: 'user.password_weak', field: 'password' },
        });
      }
      expect((await signIn(running.baseUrl, 'u-signin@tradeflow.test', NEW_PASSWORD)).status).toBe(
        200,
      );
      expect((await rep.get('/api/auth/me')).status).toBe(200);
    });

    it('lets a user set their own password, and only an admin set someone else’s', async () => {
      const before = admin.as({ id: 'u-rep-pw', role: 'rep' });
      expect(
        await before.post('/api/auth/password', { password: 'my own new password' }),
      ).toMatchObject({ status: 200, body: { userId: 'u-rep-pw' } });
      const session = await signIn(
        running.baseUrl,
        'u-rep-pw@tradeflow.test',
        'my own new password',
      );
      expect(session.status).toBe(200);
      const own = withToken(running.baseUrl, session.body.token);
      expect(
        await own.post('/api/auth/password', { userId: 'u-rep-1', password: 'taken over at last' }),
      ).toMatchObject({ status: 403, body: { code: 'auth.password_forbidden', field: 'userId' } });
      expectUnauthenticated(
        await signIn(running.baseUrl, 'u-rep-1@tradeflow.test', 'taken over at last'),
      );
      expect(
        await admin.post('/api/auth/password', { userId: 'u-nobody', password: 'long enough pw' }),
      ).toMatchObject({ status: 404, body: { code: 'user.not_found' } });
    });
  });
});

describe('token expiry (controlled clock)', () => {
  let now = new Date('2026-06-15T08:00:00.000Z');
  const clock = { now: () => now };
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  let running: RunningApp;
  beforeAll(async () => (running = await startApp(undefined, { clock })));
  afterAll(() => running.stop());

  it('refuses sessions, API tokens and intake keys once they expire', async () => {
    const adminSession = (await signIn(running.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password))
      .body;
    expect(adminSession.expiresAt).toBe('2026-06-15T20:00:00.000Z');
    const admin = withToken(running.baseUrl, adminSession.token);
    const issue = async (body: Record<string, unknown>) =>
      (await admin.post('/api/tokens', { label: 'expiring', expiresInDays: 1, ...body })).body;
    const api = await issue({ kind: 'api', userId: 'admin', expiresInDays: 2 });
    const intake = await issue({ kind: 'intake', source: 'trade-show' });
    expect(intake.expiresAt).toBe('2026-06-16T08:00:00.000Z');
    const me = (token: string) => withToken(running.baseUrl, token).get('/api/auth/me');

    advance(12 * HOUR - 1);
    expect((await me(adminSession.token)).status).toBe(200);
    advance(1);
    const expired = await me(adminSession.token);
    expectUnauthenticated(expired);
    expect(expired.body.detail).toMatch(/expired/);
    expect((await me(api.token)).status).toBe(200);
    expect((await me(intake.token)).status).toBe(200);

    advance(12 * HOUR);
    expectUnauthenticated(
      await withToken(running.baseUrl, intake.token).post(
        '/api/inquiries',
        inquiry('late@vogel.de'),
      ),
    );
    expect((await me(api.token)).status).toBe(200);

    advance(DAY);
    expectUnauthenticated(await me(api.token));
    // Signing in again gives a fresh session from the moment of sign-in.
    const again = await signIn(running.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password);
    expect(again.body.expiresAt).toBe('2026-06-17T20:00:00.000Z');
    expect((await me(again.body.token)).status).toBe(200);
  });
});

describe('sessions across a restart', () => {
  it('keeps users, tokens and revocations in the event store', async () => {
    const first = await startApp();
    const admin = httpClient(first.baseUrl, { id: 'u-admin-1', role: 'admin' });
    const kept = (await signIn(first.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password)).body;
    const revoked = (
      await admin.post('/api/tokens', {
        kind: 'intake',
        source: 'email',
        label: 'Mailbox',
        expiresInDays: 5,
      })
    ).body;
    await admin.post(`/api/tokens/${revoked.tokenId}/revoke`, { reason: 'Mailbox closed' });
    await first.stop({ keepData: true });

    const second = await startApp(first.dataDir);
    try {
      expect((await withToken(second.baseUrl, kept.token).get('/api/auth/me')).body).toMatchObject({
        userId: 'admin',
        role: 'admin',
        tokenId: kept.tokenId,
      });
      expectUnauthenticated(await withToken(second.baseUrl, revoked.token).get('/api/auth/me'));
      // The first admin was made once, on the first start; its password still works.
      expect(
        (await signIn(second.baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password)).body,
      ).toMatchObject({ userId: 'admin', role: 'admin' });
    } finally {
      await second.stop();
    }
  });
});
