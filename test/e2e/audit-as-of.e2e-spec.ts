import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { ExecuteDomainCommand } from '../../src/commands/execute-domain-command';
import { SUBJECT_KEY_STORE, SubjectKeyStore } from '../../src/personal-data/subject-key-store';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';
import { readModelsCaughtUp } from './read-models';
import { GULF_VALVE_ACCOUNT } from './test-records';

type Client = ReturnType<typeof httpClient>;

/**
 * As of T, known at K (DESIGN.md, "Time semantics"), on histories written the way they reach us:
 * a CRM migration imported with back-dated business times (recorded days or weeks after they
 * happened), live handovers by a manager, a handover caused by a deactivation, and a late
 * back-dated correction. The clock is the app's: it stamps recordedAt, so every value below is
 * worked out by hand from the timeline in the comments.
 */
const clock = {
  at: Date.parse('2026-03-10T09:00:00Z'),
  now: () => new Date(clock.at),
  set(iso: string) {
    clock.at = Date.parse(iso);
  },
};

const IMPORTER = { userId: 'u-importer', role: 'admin' };
const MIGRATION = { kind: 'import' as const, id: 'crm-migration-2026-03' };

describe('records as of a date, as known at an instant', () => {
  let running: RunningApp;
  let manager: Client;
  let cem: Client;
  let ben: Client;
  let ana: Client;
  let intake: Client;
  const accountId = uuidv7();
  const contactId = uuidv7();
  const dealId = uuidv7();
  const smallDealId = uuidv7();
  let leadId: string;

  /** One command of the migration, back-dated to `occurredAt`, recorded at the clock's now. */
  const imported = (
    aggregate: 'account' | 'deal',
    id: string,
    command: { type: string; data: Record<string, unknown> },
    occurredAt: string,
  ) =>
    running.app.get(CommandBus).execute(
      new ExecuteDomainCommand(aggregate, id, command, {
        commandId: uuidv7(),
        actor: IMPORTER,
        cause: MIGRATION,
        occurredAt,
        mayBackdate: true,
      }),
    );

  const deal = (query: string, as: Client = cem) => as.get(`/api/deals/${dealId}?${query}`);
  const account = (query: string, as: Client = cem) =>
    as.get(`/api/accounts/${accountId}?${query}`);
  const lead = (query: string, as: Client = manager) => as.get(`/api/leads/${leadId}?${query}`);

  beforeAll(async () => {
    // Sessions outlive the ten days this history spans on the app's clock.
    running = await startApp(undefined, { clock, env: { SESSION_HOURS: '720' } });
    manager = httpClient(running.baseUrl, { id: 'u-mgr', role: 'manager' });
    ana = manager.as({ id: 'u-ana', role: 'rep' });
    ben = manager.as({ id: 'u-ben', role: 'rep' });
    cem = manager.as({ id: 'u-cem', role: 'rep' });
    intake = manager.as({ id: 'alibaba', role: 'intake' });
    for (const client of [manager, ana, ben, cem]) {
      expect((await client.get('/api/auth/me')).status).toBe(200);
    }

    // ---- Recorded 2026-03-10 09:00–09:04: the migration, back-dated to January and February.
    await imported(
      'account',
      accountId,
      {
        type: 'RegisterAccount',
        data: {
          accountId,
          ...GULF_VALVE_ACCOUNT,
          ownerId: 'u-ana',
        },
      },
      '2026-01-05T10:00:00Z',
    );
    clock.set('2026-03-10T09:01:00Z');
    await imported(
      'account',
      accountId,
      {
        type: 'AddContact',
        data: {
          accountId,
          contactId,
          name: 'Ahmed Al-Farsi',
          email: 'ahmed@gulf-valve.ae',
          role: 'purchasing',
        },
      },
      '2026-01-20T10:00:00Z',
    );
    clock.set('2026-03-10T09:02:00Z');
    await imported(
      'deal',
      dealId,
      {
        type: 'OpenDeal',
        data: {
          dealId,
          accountId,
          title: 'DN50 ball valves',
          ownerId: 'u-ana',
          channel: 'alibaba',
          country: 'AE',
          productLine: 'valves',
          currency: 'USD',
          amount: { minor: 3_800_000, currency: 'USD' },
          incoterm: 'FOB',
        },
      },
      '2026-01-10T10:00:00Z',
    );
    clock.set('2026-03-10T09:03:00Z');
    await imported(
      'deal',
      dealId,
      { type: 'ChangeStage', data: { to: 'proposal', note: 'Datasheet and price list sent' } },
      '2026-02-01T10:00:00Z',
    );
    clock.set('2026-03-10T09:04:00Z');
    await imported(
      'deal',
      dealId,
      {
        type: 'LogActivity',
        data: {
          activityId: uuidv7(),
          kind: 'call',
          direction: 'outbound',
          summary: 'Ahmed wants 30 % T/T',
          at: '2026-02-03T08:00:00Z',
          contactId,
        },
      },
      '2026-02-03T10:00:00Z',
    );

    // A second, smaller deal of Ana's: opened 01-15, won 02-20 (recorded 09:05 and 09:06).
    clock.set('2026-03-10T09:05:00Z');
    await imported(
      'deal',
      smallDealId,
      {
        type: 'OpenDeal',
        data: {
          dealId: smallDealId,
          accountId,
          title: 'Spare seals',
          ownerId: 'u-ana',
          channel: 'alibaba',
          country: 'AE',
          productLine: 'valves',
          currency: 'USD',
          amount: { minor: 1_000_000, currency: 'USD' },
        },
      },
      '2026-01-15T10:00:00Z',
    );
    clock.set('2026-03-10T09:06:00Z');
    await imported(
      'deal',
      smallDealId,
      { type: 'MarkWon', data: { orderReference: 'PO-2026-0117' } },
      '2026-02-20T10:00:00Z',
    );

    // ---- Live from here: each write's business time is its recorded time.
    clock.set('2026-03-11T09:00:00Z');
    expect(
      (
        await manager.post(`/api/deals/${dealId}/owner`, {
          to: 'u-ben',
          reason: 'Ana moves to Europe',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await manager.post(`/api/accounts/${accountId}/owner`, {
          to: 'u-ben',
          reason: 'Ana moves to Europe',
        })
      ).status,
    ).toBe(200);
    clock.set('2026-03-12T09:00:00Z');
    expect(
      (
        await ben.patch(`/api/deals/${dealId}`, {
          amount: { minor: 4_200_000, currency: 'USD' },
        })
      ).status,
    ).toBe(200);
    // Ben leaves: his book goes to Cem under the deactivation's correlation id.
    clock.set('2026-03-13T09:00:00Z');
    const deactivated = await manager.post('/api/users/u-ben/deactivate', { successorId: 'u-cem' });
    expect(deactivated.status).toBe(200);

    // ---- Recorded 2026-03-14, back-dated to 2026-03-13 12:00: a late correction by the importer.
    clock.set('2026-03-14T09:00:00Z');
    await imported(
      'deal',
      dealId,
      { type: 'ChangeExpectedCloseDate', data: { date: '2026-04-30' } },
      '2026-03-13T12:00:00Z',
    );

    // ---- A lead: an inquiry back-dated by the intake feed, then handed over twice.
    clock.set('2026-03-15T09:00:00Z');
    const received = await intake.post('/api/inquiries', {
      channel: 'alibaba',
      occurredAt: '2026-03-01T07:30:00Z',
      inquirer: {
        name: 'Lena Vogel',
        email: 'lena@vogel-armaturen.de',
        company: 'Vogel Armaturen GmbH',
        country: 'DE',
        message: 'Please quote 500 DN50 ball valves, PN40',
      },
    });
    expect(received.status).toBe(201);
    leadId = received.body.id;
    clock.set('2026-03-15T10:00:00Z');
    expect(
      (await manager.post(`/api/leads/${leadId}/owner`, { to: 'u-ana', reason: 'DACH' })).status,
    ).toBe(200);
    clock.set('2026-03-16T10:00:00Z');
    expect(
      (await manager.post(`/api/leads/${leadId}/owner`, { to: 'u-cem', reason: 'Ana on leave' }))
        .status,
    ).toBe(200);
    clock.set('2026-03-20T09:00:00Z');
  });
  afterAll(() => running.stop());

  const pick = (body: {
    revision: number;
    asOf: string;
    knownAt: string | null;
    state: {
      stage: string;
      ownerId: string;
      amount?: { minor: number };
      expectedCloseDate?: string;
    };
  }) => ({
    revision: body.revision,
    stage: body.state.stage,
    ownerId: body.state.ownerId,
    amount: body.state.amount?.minor,
    expectedCloseDate: body.state.expectedCloseDate,
    asOf: body.asOf,
    knownAt: body.knownAt,
  });

  it('shows the deal as it stood on each date of its back-dated and live history', async () => {
    const at = async (query: string) => {
      const response = await deal(query);
      expect(response.status).toBe(200);
      return pick(response.body);
    };
    // 0 opened 01-10 (ana, initial_contact, 38,000.00) · 1 proposal 02-01 · 2 call 02-03 ·
    // 3 to ben 03-11 · 4 amount 42,000.00 03-12 · 5 to cem 03-13 09:00 · 6 close date 03-13 12:00
    expect(await at('asOf=2026-01-20T00:00:00Z')).toEqual({
      revision: 0,
      stage: 'initial_contact',
      ownerId: 'u-ana',
      amount: 3_800_000,
      expectedCloseDate: undefined,
      asOf: '2026-01-20T00:00:00.000Z',
      knownAt: null,
    });
    expect(await at('asOf=2026-02-10T00:00:00Z')).toMatchObject({
      revision: 2,
      stage: 'proposal',
      ownerId: 'u-ana',
    });
    expect(await at('asOf=2026-03-11T09:00:00Z')).toMatchObject({
      revision: 3,
      ownerId: 'u-ben',
      amount: 3_800_000,
    });
    expect(await at('asOf=2026-03-12T23:59:59Z')).toMatchObject({
      revision: 4,
      ownerId: 'u-ben',
      amount: 4_200_000,
    });
    // A bare date is the end of that day (UTC): the handover at 09:00 and the correction at 12:00.
    expect(await at('asOf=2026-03-13')).toEqual({
      revision: 6,
      stage: 'proposal',
      ownerId: 'u-cem',
      amount: 4_200_000,
      expectedCloseDate: '2026-04-30',
      asOf: '2026-03-13T23:59:59.999Z',
      knownAt: null,
    });
  });

  it('leaves out what was recorded after knownAt, back-dated or not', async () => {
    // The correction happened on 03-13 at 12:00 but was recorded only on 03-14.
    expect(pick((await deal('asOf=2026-03-13T18:00:00Z')).body)).toMatchObject({
      revision: 6,
      expectedCloseDate: '2026-04-30',
    });
    expect(
      pick((await deal('asOf=2026-03-13T18:00:00Z&knownAt=2026-03-13T18:00:00Z')).body),
    ).toEqual({
      revision: 5,
      stage: 'proposal',
      ownerId: 'u-cem',
      amount: 4_200_000,
      expectedCloseDate: undefined,
      asOf: '2026-03-13T18:00:00.000Z',
      knownAt: '2026-03-13T18:00:00.000Z',
    });
    // February as the migration was half done: the stage move (recorded 09:03) not yet imported.
    expect(
      pick((await deal('asOf=2026-02-10T00:00:00Z&knownAt=2026-03-10T09:02:30Z')).body),
    ).toMatchObject({ revision: 0, stage: 'initial_contact', ownerId: 'u-ana' });
    // knownAt alone: asOf is the same instant, "what the system showed then".
    expect((await deal('knownAt=2026-03-12T10:00:00Z')).body).toMatchObject({
      revision: 4,
      asOf: '2026-03-12T10:00:00.000Z',
      knownAt: '2026-03-12T10:00:00.000Z',
      state: { ownerId: 'u-ben', amount: { minor: 4_200_000 } },
    });
  });

  it('answers 404 as_of.record_not_found before the record existed, or before it was known', async () => {
    const before = await deal('asOf=2026-01-09T23:59:59Z');
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({
      code: 'as_of.record_not_found',
      field: 'asOf',
      details: {
        aggregate: 'deal',
        id: dealId,
        firstOccurredAt: '2026-01-10T10:00:00.000Z',
        firstRecordedAt: '2026-03-10T09:02:00.000Z',
      },
    });
    // It had happened by February, but nobody had imported it yet on 1 March.
    const unknown = await deal('asOf=2026-02-10T00:00:00Z&knownAt=2026-03-01T00:00:00Z');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'as_of.record_not_found', field: 'knownAt' });
  });

  it('rejects a malformed asOf or knownAt with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['asOf=last-tuesday', 'asOf'],
      ['asOf=2026-02-30T00:00:00Z', 'asOf'],
      ['knownAt=2026-13-01', 'knownAt'],
      ['asOf=2026-02-01T00:00:00Z&knownAt=soon', 'knownAt'],
    ]) {
      const response = await deal(query);
      expect({ query, status: response.status, field: response.body.field }).toEqual({
        query,
        status: 400,
        field,
      });
      expect(response.body.errors[0]).toMatchObject({ field, code: 'validation.is_iso8601' });
    }
    expect((await deal('asOf=2026-02-01T00:00:00Z&at=now')).status).toBe(400);
  });

  it('holds past states to the scope of today: the current owner sees them, earlier owners do not', async () => {
    // Cem holds the deal now, so he sees it as Ana held it in January.
    expect(pick((await deal('asOf=2026-01-20T00:00:00Z', cem)).body).ownerId).toBe('u-ana');
    const anaThen = await deal('asOf=2026-01-20T00:00:00Z', ana);
    expect(anaThen.status).toBe(403);
    expect(anaThen.body.code).toBe('auth.record_forbidden');
    expect((await account('asOf=2026-02-01T00:00:00Z', ana)).status).toBe(403);
    // Out of scope says nothing about existence, even before the record began.
    expect((await deal('asOf=2025-12-01T00:00:00Z', ana)).status).toBe(403);
    expect((await deal('asOf=2026-01-20T00:00:00Z', manager)).status).toBe(200);
  });

  it('reconstructs accounts with their contacts as they were, personal data opened', async () => {
    const january = (await account('asOf=2026-01-10T00:00:00Z')).body;
    expect(january).toMatchObject({ revision: 0, state: { ownerId: 'u-ana', contacts: {} } });
    const february = (await account('asOf=2026-02-01T00:00:00Z')).body;
    expect(february.revision).toBe(1);
    expect(february.state.contacts[contactId]).toEqual({
      contactId,
      name: 'Ahmed Al-Farsi',
      email: 'ahmed@gulf-valve.ae',
      role: 'purchasing',
    });
    // Handed to Ben on 03-11, then to Cem by Ben's deactivation on 03-13.
    expect((await account('asOf=2026-03-12T00:00:00Z')).body.state.ownerId).toBe('u-ben');
    expect((await account('asOf=2026-03-13T10:00:00Z')).body.state.ownerId).toBe('u-cem');
  });

  it('shows the back-dated lead as it was, and "[erased]" once its person is erased', async () => {
    // Received 03-01 07:30 (recorded 03-15 09:00) · to ana 03-15 10:00 · to cem 03-16 10:00
    const beforeAssignment = (await lead('asOf=2026-03-10T00:00:00Z')).body;
    expect(beforeAssignment.revision).toBe(0);
    expect(beforeAssignment.state.ownerId).toBeUndefined();
    expect(beforeAssignment.state.inquirer).toMatchObject({
      name: 'Lena Vogel',
      email: 'lena@vogel-armaturen.de',
      message: 'Please quote 500 DN50 ball valves, PN40',
    });
    // On 03-10 the inquiry had happened but was not in the system yet.
    expect((await lead('asOf=2026-03-10T00:00:00Z&knownAt=2026-03-10T00:00:00Z')).status).toBe(404);
    expect((await lead('asOf=2026-03-15T12:00:00Z')).body.state.ownerId).toBe('u-ana');
    expect((await lead('asOf=2026-03-16T12:00:00Z', cem)).body.state.ownerId).toBe('u-cem');
    expect((await lead('asOf=2026-03-15T12:00:00Z', ana)).status).toBe(403);

    const keys = running.app.get<SubjectKeyStore>(SUBJECT_KEY_STORE);
    await keys.destroy(`lead:${leadId}`, {
      erasedAt: clock.now().toISOString(),
      erasedBy: 'u-mgr',
      requestRef: 'GDPR-2026-0042',
    });
    const erased = (await lead('asOf=2026-03-10T00:00:00Z')).body;
    expect(erased.state.inquirer).toMatchObject({
      name: '[erased]',
      email: '[erased]',
      message: '[erased]',
      company: 'Vogel Armaturen GmbH',
      country: 'DE',
    });
    expect(JSON.stringify(erased)).not.toMatch(/Lena|vogel-armaturen\.de|DN50/);
  });

  describe('the pipeline board and the forecast, as of a date and known at an instant', () => {
    interface Card {
      id: string;
      ownerId: string;
      stage: string;
      amount: { minor: number; currency: string } | null;
      enteredStageAt: string;
    }
    interface Column {
      stage: string;
      count: number;
      amounts: Record<string, number>;
      cards: Card[];
    }
    const board = async (query: string, as: Client = manager) => {
      const response = await as.get(`/api/reports/pipeline?${query}`);
      expect(response.status).toBe(200);
      return response.body as { columns: Column[]; asOf: string; knownAt: string | null };
    };
    /** stage → "deal:owner:amount" of the cards of our two deals. */
    const cards = (body: { columns: Column[] }) =>
      Object.fromEntries(
        body.columns
          .map((column) => [
            column.stage,
            column.cards
              .filter((card) => card.id === dealId || card.id === smallDealId)
              .map(
                (card) =>
                  `${card.id === dealId ? 'DN50' : 'seals'}:${card.ownerId}:${card.amount?.minor}`,
              ),
          ])
          .filter(([, shown]) => shown.length > 0),
      );
    const forecast = async (query: string) => {
      const response = await manager.get(`/api/reports/forecast?${query}`);
      expect(response.status).toBe(200);
      return response.body as {
        asOf: string;
        knownAt?: string;
        currency: string;
        rows: Array<{
          month: string;
          openDeals: number;
          weightedMinor: number;
          wonDeals: number;
          wonMinor: number;
        }>;
      };
    };
    const month = (body: Awaited<ReturnType<typeof forecast>>, key: string) => {
      const row = body.rows.find((r) => r.month === key)!;
      return [row.openDeals, row.weightedMinor, row.wonDeals, row.wonMinor];
    };

    beforeAll(() => readModelsCaughtUp(running.baseUrl));

    it('shows the deals open then, in the stage, with the owner and amount they had then', async () => {
      expect(cards(await board('asOf=2026-02-10T00:00:00Z'))).toEqual({
        initial_contact: ['seals:u-ana:1000000'],
        proposal: ['DN50:u-ana:3800000'],
      });
      // Seals were won on 02-20; DN50 was Ben's from 03-11, at the new amount from 03-12.
      expect(cards(await board('asOf=2026-02-25T00:00:00Z'))).toEqual({
        proposal: ['DN50:u-ana:3800000'],
      });
      expect(cards(await board('asOf=2026-03-12T12:00:00Z'))).toEqual({
        proposal: ['DN50:u-ben:4200000'],
      });
      const column = (await board('asOf=2026-02-10T00:00:00Z')).columns.find(
        (c) => c.stage === 'proposal',
      )!;
      expect(column).toMatchObject({ count: 1, amounts: { USD: 3_800_000 } });
      expect(column.cards[0].enteredStageAt).toBe('2026-02-01T10:00:00.000Z');
      // Today's answer through the as-of path is the live board's.
      const live = cards(await board(''));
      expect(cards(await board('asOf=2026-03-20T09:00:00Z'))).toEqual(live);
      expect(live).toEqual({ proposal: ['DN50:u-cem:4200000'] });
    });

    it('leaves out of the board what was imported after knownAt', async () => {
      // At 09:02:30 on 03-10 only DN50's opening had been imported: no stage move, no Seals.
      const early = await board('asOf=2026-02-10T00:00:00Z&knownAt=2026-03-10T09:02:30Z');
      expect(cards(early)).toEqual({ initial_contact: ['DN50:u-ana:3800000'] });
      expect(early).toMatchObject({
        asOf: '2026-02-10T00:00:00.000Z',
        knownAt: '2026-03-10T09:02:30.000Z',
      });
      expect(cards(await board('asOf=2026-02-10T00:00:00Z&knownAt=2026-03-10T09:03:30Z'))).toEqual({
        proposal: ['DN50:u-ana:3800000'],
      });
    });

    it("holds a rep's past board to the deals they may see now, filtered by the owner then", async () => {
      // Cem holds DN50 now and sees it as Ana held it; Ana sees her Seals, not DN50.
      expect(cards(await board('asOf=2026-02-10T00:00:00Z', cem))).toEqual({
        proposal: ['DN50:u-ana:3800000'],
      });
      expect(cards(await board('asOf=2026-02-10T00:00:00Z', ana))).toEqual({
        initial_contact: ['seals:u-ana:1000000'],
      });
      expect(cards(await board('asOf=2026-03-12T12:00:00Z&owner=u-ben'))).toEqual({
        proposal: ['DN50:u-ben:4200000'],
      });
      expect(cards(await board('asOf=2026-03-12T12:00:00Z&owner=u-cem'))).toEqual({});
      const invalid = await manager.get('/api/reports/pipeline?knownAt=yesterday');
      expect(invalid.status).toBe(400);
      expect(invalid.body.field).toBe('knownAt');
    });

    it('weighs the forecast as of a date with the stage and amount then (proposal 30 %)', async () => {
      // 02-10: DN50 0.3 × 38,000.00 + Seals 0.1 × 10,000.00, neither with a close date.
      expect(month(await forecast('asOf=2026-02-10T00:00:00Z'), 'unscheduled')).toEqual([
        2, 1_240_000, 0, 0,
      ]);
      // 02-25: Seals won in February; DN50 still unscheduled.
      const february = await forecast('asOf=2026-02-25T00:00:00Z');
      expect(month(february, '2026-02')).toEqual([0, 0, 1, 1_000_000]);
      expect(month(february, 'unscheduled')).toEqual([1, 1_140_000, 0, 0]);
      // 03-13 18:00: 0.3 × 42,000.00 in April, once the back-dated close date counts.
      const march = await forecast('asOf=2026-03-13T18:00:00Z');
      expect(month(march, '2026-04')).toEqual([1, 1_260_000, 0, 0]);
      expect(month(march, 'unscheduled')).toEqual([0, 0, 0, 0]);
    });

    it('leaves out of the forecast what was recorded after knownAt', async () => {
      const known = await forecast('asOf=2026-03-13T18:00:00Z&knownAt=2026-03-13T18:00:00Z');
      expect(known).toMatchObject({ knownAt: '2026-03-13T18:00:00.000Z', currency: 'USD' });
      expect(month(known, '2026-04')).toEqual([0, 0, 0, 0]);
      expect(month(known, 'unscheduled')).toEqual([1, 1_260_000, 0, 0]);
      // Before Seals were imported, February had no win.
      const early = await forecast('asOf=2026-02-25T00:00:00Z&knownAt=2026-03-10T09:04:30Z');
      expect(month(early, '2026-02')).toEqual([0, 0, 0, 0]);
      expect(month(early, 'unscheduled')).toEqual([1, 1_140_000, 0, 0]);
      // knownAt alone is as of that instant too.
      expect((await forecast('knownAt=2026-03-12T10:00:00Z')).asOf).toBe(
        '2026-03-12T10:00:00.000Z',
      );
    });

    it('agrees with the weighted-forecast read model when everything is known', async () => {
      for (const asOf of [
        '2026-01-20T00:00:00Z',
        '2026-02-10T00:00:00Z',
        '2026-02-25T00:00:00Z',
        '2026-03-12T12:00:00Z',
        '2026-03-13T18:00:00Z',
      ]) {
        for (const extra of ['', '&by=shipMonth', '&groupBy=owner']) {
          const fromDeltas = await forecast(`asOf=${asOf}${extra}`);
          const fromTimelines = await forecast(`asOf=${asOf}&knownAt=2026-03-20T09:00:00Z${extra}`);
          expect({ asOf, extra, rows: fromTimelines.rows }).toEqual({
            asOf,
            extra,
            rows: fromDeltas.rows,
          });
        }
      }
    });
  });
});
