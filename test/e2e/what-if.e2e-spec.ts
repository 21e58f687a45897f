import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;

const SLA_DEFAULT = JSON.parse(
  readFileSync(join(__dirname, '../../config/policies/sla.default.json'), 'utf8'),
) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What-if through HTTP: live inquiries answered 45 and 10 business minutes after receipt, the
 * SLA saga acting on them as the clock moves, then a candidate 60-minute target replayed beside
 * the 30-minute policy in force.
 */
describe('SLA what-if through HTTP', () => {
  let running: RunningApp;
  let rep: Client;
  let ops: Client;
  // Monday 2 March 2026, 09:00 in Berlin: inside the default calendar's working hours.
  let now = new Date('2026-03-02T08:00:00.000Z');
  const clock = { now: () => now };
  const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

  const inquiry = async (email: string) => {
    const created = await rep.post('/api/inquiries', {
      channel: 'website_form',
      inquirer: { email, name: 'Buyer', company: `${email.split('@')[1]} GmbH`, country: 'DE' },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const respond = async (lead: string) => {
    const answered = await rep.post(`/api/leads/${lead}/responses`, {
      direction: 'outbound',
      channel: 'email',
      at: now.toISOString(),
    });
    expect(answered.status).toBe(200);
  };
  const automation = async () => {
    const status = await ops.get('/api/admin/sagas');
    return status.body.projections[0] as { behind: number; state: string };
  };
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    while ((await automation()).behind !== 0) {
      if (Date.now() > deadline) throw new Error('saga did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    running = await startApp(undefined, { clock });
    rep = httpClient(running.baseUrl, { id: 'u-wi-rep', role: 'rep', teamId: 'dach-sales' });
    ops = httpClient(running.baseUrl, { id: 'u-wi-ops', role: 'operations' });
  });
  afterAll(() => running.stop());

  it('a 60-minute target predicts fewer breaches than the 30 in force, and the replay reproduces what happened', async () => {
    const slow = await inquiry('a@slow-buyer.de');
    const quick = await inquiry('b@quick-buyer.de');
    advance(10);
    await respond(quick);
    advance(35);
    await respond(slow);
    advance(180);
    await settle();

    const candidate = structuredClone(SLA_DEFAULT);
    candidate.firstResponse.targetMinutes = 60;
    candidate.firstResponse.ladder = [
      { level: 1, afterMinutes: 50, action: 'remind_owner' },
      { level: 2, afterMinutes: 60, action: 'escalate_team_lead' },
    ];
    const answer = await ops.post('/api/policies/what-if', {
      policy: candidate,
      from: '2026-03-02T00:00:00Z',
      to: now.toISOString(),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.inForce.breaches.byClock.first_response).toBe(1);
    expect(answer.body.candidate.breaches.byClock.first_response ?? 0).toBe(0);
    expect(answer.body.inForce.runs.first_response).toMatchObject({
      started: 2,
      met: 1,
      breached: 1,
    });
    expect(answer.body.actual.decisions).toBeGreaterThan(0);
    expect(answer.body.actual).toMatchObject({
      reproducedByReplay: true,
      notReproduced: [],
      notRecorded: [],
    });
  });

  it('refuses an invalid candidate, naming the key', async () => {
    const candidate = structuredClone(SLA_DEFAULT);
    candidate.firstResponse.targetMinutes = -5;
    const answer = await ops.post('/api/policies/what-if', {
      policy: candidate,
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-03T00:00:00Z',
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/targetMinutes/);
  });
});
