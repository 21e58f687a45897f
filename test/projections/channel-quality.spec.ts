import { channelQualityProjection } from '../../projections/channel-quality.projection';
import {
  ChannelCostPolicy,
  channelCostInPeriod,
  channelCostPolicyProblems,
} from '../../domain/policies/channel-cost-policy';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { channelQuality } from '../../src/reports/leads/channel-quality.report';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import type { ReportPeriod } from '../../src/reports/report-period';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// u1 is in team north, u2 in team south. The March cohort: l1, l2, l3 (alibaba), l5 (trade show,
// a back-dated import recorded last), l6 (website form, 23:45 on 31 March: a sub-hour edge).
// l4 arrived in February and l7 on 1 April: outside March.

const person = { kind: 'person', id: 'mgr' };
const user = (id: string, teamId: string, at: string) =>
  recorded(
    `user-${id}`,
    'UserRegistered',
    { userId: id, name: id, email: `${id}@x.test`, role: 'rep', teamId },
    at,
  );

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received: (at: string, channel: string, country?: string, live = true) =>
      recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel,
          payloadHash: 'a'.repeat(64),
          inquirer: { company: `Co ${id}`, ...(country ? { country } : {}) },
          attachments: [],
          live,
          receivedAt: at,
        },
        at,
      ),
    assigned: (to: string, at: string) =>
      recorded(stream, 'LeadAssigned', { leadId: id, to, reason: 'rule', cause: person }, at),
    transferred: (from: string, to: string, at: string) =>
      recorded(
        stream,
        'LeadOwnershipTransferred',
        { leadId: id, from, to, reason: 'leave', cause: person },
        at,
      ),
    qualified: (at: string) => recorded(stream, 'LeadQualified', { leadId: id }, at),
    disqualified: (at: string) =>
      recorded(stream, 'LeadDisqualified', { leadId: id, reason: 'spam' }, at),
    converted: (owner: string, dealId: string, at: string) =>
      recorded(
        stream,
        'LeadConverted',
        {
          leadId: id,
          ownerId: owner,
          channel: 'alibaba',
          accountId: `acc-${id}`,
          contactId: `c-${id}`,
          dealId,
          deal: {},
        },
        at,
      ),
  };
}

function deal(id: string, leadId: string) {
  const stream = `deal-${id}`;
  return {
    opened: (owner: string, at: string) =>
      recorded(
        stream,
        'DealOpened',
        {
          dealId: id,
          accountId: `acc-${leadId}`,
          title: id,
          ownerId: owner,
          channel: 'alibaba',
          country: 'DE',
          productLine: 'valves',
          originLeadId: leadId,
          repeat: false,
          currency: 'USD',
          stage: 'initial_contact',
          policy: { id: 'stages.default', version: 1 },
        },
        at,
      ),
    won: (at: string) =>
      recorded(
        stream,
        'DealWon',
        {
          orderReference: 'PO',
          stage: 'negotiation',
          amount: { minor: 100, currency: 'USD' },
          policy: { id: 'stages.default', version: 1 },
        },
        at,
      ),
    lost: (at: string) =>
      recorded(
        stream,
        'DealLost',
        {
          reasonCode: 'price.x',
          reason: 'price',
          subReason: 'x',
          stage: 'negotiation',
          policy: { id: 'loss-reasons.default', version: 1 },
        },
        at,
      ),
    reopened: (at: string) =>
      recorded(
        stream,
        'DealReopened',
        { stage: 'negotiation', previousOutcome: 'won', reason: 'order cancelled' },
        at,
      ),
  };
}

const [l1, l2, l3, l4, l5, l6, l7] = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'].map(lead);
const d1 = deal('d1', 'l1');
const d3 = deal('d3', 'l3');

