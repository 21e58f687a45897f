import { AccountKeys } from '../../src/dedup/account-keys';
import { conversionTargets } from '../../src/leads/convert-lead.handler';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;

const REP = 'u-dedup-rep';

const company = (name: string, website: string) => ({
  name,
  country: 'DE',
  website,
  mainProducts: ['centrifugal pumps'],
  customerType: 'distributor',
  grade: 'B',
});
/** POST /api/accounts also names how the company came in; a conversion takes it from the lead. */
const registration = (name: string, website: string) => ({
  ...company(name, website),
  sourceChannel: 'trade_show',
});
const deal = (title: string) => ({ title, productLine: 'pumps', currency: 'EUR' });

describe('dedup by exact keys (email, web domain)', () => {
  let running: RunningApp;
  let rep: Client;
  let manager: Client;

  beforeAll(async () => {
    running = await startApp();
    rep = httpClient(running.baseUrl, { id: REP, role: 'rep' });
    manager = rep.as({ id: 'u-dedup-manager', role: 'manager' });
  });
  afterAll(() => running.stop());

  /** A lead held by the rep, ready to convert. */
  const lead = async (inquirer: Record<string, string>): Promise<string> => {
    const created = await rep.post('/api/inquiries', { channel: 'email', inquirer });
    expect(created.status).toBe(201);
    await rep.post(`/api/leads/${created.body.id}/owner`, { to: REP, reason: 'territory' });
    return created.body.id;
  };

  it('ends two simultaneous conversions of one buyer with one account holding both deals', async () => {
    const inquirer = {
      name: 'Lena Vogel',
      email: 'lena.vogel@rhein-pumpen.de',
      company: 'Rhein Pumpen GmbH',
      country: 'DE',
    };
    const leads = [await lead(inquirer), await lead(inquirer)];
    const keys = ['dedup-convert-a', 'dedup-convert-b'];
    const body = (n: number) => ({
      newAccount: company('Rhein Pumpen GmbH', n === 0 ? 'rhein-pumpen.de' : 'www.rhein-pumpen.de'),
      deal: deal(`Pumps, inquiry ${n + 1}`),
    });
    const convert = (n: number) =>
      rep.post(`/api/leads/${leads[n]}/convert`, body(n), { 'idempotency-key': keys[n] });

    const converted = await Promise.all([convert(0), convert(1)]);
    expect(converted.map((response) => response.status)).toEqual([201, 201]);
    const [accountId] = converted.map((response) => response.body.accountId);
    expect(converted[1].body.accountId).toBe(accountId);

    // One of the two accounts the conversions would have registered exists; the other never did.
    const derived = leads.map((id, n) => conversionTargets(id, keys[n]).accountId);
    expect(derived).toContain(accountId);
    const other = derived.find((id) => id !== accountId)!;
    expect((await manager.get(`/api/accounts/${other}`)).status).toBe(404);

    for (const { body: result } of converted) {
      const opened = await rep.get(`/api/deals/${result.dealId}`);
      expect(opened.body.state).toMatchObject({ accountId });
    }
    const account = (await rep.get(`/api/accounts/${accountId}`)).body.state;
    expect(Object.values(account.contacts)).toContainEqual(
      expect.objectContaining({ email: inquirer.email }),
    );

    // A retry with the same key is replayed, not refused as a duplicate of its own account.
    for (const n of [0, 1]) {
      const again = await convert(n);
      expect(again.status).toBe(201);
      expect(again.body).toEqual({ ...converted[n].body, replayed: true });
    }
  });

  it('waits for the contact that a simultaneous conversion of the same buyer is still adding', async () => {
    // The moment the race opens: another request has registered the account and claimed the
    // buyer's email for it, and has not yet added the contact with that email.
    const inquirer = { name: 'Mira Kuhn', email: 'mira.kuhn@kuhn-ventile.de', country: 'DE' };
    const accountId = (
      await rep.post('/api/accounts', registration('Kuhn Ventile GmbH', 'kuhn-ventile.de'))
    ).body.id;
    const accountKeys = running.app.get(AccountKeys);
    const claimed = await accountKeys.claim(
      accountId,
      accountKeys.keysOf({ email: inquirer.email }),
      { commandId: 'dedup-other-conversion', actor: { userId: REP, role: 'rep' } },
    );
    expect(claimed.reserved).toHaveLength(1);

    const leadId = await lead(inquirer);
    const converting = rep.post(`/api/leads/${leadId}/convert`, {
      newAccount: company('Kuhn Ventile GmbH', 'kuhn-ventile.de'),
      deal: deal('Ball valves'),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const added = await rep.post(`/api/accounts/${accountId}/contacts`, {
      name: inquirer.name,
      email: inquirer.email,
      role: 'purchasing',
    });
    expect(added.status).toBe(201);

    const converted = await converting;
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ accountId, contactId: added.body.contactId });
    const account = (await rep.get(`/api/accounts/${accountId}`)).body.state;
    expect(Object.keys(account.contacts)).toEqual([added.body.contactId]);
  });

  it('continues a conversion whose keys a first attempt claimed before failing', async () => {
    const inquirer = { name: 'Jan Berg', email: 'jan@berg-valves.nl', country: 'NL' };
    const leadId = await lead(inquirer);
    const key = 'dedup-convert-resumed';
    const { accountId } = conversionTargets(leadId, key);
    const accountKeys = running.app.get(AccountKeys);
    const claimed = await accountKeys.claim(
      accountId,
      accountKeys.keysOf({ website: 'berg-valves.nl', email: inquirer.email }),
      { commandId: key, actor: { userId: REP, role: 'rep' } },
    );
    expect(claimed.reserved).toHaveLength(2);

    const converted = await rep.post(
      `/api/leads/${leadId}/convert`,
      { newAccount: company('Berg Valves BV', 'berg-valves.nl'), deal: deal('Valves') },
      { 'idempotency-key': key },
    );
    expect(converted.status).toBe(201);
    expect(converted.body.accountId).toBe(accountId);
  });

  it('never merges two companies whose buyers both write from gmail', async () => {
    // Both only have a social page, so the email's domain is all there is: and it is free mail.
    const tom = { name: 'Tom Harbor', email: 'tom.harbor@gmail.com', country: 'GB' };
    const ana = { name: 'Ana Sierra', email: 'ana.sierra.compras@gmail.com', country: 'ES' };
    const accounts: string[] = [];
    for (const [inquirer, name, host] of [
      [tom, 'Harbor Tools Ltd', 'facebook.com'],
      [ana, 'Ferretería Sierra', 'linkedin.com'],
    ] as const) {
      const leadId = await lead(inquirer);
      const converted = await rep.post(`/api/leads/${leadId}/convert`, {
        newAccount: { ...company(name, host), country: inquirer.country },
        deal: deal(`${name} first order`),
      });
      expect(converted.status).toBe(201);
      accounts.push(converted.body.accountId);
    }
    expect(accounts[0]).not.toBe(accounts[1]);

    const from = async (inquirer: Record<string, string>) =>
      (await rep.post('/api/inquiries', { channel: 'email', inquirer })).body.matchedAccountId;
    expect(await from({ email: 'someone.else@gmail.com' })).toBeNull();
    // The exact address still finds its account, whatever the capitalisation.
    expect(await from({ email: 'Tom.Harbor@Gmail.com' })).toBe(accounts[0]);
  });

  it('refuses to register a website that is already an account, naming that account', async () => {
    const kessler = registration('Kessler Armaturen GmbH', 'kessler-armaturen.de');
    const first = await rep.post('/api/accounts', kessler, { 'idempotency-key': 'dedup-kessler' });
    expect(first.status).toBe(201);
    const retried = await rep.post('/api/accounts', kessler, {
      'idempotency-key': 'dedup-kessler',
    });
    expect(retried.body).toEqual({ ...first.body, replayed: true });

    const duplicate = await rep.post('/api/accounts', {
      ...kessler,
      name: 'KESSLER Armaturen',
      website: 'WWW.Kessler-Armaturen.DE',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(duplicate.body).toMatchObject({
      code: 'account.duplicate',
      field: 'website',
      details: { accountId: first.body.id },
    });

    // A conversion describing the same company as new attaches to it instead.
    const leadId = await lead({ name: 'Uwe Kessler', email: 'uwe@kessler-armaturen.de' });
    const converted = await rep.post(`/api/leads/${leadId}/convert`, {
      newAccount: company(kessler.name, kessler.website),
      deal: deal('Gate valves'),
    });
    expect(converted.body.accountId).toBe(first.body.id);
  });

  it('follows a merged-away account to the survivor', async () => {
    const merged = (await rep.post('/api/accounts', registration('Alt Pumpen', 'alt-pumpen.de')))
      .body.id;
    const survivor = (await rep.post('/api/accounts', registration('Neu Pumpen', 'neu-pumpen.de')))
      .body.id;
    const merge = await rep.post('/api/accounts/merge', {
      mergedId: merged,
      survivorId: survivor,
      reason: 'Rebranded',
    });
    expect(merge.status).toBe(200);
    const inquiry = await rep.post('/api/inquiries', {
      channel: 'email',
      inquirer: { email: 'einkauf@alt-pumpen.de' },
    });
    expect(inquiry.body.matchedAccountId).toBe(survivor);
    const again = await rep.post('/api/accounts', registration('Alt Pumpen', 'alt-pumpen.de'));
    expect(again.body).toMatchObject({ status: 409, details: { accountId: survivor } });
  });

  it('gives an intake inquiry from a known domain to the owner of the existing account', async () => {
    const owner = 'u-dedup-owner';
    await httpClient(running.baseUrl, { id: owner, role: 'rep' }).get('/api/auth/me');
    const registered = await manager.post('/api/accounts', {
      ...registration('Nordic Hydraulics AB', 'nordic-hydraulics.se'),
      country: 'SE',
      ownerId: owner,
    });
    expect(registered.status).toBe(201);

    const intake = httpClient(running.baseUrl, { id: 'dedup-form', role: 'intake' });
    const received = await intake.post('/api/inquiries', {
      channel: 'website_form',
      inquirer: { name: 'Sven Lund', email: 'sven.lund@nordic-hydraulics.se', country: 'SE' },
    });
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({
      events: ['InquiryReceived', 'LeadAssigned'],
      matchedAccountId: registered.body.id,
    });
    const [, assigned] = (await manager.get(`/api/leads/${received.body.id}/history`)).body;
    expect(assigned).toMatchObject({
      type: 'LeadAssigned',
      actor: { userId: 'system' },
      cause: { kind: 'rule', id: 'assignment.default' },
      data: { to: owner },
    });
    expect(assigned.reason).toMatch(/owner of the existing account kept/);

    const unknown = await intake.post('/api/inquiries', {
      channel: 'website_form',
      inquirer: { name: 'Nils Berg', email: 'nils@berg-marine.se', country: 'SE' },
    });
    expect(unknown.body.matchedAccountId).toBeNull();
    const [, ruled] = (await manager.get(`/api/leads/${unknown.body.id}/history`)).body;
    expect(ruled.reason).not.toMatch(/existing account/);
  });
});
