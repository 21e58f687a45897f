import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AddressBook } from '../../src/intake/address-book';
import { AttachmentStore } from '../../src/intake/attachment-store';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';
import { bearerFor, TestActor } from './test-identities';

/** One person, with values no other test data contains, so finding any of them anywhere is a leak. */
const PERSON = {
  name: 'Zebulon Qwyxthorpe',
  email: 'zebulon.qwyxthorpe@nordlicht-armaturen.example',
  phone: '+4915111223344',
  title: 'Einkaufsleiter Vrexholmsted',
  message: 'Bitte Angebot für 400 Kugelhähne DN65 laut Zeichnung. Gruß, Zebulon Qwyxthorpe',
  attachment: 'qwyxthorpe-zeichnung-7731.pdf',
  response: 'Rückruf bei Herrn Qwyxthorpe zu DN65 vereinbart',
  activity: 'Besuch bei Zebulon Qwyxthorpe: Muster freigegeben',
};
const ATTACHMENT = Buffer.from('%PDF-1.4\nDrawing 7731 signed by Zebulon Qwyxthorpe\n%%EOF\n');
/**
 * Every value as written, plus what full-text indexes keep of them: lower-cased words and digit
 * runs. FTS5 stores a term after the one before it minus their shared prefix, so each long word
 * is also looked for without its first two letters.
 */
const NEEDLES = [
  ...Object.values(PERSON),
  'Qwyxthorpe',
  'qwyxthorpe',
  'yxthorpe',
  'vrexholmsted',
  'exholmsted',
  '4915111223344',
  '15111223344',
  'Drawing 7731 signed',
];
const OTHER_PERSON = 'Ingrid Lysander-Moe';

const GATEWAY: TestActor = { id: 'erasure-mail', role: 'intake' };
const REP: TestActor = { id: 'u-erasure-rep', role: 'rep' };
const MANAGER: TestActor = { id: 'u-erasure-mgr', role: 'manager' };
const ADMIN: TestActor = { id: 'u-erasure-admin', role: 'admin' };

/** Mails a message in through the email gateway, as the mail relay would; expects it filed. */
async function mailIn(baseUrl: string, body: string): Promise<{ id: string; filedAs: string }> {
  const token = await bearerFor(baseUrl, GATEWAY);
  const mailed = await fetch(`${baseUrl}/api/inquiries/email`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` },
    body,
  });
  const filed = (await mailed.json()) as { id: string; filedAs: string; code?: string };
  expect({ status: mailed.status, code: filed.code }).toEqual({ status: 200, code: undefined });
  return filed;
}

function inquiryMail(): string {
  return [
    `From: "${PERSON.name}" <${PERSON.email}>`,
    'To: sales@tradeflow.test',
    'Subject: RFQ DN65 ball valves',
    `Date: ${new Date(Date.now() - 3_600_000).toUTCString()}`,
    'Message-ID: <rfq-dn65-7731@nordlicht-armaturen.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    PERSON.message,
    '--b1',
    `Content-Type: application/pdf; name="${PERSON.attachment}"`,
    `Content-Disposition: attachment; filename="${PERSON.attachment}"`,
    'Content-Transfer-Encoding: base64',
    '',
    ATTACHMENT.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
}

/** A plain mail from someone outside, as the mail gateway hands it over. */
const plainMail = (from: string, messageId: string, subject: string): string =>
  [
    `From: ${from}`,
    'To: sales@tradeflow.test',
    `Subject: ${subject}`,
    `Date: ${new Date(Date.now() - 60_000).toUTCString()}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Best regards',
    '',
  ].join('\r\n');

/** Files under the data folder holding any needle, in UTF-8 or UTF-16. */
function leaksInFiles(dataDir: string): string[] {
  const leaks: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      for (const needle of NEEDLES) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          if (bytes.includes(Buffer.from(needle, encoding))) {
            leaks.push(`${relative(dataDir, path)}: ${needle} (${encoding})`);
          }
        }
      }
    }
  };
  walk(dataDir);
  return leaks;
}

