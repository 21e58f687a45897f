import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { bearerFor, TestActor } from './test-identities';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MANAGER: TestActor = { id: 'u-customers-manager', role: 'manager' };
const OWNER: TestActor = { id: 'u-customers-rep', role: 'rep' };
const REP: TestActor = { id: 'u-customers-other-rep', role: 'rep' };
const INTAKE: TestActor = { id: 'customer-scanner', role: 'intake' };

const HEADER =
  'Company,Country,Website,Main products,Customer type,Grade,Owner,Lifecycle,Time zone,Incoterms,Contact name,Email,Phone,Role';
/** Rows 2 and 3 import; row 4 has no such country; row 5 names an owner nobody is. */
const CUSTOMERS = [
  HEADER,
  `Gulf Valve Trading LLC,ae,https://www.gulf-valve.ae/en/,ball valves; gate valves,trader,A,${OWNER.id},active,Asia/Dubai,"FOB, CIF",Ahmed Al-Farsi,ahmed@gulf-valve.ae,+971 50 123 4567,purchasing`,
  'Nordic Pumps AB,SE,nordic-pumps.se,pumps,distributor,B,,won,,,,,,',
  'Nowhere Ltd,XX,nowhere-ltd.com,fittings,trader,C,,,,,,,,',
  'Ghost Owner Co,DE,ghost-owner.de,flanges,manufacturer,B,u-nobody,,,,,,,',
].join('\r\n');

/** Posts raw bytes, as a browser upload or an integration would. */
async function upload(
  baseUrl: string,
  who: TestActor,
  body: Buffer | string,
  contentType = 'text/csv',
): Promise<HttpResult> {
  const token = await bearerFor(baseUrl, who);
  const response = await fetch(`${baseUrl}/api/accounts/import`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && JSON.parse(text) };
}

