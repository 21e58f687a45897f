import { appRoutes } from './app-routes';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';
import { FIRST_ADMIN } from './test-identities';

/**
 * Role × route matrix. The routes come from the running application's router, so a new route
 * without an entry below fails this test. Each role calls each route: a role outside the entry's
 * list must get 403 auth.forbidden (anonymous: 401); a role inside it must get past the guard; and
 * on record-scoped routes a rep or team lead from elsewhere must get 403 auth.record_forbidden,
 * because the records used belong to another rep in another team.
 */
type Role = 'rep' | 'team_lead' | 'manager' | 'analyst' | 'operations' | 'admin' | 'intake';
const ROLES: Role[] = ['rep', 'team_lead', 'manager', 'analyst', 'operations', 'admin', 'intake'];
const SALES: Role[] = ['rep', 'team_lead', 'manager'];
const STAFF: Role[] = ['rep', 'team_lead', 'manager', 'analyst', 'operations', 'admin'];
const POLICY_PEOPLE: Role[] = ['operations', 'manager', 'admin'];
const REPORT_READERS: Role[] = ['rep', 'team_lead', 'manager', 'analyst', 'operations'];
const AUDIT_READERS: Role[] = ['rep', 'team_lead', 'manager', 'admin'];

interface Fixture {
  lead: string;
  account: string;
  contact: string;
  deal: string;
  quote: string;
  task: string;
  other: string;
}

interface Entry {
  /** 'public', or the roles allowed past the guard. */
  allow: 'public' | Role[];
  /** Scoped routes act on a record held by someone outside the caller's reach. */
  scoped?: boolean;
  body?: (f: Fixture) => unknown;
}

const OTHER_REP = 'u-matrix-other';
const QUOTE = {
  totalMinor: 5_000_000,
  currency: 'USD',
  incoterm: 'FOB',
  paymentTerm: { method: 'T/T', advancePercent: 30 },
  moq: 100,
  leadTimeDays: 30,
  validUntil: '2030-01-01',
};
const inquiry = {
  channel: 'email',
  inquirer: { email: 'buyer@matrix-buyer.com', name: 'Matrix Buyer' },
};