const leaksIn = (responses: Record<string, HttpResult>): string[] =>
  Object.entries(responses).flatMap(([path, response]) => {
    // A search answer repeats the words asked for: only its results count.
    const shown = path.startsWith('/api/search') ? response.body?.results : response.body;
    const text = typeof shown === 'string' ? shown : JSON.stringify(shown);
    return NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${path}: ${needle}`);
  });

const REPORTS = [
  '/api/reports/stage-conversion?from=2020-01-01&to=2100-01-01',
  '/api/reports/forecast',
  '/api/reports/channels?from=2020-01-01&to=2100-01-01',
  '/api/reports/reps?from=2020-01-01&to=2100-01-01',
  '/api/reports/pipeline',
  '/api/reports/deal-facts',
  '/api/reports/lead-queue',
  '/api/reports/tasks',
];

/** Fields that move with the wall clock (the lead queue's waiting times, a forecast's asOf). */
const CLOCK_FIELDS = new Set(['asOf', 'secondsToDue', 'waitingSeconds']);
const withoutClock = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutClock)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => !CLOCK_FIELDS.has(key))
            .map(([key, field]) => [key, withoutClock(field)]),
        )
      : value;

describe('erasure of a data subject', () => {
  let running: RunningApp;
  const as = (actor: TestActor) => httpClient(running.baseUrl, actor);
  const ids = { leadId: '', accountId: '', contactId: '', dealId: '', otherLeadId: '' };

  beforeAll(async () => {
    running = await startApp();
    await Promise.all([REP, MANAGER, ADMIN].map((actor) => bearerFor(running.baseUrl, actor)));
  });
  afterAll(() => running.stop());

  async function seed(): Promise<void> {
    const filed = await mailIn(running.baseUrl, inquiryMail());
    expect(filed).toMatchObject({ filedAs: 'inquiry' });
    ids.leadId = filed.id;

    const manager = as(MANAGER);
    const rep = as(REP);
    const assigned = await manager.post(`/api/leads/${ids.leadId}/owner`, {
      to: REP.id,
      reason: 'DACH territory',
    });
    expect(assigned.status).toBe(200);
    const responded = await rep.post(`/api/leads/${ids.leadId}/responses`, {
      direction: 'outbound',
      channel: 'phone',
      at: new Date().toISOString(),
      summary: PERSON.response,
    });
    expect(responded.status).toBe(200);
    const converted = await rep.post(`/api/leads/${ids.leadId}/convert`, {
      newAccount: {
        name: 'Nordlicht Armaturen GmbH',
        country: 'DE',
        website: 'nordlicht-armaturen.example',
        mainProducts: ['ball valves'],
        customerType: 'distributor',
        grade: 'B',
        timeZone: 'Europe/Berlin',
      },
      newContact: { title: PERSON.title },
      deal: { title: 'DN65 ball valves 400 pcs', productLine: 'valves', currency: 'EUR' },
    });
    expect(converted.status).toBe(201);
    Object.assign(ids, {
      accountId: converted.body.accountId,
      contactId: converted.body.contactId,
      dealId: converted.body.dealId,
    });
    const phoned = await rep.patch(`/api/accounts/${ids.accountId}/contacts/${ids.contactId}`, {
      phone: PERSON.phone,
    });
    expect(phoned.status).toBe(200);
    const visited = await rep.post(`/api/deals/${ids.dealId}/activities`, {
      kind: 'visit',
      direction: 'outbound',
      summary: PERSON.activity,
      at: new Date().toISOString(),
      contactId: ids.contactId,
    });
    expect(visited.status).toBe(201);

    const other = await rep.post('/api/inquiries', {
      channel: 'alibaba',
      inquirer: {
        name: OTHER_PERSON,
        email: 'ingrid@fjord-valves.example',
        company: 'Fjord Valves AS',
        country: 'NO',
        message: 'Need 50 gate valves',
      },
    });
    expect(other.status).toBe(201);
    ids.otherLeadId = other.body.id;
    await readModelsCaughtUp(running.baseUrl);
  }

  /** Every response that could show the person: records, history, as-of, 360, search, reports, exports. */
  async function everyResponse(): Promise<Record<string, HttpResult>> {
    const manager = as(MANAGER);
    const asOf = encodeURIComponent(new Date().toISOString());
    const reads: Array<[TestActor, string, Record<string, string>?]> = [
      [MANAGER, `/api/leads/${ids.leadId}`],
      [MANAGER, `/api/leads/${ids.leadId}?asOf=${asOf}`],
      [MANAGER, `/api/leads/${ids.leadId}/history`],
      [MANAGER, `/api/accounts/${ids.accountId}`],
      [MANAGER, `/api/accounts/${ids.accountId}?asOf=${asOf}`],
      [MANAGER, `/api/accounts/${ids.accountId}/history`],
      [MANAGER, `/api/accounts/${ids.accountId}/360`],
      [MANAGER, `/api/deals/${ids.dealId}`],
      [MANAGER, `/api/deals/${ids.dealId}/history`],
      ...[
        'Qwyxthorpe',
        'zebulon',
        PERSON.email,
        '015111223344',
        'Vrexholmsted',
        'Kugelhähne',
        'Muster',
      ].map((q): [TestActor, string] => [MANAGER, `/api/search?q=${encodeURIComponent(q)}`]),
      [MANAGER, `/api/audit/ownership/lead/${ids.leadId}`],
      [ADMIN, '/api/admin/erasures'],
      ...REPORTS.flatMap((path): Array<[TestActor, string, Record<string, string>?]> => [
        [MANAGER, path],
        [MANAGER, path, { accept: 'text/csv' }],
      ]),
      [MANAGER, '/api/reports/data-quality', { accept: 'text/csv' }],
    ];
    const responses: Record<string, HttpResult> = {};
    for (const [actor, path, headers] of reads) {
      const key = `${path}${headers?.accept ? ' (csv)' : ''}`;
      responses[key] = await (actor === MANAGER ? manager : as(actor)).get(path, headers);
    }
    return responses;
  }

  /** The data-quality counts, by `recordType.measure.field`. */
  async function dataQualityCounts(): Promise<Record<string, number>> {
    const { status, body } = await as(MANAGER).get('/api/reports/data-quality');
    expect(status).toBe(200);
    return Object.fromEntries(
      (body.rows as Array<Record<string, unknown>>).map((row) => [
        [row.recordType, row.measure, row.field].filter(Boolean).join('.'),
        row.count as number,
      ]),
    );
  }

  /** Report totals: non-personal facts, which erasure must not change. */
  async function reportTotals(): Promise<Record<string, unknown>> {
    const totals: Record<string, unknown> = {};
    for (const path of REPORTS) {
      const { status, body } = await as(MANAGER).get(path);
      expect({ path, status, code: body?.code }).toEqual({ path, status: 200, code: undefined });
      totals[path] = withoutClock(body);
    }
    return totals;
  }

  it('leaves no plain value of the person in files, responses or exports, and keeps report totals', async () => {
    await seed();

    // The values are really there first, so the checks below can fail.
    const before = await everyResponse();
    const seen = new Set(leaksIn(before).map((leak) => leak.split(': ').pop()));
    for (const value of [PERSON.name, PERSON.email, PERSON.phone, PERSON.title, PERSON.message]) {
      expect(seen).toContain(value);
    }
    expect(before[`/api/accounts/${ids.accountId}/360`].body.contacts[0]).toMatchObject({
      name: PERSON.name,
      phone: PERSON.phone,
    });
    expect(leaksInFiles(running.dataDir).some((leak) => leak.includes('read'))).toBe(true);
    const sha256 = createHash('sha256').update(ATTACHMENT).digest('hex');
    const attachments = running.app.get(AttachmentStore);
    expect(await attachments.get(`lead:${ids.leadId}`, sha256)).toEqual(ATTACHMENT);
    const totals = await reportTotals();
    const quality = await dataQualityCounts();

    const admin = as(ADMIN);
    const request = { subject: { leadId: ids.leadId }, requestRef: 'DPO-2026-0042' };
    const erased = await admin.post('/api/admin/erasures', request);
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({
      erasureId: ids.leadId,
      subject: { kind: 'lead', leadId: ids.leadId },
      requestRef: 'DPO-2026-0042',
      erasedBy: ADMIN.id,
      subjectIds: [`contact:${ids.contactId}`, `lead:${ids.leadId}`],
      complete: true,
      replayed: false,
      attachmentsDeleted: 1,
      readModels: 'erased',
    });
    // Inquiry, response, conversion (the new contact), contact added, phone, activity.
    expect(erased.body.sealedEvents).toBeGreaterThanOrEqual(6);

    // Repeating the request answers the same erasure; another reference for the same person does not.
    const again = await admin.post('/api/admin/erasures', request);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, position: erased.body.position });
    const otherRef = await admin.post('/api/admin/erasures', {
      ...request,
      requestRef: 'DPO-2026-0099',
    });
    expect(otherRef.status).toBe(409);
    expect(otherRef.body).toMatchObject({
      code: 'erasure.already_erased',
      field: 'requestRef',
      detail: expect.stringContaining('DPO-2026-0042'),
    });
    // The contact the lead became is the same person: the same erasure answers, none is added.
    const contact = { accountId: ids.accountId, contactId: ids.contactId };
    const asContact = await admin.post('/api/admin/erasures', { ...request, subject: contact });
    expect(asContact.status).toBe(200);
    expect(asContact.body).toMatchObject({
      erasureId: ids.leadId,
      subject: { kind: 'lead', leadId: ids.leadId },
      requestRef: 'DPO-2026-0042',
      replayed: true,
      position: erased.body.position,
    });
    const asContactOtherRef = await admin.post('/api/admin/erasures', {
      subject: contact,
      requestRef: 'DPO-2026-0099',
    });
    expect(asContactOtherRef.status).toBe(409);
    expect(asContactOtherRef.body).toMatchObject({
      code: 'erasure.already_erased',
      detail: expect.stringContaining('DPO-2026-0042'),
    });

    await readModelsCaughtUp(running.baseUrl);
    expect(leaksInFiles(running.dataDir)).toEqual([]);
    const after = await everyResponse();
    expect(leaksIn(after)).toEqual([]);
    for (const [path, response] of Object.entries(after)) {
      if (response.status >= 400)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    expect(await attachments.get(`lead:${ids.leadId}`, sha256)).toBeUndefined();

    // The person reads as "[erased]" where they were; the records and the other person remain.
    expect(after[`/api/leads/${ids.leadId}`].body.state.inquirer).toMatchObject({
      name: '[erased]',
      email: '[erased]',
      message: '[erased]',
    });
    const account360 = after[`/api/accounts/${ids.accountId}/360`].body;
    expect(account360.contacts[0]).toMatchObject({
      contactId: ids.contactId,
      name: '[erased]',
      email: '[erased]',
      phone: '[erased]',
      title: '[erased]',
      role: 'purchasing',
    });
    expect(account360.account.name).toBe('Nordlicht Armaturen GmbH');
    expect((await as(MANAGER).get(`/api/leads/${ids.otherLeadId}`)).body.state.inquirer.name).toBe(
      OTHER_PERSON,
    );
    const found = await as(MANAGER).get(`/api/search?q=${encodeURIComponent('Lysander')}`);
    expect(JSON.stringify(found.body)).toContain(OTHER_PERSON);
    expect(await reportTotals()).toEqual(totals);
    // Data quality counts people, not facts: the erased contact is unreachable and has no name
    // any more, exactly as a rebuild below counts them. Nothing else moves.
    const qualityAfter = await dataQualityCounts();
    expect(qualityAfter).toEqual({
      ...quality,
      'contact.invalid_contact.erased': quality['contact.invalid_contact.erased'] + 1,
      'contact.unreachable': quality['contact.unreachable'] + 1,
      'contact.missing.name': quality['contact.missing.name'] + 1,
    });
    const runner = running.app.get(ProjectionRunner);
    const liveChecksums = await runner.checksums();

    const listed = await admin.get('/api/admin/erasures');
    expect(listed.body.erasures).toEqual([
      expect.objectContaining({
        erasureId: ids.leadId,
        requestRef: 'DPO-2026-0042',
        erasedBy: ADMIN.id,
        complete: true,
      }),
    ]);

    // Rebuilt read models read the destroyed keys as "[erased]": the same as the erased live ones.
    const { body: status } = await admin.get('/api/admin/projections');
    for (const { name } of status.projections as Array<{ name: string }>) {
      expect((await admin.post(`/api/admin/projections/${name}/rebuild`)).status).toBe(202);
    }
    await waitForRebuilds(running.baseUrl, status.projections.length);
    const rebuilt = await everyResponse();
    expect(leaksIn(rebuilt)).toEqual([]);
    expect(rebuilt[`/api/accounts/${ids.accountId}/360`].body).toEqual(account360);
    for (const q of ['Qwyxthorpe', 'Muster']) {
      const path = `/api/search?q=${q}`;
      expect(rebuilt[path].body).toEqual(after[path].body);
    }
    expect(await reportTotals()).toEqual(totals);
    expect(await dataQualityCounts()).toEqual(qualityAfter);
    const rebuiltChecksums = await runner.checksums();
    expect(rebuiltChecksums['data-quality']).toBe(liveChecksums['data-quality']);
    expect(rebuiltChecksums).toEqual(liveChecksums);
    expect(leaksInFiles(running.dataDir)).toEqual([]);
  }, 120_000);

  it('answers bad input with 400 naming the field, and an unknown person with 404', async () => {
    const admin = as(ADMIN);
    const cases: Array<[unknown, string, string]> = [
      [{ requestRef: 'DPO-1' }, 'subject', 'validation.is_defined'],
      [
        { subject: { leadId: 'nope' }, requestRef: 'DPO-1' },
        'subject.leadId',
        'validation.is_uuid',
      ],
      [{ subject: { leadId: ids.leadId } }, 'requestRef', 'validation.is_string'],
      [
        { subject: { leadId: ids.leadId }, requestRef: '   ' },
        'requestRef',
        'validation.is_not_blank',
      ],
      [
        { subject: { contactId: ids.contactId }, requestRef: 'DPO-1' },
        'subject',
        'validation.erasure_subject',
      ],
      [
        {
          subject: { leadId: ids.leadId, contactId: ids.contactId, accountId: ids.accountId },
          requestRef: 'DPO-1',
        },
        'subject',
        'validation.erasure_subject',
      ],
    ];
    for (const [body, field, code] of cases) {
      const response = await admin.post('/api/admin/erasures', body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
    }
    const unknown = '01970000-0000-7000-8000-000000000000';
    const missingLead = await admin.post('/api/admin/erasures', {
      subject: { leadId: unknown },
      requestRef: 'DPO-1',
    });
    expect(missingLead.status).toBe(404);
    expect(missingLead.body).toMatchObject({
      code: 'erasure.lead_not_found',
      field: 'subject.leadId',
    });
    const missingContact = await admin.post('/api/admin/erasures', {
      subject: { accountId: ids.accountId, contactId: unknown },
      requestRef: 'DPO-1',
    });
    expect(missingContact.status).toBe(404);
    expect(missingContact.body).toMatchObject({
      code: 'erasure.contact_not_found',
      field: 'subject.contactId',
    });
    expect(
      (
        await as(MANAGER).post('/api/admin/erasures', {
          subject: { leadId: unknown },
          requestRef: 'x',
        })
      ).status,
    ).toBe(403);
  });
});

/**
 * The mail intake's address book and the dedup review queue are folds of the log held in memory.
 * Erasure makes them forget the person before it answers: what they show then is what they would
 * show after a restart.
 */
describe('erasure of a data subject: in-memory copies', () => {
  let running: RunningApp;
  const as = (actor: TestActor) => httpClient(running.baseUrl, actor);
  // Oddvar inquires from the switchboard number of an account whose contact is Kari.
  const ODDVAR = {
    name: 'Oddvar Strandqvist',
    email: 'oddvar.strandqvist@fjellheim-marine.example',
    company: 'Fjellheim Marine AS',
  };
  const KARI = { name: 'Kari Nordmann-Sentral', email: 'kari.sentral@vesterhavet.example' };
  const SWITCHBOARD = '+4722334455';

  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.stop());

  const reviewsOf = async (leadId: string) => {
    const listed = await as(MANAGER).get('/api/dedup/reviews?status=open');
    expect(listed.status).toBe(200);
    return (listed.body.items as Array<{ leadId: string; evidence: object }>).filter(
      (item) => item.leadId === leadId,
    );
  };
  const inquire = async (inquirer: Record<string, string>): Promise<string> => {
    // Received before the mails below are dated, so they can answer it.
    const occurredAt = new Date(Date.now() - 600_000).toISOString();
    const created = await as(GATEWAY).post('/api/inquiries', {
      channel: 'website_form',
      inquirer,
      occurredAt,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  it('forgets the email and phone in the address book and the review queue, without a restart', async () => {
    const rep = as(REP);
    const account = await rep.post('/api/accounts', {
      name: 'Vesterhavet Pumper AS',
      country: 'NO',
      website: 'vesterhavet.example',
      mainProducts: ['pumps'],
      customerType: 'distributor',
      sourceChannel: 'trade_show',
      grade: 'B',
    });
    expect(account.status).toBe(201);
    const accountId = account.body.id as string;
    const contact = await rep.post(`/api/accounts/${accountId}/contacts`, {
      ...KARI,
      role: 'purchasing',
      phone: SWITCHBOARD,
    });
    expect(contact.status).toBe(201);
    const contactId = contact.body.contactId as string;
    const deal = await as(MANAGER).post('/api/deals', {
      accountId,
      title: 'Bilge pumps',
      productLine: 'pumps',
      currency: 'EUR',
      ownerId: REP.id,
    });
    expect(deal.status).toBe(201);

    // Oddvar's inquiry shares the switchboard's number: queued for review under his phone.
    const oddvarLead = await inquire({ ...ODDVAR, phone: SWITCHBOARD, country: 'NO' });
    const [queued] = await reviewsOf(oddvarLead);
    expect(queued).toMatchObject({ accountId, kind: 'phone', evidence: { phone: SWITCHBOARD } });
    // The address book knows both: Oddvar's mail answers his lead, Kari's is filed on her deal.
    const oddvarMail = (n: number) =>
      plainMail(`"${ODDVAR.name}" <${ODDVAR.email}>`, `oddvar-${n}@fjellheim.example`, 'DN50?');
    const kariMail = (n: number) =>
      plainMail(`"${KARI.name}" <${KARI.email}>`, `kari-${n}@vesterhavet.example`, 'Order');
    expect(await mailIn(running.baseUrl, oddvarMail(1))).toMatchObject({
      filedAs: 'lead_response',
      id: oddvarLead,
    });
    expect(await mailIn(running.baseUrl, kariMail(1))).toMatchObject({
      filedAs: 'deal_activity',
      id: deal.body.id,
    });

    const book = running.app.get(AddressBook);
    expect(book.openLeadsOf(ODDVAR.email)).toEqual([oddvarLead]);
    expect(book.contactsOf(KARI.email)).toEqual([expect.objectContaining({ contactId })]);

    const admin = as(ADMIN);
    const erasedLead = await admin.post('/api/admin/erasures', {
      subject: { leadId: oddvarLead },
      requestRef: 'DPO-2026-0101',
    });
    expect(erasedLead.status).toBe(201);
    // Forgotten when the erasure answered, before anything asked the address book to catch up.
    expect(book.openLeadsOf(ODDVAR.email)).toEqual([]);
    const [reviewed] = await reviewsOf(oddvarLead);
    expect(reviewed).toEqual({ ...queued, evidence: { ...queued.evidence, phone: '[erased]' } });
    // His address leads nowhere now: his next mail is a new inquiry, from a new subject.
    const again = await mailIn(running.baseUrl, oddvarMail(2));
    expect(again.filedAs).toBe('inquiry');
    expect(again.id).not.toBe(oddvarLead);

    const erasedContact = await admin.post('/api/admin/erasures', {
      subject: { accountId, contactId },
      requestRef: 'DPO-2026-0102',
    });
    expect(erasedContact.status).toBe(201);
    expect(book.contactsOf(KARI.email)).toEqual([]);
    // Kari's number no longer makes a match, and her address no longer finds her deal.
    const caller = await inquire({
      name: 'Ingeborg Aasheim',
      company: 'Kranich Logistik GmbH',
      phone: SWITCHBOARD,
      country: 'NO',
    });
    expect(await reviewsOf(caller)).toEqual([]);
    const kariAgain = await mailIn(running.baseUrl, kariMail(2));
    expect(kariAgain.filedAs).toBe('inquiry');

    // A restart reads the same from the log: the in-memory copies were already what it rebuilds.
    const dataDir = running.dataDir;
    await running.stop({ keepData: true });
    running = await startApp(dataDir);
    expect(await reviewsOf(oddvarLead)).toEqual([reviewed]);
    expect(await reviewsOf(caller)).toEqual([]);
    // Their addresses lead only to the new inquiries they sent after being erased.
    expect(await mailIn(running.baseUrl, oddvarMail(3))).toMatchObject({
      filedAs: 'lead_response',
      id: again.id,
    });
    expect(await mailIn(running.baseUrl, kariMail(3))).toMatchObject({
      filedAs: 'lead_response',
      id: kariAgain.id,
    });
  }, 60_000);
});

/** Waits until every projection was rebuilt (a generation above 1) and is live and caught up. */
async function waitForRebuilds(baseUrl: string, count: number): Promise<void> {
  const admin = httpClient(baseUrl, ADMIN);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await admin.get('/api/admin/projections');
    const lanes = body.projections as Array<{ generation: number; role: string }>;
    const switched = lanes.filter((lane) => lane.role === 'live' && lane.generation > 1);
    if (switched.length === count && lanes.length === count) break;
    if (Date.now() > deadline) throw new Error(`rebuilds did not finish: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await readModelsCaughtUp(baseUrl);
}
