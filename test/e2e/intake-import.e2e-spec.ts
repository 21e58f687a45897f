import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { EVENT_STORE, EventStore } from '../../src/event-store/event-store.port';
import { httpClient, HttpResult } from './http-client';
import { RunningApp, startApp } from './http-app';
import { bearerFor, TestActor } from './test-identities';

const FIXTURES = join(__dirname, '..', 'fixtures', 'intake');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const REP: TestActor = { id: 'u-import-rep', role: 'rep' };
const INTAKE: TestActor = { id: 'show-scanner', role: 'intake' };

/** A one-entry zip, enough to look like an XLSX from outside. */
function zipOf(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const path = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(path.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(path.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + path.length, 12);
  end.writeUInt32LE(30 + path.length + data.length, 16);
  return Buffer.concat([local, path, data, central, path, end]);
}

/** Posts raw bytes, as a browser upload or an integration would. */
async function upload(
  baseUrl: string,
  who: TestActor | { token: string },
  body: Buffer | string,
  contentType: string,
  query = '',
): Promise<HttpResult> {
  const token = 'token' in who ? who.token : await bearerFor(baseUrl, who);
  const response = await fetch(`${baseUrl}/api/inquiries/import${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && JSON.parse(text) };
}

describe('lead list import through HTTP', () => {
  let running: RunningApp;
  let send: (
    body: Buffer | string,
    contentType?: string,
    query?: string,
    who?: TestActor | { token: string },
  ) => Promise<HttpResult>;
  const inquiries = async () =>
    (
      await running.app.get<EventStore>(EVENT_STORE).readAll({
        filter: { eventTypes: ['InquiryReceived'] },
      })
    ).length;
  const expectProblem = (response: HttpResult, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code });
  };

  beforeAll(async () => {
    running = await startApp();
    send = (body, contentType = 'text/csv', query = '', who = REP) =>
      upload(running.baseUrl, who, body, contentType, query);
  });
  afterAll(() => running.stop());

  it('imports the valid rows of a CSV, lists the invalid one, and starts no SLA clock', async () => {
    const before = await inquiries();
    const report = await send(fixture('leads.csv'));
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      file: { format: 'csv', encoding: 'utf-8' },
      rowsRead: 4,
      imported: 3,
      replayed: 0,
      invalid: [
        {
          row: 4,
          field: 'country',
          column: 'Country',
          code: 'validation.is_iso31661_alpha2',
          reason: expect.any(String),
        },
      ],
    });
    expect(report.body.leadIds).toHaveLength(3);
    expect(await inquiries()).toBe(before + 3);

    const rep = httpClient(running.baseUrl, REP);
    const lead = (await rep.get(`/api/leads/${report.body.leadIds[0]}`)).body;
    expect(lead.state).toMatchObject({
      live: false,
      channel: 'trade_show',
      inquirer: {
        company: 'Müller Armaturen GmbH',
        email: 'hans.mueller@mueller-armaturen.de',
        phone: '+49301234567',
        website: 'www.mueller-armaturen.de',
        message: 'Need 500 DN50 valves, CIF Hamburg',
      },
    });
    const sakura = (await rep.get(`/api/leads/${report.body.leadIds[2]}`)).body;
    expect(sakura.state.inquirer.message).toBe('Brass fittings\nsecond line of the note');
    const [received] = (await rep.get(`/api/leads/${report.body.leadIds[0]}/history`)).body;
    expect(received).toMatchObject({
      type: 'InquiryReceived',
      actor: { userId: REP.id, role: 'rep' },
      cause: { kind: 'import', id: `sha256:${report.body.file.sha256}` },
      reason: 'Imported from row 2',
      data: { sourceRef: 'Canton Fair 2026', live: false },
    });
  });

  it('replays a re-import: nothing is written twice, and a corrected file adds only the fixed row', async () => {
    const file = fixture('leads.csv');
    const first = await send(file);
    const before = await inquiries();
    const again = await send(file);
    expect(again.body).toMatchObject({ rowsRead: 4, imported: 0, replayed: 3 });
    expect(again.body.leadIds).toEqual(first.body.leadIds);
    const byOther = await send(file, 'text/csv', '', INTAKE);
    expect(byOther.body).toMatchObject({ imported: 0, replayed: 0, leadIds: [] });
    expect(byOther.body.invalid.map((problem: { code: string }) => problem.code)).toEqual([
      'import.already_imported',
      'import.already_imported',
      'validation.is_iso31661_alpha2',
      'import.already_imported',
    ]);
    expect(await inquiries()).toBe(before);

    // The same list with the bad country corrected, as a user would re-upload it.
    const fixed = file.toString('utf8').replace(',ZZ,', ',FR,');
    const corrected = await send(fixed);
    expect(corrected.body).toMatchObject({ rowsRead: 4, imported: 1, replayed: 3, invalid: [] });
    expect(await inquiries()).toBe(before + 1);
  });

  it('reports a duplicate row once and imports it once', async () => {
    const row = 'Twin Co,twin@twin.example,DE';
    const report = await send(`company,email,country\n${row}\n${row}\n`);
    expect(report.body).toMatchObject({
      rowsRead: 2,
      imported: 1,
      invalid: [
        { row: 3, code: 'import.duplicate_row', reason: 'Same as row 2, which is imported once' },
      ],
    });
  });

  it('reads a UTF-8 file with a BOM and semicolons', async () => {
    const report = await send(fixture('leads-bom.csv'));
    expect(report.body).toMatchObject({ rowsRead: 2, imported: 2, invalid: [] });
    const lead = (
      await httpClient(running.baseUrl, REP).get(`/api/leads/${report.body.leadIds[1]}`)
    ).body;
    expect(lead.state.inquirer).toEqual({
      company: 'Andes Válvulas SA',
      email: 'maria@andes-valvulas.cl',
      country: 'CL',
    });
  });

  it('detects a GBK file with Chinese headers, and honours a declared charset', async () => {
    const bytes = fixture('leads-gbk.csv');
    const detected = await send(bytes, 'application/octet-stream', '?channel=other');
    expect(detected.body).toMatchObject({
      file: { format: 'csv', encoding: 'gbk' },
      rowsRead: 2,
      imported: 2,
      invalid: [],
    });
    const [received] = (
      await httpClient(running.baseUrl, REP).get(`/api/leads/${detected.body.leadIds[0]}/history`)
    ).body;
    expect(received.data).toMatchObject({
      channel: 'other',
      sourceRef: '广交会2026',
      inquirer: {
        company: '宁波精工阀门有限公司',
        name: '王伟',
        message: '需要报价：DN50球阀两千个',
      },
    });
    const declared = await send(bytes, 'text/csv; charset=gbk');
    expect(declared.body).toMatchObject({ file: { encoding: 'gbk' }, imported: 0, replayed: 2 });
  });

  it('refuses a file that is neither UTF-8 nor GBK, and writes nothing', async () => {
    const before = await inquiries();
    const bytes = Buffer.concat([
      Buffer.from('company,email,country\nFine Co,fine@fine.example,DE\nBad '),
      Buffer.from([0x81, 0x20, 0xff, 0xfe]),
      Buffer.from(' Co,bad@bad.example,DE\n'),
    ]);
    expectProblem(await send(bytes, 'application/octet-stream'), 400, 'import.encoding_invalid');
    expectProblem(
      await send(bytes, 'application/octet-stream', '?encoding=utf-8'),
      400,
      'import.encoding_invalid',
    );
    // Whether the app decoded text/csv already (damage visible as U+FFFD) or not, same answer.
    const viaText = await send(bytes, 'text/csv');
    expectProblem(viaText, 400, 'import.encoding_invalid');
    expect(viaText.body.detail).toMatch(/not valid UTF-8|neither valid UTF-8/);
    expect(await inquiries()).toBe(before);
  });

  it('refuses quoting the parser cannot read, naming the row, and writes nothing', async () => {
    const before = await inquiries();
    const unclosed = await send(fixture('bad-quoting.csv'));
    expectProblem(unclosed, 400, 'import.csv_malformed');
    expect(unclosed.body).toMatchObject({ field: 'file', row: 2 });
    const stray = await send(
      'company,email,country\nGood Co,good@good.example,DE\n"Bad" Co,bad@bad.example,DE\n',
    );
    expectProblem(stray, 400, 'import.csv_malformed');
    expect(stray.body).toMatchObject({ row: 3, line: 3 });
    expect(await inquiries()).toBe(before);
  });

  it('refuses a header without the required columns, naming the missing one', async () => {
    const before = await inquiries();
    const noCompany = await send(fixture('missing-columns.csv'));
    expectProblem(noCompany, 400, 'import.column_missing');
    expect(noCompany.body).toMatchObject({ field: 'company', column: 'company', row: 1 });
    const noContact = await send('company,country\nSilent Co,DE\n');
    expectProblem(noContact, 400, 'import.column_missing');
    expect(noContact.body.field).toBe('email');
    expectProblem(await send(''), 400, 'import.file_empty');
    expect(await inquiries()).toBe(before);
  });

  it('reports a huge row and a row with too many fields, and imports the others', async () => {
    const huge = 'x'.repeat(100_000);
    const csv =
      'company,email,message\n' +
      `Small Co,small@small.example,hello\n` +
      `Huge Co,huge@huge.example,${huge}\n` +
      `Wide Co,wide@wide.example,hi,extra\n` +
      `After Co,after@after.example,still imported\n`;
    const report = await send(csv);
    expect(report.body).toMatchObject({
      rowsRead: 4,
      imported: 2,
      invalid: [
        { row: 3, field: 'row', code: 'import.row_too_large' },
        { row: 4, field: 'row', code: 'import.column_count' },
      ],
    });
  });

  it('refuses more rows than a file may hold before writing any', async () => {
    const before = await inquiries();
    const rows = Array.from({ length: 10_001 }, (_, i) => `Co ${i},c${i}@many.example`);
    const response = await send(`company,email\n${rows.join('\n')}\n`);
    expectProblem(response, 400, 'import.too_many_rows');
    expect(await inquiries()).toBe(before);
  });

  it('lets only callers allowed to back-date give a row its own time', async () => {
    const csv = 'company,email,occurredAt\nOld Co,old@old.example,2025-11-03T08:30:00Z\n';
    const byRep = await send(csv);
    expect(byRep.body).toMatchObject({
      imported: 0,
      invalid: [{ row: 2, field: 'occurredAt', code: 'command.backdating_not_allowed' }],
    });
    const byIntake = await send(csv, 'text/csv', '', INTAKE);
    expect(byIntake.body).toMatchObject({ imported: 1, invalid: [] });
    const manager = httpClient(running.baseUrl, { id: 'u-import-mgr', role: 'manager' });
    const [event] = (await manager.get(`/api/leads/${byIntake.body.leadIds[0]}/history`)).body;
    expect(event).toMatchObject({
      occurredAt: '2025-11-03T08:30:00.000Z',
      actor: { userId: `intake:${INTAKE.id}`, role: 'intake' },
      data: { live: false, receivedAt: '2025-11-03T08:30:00.000Z' },
    });
  });

  it('imports the first sheet of an XLSX workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('展会名单');
    sheet.addRow(['公司', '邮箱', '国家', '电话', '渠道']);
    sheet.addRow(['Rio Bombas Ltda', 'ana@riobombas.com.br', 'BR', '+55 11 91234-5678', 'alibaba']);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: 'Kiwi ' }, { text: 'Valves' }] }, 'tom@kiwi.nz', 'XX']);
    workbook.addWorksheet('ignored').addRow(['company', 'email']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await send(bytes, XLSX);
    expect(report.body).toMatchObject({
      file: { format: 'xlsx' },
      rowsRead: 2,
      imported: 1,
      invalid: [{ row: 4, field: 'country', column: '国家' }],
    });
    const lead = (
      await httpClient(running.baseUrl, REP).get(`/api/leads/${report.body.leadIds[0]}`)
    ).body;
    expect(lead.state).toMatchObject({
      channel: 'alibaba',
      inquirer: { company: 'Rio Bombas Ltda', phone: '+5511912345678' },
    });
    // Recognised by its bytes too; then a re-import writes nothing.
    expect((await send(bytes, 'application/octet-stream')).body).toMatchObject({
      imported: 0,
      replayed: 1,
    });
    expectProblem(
      await send(Buffer.from('PK\x03\x04 not really'), XLSX),
      400,
      'import.xlsx_unreadable',
    );
    // Small to send, huge to unpack: refused before it is unpacked.
    const bomb = await send(zipOf('xl/sharedStrings.xml', Buffer.alloc(80 * 1024 * 1024)), XLSX);
    expectProblem(bomb, 400, 'import.xlsx_unreadable');
    expect(bomb.body.detail).toMatch(/unpacks to/);
  });

  it('refuses a wrong or revoked intake key, and a JSON body, writing nothing', async () => {
    const before = await inquiries();
    const wrong = await send(fixture('leads.csv'), 'text/csv', '', { token: 'tfi_wrong.wrong' });
    expectProblem(wrong, 401, 'auth.unauthenticated');

    const admin = httpClient(running.baseUrl, { id: 'u-import-admin', role: 'admin' });
    const issued = (
      await admin.post('/api/tokens', {
        kind: 'intake',
        source: 'revoked-scanner',
        label: 'to revoke',
        expiresInDays: 1,
      })
    ).body;
    const key = { token: issued.token as string };
    expect(
      (await send('company,email\nKey Co,key@key.example\n', 'text/csv', '', key)).status,
    ).toBe(200);
    await admin.post(`/api/tokens/${issued.tokenId}/revoke`, { reason: 'scanner lost' });
    const revoked = await send(fixture('leads-bom.csv'), 'text/csv', '', key);
    expectProblem(revoked, 401, 'auth.unauthenticated');
    expect(revoked.body.detail).toMatch(/revoked/);
    expect(await inquiries()).toBe(before + 1);

    const json = await send(JSON.stringify({ company: 'x' }), 'application/json');
    expectProblem(json, 415, 'request.media_type_unsupported');
    const bad = await send('company,email\n', 'text/csv', '?encoding=latin1');
    expectProblem(bad, 400, 'validation.failed');
    expect(await inquiries()).toBe(before + 1);
  });

  it('decodes GBK bytes the same way iconv-lite encodes them', () => {
    // Guards the fixture: it must really be GBK, not UTF-8.
    expect(() =>
      new TextDecoder('utf-8', { fatal: true }).decode(fixture('leads-gbk.csv')),
    ).toThrow();
    expect(iconv.decode(fixture('leads-gbk.csv'), 'gbk')).toMatch(/^公司,姓名,邮箱/);
  });
});
