import {
  CARDS,
  COLUMNS,
  pipelineBoardProjection,
} from '../../projections/pipeline-board.projection';
import { pipelineBoard, PipelineQuery } from '../../src/reports/pipeline/pipeline-board.query';
import { history, project, ProjectedModel, recorded } from '../support/projection-harness';

/*
 * A scripted history and the board it leaves, by hand.
 *
 * u1 in tA, u2 in tB. Account a1 "Acme GmbH", renamed "Acme AG".
 * D1 u1 initial_contact EUR 1,000,000 (01-05); activities at 01-08 10:00 and, logged later, 01-07;
 *    skips proposal → sample (01-10); handed to u2 (01-15).
 * D2 u1 proposal USD 500,000 (01-06); won 01-12 → off the board.
 * D3 u2 initial_contact, no amount (01-07); lost 01-13; reopened 01-20 → back in initial_contact,
 *    entered 01-20.
 * D4 u1 initial_contact EUR 200,000 (01-09); amount → 250,000 (01-11).
 *
 * Cards: D1 (u2, sample, EUR 1,000,000), D3 (u2, initial_contact, no amount), D4 (u1,
 * initial_contact, EUR 250,000).
 * Counters: u1|initial_contact 1 / EUR 250,000; u2|initial_contact 1 / unpriced 1;
 *           u2|sample 1 / EUR 1,000,000; u1|proposal and u1|sample back to 0.
 */

const at = (day: string, time = '12:00:00') => `2026-${day}T${time}.000Z`;
const ref = { id: 'stages.default', version: 1 };

const opened = (
  id: string,
  day: string,
  owner: string,
  stage: string,
  amount?: { minor: number; currency: string },
) =>
  recorded(
    `deal-${id}`,
    'DealOpened',
    {
      dealId: id,
      accountId: 'a1',
      title: `Deal ${id}`,
      ownerId: owner,
      channel: 'trade_show',
      country: 'DE',
      productLine: 'valves',
      repeat: false,
      currency: amount?.currency ?? 'EUR',
      ...(amount ? { amount } : {}),
      expectedCloseDate: '2026-03-31',
      stage,
      policy: ref,
    },
    at(day),
  );

const deal = (
  id: string,
  type: string,
  data: Record<string, unknown>,
  day: string,
  time?: string,
) => recorded(`deal-${id}`, type, data, at(day, time));

const activity = (id: string, activityAt: string, day: string) =>
  deal(
    id,
    'DealActivityLogged',
    {
      activityId: `${id}-${activityAt}`,
      kind: 'call',
      direction: 'outbound',
      summary: 's',
      at: activityAt,
    },
    day,
  );

function script() {
  return history([
    recorded(
      'policy-stages.default',
      'PolicyVersionPublished',
      {
        id: 'stages.default',
        version: 1,
        body: {
          id: 'stages.default',
          version: 1,
          openStages: ['initial_contact', 'proposal', 'sample', 'negotiation'].map((key) => ({
            key,
          })),
        },
      },
      at('01-01', '00:00:00'),
    ),
    recorded('user-u1', 'UserRegistered', { userId: 'u1', teamId: 'tA', role: 'rep' }, at('01-01')),
    recorded('user-u2', 'UserRegistered', { userId: 'u2', teamId: 'tB', role: 'rep' }, at('01-01')),
    recorded(
      'account-a1',
      'AccountRegistered',
      { accountId: 'a1', name: 'Acme GmbH', ownerId: 'u1' },
      at('01-02'),
    ),
    opened('d1', '01-05', 'u1', 'initial_contact', { minor: 1_000_000, currency: 'EUR' }),
    opened('d2', '01-06', 'u1', 'proposal', { minor: 500_000, currency: 'USD' }),
    opened('d3', '01-07', 'u2', 'initial_contact'),
    activity('d1', at('01-08', '10:00:00'), '01-08'),
    activity('d1', at('01-07', '09:00:00'), '01-09'),
    opened('d4', '01-09', 'u1', 'initial_contact', { minor: 200_000, currency: 'EUR' }),
    deal(
      'd1',
      'DealStageChanged',
      { from: 'initial_contact', to: 'sample', direction: 'forward', reentry: false, policy: ref },
      '01-10',
    ),
    deal(
      'd4',
      'DealAmountChanged',
      { amount: { minor: 250_000, currency: 'EUR' }, cause: 'manual' },
      '01-11',
    ),
    deal(
      'd2',
      'DealWon',
      {
        orderReference: 'PO',
        stage: 'proposal',
        amount: { minor: 500_000, currency: 'USD' },
        policy: ref,
      },
      '01-12',
    ),
    deal(
      'd3',
      'DealLost',
      {
        reasonCode: 'trust.no_reply',
        reason: 'trust',
        subReason: 'no_reply',
        stage: 'initial_contact',
        policy: ref,
      },
      '01-13',
    ),
    activity('d3', at('01-14'), '01-14'),
    deal(
      'd1',
      'DealOwnerTransferred',
      { from: 'u1', to: 'u2', reason: 'territory', cause: { kind: 'person', id: 'm' } },
      '01-15',
    ),
    recorded(
      'account-a1',
      'AccountProfileUpdated',
      { accountId: 'a1', changes: { name: 'Acme AG' } },
      at('01-16'),
    ),
    deal(
      'd3',
      'DealReopened',
      { stage: 'initial_contact', previousOutcome: 'lost', reason: 'replied' },
      '01-20',
    ),
  ]);
}

