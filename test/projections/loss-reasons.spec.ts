import fxPolicy from '../../config/policies/fx.default.json';
import lossReasonPolicy from '../../config/policies/loss-reasons.default.json';
import stagePolicy from '../../config/policies/stages.default.json';
import { lossReasonsProjection } from '../../projections/loss-reasons.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import { lossReasons, LossReasonsReport } from '../../src/reports/deals/loss-reasons.query';
import type { ReportPeriod } from '../../src/reports/report-period';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// alice and bob are in team north, carol in south; bob moves to south on 2026-02-15.
// FX (fx.default, units per USD): EUR 0.8550 from 2026-01-01, 0.8450 from 2026-02-01;
// GBP 0.8000 from 2025-01-01, 0.7450 from 2026-01-01; AED 3.6725; no CHF rate.
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

function deal(id: string) {
  const stream = `deal-${id}`;
  const on = (type: string, data: Record<string, unknown>, at: string) =>
    recorded(stream, type, data, at);
  return {
    opened: (at: string, ownerId: string, amount?: { minor: number; currency: string }) =>
      on(
        'DealOpened',
        {
          dealId: id,
          accountId: `acc-${id}`,
          title: `Deal ${id}`,
          ownerId,
          channel: 'alibaba',
          country: 'DE',
          productLine: 'pumps',
          repeat: false,
          currency: amount?.currency ?? 'USD',
          ...(amount ? { amount } : {}),
          stage: 'initial_contact',
          policy: STAGES_V1,
        },
        at,
      ),
    amount: (minor: number, currency: string, at: string) =>
      on('DealAmountChanged', { amount: { minor, currency }, cause: 'quote', quoteId: 'q1' }, at),
    lost: (reasonCode: string, at: string) =>
      on(
        'DealLost',
        {
          reasonCode,
          reason: reasonCode.split('.')[0],
          subReason: reasonCode.split('.')[1],
          stage: 'initial_contact',
          policy: { id: 'loss-reasons.default', version: 1 },
        },
        at,
      ),
    reopened: (at: string) =>
      on(
        'DealReopened',
        { stage: 'initial_contact', previousOutcome: 'lost', reason: 'buyer came back' },
        at,
      ),
    transferred: (from: string, to: string, at: string) =>
      on(
        'DealOwnerTransferred',
        { from, to, reason: 'handover', cause: { kind: 'person', id: 'mgr' } },
        at,
      ),
  };
}

const [l1, l2, l3, l4, l5, l6, l7, l8, l9] = [
  'l1',
  'l2',
  'l3',
  'l4',
  'l5',
  'l6',
  'l7',
  'l8',
  'l9',
].map(deal);
const eur = (minor: number) => ({ minor, currency: 'EUR' });

