import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { GULF_VALVE_NEW_ACCOUNT } from './test-records';

type Client = ReturnType<typeof httpClient>;

const DAY_MS = 86_400_000;
const day = (offsetDays = 0) =>
  new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
const usd = (minor: number) => ({ minor, currency: 'USD' });
const UNKNOWN_ID = '0190a7e4-0000-7000-8000-000000000000';

const inquiry = {
  channel: 'alibaba',
  sourceRef: 'ALI-2026-0042',
  inquirer: {
    name: 'Ahmed Al-Farsi',
    email: 'ahmed@gulf-valve.ae',
    company: 'Gulf Valve Trading LLC',
    country: 'AE',
    website: 'gulf-valve.ae',
    message: 'Please quote 2,000 pcs DN50 ball valves',
  },
};

const fieldCodes = (problem: HttpResult) =>
  (problem.body.errors as Array<{ field: string; code: string }>).map(
    ({ field, code }) => `${field}:${code}`,
  );

describe('deals through HTTP', () => {
  let running: RunningApp;
  let rep: Client;
  let manager: Client;
  let accountId: string;
  let contactId: string;
  let keys = 0;

  beforeAll(async () => {
    running = await startApp();
    rep = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
    manager = rep.as({ id: 'u-mgr-1', role: 'manager' });
    const leadId = (await rep.post('/api/inquiries', inquiry)).body.id;
    await rep.post(`/api/leads/${leadId}/owner`, { to: 'u-rep-1', reason: 'Gulf territory' });
    const converted = await rep.post(`/api/leads/${leadId}/convert`, {
      newAccount: GULF_VALVE_NEW_ACCOUNT,
      deal: { title: 'First inquiry', productLine: 'valves', currency: 'USD' },
    });
    expect(converted.status).toBe(201);
    ({ accountId, contactId } = converted.body);
  });
  afterAll(() => running.stop());

  /** Read as the owner by default; pass the manager for a deal handed to someone else. */
  const history = async (dealId: string, reader = rep) =>
    (await reader.get(`/api/deals/${dealId}/history`)).body as Array<{
      type: string;
      data: Record<string, unknown>;
      reason?: string;
      cause?: unknown;
    }>;
  const deal = async (dealId: string) => (await rep.get(`/api/deals/${dealId}`)).body.state;

  /** Sends a write twice under one Idempotency-Key: the retry replays the answer and writes nothing. */
  async function retrySafe(
    client: Client,
    method: 'post' | 'patch',
    path: string,
    body: unknown,
    status = 200,
    reader = rep,
  ) {
    const key = `deals-e2e-${String(++keys).padStart(4, '0')}`;
    const first = await client[method](path, body, { 'idempotency-key': key });
    expect(first).toMatchObject({ status, body: { replayed: false } });
    expect(first.headers.get('etag')).toBe(`"${first.body.revision}"`);
    const written = (await history(first.body.id, reader)).length;
    const again = await client[method](path, body, { 'idempotency-key': key });
    expect(again.status).toBe(status);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect((await history(first.body.id, reader)).length).toBe(written);
    return first.body;
  }

  const openDeal = (extra: Record<string, unknown> = {}) =>
    rep.post('/api/deals', {
      accountId,
      title: 'DN50 ball valves, 2,000 pcs',
      productLine: 'valves',
      currency: 'USD',
      ...extra,
    });

  it('runs a deal from first contact through quotes to won and paid in full', async () => {
    const opened = await retrySafe(
      rep,
      'post',
      '/api/deals',
      {
        accountId,
        contactId,
        title: 'DN50 ball valves, 2,000 pcs',
        productLine: 'valves',
        currency: 'USD',
      },
      201,
    );
    expect(opened).toMatchObject({ revision: 0, events: ['DealOpened'] });
    const id = opened.id;
    const path = `/api/deals/${id}`;

    const read = await rep.get(path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"0"');
    expect(read.body).toMatchObject({
      id,
      revision: 0,
      state: { status: 'open', stage: 'initial_contact', ownerId: 'u-rep-1', accountId, contactId },
    });
    expect((await history(id))[0].data).toMatchObject({
      country: 'AE',
      channel: 'alibaba',
      repeat: false,
    });

    const tooEarly = await rep.post(`${path}/stage`, { to: 'proposal' });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(tooEarly.body).toMatchObject({
      code: 'deal.stage.requirement_missing',
      details: { stage: 'proposal', missing: ['amount', 'incoterm'] },
    });
    expect(tooEarly.body.detail).toMatch(/amount, Incoterm/);

    const terms = await retrySafe(rep, 'patch', path, {
      amount: usd(4_000_000),
      incoterm: 'FOB',
      paymentTerm: { method: 'T/T', advancePercent: 30 },
      expectedCloseDate: day(60),
      expectedShipMonth: day(90).slice(0, 7),
      deliveryRisks: ['custom_parts'],
    });
    expect(terms.events).toEqual([
      'DealAmountChanged',
      'DealIncotermChanged',
      'DealPaymentTermChanged',
      'DealExpectedCloseDateChanged',
      'DealExpectedShipMonthChanged',
      'DealDeliveryRisksChanged',
    ]);
    expect(await deal(id)).toMatchObject({
      amount: usd(4_000_000),
      incoterm: 'FOB',
      paymentTermRisk: 'medium',
      deliveryRisks: ['custom_parts'],
    });

    const proposal = await retrySafe(rep, 'post', `${path}/stage`, {
      to: 'proposal',
      note: 'Specs confirmed',
    });
    expect(proposal.events).toEqual(['DealStageChanged']);
    expect((await rep.post(`${path}/stage`, { to: 'negotiation' })).body).toMatchObject({
      status: 422,
      code: 'deal.stage.requirement_missing',
      details: { missing: ['sent_quote'] },
    });

    expect(
      (await rep.post(`${path}/margin-targets`, { floorPrice: usd(3_900_000) })).body,
    ).toMatchObject({
      status: 403,
      code: 'deal.margin_targets.forbidden',
    });
    const targets = await retrySafe(manager, 'post', `${path}/margin-targets`, {
      floorPrice: usd(3_900_000),
      targetMargin: { min: 0.18, max: 0.4 },
    });
    expect(targets.events).toEqual(['DealMarginTargetsSet']);

    // 2,000 × 19.00 = 38,000.00, under the 39,000.00 floor: a manager must approve it.
    const quote = {
      currency: 'USD',
      incoterm: 'FOB',
      paymentTerm: { method: 'T/T', advancePercent: 30 },
      moq: 500,
      leadTimeDays: 35,
      validUntil: day(30),
      lines: [
        {
          sku: 'BV-DN50',
          description: 'Ball valve DN50, SS316',
          quantity: 2000,
          unit: 'pcs',
          unitPriceMinor: 1900,
          unitCostMinor: 1400,
        },
      ],
      options: [
        { tier: 'good', description: 'Brass body', totalMinor: 3_000_000, costMinor: 2_400_000 },
      ],
    };
    const drafted = await retrySafe(rep, 'post', `${path}/quotes`, quote, 201);
    expect(drafted).toMatchObject({ events: ['QuoteDrafted'], quoteId: expect.any(String) });
    const quotePath = `${path}/quotes/${drafted.quoteId}`;
    expect((await history(id)).at(-1)?.data).toMatchObject({
      version: 1,
      total: usd(3_800_000),
      margin: 0.2632,
      approval: { required: true, reasons: [{ offer: 'main', reason: 'below_floor_price' }] },
    });
    expect((await rep.post(`${quotePath}/send`)).body).toMatchObject({
      status: 422,
      code: 'deal.quote.approval_required',
    });

    const asked = await retrySafe(rep, 'post', `${quotePath}/approval-request`, {
      note: 'Volume deal',
    });
    expect(asked.events).toEqual(['QuoteApprovalRequested']);
    const byRep = await rep.post(`${quotePath}/approve`, {});
    expect(byRep.status).toBe(403);
    expect(byRep.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(byRep.body).toMatchObject({ code: 'deal.quote.approval_forbidden' });
    const approved = await retrySafe(manager, 'post', `${quotePath}/approve`, {
      note: 'OK for volume',
    });
    expect(approved.events).toEqual(['QuoteApproved']);

    const sent = await retrySafe(rep, 'post', `${quotePath}/send`, {});
    expect(sent.events).toEqual(['QuoteSent', 'DealAmountChanged']);
    expect(await deal(id)).toMatchObject({
      amount: usd(3_800_000),
      currentQuoteId: drafted.quoteId,
    });

    const cheaper = await rep.post(`${path}/quotes`, {
      ...quote,
      lines: undefined,
      options: undefined,
      totalMinor: 3_500_000,
    });
    expect(cheaper.status).toBe(201);
    const cheaperPath = `${path}/quotes/${cheaper.body.quoteId}`;
    await rep.post(`${cheaperPath}/approval-request`, {});
    const rejected = await retrySafe(manager, 'post', `${cheaperPath}/reject`, {
      reason: 'Too far below the floor',
    });
    expect(rejected.events).toEqual(['QuoteRejected']);
    expect((await rep.post(`${cheaperPath}/send`)).body).toMatchObject({
      code: 'deal.quote.rejected',
    });

    const negotiation = await retrySafe(rep, 'post', `${path}/stage`, { to: 'negotiation' });
    expect(negotiation.events).toEqual(['DealStageChanged']);

    const call = await retrySafe(
      rep,
      'post',
      `${path}/activities`,
      {
        kind: 'call',
        direction: 'outbound',
        summary: 'Agreed 30 % deposit',
        at: new Date().toISOString(),
        contactId,
      },
      201,
    );
    expect(call).toMatchObject({ events: ['DealActivityLogged'], activityId: expect.any(String) });

    const won = await retrySafe(rep, 'post', `${path}/won`, { orderReference: 'PO-2026-0117' });
    expect(won.events).toEqual(['DealWon']);
    expect((await history(id)).at(-1)?.data).toMatchObject({
      stage: 'negotiation',
      amount: usd(3_800_000),
    });

    const deposit = await retrySafe(
      rep,
      'post',
      `${path}/payments`,
      { amount: usd(1_140_000), receivedOn: day() },
      201,
    );
    expect(deposit).toMatchObject({
      events: ['DealPaymentRecorded'],
      paymentId: expect.any(String),
    });
    const inEuros = { amount: { minor: 920_000, currency: 'eur' }, receivedOn: day() };
    expect((await rep.post(`${path}/payments`, inEuros)).body).toMatchObject({
      status: 422,
      code: 'deal.payment.conversion_required',
      field: 'amountInDealCurrency',
    });
    const converted = await retrySafe(
      rep,
      'post',
      `${path}/payments`,
      { ...inEuros, amountInDealCurrency: usd(1_000_000) },
      201,
    );
    expect(converted.events).toEqual(['DealPaymentRecorded']);
    const balance = await retrySafe(
      rep,
      'post',
      `${path}/payments`,
      { amount: usd(1_660_000), receivedOn: day() },
      201,
    );
    expect(balance.events).toEqual(['DealPaymentRecorded', 'DealPaidInFull']);
    expect(await deal(id)).toMatchObject({
      status: 'won',
      paidInFull: true,
      totalPaid: usd(3_800_000),
    });

    // Handed over, the deal leaves u-rep-1's scope: the manager reads it from here on.
    const handedOver = await retrySafe(
      rep,
      'post',
      `${path}/owner`,
      { to: 'u-rep-2', reason: 'Rep moves to the Europe team' },
      200,
      manager,
    );
    expect(handedOver.events).toEqual(['DealOwnerTransferred']);
    expect(await rep.get(path)).toMatchObject({
      status: 403,
      body: { code: 'auth.record_forbidden' },
    });

    const entries = await history(id, manager);
    expect(entries.map((entry) => entry.type)).toEqual([
      'DealOpened',
      ...terms.events,
      'DealStageChanged',
      'DealMarginTargetsSet',
      'QuoteDrafted',
      'QuoteApprovalRequested',
      'QuoteApproved',
      'QuoteSent',
      'DealAmountChanged',
      'QuoteDrafted',
      'QuoteApprovalRequested',
      'QuoteRejected',
      'DealStageChanged',
      'DealActivityLogged',
      'DealWon',
      'DealPaymentRecorded',
      'DealPaymentRecorded',
      'DealPaymentRecorded',
      'DealPaidInFull',
      'DealOwnerTransferred',
    ]);
    expect(entries.at(-1)).toMatchObject({
      reason: 'Rep moves to the Europe team',
      data: { from: 'u-rep-1', to: 'u-rep-2', cause: { kind: 'person', id: 'u-rep-1' } },
    });
    expect(entries.find((entry) => entry.type === 'QuoteApproved')).toMatchObject({
      data: { approvedBy: 'u-mgr-1' },
    });
  });

  it('closes a deal as lost with a structured reason and reopens it in its last stage', async () => {
    const opened = await openDeal({ amount: usd(2_000_000), incoterm: 'CIF' });
    expect(opened.status).toBe(201);
    const path = `/api/deals/${opened.body.id}`;
    // Forward past proposal: only the target stage's requirements apply.
    expect((await rep.post(`${path}/stage`, { to: 'sample' })).body.events).toEqual([
      'DealStageChanged',
    ]);

    expect((await rep.post(`${path}/lost`, { reasonCode: 'price.too_high' })).body).toMatchObject({
      status: 422,
      code: 'deal.loss_reason.unknown',
      field: 'reasonCode',
    });
    const lost = await retrySafe(rep, 'post', `${path}/lost`, {
      reasonCode: 'price.competitor_cheaper',
      note: 'Competitor 12 % lower, FOB Ningbo',
    });
    expect(lost.events).toEqual(['DealLost']);
    expect((await history(opened.body.id)).at(-1)).toMatchObject({
      reason: 'Competitor 12 % lower, FOB Ningbo',
      data: { reason: 'price', subReason: 'competitor_cheaper', stage: 'sample' },
    });
    expect((await rep.post(`${path}/stage`, { to: 'negotiation' })).body).toMatchObject({
      status: 422,
      code: 'deal.closed',
    });

    const reopened = await retrySafe(rep, 'post', `${path}/reopen`, {
      reason: 'Competitor missed the ship date',
    });
    expect(reopened.events).toEqual(['DealReopened']);
    expect(await deal(opened.body.id)).toMatchObject({ status: 'open', stage: 'sample' });
    expect((await history(opened.body.id)).at(-1)?.data).toMatchObject({
      stage: 'sample',
      previousOutcome: 'lost',
    });
  });

  describe('answers bad input with 400 problem+json naming each field and a validation code', () => {
    const expectProblems = (response: HttpResult, expected: string[]) => {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('validation.failed');
      expect(fieldCodes(response)).toEqual(expect.arrayContaining(expected));
    };

    it('on opening a deal: ids, money, currency, country, Incoterm, dates, enums, unknown fields', async () => {
      const response = await rep.post('/api/deals', {
        accountId: 'acct-1',
        title: '',
        productLine: 'valves',
        currency: 'XYZ',
        country: 'XX',
        channel: 'fax',
        amount: { minor: 12.5, currency: 'US dollars' },
        incoterm: 'FOBB',
        paymentTerm: { method: 'cash', advancePercent: 130 },
        expectedCloseDate: '2026-02-30',
        expectedShipMonth: '2026-13',
        discount: 5,
      });
      expectProblems(response, [
        'accountId:validation.is_uuid',
        'title:validation.is_not_empty',
        'currency:validation.is_iso4217_currency_code',
        'country:validation.is_iso31661_alpha2',
        'channel:validation.is_in',
        'amount.minor:validation.is_int',
        'amount.currency:validation.is_iso4217_currency_code',
        'incoterm:validation.is_in',
        'paymentTerm.method:validation.is_in',
        'paymentTerm.advancePercent:validation.max',
        'expectedCloseDate:validation.is_iso8601',
        'expectedShipMonth:validation.matches',
        'discount:validation.whitelist_validation',
      ]);
    });

    it('on changing terms: null, zero and negative money, unknown risks, nothing to change', async () => {
      const path = `/api/deals/${UNKNOWN_ID}`;
      expectProblems(
        await rep.patch(path, {
          amount: null,
          deliveryRisks: ['pirates'],
          paymentTermRisk: 'extreme',
        }),
        [
          'amount:validation.is_object',
          'deliveryRisks:validation.is_in',
          'paymentTermRisk:validation.is_in',
          'paymentTerm:validation.is_defined',
        ],
      );
      expectProblems(await rep.patch(path, { amount: usd(0) }), ['amount.minor:validation.min']);
      expectProblems(await rep.patch(path, {}), ['body:validation.no_changes']);
      expectProblems(
        await rep.post(`${path}/margin-targets`, {
          floorPrice: usd(-1),
          targetMargin: { min: 1.5, max: '0.3' },
        }),
        [
          'floorPrice.minor:validation.min',
          'targetMargin.min:validation.max',
          'targetMargin.max:validation.is_number',
        ],
      );
    });

    it('on quotes: lines, tiers, quantities, validity date, quote id', async () => {
      const path = `/api/deals/${UNKNOWN_ID}/quotes`;
      expectProblems(
        await rep.post(path, {
          currency: 'USD',
          incoterm: 'FOB',
          paymentTerm: { method: 'T/T' },
          moq: 0,
          leadTimeDays: -1,
          validUntil: '2026-3-31',
          lines: [{ description: 'Ball valve', quantity: 1.5, unitPriceMinor: -1, colour: 'red' }],
          options: [{ tier: 'premium', description: 'Gold plated', totalMinor: 1 }],
        }),
        [
          'moq:validation.min',
          'leadTimeDays:validation.min',
          'validUntil:validation.matches',
          'lines.0.quantity:validation.is_int',
          'lines.0.unitPriceMinor:validation.min',
          'lines.0.colour:validation.whitelist_validation',
          'options.0.tier:validation.is_in',
        ],
      );
      expectProblems(await rep.post(`${path}/not-a-uuid/approve`, {}), [
        'quoteId:validation.is_uuid',
      ]);
      expectProblems(await rep.post(`${path}/${UNKNOWN_ID}/reject`, {}), [
        'reason:validation.is_string',
      ]);
    });

    it('on activities, closing and payments', async () => {
      const path = `/api/deals/${UNKNOWN_ID}`;
      expectProblems(
        await rep.post(`${path}/activities`, {
          kind: 'fax',
          direction: 'sideways',
          summary: '',
          at: '2026-03-01',
          contactId: 'someone',
        }),
        [
          'kind:validation.is_in',
          'direction:validation.is_in',
          'summary:validation.is_not_empty',
          'at:validation.matches',
          'contactId:validation.is_uuid',
        ],
      );
      expectProblems(await rep.post(`${path}/won`, {}), ['orderReference:validation.is_string']);
      expectProblems(await rep.post(`${path}/lost`, { reasonCode: 'Price' }), [
        'reasonCode:validation.matches',
      ]);
      expectProblems(await rep.post(`${path}/reopen`, { reason: 42 }), [
        'reason:validation.is_string',
      ]);
      expectProblems(
        await rep.post(`${path}/payments`, {
          amount: { minor: '100', currency: 'DOLLARS' },
          receivedOn: '15/04/2026',
          amountInDealCurrency: [usd(100)],
        }),
        [
          'amount.minor:validation.is_int',
          'amount.currency:validation.is_iso4217_currency_code',
          'receivedOn:validation.matches',
          'amountInDealCurrency:validation.is_object',
        ],
      );
      expectProblems(await rep.post(`${path}/stage`, { to: 'proposal', expectedRevision: 'x' }), [
        'expectedRevision:validation.is_int',
      ]);
      expectProblems(await rep.get('/api/deals/nope'), ['id:validation.is_uuid']);
    });
  });

  it('answers 404 for an unknown deal and 422 for an account or contact that does not exist', async () => {
    for (const response of [
      await rep.get(`/api/deals/${UNKNOWN_ID}`),
      await rep.get(`/api/deals/${UNKNOWN_ID}/history`),
      await rep.post(`/api/deals/${UNKNOWN_ID}/stage`, { to: 'proposal' }),
      await rep.post(`/api/deals/${UNKNOWN_ID}/won`, { orderReference: 'PO-1' }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'deal.not_found' });
    }
    expect((await openDeal({ accountId: UNKNOWN_ID })).body).toMatchObject({
      status: 422,
      code: 'deal.account_unknown',
      field: 'accountId',
    });
    expect((await openDeal({ contactId: UNKNOWN_ID })).body).toMatchObject({
      status: 422,
      code: 'deal.contact_unknown',
      field: 'contactId',
    });
  });

  it('takes any current ISO 4217 currency, in any case, and refuses gold', async () => {
    const guilders = await openDeal({
      currency: 'xcg',
      amount: { minor: 500_000, currency: 'xcg' },
    });
    expect(guilders.status).toBe(201);
    expect(await deal(guilders.body.id)).toMatchObject({
      currency: 'XCG',
      amount: { minor: 500_000, currency: 'XCG' },
    });
    const gold = await openDeal({ currency: 'XAU' });
    expect(gold.status).toBe(400);
    expect(fieldCodes(gold)).toEqual(['currency:validation.is_iso4217_currency_code']);
  });

  it('refuses a stale If-Match with 409 and the current revision, and writes nothing', async () => {
    const opened = await openDeal();
    const path = `/api/deals/${opened.body.id}`;
    const etag = (await rep.get(path)).headers.get('etag') as string;
    const changed = await rep.patch(path, { incoterm: 'EXW' }, { 'if-match': etag });
    expect(changed).toMatchObject({ status: 200, body: { revision: 1 } });
    expect(changed.headers.get('etag')).toBe('"1"');

    const stale = await rep.patch(path, { incoterm: 'DDP' }, { 'if-match': etag });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(stale.body).toMatchObject({ code: 'concurrency.conflict', currentRevision: 1 });
    expect(
      (await rep.post(`${path}/stage`, { to: 'sample', expectedRevision: 0 })).body,
    ).toMatchObject({
      status: 409,
      currentRevision: 1,
    });
    expect(await deal(opened.body.id)).toMatchObject({ incoterm: 'EXW', stage: 'initial_contact' });
    expect(await history(opened.body.id)).toHaveLength(2);
  });

  it('refuses an amount in another currency than the deal’s and changes nothing', async () => {
    const opened = await openDeal({ amount: usd(1_000_000) });
    const path = `/api/deals/${opened.body.id}`;
    const response = await rep.patch(path, {
      amount: { minor: 900_000, currency: 'EUR' },
      incoterm: 'FOB',
    });
    expect(response.body).toMatchObject({
      status: 422,
      code: 'deal.currency_mismatch',
      field: 'amount',
    });
    expect(await history(opened.body.id)).toHaveLength(1);
  });
});