describe('pipeline board', () => {
  let model: ProjectedModel;

  beforeAll(async () => {
    model = await project(pipelineBoardProjection, script());
  });
  afterAll(() => model.close());

  const board = (query: Partial<PipelineQuery> = {}) =>
    pipelineBoard(model.store, model.name, { owners: 'all', limit: 50, ...query });

  it('keeps one card per open deal: won and lost leave, a reopen comes back, a handover moves it', async () => {
    const cards = await model.find(CARDS, {
      where: { stage: 'initial_contact' },
      sort: [['enteredStageAt', 'asc']],
    });
    expect(cards.map((card) => card.id)).toEqual(['d4', 'd3']);
    expect(await model.get(CARDS, 'd2')).toBeUndefined();
    expect(await model.get(CARDS, 'd1')).toMatchObject({
      ownerId: 'u2',
      stage: 'sample',
      amountMinor: 1_000_000,
      currency: 'EUR',
      enteredStageAt: at('01-10'),
      lastActivityAt: at('01-08', '10:00:00'), // the older activity logged later does not win
      expectedCloseDate: '2026-03-31',
    });
    expect(await model.get(CARDS, 'd3')).toMatchObject({
      ownerId: 'u2',
      enteredStageAt: at('01-20'), // the reopen re-enters the stage
      lastActivityAt: at('01-14'), // logged while lost, kept for the reopen
      amountMinor: null,
    });
  });

  it('keeps per-(owner, stage) counters with amounts per currency', async () => {
    const counter = (id: string) => model.get(COLUMNS, id);
    expect(await counter('u1|initial_contact')).toMatchObject({ count: 1, amount_EUR: 250_000 });
    expect(await counter('u2|initial_contact')).toMatchObject({ count: 1, unpriced: 1 });
    expect(await counter('u2|sample')).toMatchObject({ count: 1, amount_EUR: 1_000_000 });
    expect(await counter('u1|proposal')).toMatchObject({ count: 0, amount_USD: 0 });
    expect(await counter('u1|sample')).toMatchObject({ count: 0, amount_EUR: 0 });
  });

  it('answers the whole board in stage order, oldest in the stage first, with account names and teams joined', async () => {
    const result = await board();
    expect(
      result.columns.map((c) => [
        c.stage,
        c.count,
        c.unpriced,
        c.amounts,
        c.cards.map((card) => card.id),
      ]),
    ).toEqual([
      ['initial_contact', 2, 1, { EUR: 250_000 }, ['d4', 'd3']],
      ['proposal', 0, 0, {}, []],
      ['sample', 1, 0, { EUR: 1_000_000 }, ['d1']],
      ['negotiation', 0, 0, {}, []],
    ]);
    expect(result.columns[2].cards[0]).toEqual({
      id: 'd1',
      title: 'Deal d1',
      account: { id: 'a1', name: 'Acme AG', mergedInto: null },
      ownerId: 'u2',
      teamId: 'tB',
      stage: 'sample',
      amount: { minor: 1_000_000, currency: 'EUR' },
      expectedCloseDate: '2026-03-31',
      expectedShipMonth: null,
      enteredStageAt: at('01-10'),
      lastActivityAt: at('01-08', '10:00:00'),
    });
    expect(result.owners).toEqual([
      { ownerId: 'u1', stage: 'initial_contact', count: 1, unpriced: 0, amounts: { EUR: 250_000 } },
      { ownerId: 'u2', stage: 'initial_contact', count: 1, unpriced: 1, amounts: {} },
      { ownerId: 'u2', stage: 'sample', count: 1, unpriced: 0, amounts: { EUR: 1_000_000 } },
    ]);
    expect(result.rows).toHaveLength(3);
  });

  it("narrows to an owner's deals, to a stage, and to a limit per column", async () => {
    const u1 = await board({ owners: ['u1'] });
    expect(u1.columns.map((c) => [c.stage, c.count, c.cards.map((card) => card.id)])).toEqual([
      ['initial_contact', 1, ['d4']],
      ['proposal', 0, []],
      ['sample', 0, []],
      ['negotiation', 0, []],
    ]);
    const team = await board({ owners: ['u1', 'u2'], stage: 'initial_contact', limit: 1 });
    expect(team.columns).toHaveLength(1);
    expect(team.columns[0]).toMatchObject({ stage: 'initial_contact', count: 2, more: true });
    expect(team.columns[0].cards.map((card) => card.id)).toEqual(['d4']);
    expect((await board({ owners: [] })).columns).toEqual([]);
  });
});
