import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { AttachmentStore } from '../../src/intake/attachment-store';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { bearerFor, TestActor } from './test-identities';

const FIXTURES = join(__dirname, '..', 'fixtures', 'intake');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const GATEWAY: TestActor = { id: 'mail-gateway', role: 'intake' };
const REP: TestActor = { id: 'u-mail-rep', role: 'rep' };
const REP_ADDRESS = 'u-mail-rep@tradeflow.test';
const MINUTE = 60_000;

/** A plain-text .eml as a mail server would hand it over. */
function eml(mail: {
  from: string;
  to: string;
  subject: string;
  date: Date;
  messageId?: string;
  text?: string;
}): string {
  return [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject}`,
    `Date: ${mail.date.toUTCString()}`,
    ...(mail.messageId ? [`Message-ID: <${mail.messageId}>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    mail.text ?? 'Best regards',
    '',
  ].join('\r\n');
}

async function postMail(
  baseUrl: string,
  who: TestActor | { token: string },
  body: Buffer | string,
): Promise<HttpResult> {
  const token = 'token' in who ? who.token : await bearerFor(baseUrl, who);
  const response = await fetch(`${baseUrl}/api/inquiries/email`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && JSON.parse(text) };
}

describe('email intake through HTTP', () => {
  let running: RunningApp;
  let mail: (body: Buffer | string, who?: TestActor | { token: string }) => Promise<HttpResult>;
  const manager = () => httpClient(running.baseUrl, { id: 'u-mail-mgr', role: 'manager' });
  const eventCount = async () => (await running.app.get<EventStore>(EVENT_STORE).readAll()).length;
  const expectProblem = (response: HttpResult, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code });
  };

  beforeAll(async () => {
    // These tests count every event written; automation acting on the same records would add its own.
    running = await startApp(undefined, { env: { RUN_SAGAS: 'false' } });
    mail = (body, who = GATEWAY) => postMail(running.baseUrl, who, body);
    // Signing in registers the rep, so their address is one of ours.
    await bearerFor(running.baseUrl, REP);
  });
  afterAll(() => running.stop());

  it('turns mail from a new sender into an inquiry with its attachments kept encrypted', async () => {
    const filed = await mail(fixture('inquiry.eml'));
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({
      filedAs: 'inquiry',
      direction: 'inbound',
      aggregate: 'lead',
      events: ['InquiryReceived'],
      replayed: false,
    });
    const [received] = (await manager().get(`/api/leads/${filed.body.id}/history`)).body;
    const pdf = Buffer.from(
      'JVBERi0xLjQKJcTl8uXrp/Og0MTGCjEgMCBvYmoKPDwgL1R5cGUgL0NhdGFsb2cgPj4KZW5kb2JqCnRyYWlsZXIKPDwgL1Jvb3QgMSAwIFIgPj4KJSVFT0YK',
      'base64',
    );
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(received).toMatchObject({
      // Dated when the buyer sent it, months ago: filed as history, with no SLA clock.
      occurredAt: '2026-03-02T08:15:00.000Z',
      actor: { userId: 'intake:mail-gateway', role: 'intake' },
      data: {
        channel: 'email',
        sourceRef: '<rfq-2026-0302@nordic-pumps.se>',
        live: false,
        inquirer: {
          name: 'Lars Nilsson',
          email: 'lars@nordic-pumps.se',
          message: 'Hello,\nplease quote 300 pumps per the attached drawing.\nLars',
        },
        attachments: [
          { filename: 'drawing-P300.pdf', mime: 'application/pdf', size: pdf.length, sha256 },
        ],
      },
    });
    const folder = join(running.dataDir, 'attachments', sha256);
    const [stored] = readdirSync(folder);
    expect(readFileSync(join(folder, stored)).includes(Buffer.from('%PDF'))).toBe(false);
    const store = running.app.get(AttachmentStore);
    expect(await store.get(`lead:${filed.body.id}`, sha256)).toEqual(pdf);

    const before = await eventCount();
    const again = await mail(fixture('inquiry.eml'));
    expect(again.body).toMatchObject({ id: filed.body.id, replayed: true, events: [] });
    expect(await eventCount()).toBe(before);
  });

  it("archives a rep's reply as the lead's first response, timed by the mail itself", async () => {
    const sent = new Date(Date.now() - 10 * MINUTE);
    const inquiry = await mail(
      eml({
        from: 'Olga Petrova <olga@baltic-valves.lv>',
        to: 'sales@tradeflow.test',
        subject: 'DN80 gate valves',
        date: sent,
        messageId: 'q-1@baltic-valves.lv',
      }),
    );
    expect(inquiry.body).toMatchObject({ filedAs: 'inquiry', replayed: false });
    const leadId = inquiry.body.id;

    const replied = new Date(Date.now() - 5 * MINUTE);
    const reply = eml({
      from: `Mail Rep <${REP_ADDRESS}>`,
      to: 'olga@baltic-valves.lv',
      subject: 'Re: DN80 gate valves',
      date: replied,
      messageId: 'r-1@tradeflow.test',
    });
    // A rep may file mail only on records they hold; this lead is nobody's yet.
    expectProblem(await mail(reply, REP), 403, 'auth.record_forbidden');

    const archived = await mail(reply);
    expect(archived.body).toMatchObject({
      filedAs: 'lead_response',
      direction: 'outbound',
      aggregate: 'lead',
      id: leadId,
      events: ['LeadResponseRecorded', 'FirstResponseRecorded'],
    });
    const history = (await manager().get(`/api/leads/${leadId}/history`)).body;
    expect(history[0]).toMatchObject({
      occurredAt: new Date(Math.floor(sent.getTime() / 1000) * 1000).toISOString(),
      data: { live: true },
    });
    expect(history[2].data).toMatchObject({
      at: new Date(Math.floor(replied.getTime() / 1000) * 1000).toISOString(),
      channel: 'email',
      secondsSinceInquiry: 300,
    });
    expect((await mail(reply)).body).toMatchObject({ replayed: true, id: leadId });
  });

  describe('with a converted lead', () => {
    const buyer = 'chen@pacific-pipes.sg';
    let accountId: string;
    let dealId: string;
    let contactId: string;

    beforeAll(async () => {
      const lead = await mail(
        eml({
          from: `Chen Wei <${buyer}>`,
          to: 'sales@tradeflow.test',
          subject: 'Pipes',
          date: new Date(Date.now() - 30 * MINUTE),
          messageId: 'p-1@pacific-pipes.sg',
        }),
      );
      await manager().post(`/api/leads/${lead.body.id}/owner`, {
        to: REP.id,
        reason: 'APAC',
      });
      const converted = await manager().post(`/api/leads/${lead.body.id}/convert`, {
        newAccount: {
          name: 'Pacific Pipes Pte Ltd',
          country: 'SG',
          website: 'pacific-pipes.sg',
          mainProducts: ['pipes'],
          customerType: 'distributor',
          grade: 'B',
          timeZone: 'Asia/Singapore',
        },
        deal: { title: 'Steel pipes 40 t', productLine: 'pipes', currency: 'USD' },
      });
      expect(converted.status).toBe(201);
      ({ accountId, dealId, contactId } = converted.body);
    });

    it('files mail from and to a contact as activities on their open deal', async () => {
      const inbound = await mail(
        eml({
          from: `Chen Wei <${buyer}>`,
          to: REP_ADDRESS,
          subject: 'Revised quantities',
          date: new Date(Date.now() - 2 * MINUTE),
          messageId: 'p-2@pacific-pipes.sg',
        }),
      );
      expect(inbound.body).toMatchObject({
        filedAs: 'deal_activity',
        direction: 'inbound',
        aggregate: 'deal',
        id: dealId,
        events: ['DealActivityLogged'],
      });
      // The rep owns this deal, so they may file their own sent mail on it.
      const outbound = await mail(
        eml({
          from: REP_ADDRESS,
          to: `Chen Wei <${buyer}>`,
          subject: 'Re: Revised quantities',
          date: new Date(Date.now() - MINUTE),
          messageId: 'p-3@tradeflow.test',
        }),
        REP,
      );
      expect(outbound.body).toMatchObject({ direction: 'outbound', id: dealId });
      const activities = (await manager().get(`/api/deals/${dealId}/history`)).body.filter(
        (entry: { type: string }) => entry.type === 'DealActivityLogged',
      );
      expect(activities.map((entry: { data: unknown }) => entry.data)).toEqual([
        expect.objectContaining({
          kind: 'email',
          direction: 'inbound',
          summary: 'Revised quantities',
          contactId,
        }),
        expect.objectContaining({ direction: 'outbound', summary: 'Re: Revised quantities' }),
      ]);
    });

    it('refuses to guess between two open deals, or to file without one', async () => {
      const second = await manager().post('/api/deals', {
        accountId,
        title: 'Fittings',
        productLine: 'fittings',
        currency: 'USD',
        ownerId: REP.id,
      });
      expect(second.status).toBe(201);
      const before = await eventCount();
      const note = (id: string) =>
        eml({
          from: buyer,
          to: REP_ADDRESS,
          subject: 'Which one?',
          date: new Date(Date.now() - MINUTE),
          messageId: id,
        });
      const ambiguous = await mail(note('p-4@pacific-pipes.sg'));
      expectProblem(ambiguous, 422, 'email.deal_ambiguous');
      expect(ambiguous.body).toMatchObject({
        field: 'From',
        accountIds: [accountId],
        openDeals: 2,
      });
      for (const id of [dealId, second.body.id]) {
        await manager().post(`/api/deals/${id}/lost`, { reasonCode: 'price.competitor_cheaper' });
      }
      const closed = await eventCount();
      expectProblem(await mail(note('p-5@pacific-pipes.sg')), 422, 'email.no_open_deal');
      expect(await eventCount()).toBe(closed);
      expect(closed).toBe(before + 2);
    });
  });

  it('refuses a reply to an address nobody here knows', async () => {
    const reply = eml({
      from: REP_ADDRESS,
      to: 'stranger@unknown.example',
      subject: 'Hello',
      date: new Date(),
      messageId: 'x-1@tradeflow.test',
    });
    expectProblem(await mail(reply), 422, 'email.recipient_unknown');
  });

  it('files mail without a Message-ID once, by its content', async () => {
    const note = eml({
      from: 'noid@sahara-trading.ma',
      to: 'sales@tradeflow.test',
      subject: 'No id',
      date: new Date(),
    });
    const first = await mail(note);
    expect(first.body).toMatchObject({ filedAs: 'inquiry', replayed: false });
    const [received] = (await manager().get(`/api/leads/${first.body.id}/history`)).body;
    expect(received.data.live).toBe(true);
    expect((await mail(note)).body).toMatchObject({ id: first.body.id, replayed: true });
  });

  it('refuses a broken .eml and writes nothing', async () => {
    const before = await eventCount();
    const noSender = await mail(fixture('broken.eml'));
    expectProblem(noSender, 400, 'email.unreadable');
    expect(noSender.body.field).toBe('From');
    expectProblem(await mail(Buffer.from([0xff, 0x00, 0x13, 0x88, 0x99])), 400, 'email.unreadable');
    expectProblem(await mail(''), 400, 'email.unreadable');
    const badAddress = await mail('From: not an address\r\nSubject: x\r\n\r\nbody\r\n');
    expectProblem(badAddress, 400, 'email.unreadable');
    expect(await eventCount()).toBe(before);
  });

  it('refuses a wrong or revoked intake key', async () => {
    const before = await eventCount();
    expectProblem(
      await mail(fixture('inquiry.eml'), { token: 'tfi_wrong.wrong' }),
      401,
      'auth.unauthenticated',
    );
    const admin = httpClient(running.baseUrl, { id: 'u-mail-admin', role: 'admin' });
    const issued = (
      await admin.post('/api/tokens', {
        kind: 'intake',
        source: 'old-gateway',
        label: 'retired',
        expiresInDays: 1,
      })
    ).body;
    await admin.post(`/api/tokens/${issued.tokenId}/revoke`, { reason: 'gateway retired' });
    const afterAdmin = await eventCount();
    const revoked = await mail(
      eml({
        from: 'late@late.example',
        to: 'sales@tradeflow.test',
        subject: 'Late',
        date: new Date(),
        messageId: 'late-1@late.example',
      }),
      { token: issued.token },
    );
    expectProblem(revoked, 401, 'auth.unauthenticated');
    expect(revoked.body.detail).toMatch(/revoked/);
    expect(await eventCount()).toBe(afterAdmin);
    expect(afterAdmin).toBeGreaterThan(before);
  });
});
