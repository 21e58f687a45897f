import { CommandBus } from '@nestjs/cqrs';
import { ExecuteDomainCommand } from '../../src/commands/execute-domain-command';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

type Client = ReturnType<typeof httpClient>;
type Entry = {
  type: string;
  reason?: string;
  cause?: unknown;
  correlationId: string;
  commandId?: string;
  data: Record<string, unknown>;
};

const account = (name: string, website: string) => ({
  name,
  country: 'AE',
  website,
  mainProducts: ['ball valves'],
  customerType: 'distributor',
  sourceChannel: 'alibaba',
  grade: 'B',
});

describe('deactivating a user who leaves', () => {
  let running: RunningApp;
  let leaver: Client;
  let manager: Client;
  const open: Record<'accounts' | 'leads' | 'deals' | 'tasks', string[]> = {
    accounts: [],
    leads: [],
    deals: [],
    tasks: [],
  };
  let wonDealId: string;
  let doneTaskId: string;
  let disqualifiedLeadId: string;

  const history = async (kind: string, id: string): Promise<Entry[]> =>
    (await manager.get(`/api/${kind}/${id}/history`)).body;

  beforeAll(async () => {
    // The book and the handovers are pinned record by record; the sagas' own tasks would race
    // with them. Saga work is handed over the same way (test/sagas, sagas-live e2e).
    running = await startApp(undefined, { env: { RUN_SAGAS: 'false' } });
    leaver = httpClient(running.baseUrl, { id: 'u-leaver', role: 'rep' });
    manager = leaver.as({ id: 'u-mgr', role: 'manager' });
    await leaver.as({ id: 'u-successor', role: 'rep' }).get('/api/auth/me');

    for (const [name, website] of [
      ['Gulf Valve Trading LLC', 'gulf-valve.ae'],
      ['Desert Pumps FZE', 'desert-pumps.ae'],
    ]) {
      const registered = await leaver.post('/api/accounts', account(name, website));
      expect(registered.status).toBe(201);
      open.accounts.push(registered.body.id);
    }
    const inquiry = (email: string) => ({
      channel: 'website_form',
      inquirer: { name: 'Lena Vogel', email, company: 'Vogel Armaturen' },
    });
    for (const email of ['lena@vogel-armaturen.de', 'max@vogel-armaturen.de']) {
      const leadId = (await leaver.post('/api/inquiries', inquiry(email))).body.id;
      const owned = await leaver.post(`/api/leads/${leadId}/owner`, {
        to: 'u-leaver',
        reason: 'DACH',
      });
      expect(owned.status).toBe(200);
      open.leads.push(leadId);
    }
    disqualifiedLeadId = open.leads.pop()!;
    const disqualified = await leaver.post(`/api/leads/${disqualifiedLeadId}/disqualify`, {
      reason: 'spam',
    });
    expect(disqualified.status).toBe(200);

    const deal = { accountId: open.accounts[0], productLine: 'valves', currency: 'USD' };
    for (const title of ['DN50 ball valves', 'DN80 gate valves', 'Spare seals']) {
      const opened = await leaver.post('/api/deals', {
        ...deal,
        title,
        amount: { minor: 1_000_000, currency: 'USD' },
      });
      expect(opened.status).toBe(201);
      open.deals.push(opened.body.id);
    }
    wonDealId = open.deals.pop()!;
    expect(
      (await leaver.post(`/api/deals/${wonDealId}/won`, { orderReference: 'PO-7' })).status,
    ).toBe(200);

    for (const title of ['Send the datasheet', 'Call back about samples', 'Book the visit']) {
      const created = await leaver.post('/api/tasks', {
        linkedTo: { kind: 'deal', id: open.deals[0] },
        title,
        dueAt: '2026-03-02T09:00:00Z',
      });
      expect(created.status).toBe(201);
      open.tasks.push(created.body.id);
    }
    doneTaskId = open.tasks.pop()!;
    expect((await leaver.post(`/api/tasks/${doneTaskId}/complete`, {})).status).toBe(200);
  });
  afterAll(() => running.stop());

  it('lists the book the successor is about to take over', async () => {
    const book = await manager.get('/api/users/u-leaver/book');
    expect(book.status).toBe(200);
    expect(book.body).toEqual({
      userId: 'u-leaver',
      accounts: [...open.accounts].sort(),
      leads: open.leads,
      deals: [...open.deals].sort(),
      tasks: [...open.tasks].sort(),
    });
  });

  it('refuses a successor who is unknown, deactivated or cannot hold records', async () => {
    const deactivate = (successorId?: string) =>
      manager.post('/api/users/u-leaver/deactivate', successorId ? { successorId } : {});
    expect((await deactivate('nobody-here')).body).toMatchObject({
      status: 422,
      code: 'user.successor_unknown',
      field: 'successorId',
    });
    await manager.as({ id: 'u-analyst', role: 'analyst' }).get('/api/auth/me');
    expect((await deactivate('u-analyst')).body).toMatchObject({
      status: 422,
      code: 'user.successor_cannot_hold_records',
    });
    await manager.as({ id: 'u-gone', role: 'rep' }).get('/api/auth/me');
    const gone = await manager.post('/api/users/u-gone/deactivate', { successorId: 'u-successor' });
    expect(gone.body).toMatchObject({ events: ['UserDeactivated'], handovers: [] });
    expect((await deactivate('u-gone')).body).toMatchObject({
      status: 422,
      code: 'user.successor_inactive',
    });
    expect((await deactivate()).body).toMatchObject({
      status: 422,
      code: 'user.successor_required',
      field: 'successorId',
    });
    expect((await deactivate('u-leaver')).body).toMatchObject({
      status: 422,
      code: 'user.successor_self',
    });
    const lead = leaver.as({ id: 'u-lead', role: 'team_lead' });
    expect(
      (await lead.post('/api/users/u-leaver/deactivate', { successorId: 'u-successor' })).status,
    ).toBe(403);
    expect(
      (await manager.post('/api/users/nobody-here/deactivate', { successorId: 'u-successor' }))
        .body,
    ).toMatchObject({ status: 404, code: 'user.not_found' });
    expect((await leaver.get('/api/auth/me')).status).toBe(200);
  });

  it('hands over every open record under one correlation id, and refuses the leaver’s token', async () => {
    const key = { 'idempotency-key': 'deactivate-u-leaver-0001' };
    const done = await manager.post(
      '/api/users/u-leaver/deactivate',
      { successorId: 'u-successor' },
      key,
    );
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: 'u-leaver',
      events: ['UserDeactivated'],
      successorId: 'u-successor',
      replayed: false,
    });
    const handedOver = (kind: string) =>
      done.body.handovers
        .filter((handover: { record: string }) => handover.record === kind)
        .map((handover: { id: string }) => handover.id)
        .sort();
    expect(handedOver('account')).toEqual([...open.accounts].sort());
    expect(handedOver('lead')).toEqual(open.leads);
    expect(handedOver('deal')).toEqual([...open.deals].sort());
    expect(handedOver('task')).toEqual([...open.tasks].sort());

    const handovers: Entry[] = [];
    const expectHandedOver = async (kind: string, ids: string[], type: string) => {
      for (const id of ids) {
        const last = (await history(kind, id)).at(-1)!;
        expect(last).toMatchObject({
          type,
          reason: 'left the company',
          cause: { kind: 'system', id: 'user-deactivation' },
          data: { to: 'u-successor', reason: 'left the company' },
        });
        handovers.push(last);
      }
    };
    await expectHandedOver('accounts', open.accounts, 'AccountOwnershipTransferred');
    await expectHandedOver('leads', open.leads, 'LeadOwnershipTransferred');
    await expectHandedOver('deals', open.deals, 'DealOwnerTransferred');
    await expectHandedOver('tasks', open.tasks, 'TaskReassigned');
    expect(handovers).toHaveLength(7);
    expect(new Set(handovers.map((entry) => entry.correlationId))).toEqual(
      new Set([done.body.correlationId]),
    );
    expect(new Set(handovers.map((entry) => entry.commandId)).size).toBe(7);

    // Closed records stay where they were.
    expect((await history('deals', wonDealId)).map((entry) => entry.type)).toEqual([
      'DealOpened',
      'DealWon',
    ]);
    expect((await history('tasks', doneTaskId)).map((entry) => entry.type)).toEqual([
      'TaskCreated',
      'TaskCompleted',
    ]);
    expect((await history('leads', disqualifiedLeadId)).at(-1)?.type).toBe('LeadDisqualified');

    expect((await leaver.get('/api/auth/me')).body).toMatchObject({
      status: 401,
      code: 'auth.unauthenticated',
    });
    expect((await manager.get('/api/users/u-leaver/book')).body).toMatchObject({
      accounts: [],
      leads: [],
      deals: [],
      tasks: [],
    });
    const successorBook = (await manager.get('/api/users/u-successor/book')).body;
    expect(successorBook.deals).toEqual([...open.deals].sort());
    expect((await manager.get('/api/users/u-leaver')).body.state).toMatchObject({
      active: false,
      deactivation: {
        deactivatedBy: 'u-mgr',
        successorId: 'u-successor',
        reason: 'left the company',
      },
    });
  });

  it('writes nothing more when the deactivation is retried with the same Idempotency-Key', async () => {
    const lengths = async () =>
      Promise.all(
        (Object.entries(open) as Array<[string, string[]]>).flatMap(([kind, ids]) =>
          ids.map(async (id) => (await history(kind, id)).length),
        ),
      );
    const before = await lengths();
    const userRevision = (await manager.get('/api/users/u-leaver')).body.revision;
    const retried = await manager.post(
      '/api/users/u-leaver/deactivate',
      { successorId: 'u-successor' },
      { 'idempotency-key': 'deactivate-u-leaver-0001' },
    );
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      events: ['UserDeactivated'],
      replayed: true,
      handovers: [],
    });
    expect(await lengths()).toEqual(before);
    expect((await manager.get('/api/users/u-leaver')).body.revision).toBe(userRevision);

    const again = await manager.post('/api/users/u-leaver/deactivate', {
      successorId: 'u-successor',
    });
    expect(again.body).toMatchObject({ status: 422, code: 'user.already_deactivated' });
  });

  it('completes a deactivation that stopped after the user was deactivated, outside any record scope', async () => {
    const rep = leaver.as({ id: 'u-leaver-2', role: 'rep' });
    const accountId = (
      await rep.post('/api/accounts', account('Oasis Fittings', 'oasis-fittings.ae'))
    ).body.id;
    // The first append of a deactivation whose process stopped before any handover.
    await running.app.get(CommandBus).execute(
      new ExecuteDomainCommand(
        'user',
        'u-leaver-2',
        { type: 'DeactivateUser', data: { userId: 'u-leaver-2', successorId: 'u-successor' } },
        {
          commandId: 'deactivate-u-leaver-2',
          correlationId: 'offboarding-u-leaver-2',
          actor: { userId: 'u-admin', role: 'admin' },
        },
      ),
    );
    const admin = leaver.as({ id: 'u-admin', role: 'admin' });
    const resumed = await admin.post(
      '/api/users/u-leaver-2/deactivate',
      { successorId: 'u-successor' },
      { 'idempotency-key': 'deactivate-u-leaver-2' },
    );
    expect(resumed.body).toMatchObject({
      correlationId: 'offboarding-u-leaver-2',
      handovers: [{ record: 'account', id: accountId, events: ['AccountOwnershipTransferred'] }],
    });
    expect((await history('accounts', accountId)).at(-1)).toMatchObject({
      correlationId: 'offboarding-u-leaver-2',
      actor: { userId: 'u-admin', role: 'admin' },
      data: { from: 'u-leaver-2', to: 'u-successor' },
    });
    expect((await rep.get('/api/auth/me')).status).toBe(401);
  });
});
