import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { GULF_VALVE_NEW_ACCOUNT } from './test-records';

const inquiry = {
  channel: 'alibaba',
  sourceRef: 'ALI-2026-0001',
  inquirer: {
    name: 'Ahmed Al-Farsi',
    email: 'ahmed@gulf-valve.ae',
    phone: '+971501234567',
    company: 'Gulf Valve Trading LLC',
    country: 'AE',
    website: 'gulf-valve.ae',
    message: 'Please quote 2,000 pcs DN50 ball valves, CIF Jebel Ali',
  },
};

describe('leads through HTTP', () => {
  let running: RunningApp;
  let api: ReturnType<typeof httpClient>;
  beforeAll(async () => {
    running = await startApp();
    api = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
  });
  afterAll(() => running.stop());

  it('receives an inquiry, assigns, responds, and converts it across account, contact and deal', async () => {
    const created = await api.post('/api/inquiries', inquiry);
    expect(created.status).toBe(201);
    const leadId = created.body.id;
    expect(created.body).toMatchObject({
      revision: 0,
      events: ['InquiryReceived'],
      replayed: false,
    });

    const lead = await api.get(`/api/leads/${leadId}`);
    expect(lead.status).toBe(200);
    expect(lead.headers.get('etag')).toBe('"0"');
    expect(lead.body.state).toMatchObject({
      status: 'new',
      live: true,
      inquirer: inquiry.inquirer,
    });

    const assigned = await api.post(`/api/leads/${leadId}/owner`, {
      to: 'u-rep-1',
      reason: 'Gulf territory',
    });
    expect(assigned).toMatchObject({
      status: 200,
      body: { events: ['LeadAssigned'], revision: 1 },
    });
    const responded = await api.post(`/api/leads/${leadId}/responses`, {
      direction: 'outbound',
      channel: 'email',
      at: new Date().toISOString(),
    });
    expect(responded.body.events).toEqual(['LeadResponseRecorded', 'FirstResponseRecorded']);

    const conversion = {
      newAccount: { ...GULF_VALVE_NEW_ACCOUNT, timeZone: 'Asia/Dubai' },
      deal: { title: 'DN50 ball valves 2,000 pcs', productLine: 'valves', currency: 'USD' },
    };
    const converted = await api.post(`/api/leads/${leadId}/convert`, conversion, {
      'idempotency-key': 'convert-0001',
    });
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ leadId, replayed: false });
    const again = await api.post(`/api/leads/${leadId}/convert`, conversion, {
      'idempotency-key': 'convert-0001',
    });
    expect(again.body).toEqual({ ...converted.body, replayed: true });
    const reused = await api.post(
      `/api/leads/${leadId}/convert`,
      { ...conversion, deal: { ...conversion.deal, title: 'another deal' } },
      { 'idempotency-key': 'convert-0001' },
    );
    expect(reused.body).toMatchObject({
      status: 422,
      code: 'command.idempotency_key_reused',
      field: 'Idempotency-Key',
    });

    const history = await api.get(`/api/leads/${leadId}/history`);
    expect(history.body.map((entry: { type: string }) => entry.type)).toEqual([
      'InquiryReceived',
      'LeadAssigned',
      'LeadResponseRecorded',
      'FirstResponseRecorded',
      'LeadConverted',
    ]);
    expect(history.body[1]).toMatchObject({
      actor: { userId: 'u-rep-1', role: 'rep' },
      reason: 'Gulf territory',
    });
  });

  it('answers bad input with problem+json naming each field and code', async () => {
    const response = await api.post('/api/inquiries', {
      channel: 'carrier_pigeon',
      inquirer: { email: 'not-an-email', phone: '12345', country: 'XX', website: 'http://' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'validation.failed', field: 'channel' });
    const fields = response.body.errors.map(
      (e: { field: string; code: string }) => `${e.field}:${e.code}`,
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'channel:validation.is_in',
        'inquirer.email:validation.is_email',
        'inquirer.phone:validation.is_e164_phone',
        'inquirer.country:validation.is_iso31661_alpha2',
        'inquirer.website:validation.is_fqdn',
      ]),
    );
  });

  it('scores a lead under the scoring policy in force, naming its version', async () => {
    const { id } = (await api.post('/api/inquiries', inquiry)).body;
    const scored = await api.post(`/api/leads/${id}/score`, {
      dimensions: {
        requirementClarity: 5,
        purchaseStage: 4,
        volumeAndFrequency: 4,
        termsAcceptability: 3,
        responsiveness: 5,
      },
    });
    expect(scored.body.events).toEqual(['LeadScored']);
    const [, event] = (await api.get(`/api/leads/${id}/history`)).body;
    expect(event.data).toMatchObject({
      recommendation: 'convert',
      policy: { id: 'scoring.default', version: 1 },
    });
    const bad = await api.post(`/api/leads/${id}/score`, { dimensions: { requirementClarity: 9 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'dimensions.requirementClarity', code: 'validation.max' }),
        expect.objectContaining({ field: 'dimensions.purchaseStage' }),
      ]),
    );
  });

  it('refuses bodies over the size limit and malformed JSON with problem+json', async () => {
    const huge = { ...inquiry, inquirer: { ...inquiry.inquirer, message: 'x'.repeat(2_000_000) } };
    expect((await api.post('/api/inquiries', huge)).body).toMatchObject({
      status: 413,
      code: 'request.too_large',
    });
    expect((await api.post('/api/inquiries', '{"channel": ')).body).toMatchObject({
      status: 400,
      code: 'request.malformed_json',
    });
    expect((await api.post('/api/inquiries', { ...inquiry, hacker: true })).body.errors).toEqual([
      expect.objectContaining({ field: 'hacker', code: 'validation.whitelist_validation' }),
    ]);
  });

  it('replays a retry of every lead write with the same Idempotency-Key and writes nothing twice', async () => {
    const retried = async (path: string, body: object, key: string) => {
      const first = await api.post(path, body, { 'idempotency-key': key });
      const again = await api.post(path, body, { 'idempotency-key': key });
      expect(first.status).toBeLessThan(300);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      return first.body;
    };
    const { id } = await retried('/api/inquiries', inquiry, 'retry-inquiry-1');
    const history = async () => (await api.get(`/api/leads/${id}/history`)).body.length;
    await retried(
      `/api/leads/${id}/owner`,
      { to: 'u-rep-1', reason: 'territory' },
      'retry-owner-1',
    );
    await retried(
      `/api/leads/${id}/responses`,
      { direction: 'outbound', channel: 'email', at: new Date().toISOString() },
      'retry-response-1',
    );
    const dimensions = {
      requirementClarity: 2,
      purchaseStage: 2,
      volumeAndFrequency: 2,
      termsAcceptability: 2,
      responsiveness: 2,
    };
    await retried(`/api/leads/${id}/score`, { dimensions }, 'retry-score-1');
    await retried(`/api/leads/${id}/nurture`, { reason: 'budget next year' }, 'retry-nurture-1');
    await retried(`/api/leads/${id}/qualify`, { note: 'budget approved' }, 'retry-qualify-1');
    expect(await history()).toBe(7);
    const other = (await api.post('/api/inquiries', inquiry)).body.id;
    await api.post(`/api/leads/${other}/owner`, { to: 'u-rep-1', reason: 'territory' });
    await retried(`/api/leads/${other}/disqualify`, { reason: 'spam' }, 'retry-disqualify-1');
    expect((await api.get(`/api/leads/${other}/history`)).body).toHaveLength(3);
  });

  it('answers 404 for an unknown lead and 400 for a malformed id', async () => {
    expect((await api.get('/api/leads/0190a7e4-0000-7000-8000-000000000000')).body).toMatchObject({
      status: 404,
      code: 'lead.not_found',
    });
    expect((await api.get('/api/leads/nope')).body).toMatchObject({ status: 400, field: 'id' });
  });
});