const EVENTS: RecordedEvent[] = history([
  user('u1', 'north', '2025-01-01T00:00:00.000Z'),
  user('u2', 'south', '2025-01-01T00:00:00.000Z'),
  l4.received('2026-02-27T10:00:00.000Z', 'trade_show', 'AE'),
  l4.assigned('u2', '2026-02-27T10:00:00.000Z'),
  l1.received('2026-03-02T10:00:00.000Z', 'alibaba', 'DE'),
  l1.assigned('u1', '2026-03-02T10:00:00.000Z'),
  l4.qualified('2026-03-03T10:00:00.000Z'),
  l1.qualified('2026-03-03T12:00:00.000Z'),
  l1.converted('u1', 'd1', '2026-03-04T09:00:00.000Z'),
  d1.opened('u1', '2026-03-04T09:00:00.000Z'),
  l2.received('2026-03-05T10:00:00.000Z', 'alibaba', 'US'),
  l2.assigned('u1', '2026-03-05T10:00:00.000Z'),
  l2.disqualified('2026-03-06T10:00:00.000Z'),
  // l3 arrives unassigned; u2 gets it an hour later: the cohort belongs to its first owner.
  l3.received('2026-03-20T10:00:00.000Z', 'alibaba', 'DE'),
  l3.assigned('u2', '2026-03-20T11:00:00.000Z'),
  l3.converted('u2', 'd3', '2026-03-21T09:00:00.000Z'),
  d3.opened('u2', '2026-03-21T09:00:00.000Z'),
  d3.won('2026-03-25T09:00:00.000Z'),
  d3.reopened('2026-03-26T09:00:00.000Z'),
  d3.lost('2026-03-28T09:00:00.000Z'),
  // A handover mid-period does not move l1's cohort from u1.
  l1.transferred('u1', 'u2', '2026-03-15T09:00:00.000Z'),
  l6.received('2026-03-31T23:45:00.000Z', 'website_form', 'DE'),
  l7.received('2026-04-01T00:00:00.000Z', 'website_form', 'DE'),
  // d1 is won in April: it still counts for the March cohort.
  d1.won('2026-04-10T09:00:00.000Z'),
  // l5: imported in April with its March date.
  l5.received('2026-03-10T08:00:00.000Z', 'trade_show', 'AE', false),
  l5.assigned('u2', '2026-03-10T08:00:00.000Z'),
  l5.qualified('2026-04-12T08:00:00.000Z'),
]);

const COSTS: ChannelCostPolicy = {
  id: 'channel-costs.default',
  version: 1,
  currency: 'USD',
  costs: [
    { channel: 'alibaba', from: '2026-01', amountMinor: 250_000 },
    { channel: 'trade_show', from: '2026-03', until: '2026-03', amountMinor: 600_000 },
    { channel: 'website_form', from: '2026-01', amountMinor: 40_000 },
    { channel: 'linkedin', from: '2026-01', amountMinor: 80_000 },
  ],
};

const MARCH: ReportPeriod = {
  from: new Date('2026-03-01T00:00:00.000Z'),
  to: new Date('2026-04-01T00:00:00.000Z'),
  tz: 'UTC',
};

describe('channel quality projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(channelQualityProjection, EVENTS);
  });
  afterAll(() => model.close());

  it('counts the cohort received in the period, whatever happened to it since, with cost per lead and per won deal', async () => {
    const rows = await channelQuality(
      model.store,
      model.name,
      MARCH,
      selectionOf({}, 'channel'),
      COSTS,
    );
    expect(rows).toEqual([
      // alibaba: l1 (qualified, converted, won in April), l2 (disqualified), l3 (converted, so
      // qualified; won then reopened and lost: not won). 3 leads, 2 qualified, 2 deals, 1 won.
      // Cost 2 500.00 for March: per lead 250 000 / 3 = 83 333.33 → 83 333; per won deal 250 000.
      {
        channel: 'alibaba',
        inquiries: 3,
        qualified: 2,
        qualifiedRate: 0.6667,
        convertedToDeal: 2,
        dealConversionRate: 0.6667,
        won: 1,
        wonConversionRate: 0.3333,
        costMinor: 250_000,
        currency: 'USD',
        costPerLeadMinor: 83_333,
        costPerWonDealMinor: 250_000,
        monthsWithoutCost: null,
      },
      // linkedin cost 800.00 and brought nothing.
      expect.objectContaining({
        channel: 'linkedin',
        inquiries: 0,
        costMinor: 80_000,
        costPerLeadMinor: null,
      }),
      // trade show: l5 only (back-dated into March, qualified in April); l4 is February's.
      expect.objectContaining({
        channel: 'trade_show',
        inquiries: 1,
        qualified: 1,
        qualifiedRate: 1,
        convertedToDeal: 0,
        won: 0,
        costMinor: 600_000,
        costPerLeadMinor: 600_000,
        costPerWonDealMinor: null,
      }),
      // website form: l6 at 23:45 on 31 March (answered from the facts, not an hour bucket).
      expect.objectContaining({
        channel: 'website_form',
        inquiries: 1,
        costMinor: 40_000,
        costPerLeadMinor: 40_000,
      }),
    ]);
  });

  it('attributes the cohort to the first owner and their team, through a handover', async () => {
    const rows = await channelQuality(
      model.store,
      model.name,
      MARCH,
      selectionOf({}, 'owner'),
      COSTS,
    );
    // u1: l1 (handed to u2 on 15 March, still u1's), l2. u2: l3, l5. l6 nobody's.
    expect(
      rows.map((row) => [
        row.owner,
        row.inquiries,
        row.qualified,
        row.convertedToDeal,
        row.won,
        row.costMinor,
      ]),
    ).toEqual([
      ['u1', 2, 1, 1, 1, null],
      ['u2', 2, 2, 1, 0, null],
    ]);
    const south = await channelQuality(
      model.store,
      model.name,
      MARCH,
      selectionOf({ team: 'south' }, 'owner'),
      COSTS,
    );
    expect(south.map((row) => [row.owner, row.inquiries])).toEqual([['u2', 2]]);
  });

  it('gives the whole cohort with the cost of every channel, and one channel by month', async () => {
    const [total] = await channelQuality(model.store, model.name, MARCH, selectionOf({}), COSTS);
    // 5 leads; costs 250 000 + 600 000 + 40 000 + 80 000 = 970 000; per lead 194 000; 1 won.
    expect(total).toMatchObject({
      scope: 'all',
      inquiries: 5,
      qualified: 3,
      convertedToDeal: 2,
      won: 1,
      costMinor: 970_000,
      costPerLeadMinor: 194_000,
      costPerWonDealMinor: 970_000,
    });
    const byMonth = await channelQuality(
      model.store,
      model.name,
      { ...MARCH, from: new Date('2026-02-01T00:00:00.000Z') },
      selectionOf({ channel: 'trade_show' }, 'month'),
      COSTS,
    );
    // February: l4, no trade-show cost that month. March: l5.
    expect(
      byMonth.map((row) => [row.month, row.inquiries, row.costMinor, row.monthsWithoutCost]),
    ).toEqual([
      ['2026-02', 1, 0, '2026-02'],
      ['2026-03', 1, 600_000, null],
    ]);
  });
});

