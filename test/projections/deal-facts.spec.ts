import stagePolicy from '../../config/policies/stages.default.json';
import { regionOf } from '../../domain/shared/regions';
import { dealFactsProjection } from '../../projections/deal-facts.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { dealFacts, listDealFacts } from '../../src/reports/deals/deal-facts.query';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// alice and bob are in team north, carol in south; bob moves to south on 2026-02-15.
const policy = (id: string, version: number, body: object, at: string) =>
  recorded(
    `policy-${id}`,
    'PolicyVersionPublished',
    { id, version, body: { ...body, id, version }, publishedAt: at },
    at,
  );
const user = (id: string, teamId: string, at: string) =>
  recorded(
    `user-${id}`,
    'UserRegistered',
    { userId: id, name: id, email: `${id}@x.test`, role: 'rep', teamId },
    at,
  );
const movedTeam = (id: string, from: string, to: string, at: string) =>
  recorded(`user-${id}`, 'UserMovedToTeam', { userId: id, from, to }, at);
const STAGES_V1 = { id: 'stages.default', version: 1 };
const usd = (minor: number) => ({ minor, currency: 'USD' });

function deal(id: string) {
  const stream = `deal-${id}`;
  const on = (type: string, data: Record<string, unknown>, at: string) =>
    recorded(stream, type, data, at);
  return {
    opened: (at: string, ownerId: string, over: Record<string, unknown> = {}) =>
      on(
        'DealOpened',
        {
          dealId: id,
          accountId: `acc-${id}`,
          title: `Deal ${id}`,
          ownerId,
          channel: 'website_form',
          country: 'DE',
          productLine: 'valves',
          repeat: false,
          currency: 'USD',
          stage: 'initial_contact',
          policy: STAGES_V1,
          ...over,
        },
        at,
      ),
    stage: (from: string, to: string, at: string) =>
      on(
        'DealStageChanged',
        { from, to, direction: 'forward', reentry: false, policy: STAGES_V1 },
        at,
      ),
    amount: (minor: number, at: string) =>
      on('DealAmountChanged', { amount: usd(minor), cause: 'manual' }, at),
    closeDate: (date: string, at: string) => on('DealExpectedCloseDateChanged', { date }, at),
    shipMonth: (month: string, at: string) => on('DealExpectedShipMonthChanged', { month }, at),
    won: (stage: string, minor: number, at: string) =>
      on(
        'DealWon',
        { orderReference: `PO-${id}`, stage, amount: usd(minor), policy: STAGES_V1 },
        at,
      ),
    lost: (stage: string, reasonCode: string, at: string) =>
      on(
        'DealLost',
        {
          reasonCode,
          reason: reasonCode.split('.')[0],
          subReason: reasonCode.split('.')[1],
          stage,
          policy: { id: 'loss-reasons.default', version: 1 },
        },
        at,
      ),
    reopened: (stage: string, previousOutcome: 'won' | 'lost', at: string) =>
      on('DealReopened', { stage, previousOutcome, reason: 'buyer came back' }, at),
    transferred: (from: string, to: string, at: string) =>
      on(
        'DealOwnerTransferred',
        { from, to, reason: 'handover', cause: { kind: 'person', id: 'mgr' } },
        at,
      ),
    paid: (paymentId: string, receivedOn: string, at: string) =>
      on(
        'DealPaymentRecorded',
        {
          paymentId,
          amount: usd(10),
          receivedOn,
          amountInDealCurrency: usd(10),
          totalPaid: usd(10),
          outstanding: usd(0),
        },
        at,
      ),
    paidInFull: (paidOn: string, at: string) =>
      on('DealPaidInFull', { totalPaid: usd(100), paidOn }, at),
  };
}

const [d1, d2, d4, d5] = ['d1', 'd2', 'd4', 'd5'].map(deal);

