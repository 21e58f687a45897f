import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { bearerFor, TestActor } from './test-identities';

type Client = ReturnType<typeof httpClient>;

const REP: TestActor = { id: 'u-review-rep', role: 'rep' };
const LEAD: TestActor = { id: 'u-review-lead', role: 'team_lead', teamId: 'team-review' };
const MANAGER: TestActor = { id: 'u-review-manager', role: 'manager' };

const account = (name: string, website: string) => ({
  name,
  country: 'DE',
  website,
  mainProducts: ['valves'],
  customerType: 'distributor',
  sourceChannel: 'trade_show',
  grade: 'B',
});

describe('dedup review queue (phone, similar company name)', () => {
  let running: RunningApp;
  let rep: Client;
  let teamLead: Client;
  let manager: Client;

  const start = async (dataDir?: string) => {
    running = await startApp(dataDir);
    rep = httpClient(running.baseUrl, REP);
    teamLead = rep.as(LEAD);
    manager = rep.as(MANAGER);
  };
  beforeAll(() => start());
  afterAll(() => running.stop());

  const store = () => running.app.get<EventStore>(EVENT_STORE);
  const openedFor = async (leadId: string): Promise<RecordedEvent[]> =>
    (await store().readAll({ filter: { eventTypes: ['DedupReviewOpened'] } })).filter(
      (event) => event.data.leadId === leadId,
    );

  const register = async (name: string, website: string, phone?: string, email?: string) => {
    const created = await rep.post('/api/accounts', account(name, website));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    if (phone || email) {
      const contact = await rep.post(`/api/accounts/${id}/contacts`, {
        name: 'Klaus Weber',
        role: 'purchasing',
        ...(phone && { phone }),
        ...(email && { email }),
      });
      expect(contact.status).toBe(201);
    }
    return id;
  };
  const inquire = async (inquirer: Record<string, string>) => {
    const created = await rep.post('/api/inquiries', { channel: 'email', inquirer });
    expect(created.status).toBe(201);
    return created.body as { id: string; matchedAccountId: string | null };
  };
  const reviewsOf = async (leadId: string, status = 'open', client = manager) => {
    const listed = await client.get(`/api/dedup/reviews?status=${status}`);
    expect(listed.status).toBe(200);
    return (listed.body.items as HttpResult['body'][]).filter((item) => item.leadId === leadId);
  };

  it('queues an inquiry from a similarly named company, with score, evidence and compared count, without being asked', async () => {
    const accountId = await register('Müller Armaturen GmbH', 'mueller-armaturen.de');
    const { id: leadId, matchedAccountId } = await inquire({
      email: 'einkauf@example-buyer.com',
      company: 'Mueller Armaturen GmbH',
      country: 'DE',
    });
    // A similar name never attaches on its own.
    expect(matchedAccountId).toBeNull();

    // The background catch-up opens the item; nobody has called the queue yet.
    const deadline = Date.now() + 6_000;
    while ((await openedFor(leadId)).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [opened] = await openedFor(leadId);
    expect(opened).toBeDefined();
    expect(opened.streamName).toMatch(/^review-[0-9a-f-]{36}$/);
    expect(opened.metadata).toMatchObject({
      actor: { userId: 'system', role: 'system' },
      cause: { kind: 'rule', id: 'dedup.default', version: 1 },
    });

    const items = await reviewsOf(leadId);
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(item).toMatchObject({
      reviewId: opened.streamName.slice('review-'.length),
      leadId,
      accountId,
      kind: 'name',
      status: 'open',
      policy: { id: 'dedup.default', version: 1 },
      evidence: {
        normalized: { query: 'mueller armaturen', match: 'mueller armaturen' },
        sharedTokens: expect.arrayContaining(['mueller', 'armaturen']),
      },
    });
    expect(item.score).toBeGreaterThanOrEqual(0.85);
    expect(item.compared).toBeGreaterThanOrEqual(1);
    expect(item.evidence.phone).toBeUndefined();
  }, 20_000);

  it('queues an inquiry whose phone, written nationally, is a contact’s phone; the number is sealed', async () => {
    const accountId = await register(
      'Nordsee Hydraulik GmbH',
      'nordsee-hydraulik.de',
      '+493012345678',
    );
    // A list import reads "030 1234 5678" in the row's country.
    const token = await bearerFor(running.baseUrl, REP);
    const csv = 'Company,Name,Phone,Country\nZentraleinkauf Bremen,Jana Roth,030 1234 5678,DE\n';
    const imported = await fetch(`${running.baseUrl}/api/inquiries/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: csv,
    });
    expect(imported.status).toBe(200);
    const [leadId] = ((await imported.json()) as { leadIds: string[] }).leadIds;

    const items = await reviewsOf(leadId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      accountId,
      kind: 'phone',
      score: 1,
      evidence: { phone: '+493012345678' },
    });
    // Personal: stored only inside the envelope under the lead's key.
    const [stored] = await openedFor(leadId);
    expect(JSON.stringify(stored.data)).not.toContain('493012345678');
    expect(stored.data.$personal).toEqual([
      expect.objectContaining({ subject: `lead:${leadId}`, paths: ['evidence.phone'] }),
    ]);
  });

  it('opens nothing when the inquiry matches the account by an exact key', async () => {
    const accountId = await register('Acme Ventiltechnik GmbH', 'acme-ventil.de', '+49891234567');
    const { id: leadId, matchedAccountId } = await inquire({
      email: 'einkauf@acme-ventil.de',
      company: 'Acme Ventiltechnik GmbH',
      phone: '+49891234567',
      country: 'DE',
    });
    expect(matchedAccountId).toBe(accountId);
    expect(await reviewsOf(leadId)).toEqual([]);
    expect(await openedFor(leadId)).toEqual([]);
  });

  it('opens nothing for two companies whose buyers both use gmail but whose names differ', async () => {
    await register('Rheinland Pumpen GmbH', 'rheinland-pumpen.de', undefined, 'k.weber@gmail.com');
    const { id: leadId, matchedAccountId } = await inquire({
      email: 'j.smith@gmail.com',
      company: 'Baltic Flow Systems',
      country: 'PL',
    });
    expect(matchedAccountId).toBeNull();
    expect(await reviewsOf(leadId)).toEqual([]);
  });

  it('records who dismissed or confirmed and why; a decision is made once; a rep gets 403', async () => {
    await register('Hanse Dichtungstechnik GmbH', 'hanse-dichtung.de', '+494012345678');
    const { id: leadId } = await inquire({
      email: 'info@another-hanse.com',
      company: 'Hanse Dichtungstechnik',
      phone: '+494012345678',
      country: 'DE',
    });
    await register('Bayern Fittings AG', 'bayern-fittings.de');
    const { id: otherLeadId } = await inquire({
      email: 'info@fittings-bayern.com',
      company: 'Bayern Fittings',
      country: 'DE',
    });
    const [toDismiss] = await reviewsOf(leadId, 'open', teamLead);
    const [toConfirm] = await reviewsOf(otherLeadId);
    expect(toDismiss).toMatchObject({ kind: 'phone', evidence: { phone: '+494012345678' } });
    // Phone and name point to the same account: one item, with both as evidence.
    expect(toDismiss.evidence.sharedTokens).toEqual(expect.arrayContaining(['hanse']));

    const forbidden: HttpResult = await rep.get('/api/dedup/reviews');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('auth.forbidden');
    const repDismiss = await rep.post(`/api/dedup/reviews/${toDismiss.reviewId}/dismiss`, {
      reason: 'x',
    });
    expect(repDismiss.status).toBe(403);

    expect(
      (await teamLead.post(`/api/dedup/reviews/${toDismiss.reviewId}/dismiss`, {})).status,
    ).toBe(400);
    const dismissed = await teamLead.post(`/api/dedup/reviews/${toDismiss.reviewId}/dismiss`, {
      reason: 'Shared switchboard of the industrial park',
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({
      status: 'dismissed',
      decision: { by: LEAD.id, reason: 'Shared switchboard of the industrial park' },
    });

    const confirmed = await manager.post(`/api/dedup/reviews/${toConfirm.reviewId}/confirm`, {
      reason: 'Same company, buyer confirmed by phone',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      decision: { by: MANAGER.id, reason: 'Same company, buyer confirmed by phone' },
      next: { method: 'POST', path: '/api/accounts/merge', survivorId: toConfirm.accountId },
    });

    const again = await manager.post(`/api/dedup/reviews/${toDismiss.reviewId}/confirm`, {
      reason: 'changed my mind',
    });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('review.already_resolved');
    expect(
      (await manager.post(`/api/dedup/reviews/${randomUUID()}/dismiss`, { reason: 'x' })).status,
    ).toBe(404);

    expect(await reviewsOf(leadId)).toEqual([]);
    expect(await reviewsOf(leadId, 'resolved')).toEqual([
      expect.objectContaining({ reviewId: toDismiss.reviewId, status: 'dismissed' }),
    ]);
    const decisions = await store().readStream(`review-${toDismiss.reviewId}`);
    expect(decisions.map((event) => event.type)).toEqual([
      'DedupReviewOpened',
      'DedupReviewDismissed',
    ]);
    expect(decisions[1].metadata).toMatchObject({
      actor: { userId: LEAD.id, role: 'team_lead' },
      cause: { kind: 'person', id: LEAD.id },
      reason: 'Shared switchboard of the industrial park',
    });
  });

  it('never duplicates an item on a repeated catch-up, nor after a restart that reads everything again', async () => {
    await register('Elbe Kompressoren GmbH', 'elbe-kompressoren.de');
    const { id: leadId } = await inquire({
      email: 'buyer@elbe-compressors.com',
      company: 'Elbe Kompressoren',
      country: 'DE',
    });
    expect(await reviewsOf(leadId)).toHaveLength(1);
    expect(await reviewsOf(leadId)).toHaveLength(1);

    await running.stop({ keepData: true });
    await start(running.dataDir);
    expect(await reviewsOf(leadId)).toHaveLength(1);
    expect(await openedFor(leadId)).toHaveLength(1);
  }, 30_000);
});