const TABLE: Record<string, Entry> = {
  'GET /health': { allow: 'public' },
  // The web dashboard's files (no data in them); the API routes they call are below.
  'GET /': { allow: 'public' },
  'GET /app': { allow: 'public' },
  'GET /app/*path': { allow: 'public' },
  'GET /ready': { allow: 'public' },
  'GET /metrics': { allow: POLICY_PEOPLE },
  'POST /api/auth/sign-in': { allow: 'public', body: () => FIRST_ADMIN },
  'POST /api/auth/sign-out': { allow: STAFF },
  'GET /api/auth/me': { allow: [...STAFF, 'intake'] },
  'POST /api/auth/password': { allow: STAFF, body: () => ({ password: 'short' }) },
  'POST /api/tokens': {
    allow: ['admin'],
    body: () => ({ kind: 'intake', source: 'matrix', label: 'm', expiresInDays: 1 }),
  },
  'GET /api/tokens': { allow: ['admin'] },
  'POST /api/tokens/:id/revoke': { allow: ['admin'], body: () => ({ reason: 'matrix' }) },
  'POST /api/inquiries': { allow: [...SALES, 'intake'], body: () => inquiry },
  'POST /api/inquiries/import': { allow: [...SALES, 'intake'] },
  'POST /api/inquiries/email': { allow: [...SALES, 'intake'] },
  'GET /api/leads/:id': { allow: SALES, scoped: true },
  'GET /api/leads/:id/history': { allow: SALES, scoped: true },
  'GET /api/leads/:id/scores': { allow: SALES, scoped: true },
  'GET /api/leads/nurture-queue': { allow: SALES },
  'GET /api/admin/projections': { allow: ['admin', 'operations'] },
  'POST /api/admin/projections/:name/rebuild': { allow: ['admin', 'operations'] },
  'POST /api/admin/projections/:name/retry': { allow: ['admin', 'operations'] },
  'GET /api/admin/sagas': { allow: ['admin', 'operations'] },
  // No body: the admin gets past the guard to a 400, and no fixture is erased.
  'POST /api/admin/erasures': { allow: ['admin'] },
  'GET /api/admin/erasures': { allow: ['admin'] },
  'POST /api/policies/what-if': {
    allow: POLICY_PEOPLE,
    body: () => ({ policy: {}, from: 'x', to: 'y' }),
  },
  'POST /api/admin/sagas/:name/retry': { allow: ['admin', 'operations'] },
  'GET /api/accounts/:id/360': { allow: SALES, scoped: true },
  'GET /api/reports/tasks': { allow: SALES },
  'GET /api/reports/stage-conversion': { allow: REPORT_READERS },
  'GET /api/reports/dwell-time': { allow: REPORT_READERS },
  'GET /api/reports/loss-reasons': { allow: REPORT_READERS },
  'GET /api/reports/deal-facts': { allow: REPORT_READERS },
  'GET /api/reports/deal-facts/:dealId': { allow: REPORT_READERS },
  'GET /api/reports/forecast': { allow: REPORT_READERS },
  'GET /api/reports/pipeline': { allow: REPORT_READERS },
  'GET /api/reports/lead-queue': { allow: REPORT_READERS },
  'GET /api/reports/nurture-queue': { allow: REPORT_READERS },
  'GET /api/reports/channels': { allow: REPORT_READERS },
  'GET /api/reports/reps': { allow: REPORT_READERS },
  'GET /api/reports/sla': { allow: REPORT_READERS },
  'GET /api/reports/first-response': { allow: REPORT_READERS },
  'GET /api/reports/data-quality': { allow: REPORT_READERS },
  'GET /api/audit/ownership': { allow: AUDIT_READERS },
  'GET /api/audit/ownership/book': { allow: AUDIT_READERS },
  'GET /api/audit/ownership/:aggregate/:id': { allow: AUDIT_READERS, scoped: true },
  'GET /api/search': { allow: [...SALES, 'analyst', 'admin'] },
  'POST /api/leads/:id/owner': {
    allow: SALES,
    scoped: true,
    body: () => ({ to: OTHER_REP, reason: 'matrix' }),
  },
  'POST /api/leads/:id/responses': {
    allow: SALES,
    scoped: true,
    body: () => ({ direction: 'outbound', channel: 'email', at: '2026-01-01T00:00:00Z' }),
  },
  'POST /api/leads/:id/score': {
    allow: SALES,
    scoped: true,
    body: () => ({
      dimensions: {
        requirementClarity: 3,
        purchaseStage: 3,
        volumeAndFrequency: 3,
        termsAcceptability: 3,
        responsiveness: 3,
      },
    }),
  },
  'POST /api/leads/:id/qualify': { allow: SALES, scoped: true, body: () => ({}) },
  'POST /api/leads/:id/nurture': { allow: SALES, scoped: true, body: () => ({}) },
  'POST /api/leads/:id/disqualify': {
    allow: SALES,
    scoped: true,
    body: () => ({ reason: 'spam' }),
  },
  'POST /api/leads/:id/convert': {
    allow: SALES,
    scoped: true,
    body: () => ({ deal: { title: 'm', productLine: 'valves', currency: 'USD' } }),
  },
  'POST /api/accounts/merge': {
    allow: SALES,
    scoped: true,
    body: (f) => ({ mergedId: f.account, survivorId: f.account, reason: 'matrix' }),
  },
  'POST /api/accounts/:id/unmerge': {
    allow: SALES,
    scoped: true,
    body: () => ({ reason: 'matrix' }),
  },
  'POST /api/accounts': {
    allow: SALES,
    body: () => ({
      name: 'Matrix GmbH',
      country: 'DE',
      website: 'matrix-gmbh.de',
      mainProducts: ['valves'],
      customerType: 'trader',
      sourceChannel: 'email',
      grade: 'B',
    }),
  },
  'POST /api/accounts/import': { allow: ['team_lead', 'manager'] },
  'GET /api/accounts/:id': { allow: SALES, scoped: true },
  'GET /api/accounts/:id/history': { allow: SALES, scoped: true },
  'PATCH /api/accounts/:id': { allow: SALES, scoped: true, body: () => ({ ports: ['Hamburg'] }) },
  'POST /api/accounts/:id/grade': {
    allow: SALES,
    scoped: true,
    body: () => ({ grade: 'A', reason: 'matrix' }),
  },
  'POST /api/accounts/:id/lifecycle': {
    allow: SALES,
    scoped: true,
    body: () => ({ to: 'active', reason: 'matrix' }),
  },
  'POST /api/accounts/:id/owner': {
    allow: SALES,
    scoped: true,
    body: () => ({ to: OTHER_REP, reason: 'matrix' }),
  },
  'POST /api/accounts/:id/contacts': {
    allow: SALES,
    scoped: true,
    body: () => ({ name: 'Anna Schmidt', role: 'quality' }),
  },
  'PATCH /api/accounts/:id/contacts/:contactId': {
    allow: SALES,
    scoped: true,
    body: () => ({ title: 'QA lead' }),
  },
  'POST /api/accounts/:id/contacts/:contactId/remove': {
    allow: SALES,
    scoped: true,
    body: () => ({ reason: 'matrix' }),
  },
  'POST /api/deals': {
    allow: SALES,
    scoped: true,
    body: (f) => ({ accountId: f.account, title: 'm', productLine: 'valves', currency: 'USD' }),
  },
  'GET /api/deals/:id': { allow: SALES, scoped: true },
  'GET /api/deals/:id/history': { allow: SALES, scoped: true },
  'POST /api/deals/:id/stage': { allow: SALES, scoped: true, body: () => ({ to: 'sample' }) },
  'POST /api/deals/:id/owner': {
    allow: SALES,
    scoped: true,
    body: () => ({ to: OTHER_REP, reason: 'matrix' }),
  },
  'POST /api/deals/:id/activities': {
    allow: SALES,
    scoped: true,
    body: () => ({
      kind: 'call',
      direction: 'outbound',
      summary: 'matrix',
      at: '2026-01-01T00:00:00Z',
    }),
  },
  'PATCH /api/deals/:id': {
    allow: SALES,
    scoped: true,
    body: () => ({ expectedShipMonth: '2026-09' }),
  },
  'POST /api/deals/:id/margin-targets': {
    allow: SALES,
    scoped: true,
    body: () => ({ targetMargin: { min: 0.1, max: 0.4 } }),
  },
  'POST /api/deals/:id/quotes': {
    allow: SALES,
    scoped: true,
    body: () => QUOTE,
  },
  'POST /api/deals/:id/quotes/:quoteId/approval-request': {
    allow: SALES,
    scoped: true,
    body: () => ({}),
  },
  'POST /api/deals/:id/quotes/:quoteId/approve': { allow: SALES, scoped: true, body: () => ({}) },
  'POST /api/deals/:id/quotes/:quoteId/reject': {
    allow: SALES,
    scoped: true,
    body: () => ({ reason: 'matrix' }),
  },
  'POST /api/deals/:id/quotes/:quoteId/send': { allow: SALES, scoped: true, body: () => ({}) },
  'POST /api/deals/:id/won': {
    allow: SALES,
    scoped: true,
    body: () => ({ orderReference: 'PO-1' }),
  },
  'POST /api/deals/:id/lost': {
    allow: SALES,
    scoped: true,
    body: () => ({ reasonCode: 'price.competitor_cheaper' }),
  },
  'POST /api/deals/:id/reopen': { allow: SALES, scoped: true, body: () => ({ reason: 'matrix' }) },
  'POST /api/deals/:id/payments': {
    allow: SALES,
    scoped: true,
    body: () => ({ amount: { minor: 100, currency: 'USD' }, receivedOn: '2026-01-01' }),
  },
  'POST /api/tasks': {
    allow: SALES,
    scoped: true,
    body: (f) => ({
      linkedTo: { kind: 'deal', id: f.deal },
      title: 'm',
      dueAt: '2030-01-01T00:00:00Z',
    }),
  },
  'GET /api/tasks/:id': { allow: SALES, scoped: true },
  'GET /api/tasks/:id/history': { allow: SALES, scoped: true },
  'POST /api/tasks/:id/complete': { allow: SALES, scoped: true, body: () => ({}) },
  'POST /api/tasks/:id/cancel': { allow: SALES, scoped: true, body: () => ({ reason: 'matrix' }) },
  'POST /api/tasks/:id/reassign': {
    allow: SALES,
    scoped: true,
    body: () => ({ to: OTHER_REP, reason: 'matrix' }),
  },
  'POST /api/users': { allow: ['admin'], body: () => ({}) },
  'GET /api/users': { allow: ['admin', 'manager', 'team_lead'] },
  'GET /api/users/:id': { allow: STAFF },
  'GET /api/users/:id/book': { allow: ['admin', 'manager', 'team_lead'] },
  'PATCH /api/users/:id': { allow: STAFF, body: () => ({ name: 'Matrix' }) },
  'POST /api/users/:id/role': { allow: ['admin'], body: () => ({ role: 'rep' }) },
  'POST /api/users/:id/team': { allow: ['admin', 'manager'], body: () => ({ teamId: null }) },
  'POST /api/users/:id/availability': { allow: STAFF, body: () => ({ availability: 'away' }) },
  'POST /api/users/:id/deactivate': { allow: ['admin', 'manager'], body: () => ({}) },
  'POST /api/users/:id/reactivate': { allow: ['admin'], body: () => ({}) },
  'POST /api/teams': { allow: ['admin'], body: () => ({}) },
  'GET /api/teams': { allow: ['admin', 'manager', 'team_lead'] },
  'GET /api/teams/:id': { allow: ['admin', 'manager', 'team_lead'] },
  'POST /api/teams/:id/name': { allow: ['admin'], body: () => ({ name: 'Matrix' }) },
  'POST /api/teams/:id/region': { allow: ['admin', 'manager'], body: () => ({ region: ['DE'] }) },
  'POST /api/teams/:id/product-lines': {
    allow: ['admin', 'manager'],
    body: () => ({ productLines: [] }),
  },
  'POST /api/teams/:id/lead': { allow: ['admin', 'manager'], body: () => ({ leadId: null }) },
  'POST /api/teams/:id/calendar': {
    allow: ['admin'],
    body: () => ({ calendarKey: 'berlin-sales' }),
  },
  'GET /api/dedup/reviews': { allow: ['team_lead', 'manager'] },
  'POST /api/dedup/reviews/:id/dismiss': {
    allow: ['team_lead', 'manager'],
    body: () => ({ reason: 'matrix' }),
  },
  'POST /api/dedup/reviews/:id/confirm': {
    allow: ['team_lead', 'manager'],
    body: () => ({ reason: 'matrix' }),
  },
  'GET /api/policies': { allow: STAFF },
  'GET /api/policies/:id': { allow: STAFF },
  'GET /api/policies/:id/versions': { allow: STAFF },
  'GET /api/policies/:id/versions/:version': { allow: STAFF },
  'PUT /api/policies/:id': { allow: POLICY_PEOPLE, body: () => ({}) },
  'POST /api/policies/scoring/backtest': {
    allow: ['operations', 'manager', 'analyst'],
    body: () => ({
      weights: {
        requirementClarity: 1,
        purchaseStage: 1,
        volumeAndFrequency: 1,
        termsAcceptability: 1,
        responsiveness: 1,
      },
      convertAt: 70,
      nurtureBelow: 40,
    }),
  },
};