const EVENTS: RecordedEvent[] = history([
  policy('stages.default', 1, stagePolicy, '2025-01-01T00:00:00.000Z'),
  user('alice', 'north', '2025-01-02T00:00:00.000Z'),
  user('bob', 'north', '2025-01-02T00:00:00.000Z'),
  user('carol', 'south', '2025-01-02T00:00:00.000Z'),
  // d1: I → P → S → back to P → N → won, then paid (second payment received earlier than the first recorded).
  d1.opened('2026-01-05T09:00:00Z', 'alice', {
    originLeadId: 'lead-1',
    amount: usd(50_000),
    expectedCloseDate: '2026-03-31',
  }),
  d1.stage('initial_contact', 'proposal', '2026-01-10T09:00:00Z'),
  d1.amount(60_000, '2026-01-11T09:00:00Z'),
  d1.stage('proposal', 'sample', '2026-01-20T09:00:00Z'),
  d1.stage('sample', 'proposal', '2026-01-25T09:00:00Z'),
  d1.shipMonth('2026-05', '2026-01-26T09:00:00Z'),
  d1.stage('proposal', 'negotiation', '2026-02-01T09:00:00Z'),
  d1.won('negotiation', 61_000, '2026-02-10T09:00:00Z'),
  d1.paid('p2', '2026-02-20', '2026-02-22T09:00:00Z'),
  d1.paid('p1', '2026-02-18', '2026-02-23T09:00:00Z'),
  d1.paidInFull('2026-02-20', '2026-02-23T09:00:01Z'),
  // d2: I → S (skips P) → lost → reopened into S → N; still open. Repeat customer in AE.
  d2.opened('2026-01-08T09:00:00Z', 'bob', { country: 'AE', repeat: true, currency: 'AED' }),
  d2.stage('initial_contact', 'sample', '2026-01-12T09:00:00Z'),
  d2.lost('sample', 'price.competitor_cheaper', '2026-01-30T09:00:00Z'),
  d2.reopened('sample', 'lost', '2026-02-05T09:00:00Z'),
  // d4: opened by bob, handed to carol (team south).
  d4.opened('2026-02-03T09:00:00Z', 'bob'),
  d4.transferred('bob', 'carol', '2026-02-04T09:00:00Z'),
  movedTeam('bob', 'north', 'south', '2026-02-15T00:00:00Z'),
  d2.stage('sample', 'negotiation', '2026-02-20T09:00:00Z'),
  // d5: a back-dated import, recorded last: lost in January.
  d5.opened('2026-01-20T09:00:00Z', 'bob'),
  d5.lost('initial_contact', 'lead_time.capacity_short', '2026-01-25T09:00:00Z'),
]);