const EVENTS: RecordedEvent[] = history([
  policy('stages.default', 1, stagePolicy, '2025-01-01T00:00:00.000Z'),
  policy('loss-reasons.default', 1, lossReasonPolicy, '2025-01-01T00:00:00.000Z'),
  policy('fx.default', 1, fxPolicy, '2025-01-01T00:00:00.000Z'),
  user('alice', 'north', '2025-01-02T00:00:00.000Z'),
  user('bob', 'north', '2025-01-02T00:00:00.000Z'),
  user('carol', 'south', '2025-01-02T00:00:00.000Z'),
  // December 2025: l7 GBP 800.00 → 80000 / 0.8 = 100000; l9 GBP 0.02 → 2 / 0.8 = 2.5 → 2 (half-even).
  l7.opened('2025-12-01T09:00:00.000Z', 'alice', { minor: 80_000, currency: 'GBP' }),
  l7.lost('external.project_cancelled', '2025-12-10T09:00:00.000Z'),
  l9.opened('2025-12-01T09:00:00.000Z', 'alice', { minor: 2, currency: 'GBP' }),
  l9.lost('process.slow_response', '2025-12-15T09:00:00.000Z'),
  l1.opened('2026-01-05T09:00:00.000Z', 'alice', eur(1_234_567)),
  l2.opened('2026-01-06T09:00:00.000Z', 'alice', eur(1_234_567)),
  l3.opened('2026-01-07T09:00:00.000Z', 'bob', { minor: 400_000, currency: 'USD' }),
  l4.opened('2026-01-08T09:00:00.000Z', 'bob', { minor: 3_672_500, currency: 'AED' }),
  l5.opened('2026-01-09T09:00:00.000Z', 'alice'),
  l6.opened('2026-01-09T10:00:00.000Z', 'carol', { minor: 100_000, currency: 'CHF' }),
  // l1: EUR 12,345.67 lost on 01-20 at 0.8550 → 1443938.0117 → 1443938.
  l1.lost('price.competitor_cheaper', '2026-01-20T09:00:00.000Z'),
  l3.amount(500_000, 'USD', '2026-01-21T09:00:00.000Z'),
  l3.lost('lead_time.capacity_short', '2026-01-25T09:00:00.000Z'),
  // l4: lost in January, reopened in February (taken back), lost again after bob's move to south.
  l4.lost('price.competitor_cheaper', '2026-01-30T09:00:00.000Z'),
  l2.transferred('alice', 'carol', '2026-02-01T09:00:00.000Z'),
  l4.reopened('2026-02-05T09:00:00.000Z'),
  // l2: the same EUR amount, lost by carol on 02-10 at 0.8450 → 1461026.0355 → 1461026.
  l2.lost('price.competitor_cheaper', '2026-02-10T09:00:00.000Z'),
  l5.lost('trust.references_insufficient', '2026-02-12T09:00:00.000Z'),
  l6.lost('price.value_not_proven', '2026-02-14T09:00:00.000Z'),
  movedTeam('bob', 'north', 'south', '2026-02-15T00:00:00.000Z'),
  // l4: AED 36,725.00 / 3.6725 = 10,000.00 USD.
  l4.lost('price.budget_insufficient', '2026-02-25T09:00:00.000Z'),
  // l8: a back-dated import: GBP 1,000.00 lost on 01-12 at 0.7450 → 134228.1879 → 134228.
  l8.opened('2026-01-10T09:00:00.000Z', 'alice', { minor: 100_000, currency: 'GBP' }),
  l8.lost('specification.test_failed', '2026-01-12T09:00:00.000Z'),
]);

const period = (from: string, to: string): ReportPeriod => ({
  from: new Date(from),
  to: new Date(to),
  tz: 'UTC',
});
const JAN_FEB = period('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');

const table = (report: LossReasonsReport, group = 'all') =>
  report.rows
    .filter((row) => row.group === group)
    .map((row) => [row.level, row.code ?? row.reason ?? 'all', row.lost, row.amountMinor]);