describe('customer list import through HTTP', () => {
  let running: RunningApp;
  let send: (body: Buffer | string, contentType?: string, who?: TestActor) => Promise<HttpResult>;
  /** Account events; a refused row may leave a dedup key claimed and given back, never an account. */
  const events = async () =>
    (await running.app.get<EventStore>(EVENT_STORE).readAll()).filter((event) =>
      event.streamName.startsWith('account-'),
    ).length;
  const allEvents = async () => (await running.app.get<EventStore>(EVENT_STORE).readAll()).length;
  const accountEvents = async (type: string) =>
    (await running.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: [type] } }))
      .length;

  beforeAll(async () => {
    // These tests count every event written; automation acting on the same records would add its own.
    running = await startApp(undefined, { env: { RUN_SAGAS: 'false' } });
    send = (body, contentType, who = MANAGER) => upload(running.baseUrl, who, body, contentType);
    await bearerFor(running.baseUrl, OWNER); // registers the owner named in the list
  });
  afterAll(() => running.stop());

  it('imports the valid rows of a CSV with a BOM and lists the invalid ones per row', async () => {
    const before = await accountEvents('AccountRegistered');
    const report = await send(Buffer.from(`\uFEFF${CUSTOMERS}`, 'utf8'));
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      file: { format: 'csv', encoding: 'utf-8' },
      rowsRead: 4,
      imported: 2,
      replayed: 0,
      invalid: [
        {
          row: 4,
          field: 'country',
          column: 'Country',
          code: 'validation.is_iso31661_alpha2',
          reason: expect.any(String),
        },
        { row: 5, field: 'owner', column: 'Owner', code: 'import.owner_unknown' },
      ],
    });
    expect(report.body.accountIds).toHaveLength(2);
    expect(await accountEvents('AccountRegistered')).toBe(before + 2);

    const manager = httpClient(running.baseUrl, MANAGER);
    const gulf = (await manager.get(`/api/accounts/${report.body.accountIds[0]}`)).body;
    expect(gulf.state).toMatchObject({
      profile: {
        name: 'Gulf Valve Trading LLC',
        country: 'AE',
        website: 'www.gulf-valve.ae',
        mainProducts: ['ball valves', 'gate valves'],
        customerType: 'trader',
        sourceChannel: 'other',
        incoterms: ['FOB', 'CIF'],
        timeZone: 'Asia/Dubai',
      },
      ownerId: OWNER.id,
      grade: 'A',
      lifecycle: 'active',
    });
    expect(Object.values(gulf.state.contacts)).toEqual([
      expect.objectContaining({
        name: 'Ahmed Al-Farsi',
        email: 'ahmed@gulf-valve.ae',
        phone: '+971501234567',
        role: 'purchasing',
      }),
    ]);
    const nordic = (await manager.get(`/api/accounts/${report.body.accountIds[1]}`)).body;
    expect(nordic.state).toMatchObject({
      ownerId: MANAGER.id,
      lifecycle: 'won',
      profile: { sourceChannel: 'other', customerType: 'distributor' },
      contacts: {},
    });
    const history = (await manager.get(`/api/accounts/${report.body.accountIds[0]}/history`)).body;
    expect(history.map((entry: { type: string }) => entry.type)).toEqual([
      'AccountRegistered',
      'ContactAdded',
    ]);
    expect(history[0]).toMatchObject({
      cause: { kind: 'import', id: `sha256:${report.body.file.sha256}` },
      reason: 'Imported from row 2',
    });
  });

  it('replays a re-import: nothing is written twice', async () => {
    const file = Buffer.from(`\uFEFF${CUSTOMERS}`, 'utf8');
    const first = await send(file);
    const before = await allEvents();
    const again = await send(Buffer.from(CUSTOMERS, 'utf8'));
    expect(again.body).toMatchObject({ rowsRead: 4, imported: 0, replayed: 2 });
    expect(again.body.accountIds).toEqual(first.body.accountIds);
    expect(await allEvents()).toBe(before);
  });

  it('reads a GBK file with Chinese headers', async () => {
    const text = [
      '公司,国家,网站,主营产品,客户类型,等级,负责人,时区,联系人,邮箱',
      `上海阀门贸易有限公司,CN,shanghai-valves.cn,球阀,trader,B,${OWNER.id},Asia/Shanghai,王伟,wang.wei@shanghai-valves.cn`,
    ].join('\n');
    const bytes = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const report = await send(bytes);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      file: { encoding: 'gbk' },
      rowsRead: 1,
      imported: 1,
      invalid: [],
    });
    const account = (
      await httpClient(running.baseUrl, MANAGER).get(`/api/accounts/${report.body.accountIds[0]}`)
    ).body;
    expect(account.state).toMatchObject({
      profile: { name: '上海阀门贸易有限公司', mainProducts: ['球阀'], timeZone: 'Asia/Shanghai' },
      ownerId: OWNER.id,
    });
    expect(Object.values(account.state.contacts)).toEqual([
      expect.objectContaining({ name: '王伟', role: 'purchasing' }),
    ]);
  });

  it('imports an XLSX workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    sheet.addRow(['Company', 'Country', 'Website', 'Main products', 'Customer type', 'Grade']);
    sheet.addRow(['Andes Valves SA', 'CL', 'andes-valves.cl', 'check valves', 'distributor', 'A']);
    sheet.addRow(['Bad Grade Inc', 'US', 'bad-grade.com', 'valves', 'trader', 'Z']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await send(bytes, XLSX);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      file: { format: 'xlsx' },
      rowsRead: 2,
      imported: 1,
      invalid: [{ row: 3, field: 'grade', column: 'Grade', code: 'validation.is_in' }],
    });
  });

  it('refuses broken quoting or a missing required column with 400, and writes nothing', async () => {
    const before = await events();
    const unclosed = await send(
      `${HEADER}\r\n"Broken Co,DE,broken.de,valves,trader,A,,,,,,,,\r\nNext Co,FR,next.fr,valves,trader,A,,,,,,,,`,
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(unclosed.body).toMatchObject({ status: 400, code: 'import.csv_malformed' });
    const missing = await send('Company,Country\nNo Website Co,DE\n');
    expect(missing.body).toMatchObject({
      status: 400,
      code: 'import.column_missing',
      field: 'website',
    });
    expect(await events()).toBe(before);
  });

  it('does not duplicate an account whose website an existing account holds', async () => {
    const manager = httpClient(running.baseUrl, MANAGER);
    const existing = await manager.post('/api/accounts', {
      name: 'Existing Fittings GmbH',
      country: 'DE',
      website: 'existing-fittings.de',
      mainProducts: ['fittings'],
      customerType: 'trader',
      sourceChannel: 'email',
      grade: 'B',
    });
    expect(existing.status).toBe(201);
    const before = await events();
    const report = await send(
      [
        'Company,Country,Website,Main products,Customer type,Grade,Contact name,Email',
        'Existing Fittings,DE,https://existing-fittings.de,fittings,trader,B,Jana Roth,jana@existing-fittings.de',
      ].join('\n'),
    );
    expect(report.body).toMatchObject({
      imported: 0,
      accountIds: [],
      invalid: [
        {
          row: 2,
          field: 'website',
          column: 'Website',
          code: 'import.account_exists',
          accountId: existing.body.id,
        },
      ],
    });
    expect(await events()).toBe(before);
    const account = (await manager.get(`/api/accounts/${existing.body.id}`)).body;
    expect(account.state.contacts).toEqual({});
  });

  it('is for managers and team leads only', async () => {
    const before = await events();
    for (const who of [REP, INTAKE]) {
      const refused = await send(CUSTOMERS, 'text/csv', who);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'auth.forbidden' });
    }
    expect(await events()).toBe(before);
  });
});