describe('channel cost policy', () => {
  it('prorates part months by days, rounding each month half to even', () => {
    // 16–31 March: 16 of 31 days of 250 000 = 129 032.26 → 129 032; 1–15 April: 15/30 = 125 000.
    const cost = channelCostInPeriod(
      COSTS,
      'alibaba',
      new Date('2026-03-16T00:00:00.000Z'),
      new Date('2026-04-16T00:00:00.000Z'),
      'UTC',
    );
    expect(cost).toEqual({ minor: 254_032, currency: 'USD', monthsWithoutCost: [] });
  });

  it("reads months in the report's time zone", () => {
    // March in Shanghai is [28 Feb 16:00Z, 31 Mar 16:00Z): exactly one month, across a DST-free zone.
    const shanghai = channelCostInPeriod(
      COSTS,
      'alibaba',
      new Date('2026-02-28T16:00:00.000Z'),
      new Date('2026-03-31T16:00:00.000Z'),
      'Asia/Shanghai',
    );
    expect(shanghai.minor).toBe(250_000);
    // Berlin, 29 March (23 hours: clocks go forward) to 1 April: 3 whole local days of 31.
    // 250 000 × 3 / 31 = 24 193.55 → 24 194.
    const berlin = channelCostInPeriod(
      COSTS,
      'alibaba',
      new Date('2026-03-28T23:00:00.000Z'),
      new Date('2026-03-31T22:00:00.000Z'),
      'Europe/Berlin',
    );
    expect(berlin.minor).toBe(24_194);
  });

  it('refuses two costs for the same channel and month', () => {
    expect(
      channelCostPolicyProblems({
        ...COSTS,
        costs: [
          { channel: 'alibaba', from: '2026-01', until: '2026-06', amountMinor: 1 },
          { channel: 'alibaba', from: '2026-06', amountMinor: 2 },
          { channel: 'email', from: '2026-13', amountMinor: 0 },
        ],
      }),
    ).toEqual([
      'costs.1: alibaba already has a cost for some of these months (costs.0)',
      'costs.2.from: must be a month YYYY-MM',
    ]);
  });
});

describe('channel-quality: rebuilds', () => {
  it('gives identical documents from the same events, whatever the batch size', async () => {
    const [one, seven] = await Promise.all([
      project(channelQualityProjection, EVENTS, 1),
      project(channelQualityProjection, EVENTS, 7),
    ]);
    try {
      for (const { name } of channelQualityProjection.collections) {
        const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
        expect(await seven.find(name, sorted)).toEqual(await one.find(name, sorted));
      }
    } finally {
      await Promise.all([one.close(), seven.close()]);
    }
  });
});
