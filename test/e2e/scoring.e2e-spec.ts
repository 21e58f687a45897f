import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Dimensions = [number, number, number, number, number];
const dims = ([
  requirementClarity,
  purchaseStage,
  volumeAndFrequency,
  termsAcceptability,
  responsiveness,
]: Dimensions) => ({
  requirementClarity,
  purchaseStage,
  volumeAndFrequency,
  termsAcceptability,
  responsiveness,
});

const inquiry = (slug: string) => ({
  channel: 'email',
  inquirer: { email: `buyer@${slug}.com`, name: 'Sam Buyer', company: `${slug} trading` },
});

/**
 * Under scoring.default (weights 25/25/20/15/15, convertAt 70, nurtureBelow 40) a total is the
 * weighted sum over 500, in percent, rounded half up: all 5s → 100, all 2s → 40, all 1s → 20.
 */
describe('lead scoring views through HTTP', () => {
  let running: RunningApp;
  let rep: ReturnType<typeof httpClient>;
  let otherRep: ReturnType<typeof httpClient>;
  let manager: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    running = await startApp();
    rep = httpClient(running.baseUrl, { id: 'u-score-rep', role: 'rep', teamId: 'team-score' });
    otherRep = httpClient(running.baseUrl, {
      id: 'u-score-other',
      role: 'rep',
      teamId: 'team-elsewhere',
    });
    manager = httpClient(running.baseUrl, { id: 'u-score-manager', role: 'manager' });
    for (const client of [rep, otherRep, manager]) await client.get('/api/auth/me');
  });
  afterAll(() => running.stop());

  async function ownedLead(
    client: ReturnType<typeof httpClient>,
    owner: string,
    slug: string,
  ): Promise<string> {
    const created = await client.post('/api/inquiries', inquiry(slug));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (await client.post(`/api/leads/${id}/owner`, { to: owner, reason: 'mine' })).status,
    ).toBe(200);
    return id;
  }

  const score = async (client: ReturnType<typeof httpClient>, id: string, d: Dimensions) => {
    const scored = await client.post(`/api/leads/${id}/score`, { dimensions: dims(d) });
    expect(scored.status).toBe(200);
  };

  it('keeps each lead’s score history, oldest first, within the record scope', async () => {
    const id = await ownedLead(rep, 'u-score-rep', 'history-one');
    await score(rep, id, [1, 1, 1, 1, 1]);
    await score(rep, id, [5, 4, 4, 3, 5]);

    const history = await rep.get(`/api/leads/${id}/scores`);
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ leadId: id, status: 'new' });
    expect(history.body.scores).toEqual([
      {
        total: 20,
        recommendation: 'nurture',
        policy: { id: 'scoring.default', version: 1 },
        dimensions: dims([1, 1, 1, 1, 1]),
        at: expect.any(String),
      },
      {
        // (125 + 100 + 80 + 45 + 75) / 5 = 85
        total: 85,
        recommendation: 'convert',
        policy: { id: 'scoring.default', version: 1 },
        dimensions: dims([5, 4, 4, 3, 5]),
        at: expect.any(String),
      },
    ]);
    expect(Date.parse(history.body.scores[0].at)).toBeLessThanOrEqual(
      Date.parse(history.body.scores[1].at),
    );

    expect((await otherRep.get(`/api/leads/${id}/scores`)).body).toMatchObject({
      status: 403,
      code: 'auth.record_forbidden',
    });
    expect((await manager.get(`/api/leads/${id}/scores`)).body.scores).toHaveLength(2);
    expect((await rep.get('/api/leads/not-a-uuid/scores')).status).toBe(400);
    expect((await rep.get('/api/leads/0190a5c4-0000-7000-8000-000000000000/scores')).status).toBe(
      404,
    );
  });

  it('lists the nurture queue, newest score first, a rep seeing only their own', async () => {
    const low = await ownedLead(rep, 'u-score-rep', 'queue-low');
    await score(rep, low, [1, 1, 1, 1, 1]);
    const nurtured = await ownedLead(rep, 'u-score-rep', 'queue-nurtured');
    expect((await rep.post(`/api/leads/${nurtured}/nurture`, {})).status).toBe(200);
    const recovered = await ownedLead(rep, 'u-score-rep', 'queue-recovered');
    await score(rep, recovered, [1, 1, 1, 1, 1]);
    await score(rep, recovered, [5, 5, 5, 5, 5]);
    const qualified = await ownedLead(rep, 'u-score-rep', 'queue-qualified');
    await score(rep, qualified, [1, 1, 1, 1, 1]);
    expect((await rep.post(`/api/leads/${qualified}/qualify`, {})).status).toBe(200);
    const others = await ownedLead(otherRep, 'u-score-other', 'queue-others');
    await score(otherRep, others, [0, 0, 0, 0, 0]);
    const newest = await ownedLead(rep, 'u-score-rep', 'queue-newest');
    await score(rep, newest, [2, 1, 1, 1, 1]);

    const mine = await rep.get('/api/leads/nurture-queue?owner=u-score-other');
    expect(mine.status).toBe(200);
    const ids = mine.body.map((item: { leadId: string }) => item.leadId);
    // Newest first by the latest score, or by the nurturing for a lead never scored. The first
    // test's lead, `recovered` and `qualified` are not in the queue; the other rep's is not mine.
    expect(ids).toEqual([newest, nurtured, low]);
    expect(mine.body[0]).toMatchObject({
      leadId: newest,
      ownerId: 'u-score-rep',
      status: 'new',
      // (50 + 25 + 20 + 15 + 15) / 5 = 25
      latestScore: { total: 25, recommendation: 'nurture' },
    });
    expect(mine.body[1]).toMatchObject({ status: 'nurturing', latestScore: null });

    expect(
      (await otherRep.get('/api/leads/nurture-queue')).body.map(
        (i: { leadId: string }) => i.leadId,
      ),
    ).toEqual([others]);
    const teamLead = httpClient(running.baseUrl, {
      id: 'u-score-lead',
      role: 'team_lead',
      teamId: 'team-score',
    });
    expect(
      (await teamLead.get('/api/leads/nurture-queue')).body.map(
        (i: { leadId: string }) => i.leadId,
      ),
    ).toEqual([newest, nurtured, low]);
    const all = await manager.get('/api/leads/nurture-queue');
    expect(all.body.map((i: { leadId: string }) => i.leadId)).toEqual([
      newest,
      others,
      nurtured,
      low,
    ]);
    const narrowed = await manager.get('/api/leads/nurture-queue?owner=u-score-other&limit=5');
    expect(narrowed.body.map((i: { leadId: string }) => i.leadId)).toEqual([others]);
    expect((await manager.get('/api/leads/nurture-queue?limit=2')).body).toHaveLength(2);
    expect((await manager.get('/api/leads/nurture-queue?limit=0')).body).toMatchObject({
      status: 400,
      field: 'limit',
    });
  });

  it('backtests candidate weights against won and lost leads, with precision and recall', async () => {
    const closeWith = async (slug: string, d: Dimensions, outcome: 'won' | 'lost') => {
      const lead = await ownedLead(rep, 'u-score-rep', slug);
      await score(rep, lead, d);
      const converted = await rep.post(`/api/leads/${lead}/convert`, {
        newAccount: {
          name: `${slug} Industrial`,
          country: 'DE',
          website: `${slug}.de`,
          mainProducts: ['valves'],
          customerType: 'distributor',
          grade: 'B',
        },
        deal: { title: `${slug} order`, productLine: 'valves', currency: 'USD' },
      });
      expect(converted.status).toBe(201);
      const deal = `/api/deals/${converted.body.dealId}`;
      expect(
        (await rep.patch(deal, { amount: { minor: 1_000_000, currency: 'USD' } })).status,
      ).toBe(200);
      const closed =
        outcome === 'won'
          ? await rep.post(`${deal}/won`, { orderReference: `PO-${slug}` })
          : await rep.post(`${deal}/lost`, { reasonCode: 'price.competitor_cheaper' });
      expect(closed.status).toBe(200);
      return { lead, deal };
    };
    // current totals / candidate totals (candidate: responsiveness only, convertAt 60)
    const l1 = await closeWith('aurora', [5, 5, 5, 5, 5], 'won'); //  100 + / 100 +
    const l2 = await closeWith('basalt', [5, 5, 5, 5, 1], 'lost'); //  88 + /  20 -
    const l3 = await closeWith('cinder', [1, 1, 1, 1, 5], 'won'); //   32 - / 100 +
    const l4 = await closeWith('dorado', [4, 4, 4, 4, 4], 'lost'); //  80 + /  80 +
    const l5 = await closeWith('estuary', [2, 2, 2, 2, 2], 'won'); //  40 - /  40 -
    // Won, then reopened: no outcome any more, so left out.
    const reopened = await closeWith('fennel', [5, 5, 5, 5, 5], 'won');
    expect((await rep.post(`${reopened.deal}/reopen`, { reason: 'order cancelled' })).status).toBe(
      200,
    );

    const candidate = {
      weights: dims([0, 0, 0, 0, 100]),
      convertAt: 60,
      nurtureBelow: 20,
    };
    const result = await manager.post('/api/policies/scoring/backtest', candidate);
    expect(result.status).toBe(200);
    // Current: positives l1 l2 l4, won among them l1 → precision 1/3; won l1 l3 l5 → recall 1/3.
    // Candidate: positives l1 l3 l4, won among them l1 l3 → precision 2/3, recall 2/3.
    expect(result.body).toMatchObject({
      compared: 5,
      won: 3,
      lost: 2,
      current: {
        policy: { id: 'scoring.default', version: 1 },
        threshold: 70,
        predictedPositives: 3,
        truePositives: 1,
        precision: 0.3333,
        recall: 0.3333,
      },
      candidate: {
        policy: { id: 'scoring.candidate', version: 1 },
        threshold: 60,
        predictedPositives: 3,
        truePositives: 2,
        precision: 0.6667,
        recall: 0.6667,
      },
      difference: { predictedPositives: 0, truePositives: 1, precision: 0.3333, recall: 0.3333 },
    });
    const rows = new Map(
      result.body.leads.map((row: { leadId: string }) => [row.leadId, row] as const),
    );
    expect([...rows.keys()].sort()).toEqual([l1, l2, l3, l4, l5].map((l) => l.lead).sort());
    expect(rows.get(l2.lead)).toEqual({
      leadId: l2.lead,
      outcome: 'lost',
      current: { total: 88, recommendation: 'convert' },
      candidate: { total: 20, recommendation: 'none' },
    });
    expect(rows.get(l3.lead)).toMatchObject({
      outcome: 'won',
      current: { total: 32, recommendation: 'nurture' },
      candidate: { total: 100, recommendation: 'convert' },
    });

    // Analysts and operations may backtest too; a rep may not.
    for (const role of ['analyst', 'operations']) {
      const client = httpClient(running.baseUrl, { id: `u-score-${role}`, role });
      expect((await client.post('/api/policies/scoring/backtest', candidate)).body.compared).toBe(
        5,
      );
    }
    expect((await rep.post('/api/policies/scoring/backtest', candidate)).body).toMatchObject({
      status: 403,
      code: 'auth.forbidden',
    });
  });

  it('refuses a bad candidate with 400 naming each field', async () => {
    const bad = await manager.post('/api/policies/scoring/backtest', {
      weights: { ...dims([1, 1, 1, 1, 1]), purchaseStage: -1, responsiveness: 'high' },
      convertAt: 120,
      extra: true,
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map(
      (e: { field: string; code: string }) => `${e.field}:${e.code}`,
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'weights.purchaseStage:validation.min',
        'weights.responsiveness:validation.is_int',
        'convertAt:validation.max',
        'nurtureBelow:validation.is_int',
        'extra:validation.whitelist_validation',
      ]),
    );

    const crossed = await manager.post('/api/policies/scoring/backtest', {
      weights: dims([0, 0, 0, 0, 0]),
      convertAt: 30,
      nurtureBelow: 50,
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'nurtureBelow',
      'weights',
    ]);
    expect(
      (
        await manager.post('/api/policies/scoring/backtest', {
          id: 'scoring.default',
          weights: dims([1, 1, 1, 1, 1]),
          convertAt: 70,
          nurtureBelow: 40,
        })
      ).body,
    ).toMatchObject({ status: 400, field: 'id' });
  });
});