describe('loss reasons', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(lossReasonsProjection, EVENTS);
  });
  afterAll(() => model.close());

  const run = (p: ReportPeriod, filters = {}, groupBy?: Parameters<typeof selectionOf>[1]) =>
    lossReasons(model.store, model.name, p, selectionOf(filters, groupBy));

  it('counts both levels with amounts in USD at the dated rate of each loss', async () => {
    const report = await run(JAN_FEB);
    expect(report.currency).toBe('USD');
    // Lost in January–February: l1, l3, l8 (back-dated), l2, l5, l6, l4 (its second loss) = 7.
    // price.competitor_cheaper: l1 1443938 + l2 1461026 = 2904964 (l4's January loss was taken back).
    // price.budget_insufficient: l4 1000000. price.value_not_proven: l6, CHF has no rate → 0, unconverted.
    // price: 4 lost, 3904964. lead_time.capacity_short: l3 at its amount when lost, 500000.
    // specification.test_failed: l8 134228. trust.references_insufficient: l5, no amount.
    // Total: 3904964 + 500000 + 134228 = 4539192.
    expect(table(report)).toEqual([
      ['all', 'all', 7, 4_539_192],
      ['reason', 'price', 4, 3_904_964],
      ['sub_reason', 'price.competitor_cheaper', 2, 2_904_964],
      ['sub_reason', 'price.budget_insufficient', 1, 1_000_000],
      ['sub_reason', 'price.value_not_proven', 1, 0],
      ['reason', 'lead_time', 1, 500_000],
      ['sub_reason', 'lead_time.capacity_short', 1, 500_000],
      ['reason', 'specification', 1, 134_228],
      ['sub_reason', 'specification.test_failed', 1, 134_228],
      ['reason', 'trust', 1, 0],
      ['sub_reason', 'trust.references_insufficient', 1, 0],
    ]);
    expect(report.rows[0]).toMatchObject({
      noAmount: 1,
      unconverted: 1,
      amount: '45391.92',
      share: 1,
    });
    expect(report.rows[1]).toMatchObject({ label: 'Price', share: 0.5714, amount: '39049.64' });
    expect(report.rows[2]).toMatchObject({ label: 'A competitor was cheaper', share: 0.2857 });
  });

  it('a reopen takes the loss back from its period', async () => {
    // January: l1 1443938, l3 500000, l8 134228 → 2078166; l4's loss on 01-30 was taken back.
    const report = await run(period('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(table(report)[0]).toEqual(['all', 'all', 3, 2_078_166]);
    expect(table(report).map((row) => row[1])).not.toContain('price.budget_insufficient');
  });

  it('rounds half-even per deal before summing (December 2025)', async () => {
    // 100000 + 2 (2.5 rounds to even 2) = 100002.
    const report = await run(period('2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z'));
    expect(table(report)).toEqual([
      ['all', 'all', 2, 100_002],
      ['reason', 'process', 1, 2],
      ['sub_reason', 'process.slow_response', 1, 2],
      ['reason', 'external', 1, 100_000],
      ['sub_reason', 'external.project_cancelled', 1, 100_000],
    ]);
  });

  it('attributes each loss to the owner and team at the loss', async () => {
    const owners = await run(JAN_FEB, {}, 'owner');
    // alice: l1, l5, l8 → 1443938 + 134228 = 1578166. bob: l3, l4 → 1500000.
    // carol: l2 (handed over before its loss) and l6 → 1461026.
    expect(
      owners.rows
        .filter((row) => row.level === 'all')
        .map((row) => [row.group, row.lost, row.amountMinor]),
    ).toEqual([
      ['alice', 3, 1_578_166],
      ['bob', 2, 1_500_000],
      ['carol', 2, 1_461_026],
    ]);
    const teams = await run(JAN_FEB, {}, 'team');
    // north: alice's three and bob's l3 (01-25) → 2078166; south: carol's two and bob's l4 (02-25) → 2461026.
    expect(
      teams.rows
        .filter((row) => row.level === 'all')
        .map((row) => [row.group, row.lost, row.amountMinor]),
    ).toEqual([
      ['north', 4, 2_078_166],
      ['south', 3, 2_461_026],
    ]);
    const bobInSouth = await run(JAN_FEB, { team: 'south', owner: 'bob' });
    expect(table(bobInSouth)[0]).toEqual(['all', 'all', 1, 1_000_000]);
  });

  it('splits by month in a time zone (Kolkata, +05:30: half-hour edges read from the facts)', async () => {
    // January–February in Kolkata is [2025-12-31T18:30Z, 2026-02-28T18:30Z); no loss lies near the edges.
    const kolkata = {
      from: new Date('2025-12-31T18:30:00Z'),
      to: new Date('2026-02-28T18:30:00Z'),
      tz: 'Asia/Kolkata',
    };
    const months = await run(kolkata, {}, 'month');
    expect(
      months.rows.filter((row) => row.level === 'all').map((row) => [row.group, row.lost]),
    ).toEqual([
      ['2026-01', 3],
      ['2026-02', 4],
    ]);
  });

  it('is the same whatever the batch size', async () => {
    const one = await project(lossReasonsProjection, EVENTS, 1);
    expect(await lossReasons(one.store, one.name, JAN_FEB, {})).toEqual(await run(JAN_FEB));
    expect(await one.find('losses_facts')).toEqual(await model.find('losses_facts'));
    await one.close();
  });
});