describe('deal facts', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(dealFactsProjection, EVENTS);
  });
  afterAll(() => model.close());

  it('keeps a won deal’s path through the stages, its amounts, dates and payments', async () => {
    expect(await dealFacts(model.store, model.name, 'd1')).toEqual({
      id: 'd1',
      dealId: 'd1',
      accountId: 'acc-d1',
      title: 'Deal d1',
      ownerId: 'alice',
      teamId: 'north',
      channel: 'website_form',
      country: 'DE',
      region: 'europe',
      productLine: 'valves',
      originLeadId: 'lead-1',
      repeat: false,
      currency: 'USD',
      amount: usd(61_000),
      amountMinor: 61_000,
      stage: 'negotiation',
      status: 'won',
      openedAt: '2026-01-05T09:00:00.000Z',
      wonAt: '2026-02-10T09:00:00.000Z',
      lostAt: null,
      reopenedAt: null,
      reopenCount: 0,
      expectedCloseDate: '2026-03-31',
      expectedShipMonth: '2026-05',
      // p1 was received on 02-18, before p2 (02-20), though recorded after it.
      firstPaymentOn: '2026-02-18',
      paidInFullOn: '2026-02-20',
      stageEntries: [
        {
          stage: 'initial_contact',
          enteredAt: '2026-01-05T09:00:00.000Z',
          leftAt: '2026-01-10T09:00:00.000Z',
        },
        {
          stage: 'proposal',
          enteredAt: '2026-01-10T09:00:00.000Z',
          leftAt: '2026-01-20T09:00:00.000Z',
        },
        {
          stage: 'sample',
          enteredAt: '2026-01-20T09:00:00.000Z',
          leftAt: '2026-01-25T09:00:00.000Z',
        },
        {
          stage: 'proposal',
          enteredAt: '2026-01-25T09:00:00.000Z',
          leftAt: '2026-02-01T09:00:00.000Z',
        },
        {
          stage: 'negotiation',
          enteredAt: '2026-02-01T09:00:00.000Z',
          leftAt: '2026-02-10T09:00:00.000Z',
        },
      ],
      lossReasonCode: null,
      lossReason: null,
      lossSubReason: null,
      updatedAt: '2026-02-23T09:00:01.000Z',
    });
  });

  it('a reopened deal is open again with its loss cleared, and the time it was lost is in no stage', async () => {
    const facts = await dealFacts(model.store, model.name, 'd2');
    expect(facts).toMatchObject({
      status: 'open',
      stage: 'negotiation',
      country: 'AE',
      region: 'mena',
      repeat: true,
      currency: 'AED',
      amount: null,
      lostAt: null,
      lossReasonCode: null,
      reopenedAt: '2026-02-05T09:00:00.000Z',
      reopenCount: 1,
      // Bob was in north until 02-15; d2's last event (02-20) finds him in south.
      teamId: 'south',
    });
    expect(facts!.stageEntries).toEqual([
      {
        stage: 'initial_contact',
        enteredAt: '2026-01-08T09:00:00.000Z',
        leftAt: '2026-01-12T09:00:00.000Z',
      },
      {
        stage: 'sample',
        enteredAt: '2026-01-12T09:00:00.000Z',
        leftAt: '2026-01-30T09:00:00.000Z',
      },
      {
        stage: 'sample',
        enteredAt: '2026-02-05T09:00:00.000Z',
        leftAt: '2026-02-20T09:00:00.000Z',
      },
      { stage: 'negotiation', enteredAt: '2026-02-20T09:00:00.000Z', leftAt: null },
    ]);
  });

  it('follows a handover: the current owner and their team', async () => {
    expect(await dealFacts(model.store, model.name, 'd4')).toMatchObject({
      ownerId: 'carol',
      teamId: 'south',
      status: 'open',
    });
  });

  it('places a back-dated deal by its business times, with both levels of its loss reason', async () => {
    expect(await dealFacts(model.store, model.name, 'd5')).toMatchObject({
      status: 'lost',
      openedAt: '2026-01-20T09:00:00.000Z',
      lostAt: '2026-01-25T09:00:00.000Z',
      lossReasonCode: 'lead_time.capacity_short',
      lossReason: 'lead_time',
      lossSubReason: 'capacity_short',
      // Bob's team at 2026-01-25, though his move to south was applied before this import.
      teamId: 'north',
      stageEntries: [
        {
          stage: 'initial_contact',
          enteredAt: '2026-01-20T09:00:00.000Z',
          leftAt: '2026-01-25T09:00:00.000Z',
        },
      ],
    });
  });

  it('lists by owner, team, status and stage, newest opening first, with a limit', async () => {
    const ids = async (filter: Parameters<typeof listDealFacts>[2]) =>
      (await listDealFacts(model.store, model.name, filter)).map((facts) => facts.id);
    expect(await ids({ ownerId: 'bob' })).toEqual(['d5', 'd2']);
    expect(await ids({ ownerId: 'bob', status: 'open' })).toEqual(['d2']);
    expect(await ids({ ownerId: 'bob', status: 'open', stage: 'negotiation' })).toEqual(['d2']);
    expect(await ids({ teamId: 'south' })).toEqual(['d4', 'd2']);
    expect(await ids({ status: 'open' })).toEqual(['d4', 'd2']);
    expect(await ids({ status: 'open', stage: 'initial_contact' })).toEqual(['d4']);
    expect(await ids({})).toEqual(['d4', 'd5', 'd2', 'd1']);
    expect(await ids({ limit: 2 })).toEqual(['d4', 'd5']);
    expect(await ids({ openedBefore: '2026-01-20T09:00:00.000Z' })).toEqual(['d2', 'd1']);
  });

  it('is the same whatever the batch size', async () => {
    const one = await project(dealFactsProjection, EVENTS, 1);
    expect(await one.find('deal_facts')).toEqual(await model.find('deal_facts'));
    await one.close();
  });

  it('derives the region from the country', () => {
    expect([
      regionOf('DE'),
      regionOf('AE'),
      regionOf('US'),
      regionOf('MX'),
      regionOf('IN'),
      regionOf('ZZ'),
    ]).toEqual(['europe', 'mena', 'north_america', 'latin_america', 'south_asia', 'other']);
  });
});