/** Routes outside this app's controllers: the OpenAPI UI, served public by Swagger. */
const isDocs = (route: string) => / \/api\/docs/.test(route);

const routesOf = (running: RunningApp) => appRoutes(running).filter((route) => !isDocs(route));

describe('role × route matrix', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
    // The other rep exists and is in another team than the rep and team lead under test.
    await httpClient(running.baseUrl, { id: OTHER_REP, role: 'rep', teamId: 'team-far' }).get(
      '/api/auth/me',
    );
  });
  afterAll(() => running.stop());

  /** A lead, account (+contact), deal (+quote) and task, all held by the other rep. */
  async function fixture(): Promise<Fixture> {
    const other = httpClient(running.baseUrl, { id: OTHER_REP, role: 'rep', teamId: 'team-far' });
    const lead = (await other.post('/api/inquiries', inquiry)).body.id;
    await other.post(`/api/leads/${lead}/owner`, { to: OTHER_REP, reason: 'mine' });
    const account = (
      await other.post('/api/accounts', {
        name: 'Far Away Trading',
        country: 'BR',
        website: `far-${lead}.com.br`,
        mainProducts: ['pumps'],
        customerType: 'distributor',
        sourceChannel: 'trade_show',
        grade: 'A',
      })
    ).body.id;
    const contact = (
      await other.post(`/api/accounts/${account}/contacts`, {
        name: 'Rafael Costa',
        role: 'purchasing',
      })
    ).body.contactId;
    const deal = (
      await other.post('/api/deals', {
        accountId: account,
        title: 'Pumps',
        productLine: 'pumps',
        currency: 'USD',
      })
    ).body.id;
    const quote = (await other.post(`/api/deals/${deal}/quotes`, QUOTE)).body.quoteId;
    const task = (
      await other.post('/api/tasks', {
        linkedTo: { kind: 'deal', id: deal },
        title: 'Call back',
        dueAt: '2030-01-01T00:00:00Z',
      })
    ).body.id;
    const token = (
      await httpClient(running.baseUrl, { id: 'admin-matrix', role: 'admin' }).post('/api/tokens', {
        kind: 'intake',
        source: 'matrix-fixture',
        label: 'fixture',
        expiresInDays: 1,
      })
    ).body.tokenId;
    for (const [name, id] of Object.entries({ lead, account, contact, deal, quote, task, token })) {
      if (typeof id !== 'string') throw new Error(`fixture ${name} was not created`);
    }
    await readModelsCaughtUp(running.baseUrl);
    return { lead, account, contact, deal, quote, task, other: token };
  }

  const pathFor = (route: string, f: Fixture): string => {
    const [, path] = route.split(' ');
    const base =
      path.startsWith('/api/leads') || path.startsWith('/api/audit/ownership/:aggregate')
        ? f.lead
        : path.startsWith('/api/accounts')
          ? f.account
          : path.startsWith('/api/deals')
            ? f.deal
            : path.startsWith('/api/tasks')
              ? f.task
              : path.startsWith('/api/tokens')
                ? f.other
                : path.startsWith('/api/policies')
                  ? 'stages.default'
                  : 'unused';
    return path
      .replace(':aggregate', 'lead')
      .replace(':id', base)
      .replace(':contactId', f.contact)
      .replace(':quoteId', f.quote)
      .replace(':version', '1');
  };

  it('has an entry for every route of the running application, and no stale entries', () => {
    const routes = routesOf(running);
    expect(routes.filter((route) => !TABLE[route])).toEqual([]);
    expect(Object.keys(TABLE).filter((route) => !routes.includes(route))).toEqual([]);
  });

  // One test per route (the table lists every route; the test above holds it to the app), so a
  // slow machine times out one route at worst, and a failure names its route. Signing out
  // revokes the caller's session, so it goes last.
  const signOutLast = (route: string) => (route === 'POST /api/auth/sign-out' ? 1 : 0);
  const tableRoutes = Object.keys(TABLE).sort((a, b) => signOutLast(a) - signOutLast(b));
  it.each(tableRoutes)(
    'gives every role the expected outcome on %s',
    async (route) => {
      const mismatches: string[] = [];
      const entry = TABLE[route];
      const f = await fixture();
      const [method] = route.split(' ');
      const path = pathFor(route, f);
      const body = entry.body?.(f);
      const call = (client: ReturnType<typeof httpClient>): Promise<HttpResult> =>
        method === 'GET'
          ? client.get(path)
          : method === 'PUT'
            ? client.put(path, body)
            : method === 'PATCH'
              ? client.patch(path, body)
              : client.post(path, body);
      const anonymous = await call(httpClient(running.baseUrl));
      if (entry.allow === 'public') {
        if (anonymous.status === 401 || anonymous.status === 403)
          mismatches.push(`${route} anonymous: ${anonymous.status}`);
        expect(mismatches).toEqual([]);
        return;
      }
      if (anonymous.status !== 401)
        mismatches.push(`${route} anonymous: expected 401, got ${anonymous.status}`);
      for (const role of ROLES) {
        const actor =
          role === 'intake'
            ? { id: 'matrix-intake', role }
            : {
                id: `u-matrix-${role}`,
                role,
                teamId: role === 'rep' || role === 'team_lead' ? 'team-near' : undefined,
              };
        const result = await call(httpClient(running.baseUrl, actor));
        const code = result.body?.code;
        const allowed = entry.allow.includes(role);
        const outOfScope = allowed && entry.scoped && (role === 'rep' || role === 'team_lead');
        const expected = !allowed
          ? 'auth.forbidden'
          : outOfScope
            ? 'auth.record_forbidden'
            : 'through';
        const got = result.status === 401 ? '401' : result.status === 403 ? code : 'through';
        if (got !== expected)
          mismatches.push(
            `${route} ${role}: expected ${expected}, got ${result.status} ${code ?? ''}`,
          );
      }
      expect(mismatches).toEqual([]);
    },
    60_000,
  );
});
