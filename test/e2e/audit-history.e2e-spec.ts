import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { GULF_VALVE_NEW_ACCOUNT } from './test-records';
import { readModelsCaughtUp } from './read-models';

type Client = ReturnType<typeof httpClient>;

interface Link {
  aggregate: string;
  id: string;
  revision: number;
  type: string;
  summary: string;
  message: { key: string; params: Record<string, string> };
}
interface Entry {
  revision: number;
  type: string;
  correlationId: string;
  data: Record<string, unknown>;
  actor: { userId: string; role: string };
  cause?: unknown;
  summary: string;
  message: { key: string; params: Record<string, string> };
  causedBy: { kind: string; id: string | null; version: number | null; message: { key: string } };
  links: Link[] | null;
  moreLinks: number;
}

/**
 * The history view: every change in business language, with who or what made it, and the events
 * of other records in the same chain, found through the correlation index. The chains here: a
 * lead's conversion (lead → account, contact, deal) and a rep's deactivation (one correlation id
 * for the deactivation and every handover it made).
 */
describe('record history in business language, with correlated chains', () => {
  let running: RunningApp;
  let leaver: Client;
  let successor: Client;
  let other: Client;
  let manager: Client;
  let leadId: string;
  let openLeadId: string;
  let handovers: Array<{ record: string; id: string }>;
  let accountId: string;
  let dealId: string;

  const history = async (kind: string, id: string, as: Client = manager): Promise<Entry[]> => {
    const response = await as.get(`/api/${kind}/${id}/history`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    running = await startApp();
    manager = httpClient(running.baseUrl, { id: 'u-mgr', role: 'manager' });
    leaver = manager.as({ id: 'u-leaver', role: 'rep' });
    successor = manager.as({ id: 'u-successor', role: 'rep' });
    other = manager.as({ id: 'u-other', role: 'rep' });
    for (const client of [manager, leaver, successor, other]) {
      expect((await client.get('/api/auth/me')).status).toBe(200);
    }
    leadId = (
      await leaver.post('/api/inquiries', {
        channel: 'alibaba',
        inquirer: {
          name: 'Ahmed Al-Farsi',
          email: 'ahmed@gulf-valve.ae',
          company: 'Gulf Valve Trading LLC',
          country: 'AE',
          website: 'gulf-valve.ae',
        },
      })
    ).body.id;
    expect(
      (
        await leaver.post(`/api/leads/${leadId}/owner`, {
          to: 'u-leaver',
          reason: 'Gulf territory',
        })
      ).status,
    ).toBe(200);
    const converted = await leaver.post(`/api/leads/${leadId}/convert`, {
      newAccount: GULF_VALVE_NEW_ACCOUNT,
      deal: {
        title: 'DN50 ball valves',
        productLine: 'valves',
        currency: 'USD',
      },
    });
    expect(converted.status).toBe(201);
    ({ accountId, dealId } = converted.body);
    expect(
      (
        await leaver.patch(`/api/deals/${dealId}`, {
          amount: { minor: 3_800_000, currency: 'USD' },
          incoterm: 'FOB',
        })
      ).status,
    ).toBe(200);
    expect(
      (await leaver.post(`/api/deals/${dealId}/stage`, { to: 'proposal', note: 'Prices sent' }))
        .status,
    ).toBe(200);
    expect(
      (
        await leaver.patch(`/api/deals/${dealId}`, {
          amount: { minor: 4_250_050, currency: 'USD' },
        })
      ).status,
    ).toBe(200);
    // A second inquiry the leaver still holds open when leaving.
    openLeadId = (
      await leaver.post('/api/inquiries', {
        channel: 'website_form',
        inquirer: { name: 'Lena Vogel', email: 'lena@vogel-armaturen.de', company: 'Vogel GmbH' },
      })
    ).body.id;
    expect(
      (await leaver.post(`/api/leads/${openLeadId}/owner`, { to: 'u-leaver', reason: 'DACH' }))
        .status,
    ).toBe(200);
    const deactivated = await manager.post('/api/users/u-leaver/deactivate', {
      successorId: 'u-successor',
    });
    expect(deactivated.status).toBe(200);
    handovers = deactivated.body.handovers;
    // After the chain: the account moves on to a third rep, out of the successor's sight.
    expect(
      (
        await manager.post(`/api/accounts/${accountId}/owner`, {
          to: 'u-other',
          reason: 'Key account team',
        })
      ).status,
    ).toBe(200);
    await readModelsCaughtUp(running.baseUrl);
  });
  afterAll(() => running.stop());

  it('describes each change in words, with the person who made it and why', async () => {
    const deal = await history('deals', dealId);
    expect(deal.map((entry) => entry.summary)).toEqual([
      'Deal "DN50 ball valves" opened in initial_contact for Test u-leaver — by Test u-leaver',
      'Amount set to USD 38000.00 — by Test u-leaver',
      'Incoterm set to FOB — by Test u-leaver',
      'Stage moved forward from initial_contact to proposal — by Test u-leaver; reason: Prices sent',
      'Amount changed from USD 38000.00 to USD 42500.50 — by Test u-leaver',
      'Deal handed over from Test u-leaver to Test u-successor — on the deactivation of Test u-leaver, by Test u-mgr; reason: left the company',
    ]);
    expect(deal[3].message).toEqual({
      key: 'history.deal.stage_forward',
      params: { from: 'initial_contact', to: 'proposal' },
    });
    expect(deal[3].causedBy).toEqual({
      kind: 'person',
      id: 'u-leaver',
      version: null,
      message: { key: 'history.by.person', params: { name: 'u-leaver' }, people: ['name'] },
    });
    // The raw fields stay as they were, for clients that read them.
    expect(deal[3]).toMatchObject({
      revision: 3,
      type: 'DealStageChanged',
      data: { from: 'initial_contact', to: 'proposal', note: 'Prices sent' },
      actor: { userId: 'u-leaver', role: 'rep' },
    });
  });

  it('links a conversion to the account, contact and deal it created', async () => {
    const lead = await history('leads', leadId);
    const conversion = lead.find((entry) => entry.type === 'LeadConverted')!;
    expect(conversion.summary).toBe(
      `Lead converted to account ${accountId} and deal ${dealId} — by Test u-leaver`,
    );
    expect(conversion.links!.map((link) => [link.aggregate, link.id, link.type])).toEqual(
      expect.arrayContaining([
        ['account', accountId, 'AccountRegistered'],
        ['account', accountId, 'ContactAdded'],
        ['deal', dealId, 'DealOpened'],
      ]),
    );
    const opened = conversion.links!.find((link) => link.type === 'DealOpened')!;
    expect(opened).toMatchObject({
      revision: 0,
      summary: 'Deal "DN50 ball valves" opened in initial_contact for Test u-leaver',
      message: { key: 'history.deal.opened_unpriced', params: { owner: 'u-leaver' } },
    });
    // The deal's own first entry points back at the conversion.
    const dealOpened = (await history('deals', dealId))[0];
    expect(dealOpened.correlationId).toBe(conversion.correlationId);
    expect(dealOpened.links!.map((link) => [link.aggregate, link.type])).toContainEqual([
      'lead',
      'LeadConverted',
    ]);
    // Linked descriptions come from the index, which holds no personal data.
    const contact = conversion.links!.find((link) => link.type === 'ContactAdded')!;
    expect(contact.summary).not.toContain('Ahmed');
  });

  it('chains a deactivation to every handover it caused, under one correlation id', async () => {
    const handover = (await history('deals', dealId)).at(-1)!;
    expect(handover).toMatchObject({
      type: 'DealOwnerTransferred',
      causedBy: {
        kind: 'deactivation',
        id: 'u-leaver',
        message: { key: 'history.by.deactivation' },
      },
      message: { key: 'history.deal.handed_over', params: { from: 'u-leaver', to: 'u-successor' } },
    });
    // Exactly the other handovers the deactivation reported (stage tasks the leaver held
    // included, if the stage-task saga had created them by then), and the deactivation itself.
    const linked = handover.links!.map((link) => `${link.aggregate}:${link.id}`).sort();
    const others = handovers
      .filter((held) => !(held.record === 'deal' && held.id === dealId))
      .map((held) => `${held.record}:${held.id}`);
    expect(linked).toEqual([...others, 'user:u-leaver'].sort());
    expect(linked).toEqual(expect.arrayContaining([`account:${accountId}`, `lead:${openLeadId}`]));
    expect(handover.links!.find((link) => link.aggregate === 'user')).toMatchObject({
      id: 'u-leaver',
      summary: 'User Test u-leaver deactivated; successor Test u-successor',
    });
    expect(handover.moreLinks).toBe(0);
    // And the same chain from the lead's side.
    const leadHandover = (await history('leads', openLeadId)).at(-1)!;
    expect(leadHandover.correlationId).toBe(handover.correlationId);
    expect(leadHandover.links!.map((link) => `${link.aggregate}:${link.id}`)).toContainEqual(
      `deal:${dealId}`,
    );
  });

  it('shows a rep only the links to records in their scope now, and counts the rest', async () => {
    const handover = (await history('deals', dealId, successor)).at(-1)!;
    // The account went on to u-other after the deactivation: its handover is counted, not shown.
    const shown = handover.links!.map((link) => `${link.aggregate}:${link.id}`);
    expect(shown).toContain(`lead:${openLeadId}`);
    expect(shown).toContain('user:u-leaver');
    expect(shown).not.toContain(`account:${accountId}`);
    expect(handover.moreLinks).toBe(1);
    expect((await other.get(`/api/deals/${dealId}/history`)).status).toBe(403);
  });
});
