import {
  CHANGES,
  weightedForecastProjection,
} from '../../projections/weighted-forecast.projection';
import { weightedInBase } from '../../projections/shared/forecast-money';
import { asOfInstant, monthRange } from '../../src/reports/forecast/forecast-reports.controller';
import { ForecastQuery, forecastReport } from '../../src/reports/forecast/forecast.query';
import type { ReportRow } from '../../src/reports/report-response';
import { history, project, ProjectedModel, recorded } from '../support/projection-harness';

/*
 * A scripted history, hand-weighted. Base USD. Amounts in minor units (cents).
 *
 * Policies
 *   stages v1 @2025-12-01: initial_contact 0.1, proposal 0.3, sample 0.5, negotiation 0.7
 *   stages v2 @2026-03-10: proposal 0.4 (the rest unchanged)
 *   fx v1     @2025-12-01: EUR 0.8 from 2026-01-01, 0.9 from 2026-02-01; CNY 7 from 2026-01-01
 *   fx v2     @2026-03-20: + EUR 0.75 from 2026-04-01, + GBP 0.8 from 2026-01-01
 * Users: u1 in team tA, u2 in team tB; u2 moves to tA on 2026-03-25.
 *
 * D1 EUR 1,000,000 (u1) close 2026-02-15, ship 2026-04; initial_contact, → proposal 02-10.
 *    close Feb (EUR 0.9 from 02-01): 0.1 → 1e6×0.1/0.9 = 111,111.1 → 111,111
 *                                    0.3 → 333,333.3 → 333,333;  0.4 (v2) → 444,444.4 → 444,444
 *    ship Apr: fx v1 (0.9) 444,444 with 0.4; fx v2 (0.75 from 04-01) → 1e6×0.4/0.75 = 533,333.3 → 533,333
 * D2 CNY 7,000,000 (u2) close 2026-03-05, no ship month; proposal.
 *    close Mar: 7e6×0.3/7 = 300,000; with v2 0.4 → 400,000. Handed to u1 on 02-15.
 *    Won 03-12 for CNY 7,000,000 → actual Mar = 7e6/7 = 1,000,000 (owner u1, team tA).
 * D3 USD 500,000 (u1) close 2026-02-28; sample → 250,000. Lost 02-05, reopened (sample) 02-25.
 * D5 GBP 100,000 (u1) close 2026-01-20; initial_contact. No GBP rate until fx v2: unconverted;
 *    then 1e5×0.1/0.8 = 12,500 (rate from 2026-01-01 applies to January).
 * D4 USD 1,234,555 (u2) close 2026-04-10; proposal. Back-dated: opened 03-01 but recorded after
 *    fx v2 and u2's team move. 0.3 → 370,366.5 → half-even 370,366; 0.4 → 493,822.
 */

const at = (day: string, time = '12:00:00') => `${day}T${time}.000Z`;

const STAGES = (proposal: number) => ({
  id: 'stages.default',
  version: proposal === 0.3 ? 1 : 2,
  openStages: [
    { key: 'initial_contact', probability: 0.1 },
    { key: 'proposal', probability: proposal },
    { key: 'sample', probability: 0.5 },
    { key: 'negotiation', probability: 0.7 },
  ],
  outcomes: { won: { probability: 1 }, lost: { probability: 0 } },
});

const FX_V1 = {
  id: 'fx.default',
  version: 1,
  base: 'USD',
  rates: [
    { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.8' },
    { currency: 'EUR', effectiveFrom: '2026-02-01', unitsPerBase: '0.9' },
    { currency: 'CNY', effectiveFrom: '2026-01-01', unitsPerBase: '7' },
  ],
};
const FX_V2 = {
  ...FX_V1,
  version: 2,
  rates: [
    ...FX_V1.rates,
    { currency: 'EUR', effectiveFrom: '2026-04-01', unitsPerBase: '0.75' },
    { currency: 'GBP', effectiveFrom: '2026-01-01', unitsPerBase: '0.8' },
  ],
};

const policy = (body: { id: string; version: number }, occurredAt: string) =>
  recorded(
    `policy-${body.id}`,
    'PolicyVersionPublished',
    {
      id: body.id,
      version: body.version,
      body,
      publishedAt: occurredAt,
    },
    occurredAt,
  );

const user = (id: string, teamId: string, occurredAt: string) =>
  recorded(
    `user-${id}`,
    'UserRegistered',
    { userId: id, teamId, role: 'rep', name: 'x', email: 'x' },
    occurredAt,
  );

const opened = (
  deal: string,
  occurredAt: string,
  data: {
    owner: string;
    currency: string;
    minor: number;
    stage: string;
    close: string;
    ship?: string;
    country: string;
  },
) =>
  recorded(
    `deal-${deal}`,
    'DealOpened',
    {
      dealId: deal,
      accountId: `acc-${deal}`,
      title: `Deal ${deal}`,
      ownerId: data.owner,
      channel: 'alibaba',
      country: data.country,
      productLine: 'pumps',
      repeat: false,
      currency: data.currency,
      amount: { minor: data.minor, currency: data.currency },
      expectedCloseDate: data.close,
      ...(data.ship ? { expectedShipMonth: data.ship } : {}),
      stage: data.stage,
      policy: { id: 'stages.default', version: 1 },
    },
    occurredAt,
  );

const deal = (id: string, type: string, data: Record<string, unknown>, occurredAt: string) =>
  recorded(`deal-${id}`, type, data, occurredAt);

const ref = { id: 'stages.default', version: 1 };

function script() {
  return history([
    policy(STAGES(0.3), at('2025-12-01', '00:00:00')),
    policy(FX_V1, at('2025-12-01', '00:00:00')),
    user('u1', 'tA', at('2025-11-01')),
    user('u2', 'tB', at('2025-11-01')),
    opened('d1', at('2026-01-05', '10:00:00'), {
      owner: 'u1',
      currency: 'EUR',
      minor: 1_000_000,
      stage: 'initial_contact',
      close: '2026-02-15',
      ship: '2026-04',
      country: 'DE',
    }),
    opened('d2', at('2026-01-10'), {
      owner: 'u2',
      currency: 'CNY',
      minor: 7_000_000,
      stage: 'proposal',
      close: '2026-03-05',
      country: 'CN',
    }),
    opened('d5', at('2026-01-15'), {
      owner: 'u1',
      currency: 'GBP',
      minor: 100_000,
      stage: 'initial_contact',
      close: '2026-01-20',
      country: 'GB',
    }),
    opened('d3', at('2026-01-20'), {
      owner: 'u1',
      currency: 'USD',
      minor: 500_000,
      stage: 'sample',
      close: '2026-02-28',
      country: 'US',
    }),
    deal(
      'd3',
      'DealLost',
      {
        reasonCode: 'price.too_high',
        reason: 'price',
        subReason: 'too_high',
        stage: 'sample',
        policy: ref,
      },
      at('2026-02-05'),
    ),
    deal(
      'd1',
      'DealStageChanged',
      {
        from: 'initial_contact',
        to: 'proposal',
        direction: 'forward',
        reentry: false,
        policy: ref,
      },
      at('2026-02-10', '09:00:00'),
    ),
    deal(
      'd2',
      'DealOwnerTransferred',
      { from: 'u2', to: 'u1', reason: 'holiday', cause: { kind: 'person', id: 'm1' } },
      at('2026-02-15'),
    ),
    deal(
      'd3',
      'DealReopened',
      { stage: 'sample', previousOutcome: 'lost', reason: 'came back' },
      at('2026-02-25'),
    ),
    policy(STAGES(0.4), at('2026-03-10', '00:00:00')),
    deal(
      'd2',
      'DealWon',
      {
        orderReference: 'PO-1',
        stage: 'proposal',
        amount: { minor: 7_000_000, currency: 'CNY' },
        policy: ref,
      },
      at('2026-03-12', '08:00:00'),
    ),
    policy(FX_V2, at('2026-03-20', '00:00:00')),
    recorded(
      'user-u2',
      'UserMovedToTeam',
      { userId: 'u2', from: 'tB', to: 'tA' },
      at('2026-03-25'),
    ),
    // Back-dated import, recorded after the later policy versions and the team move.
    opened('d4', at('2026-03-01'), {
      owner: 'u2',
      currency: 'USD',
      minor: 1_234_555,
      stage: 'proposal',
      close: '2026-04-10',
      country: 'US',
    }),
  ]);
}

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];

/** Rows as [month, openDeals, weightedMinor, wonMinor, unconvertedDeals]. */
const compact = (rows: ReportRow[]) =>
  rows.map((row) => [
    row.month,
    row.openDeals,
    row.weightedMinor,
    row.wonMinor,
    row.unconvertedDeals,
  ]);

describe('weighted forecast', () => {
  let model: ProjectedModel;

  beforeAll(async () => {
    model = await project(weightedForecastProjection, script());
  });
  afterAll(() => model.close());

  const report = (asOf: string, extra: Partial<ForecastQuery> = {}) =>
    forecastReport(model.store, model.name, {
      asOf: new Date(asOf),
      by: 'closeMonth',
      months: MONTHS,
      ...extra,
    });

  it('weights open deals by stage probability in USD at the rate of the close month, as of the end of January', async () => {
    const result = await report('2026-01-31T23:59:59.999Z');
    expect(result.currency).toBe('USD');
    expect(compact(result.rows)).toEqual([
      ['2026-01', 1, 0, 0, 1], // D5: GBP has no rate yet
      ['2026-02', 2, 361_111, 0, 0], // D1 111,111 + D3 250,000
      ['2026-03', 1, 300_000, 0, 0], // D2
      ['2026-04', 0, 0, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
    expect(result.rows[1]).toMatchObject({
      weighted: '3611.11',
      total: '3611.11',
      totalMinor: 361_111,
    });
  });

  it('drops a lost deal and follows a stage move (as of 20 February)', async () => {
    expect(compact((await report('2026-02-20T00:00:00Z')).rows)).toEqual([
      ['2026-01', 1, 0, 0, 1],
      ['2026-02', 1, 333_333, 0, 0], // D1 now in proposal; D3 lost
      ['2026-03', 1, 300_000, 0, 0],
      ['2026-04', 0, 0, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
  });

  it('answers just before and just after the stage move', async () => {
    const before = await report('2026-02-10T08:59:59.999Z');
    const after = await report('2026-02-10T09:00:00.000Z');
    // D3 is lost on 02-05, so February holds D1 alone: 0.1 → 111,111, 0.3 → 333,333.
    expect(before.rows[1]).toMatchObject({ openDeals: 1, weightedMinor: 111_111 });
    expect(after.rows[1]).toMatchObject({ openDeals: 1, weightedMinor: 333_333 });
  });

  it('restores a reopened deal and places a back-dated import under the probabilities in force then (as of 5 March)', async () => {
    expect(compact((await report('2026-03-05T00:00:00Z')).rows)).toEqual([
      ['2026-01', 1, 0, 0, 1],
      ['2026-02', 2, 583_333, 0, 0], // D1 333,333 + D3 250,000 (reopened 02-25)
      ['2026-03', 1, 300_000, 0, 0],
      ['2026-04', 1, 370_366, 0, 0], // D4 at 0.3: 370,366.5 rounds half-even down
      ['unscheduled', 0, 0, 0, 0],
    ]);
  });

  it('re-weighs open deals when the stage policy changes (as of 11 March)', async () => {
    expect(compact((await report('2026-03-11T00:00:00Z')).rows)).toEqual([
      ['2026-01', 1, 0, 0, 1],
      ['2026-02', 2, 694_444, 0, 0], // D1 444,444 + D3 250,000
      ['2026-03', 1, 400_000, 0, 0], // D2 at 0.4
      ['2026-04', 1, 493_822, 0, 0], // D4 at 0.4
      ['unscheduled', 0, 0, 0, 0],
    ]);
  });

  it('counts won deals at 100 % in their won month and converts once a rate is published (as of 31 March)', async () => {
    const result = await report('2026-03-31T00:00:00Z');
    expect(compact(result.rows)).toEqual([
      ['2026-01', 1, 12_500, 0, 0], // D5 at GBP 0.8
      ['2026-02', 2, 694_444, 0, 0],
      ['2026-03', 0, 0, 1_000_000, 0], // D2 won: CNY 7,000,000 / 7
      ['2026-04', 1, 493_822, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
    expect(result.rows[2]).toMatchObject({ wonDeals: 1, totalMinor: 1_000_000, won: '10000.00' });
  });

  it('groups by expected ship month, at the rate of the ship month; deals without one are unscheduled', async () => {
    const march11 = await report('2026-03-11T00:00:00Z', { by: 'shipMonth' });
    expect(compact(march11.rows)).toEqual([
      ['2026-01', 0, 0, 0, 0],
      ['2026-02', 0, 0, 0, 0],
      ['2026-03', 0, 0, 0, 0],
      ['2026-04', 1, 444_444, 0, 0], // D1 at EUR 0.9 (fx v1's rate in force on 04-01)
      // D2 400,000 (CNY 7) + D3 250,000 + D4 493,822; D5 unconverted
      ['unscheduled', 4, 1_143_822, 0, 1],
    ]);
    const march31 = await report('2026-03-31T00:00:00Z', { by: 'shipMonth' });
    expect(compact(march31.rows)).toEqual([
      ['2026-01', 0, 0, 0, 0],
      ['2026-02', 0, 0, 0, 0],
      ['2026-03', 0, 0, 1_000_000, 0], // won actuals stay in the won month
      ['2026-04', 1, 533_333, 0, 0], // D1 at EUR 0.75 from 04-01 (fx v2)
      ['unscheduled', 3, 756_322, 0, 0], // D3 250,000 + D4 493,822 + D5 12,500
    ]);
  });

  it('attributes to the owner at T: a handover mid-period moves the deal, the won actual stays with the winner', async () => {
    const owner = (value: string, asOf: string) =>
      report(asOf, { filter: { dim: 'owner', value } }).then((r) => compact(r.rows));
    expect(await owner('u2', '2026-02-10T00:00:00Z')).toEqual([
      ['2026-01', 0, 0, 0, 0],
      ['2026-02', 0, 0, 0, 0],
      ['2026-03', 1, 300_000, 0, 0], // D2 before the handover
      ['2026-04', 0, 0, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
    expect(await owner('u2', '2026-03-31T00:00:00Z')).toEqual([
      ['2026-01', 0, 0, 0, 0],
      ['2026-02', 0, 0, 0, 0],
      ['2026-03', 0, 0, 0, 0],
      ['2026-04', 1, 493_822, 0, 0], // D4 only
      ['unscheduled', 0, 0, 0, 0],
    ]);
    expect(await owner('u1', '2026-03-31T00:00:00Z')).toEqual([
      ['2026-01', 1, 12_500, 0, 0],
      ['2026-02', 2, 694_444, 0, 0],
      ['2026-03', 0, 0, 1_000_000, 0],
      ['2026-04', 0, 0, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
  });

  it("attributes to the owner's team at T, following a team move even for a back-dated deal", async () => {
    const team = (value: string, asOf: string) =>
      report(asOf, { filter: { dim: 'team', value } }).then((r) => compact(r.rows));
    // 21 March: u2 (D4) still in tB.
    expect((await team('tB', '2026-03-21T00:00:00Z'))[3]).toEqual(['2026-04', 1, 493_822, 0, 0]);
    expect((await team('tA', '2026-03-21T00:00:00Z'))[3]).toEqual(['2026-04', 0, 0, 0, 0]);
    // 31 March: u2 moved to tA on 25 March, D4 with them.
    expect(
      (await team('tB', '2026-03-31T00:00:00Z')).every((row) => row[1] === 0 && row[2] === 0),
    ).toBe(true);
    expect(await team('tA', '2026-03-31T00:00:00Z')).toEqual([
      ['2026-01', 1, 12_500, 0, 0],
      ['2026-02', 2, 694_444, 0, 0],
      ['2026-03', 0, 0, 1_000_000, 0],
      ['2026-04', 1, 493_822, 0, 0],
      ['unscheduled', 0, 0, 0, 0],
    ]);
  });

  it('groups by a dimension, one block of month rows per value', async () => {
    const result = await report('2026-03-31T00:00:00Z', { groupBy: 'owner' });
    const byOwner = (owner: string) => compact(result.rows.filter((row) => row.owner === owner));
    expect(byOwner('u1').map((row) => row[2])).toEqual([12_500, 694_444, 0, 0, 0]);
    expect(byOwner('u2').map((row) => row[2])).toEqual([0, 0, 0, 493_822, 0]);
  });

  it('gives the same answer summing the deltas up to T or taking those after T from the totals', async () => {
    const instants = script().flatMap((event) => {
      const t = Date.parse(event.metadata.occurredAt);
      return [t - 1, t, t + 1];
    });
    for (const t of instants) {
      for (const extra of [
        {},
        { groupBy: 'owner' as const },
        { filter: { dim: 'team' as const, value: 'tA' }, groupBy: 'owner' as const },
      ]) {
        const asOf = new Date(t).toISOString();
        const before = await report(asOf, { ...extra, side: 'before' });
        const after = await report(asOf, { ...extra, side: 'after' });
        expect({ asOf, rows: after.rows }).toEqual({ asOf, rows: before.rows });
      }
    }
  });

  it('answers as of a date before anything happened with zeros', async () => {
    expect(
      compact((await report('2025-06-01T00:00:00Z')).rows).every(
        (row) => row[1] === 0 && row[2] === 0,
      ),
    ).toBe(true);
  });

  it('builds the same documents whatever the batch size', async () => {
    const events = script();
    const other = await project(weightedForecastProjection, events, 1);
    const again = await project(weightedForecastProjection, events, 50);
    const buckets = async (m: ProjectedModel) =>
      (await m.find(CHANGES, {})).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await buckets(again)).toEqual(await buckets(other));
    await other.close();
    await again.close();
  });
});

describe('weighted forecast arithmetic and parameters', () => {
  const table = {
    base: 'USD',
    rates: [
      { currency: 'JPY', effectiveFrom: '2026-01-01', unitsPerBase: '156.5' },
      { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.8' },
    ],
  };

  it('applies probability and rate exactly, then rounds once, half to even, across minor-unit exponents', () => {
    // JPY has no minor units: ¥1,000,000 × 0.5 / 156.5 = $3,194.888… → 319,489 cents
    expect(weightedInBase(1_000_000, 'JPY', 0.5, table, '2026-02-01')).toBe(319_489);
    // €0.05 × 0.1 / 0.8 = 0.625 cents → 1 (not a tie); €0.04 × 0.1 / 0.8 = 0.5 → 0 (tie, even)
    expect(weightedInBase(5, 'EUR', 0.1, table, '2026-02-01')).toBe(1);
    expect(weightedInBase(4, 'EUR', 0.1, table, '2026-02-01')).toBe(0);
    // 12 × 0.1 / 0.8 = 1.5 → 2 (tie, even)
    expect(weightedInBase(12, 'EUR', 0.1, table, '2026-02-01')).toBe(2);
    expect(weightedInBase(1_000, 'GBP', 0.1, table, '2026-02-01')).toBeUndefined();
    expect(weightedInBase(1_000, 'EUR', 0.1, table, '2025-12-31')).toBeUndefined();
  });

  it('reads a bare asOf date as the end of that day in tz, and months from from/to', () => {
    expect(asOfInstant('2026-03-01', 'UTC').toISOString()).toBe('2026-03-01T23:59:59.999Z');
    expect(asOfInstant('2026-03-01', 'Asia/Dubai').toISOString()).toBe('2026-03-01T19:59:59.999Z');
    expect(asOfInstant('2026-03-01T10:00:00Z', 'Asia/Dubai').toISOString()).toBe(
      '2026-03-01T10:00:00.000Z',
    );
    const asOf = new Date('2026-03-15T00:00:00Z');
    expect(monthRange({ from: '2026-01-01', to: '2026-04-01' }, asOf, 'UTC')).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(monthRange({ from: '2026-01-15', to: '2026-04-02' }, asOf, 'UTC')).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
    const defaults = monthRange({}, asOf, 'UTC');
    expect([defaults[0], defaults.at(-1), defaults.length]).toEqual(['2025-12', '2027-02', 15]);
  });
});

/*
 * A generated history checked against the definition itself: for many instants T, the report
 * (deltas summed from the read model) equals a fold of the events with occurredAt ≤ T, weighed
 * with the probabilities, rates and teams in force at T. Some deals are imported back-dated,
 * recorded after policy versions and team moves that came into force later than their events.
 */
describe('weighted forecast against a fold of the events as of T', () => {
  const SEED = 20260301;
  let state = SEED;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const DAY = 86_400_000;
  const START = Date.parse('2026-01-01T00:00:00Z');
  const iso = (t: number) => new Date(t).toISOString();
  const STAGE_KEYS = ['initial_contact', 'proposal', 'sample', 'negotiation'];
  const OWNERS = ['u1', 'u2', 'u3'];
  const CURRENCIES = ['USD', 'EUR', 'CNY', 'JPY'];
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];

  interface Timed {
    at: number;
    event: ReturnType<typeof recorded>;
  }

  function generate() {
    const probabilities = (v: number) =>
      STAGE_KEYS.map((key, i) => ({ key, probability: [0.1, 0.3, 0.5, 0.7][i] + (v - 1) * 0.05 }));
    const fxRates = (v: number) => [
      { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: v === 1 ? '0.9' : '0.91' },
      { currency: 'EUR', effectiveFrom: '2026-03-01', unitsPerBase: '0.88' },
      ...(v >= 2 ? [{ currency: 'CNY', effectiveFrom: '2026-01-01', unitsPerBase: '7.1' }] : []),
      { currency: 'JPY', effectiveFrom: '2026-01-01', unitsPerBase: v === 3 ? '150.25' : '155' },
    ];
    const first: Timed[] = [
      {
        at: START - DAY,
        event: recorded(
          'policy-stages.default',
          'PolicyVersionPublished',
          { id: 'stages.default', version: 1, body: { openStages: probabilities(1) } },
          iso(START - DAY),
        ),
      },
      {
        at: START - DAY,
        event: recorded(
          'policy-fx.default',
          'PolicyVersionPublished',
          { id: 'fx.default', version: 1, body: { base: 'USD', rates: fxRates(1) } },
          iso(START - DAY),
        ),
      },
      ...OWNERS.map((u, i) => ({
        at: START - DAY,
        event: recorded(
          `user-${u}`,
          'UserRegistered',
          { userId: u, teamId: `t${i % 2}` },
          iso(START - DAY),
        ),
      })),
    ];
    const live: Timed[] = [
      {
        at: START + 40 * DAY,
        event: recorded(
          'policy-stages.default',
          'PolicyVersionPublished',
          { id: 'stages.default', version: 2, body: { openStages: probabilities(2) } },
          iso(START + 40 * DAY),
        ),
      },
      {
        at: START + 55 * DAY,
        event: recorded(
          'policy-fx.default',
          'PolicyVersionPublished',
          { id: 'fx.default', version: 2, body: { base: 'USD', rates: fxRates(2) } },
          iso(START + 55 * DAY),
        ),
      },
      {
        at: START + 70 * DAY,
        event: recorded(
          'policy-fx.default',
          'PolicyVersionPublished',
          { id: 'fx.default', version: 3, body: { base: 'USD', rates: fxRates(3) } },
          iso(START + 70 * DAY),
        ),
      },
      {
        at: START + 48 * DAY,
        event: recorded(
          'user-u2',
          'UserMovedToTeam',
          { userId: 'u2', from: 't1', to: 't0' },
          iso(START + 48 * DAY),
        ),
      },
      {
        at: START + 80 * DAY,
        event: recorded(
          'user-u3',
          'UserMovedToTeam',
          { userId: 'u3', from: 't0', to: 't1' },
          iso(START + 80 * DAY),
        ),
      },
    ];
    const deals: Timed[][] = [];
    for (let d = 0; d < 24; d++) {
      const events: Timed[] = [];
      const stream = `deal-g${d}`;
      const currency = pick(CURRENCIES);
      let t = START + Math.floor(random() * 60) * DAY + Math.floor(random() * DAY);
      let stage = pick(STAGE_KEYS);
      let status = 'open';
      let owner = pick(OWNERS);
      const add = (type: string, data: Record<string, unknown>) => {
        events.push({ at: t, event: recorded(stream, type, data, iso(t)) });
        t += Math.floor(random() * 12 * DAY) + 1000;
      };
      const month = () => pick(months);
      add('DealOpened', {
        dealId: `g${d}`,
        accountId: 'a',
        title: 't',
        ownerId: owner,
        channel: 'email',
        country: pick(['DE', 'CN', 'US']),
        productLine: 'p',
        repeat: false,
        currency,
        ...(random() < 0.9
          ? { amount: { minor: Math.floor(random() * 5_000_000), currency } }
          : {}),
        ...(random() < 0.8 ? { expectedCloseDate: `${month()}-15` } : {}),
        ...(random() < 0.5 ? { expectedShipMonth: month() } : {}),
        stage,
        policy: { id: 'stages.default', version: 1 },
      });
      for (let k = 0; k < 6; k++) {
        const r = random();
        if (status !== 'open') {
          if (r < 0.5) {
            add('DealReopened', { stage, previousOutcome: status, reason: 'r' });
            status = 'open';
          }
          continue;
        }
        if (r < 0.3) {
          const to = pick(STAGE_KEYS);
          if (to !== stage) {
            add('DealStageChanged', { from: stage, to });
            stage = to;
          }
        } else if (r < 0.4)
          add('DealAmountChanged', {
            amount: { minor: Math.floor(random() * 5_000_000), currency },
          });
        else if (r < 0.5) add('DealExpectedCloseDateChanged', { date: `${month()}-01` });
        else if (r < 0.6) add('DealExpectedShipMonthChanged', { month: month() });
        else if (r < 0.7) {
          const to = pick(OWNERS);
          if (to !== owner) {
            add('DealOwnerTransferred', { from: owner, to });
            owner = to;
          }
        } else if (r < 0.8) {
          add('DealWon', { stage, amount: { minor: Math.floor(random() * 5_000_000), currency } });
          status = 'won';
        } else if (r < 0.9) {
          add('DealLost', { stage });
          status = 'lost';
        }
      }
      deals.push(events);
    }
    // Live deals interleave by time; every third is imported later, recorded after events dated after its own.
    const byTime = (a: Timed, b: Timed) => a.at - b.at;
    const log: Timed[] = [...live, ...deals.filter((_, d) => d % 3 !== 0).flat()].sort(byTime);
    deals.forEach((events, d) => {
      if (d % 3 !== 0) return;
      const last = events[events.length - 1].at;
      const earliest = log.findIndex((timed) => timed.at > last);
      const at =
        earliest < 0 ? log.length : earliest + Math.floor(random() * (log.length - earliest + 1));
      log.splice(at, 0, ...events);
    });
    return history([...first, ...log].map((timed) => timed.event));
  }

  interface Folded {
    status: string;
    currency: string;
    amount: number | null;
    stage: string;
    close: string | null;
    ship: string | null;
    owner: string;
    won?: { at: string; amount: number; owner: string };
  }
  interface FoldData {
    currency?: string;
    amount?: { minor: number };
    stage?: string;
    expectedCloseDate?: string;
    expectedShipMonth?: string;
    ownerId?: string;
    to?: string;
    date?: string;
    month?: string;
  }

  /** The definition, folded directly from the events with occurredAt ≤ T. */
  function fold(
    events: ReturnType<typeof generate>,
    T: number,
    by: 'closeMonth' | 'shipMonth',
    owner?: string,
    team?: string,
  ) {
    const visible = events.filter((e) => Date.parse(e.metadata.occurredAt) <= T);
    const inForceAt = <E>(entries: Array<{ at: number; value: E }>) => {
      const sorted = [...entries].sort((a, b) => a.at - b.at);
      let found = sorted[0]?.value;
      for (const entry of sorted) if (entry.at <= T) found = entry.value;
      return found;
    };
    const versions = (id: string) =>
      events
        .filter((e) => e.type === 'PolicyVersionPublished' && (e.data as { id: string }).id === id)
        .map((e) => ({
          at: Date.parse(e.metadata.occurredAt),
          value: (e.data as { body: Record<string, unknown> }).body,
        }));
    const stages = inForceAt(versions('stages.default')) as {
      openStages: Array<{ key: string; probability: number }>;
    };
    const fx = inForceAt(versions('fx.default')) as {
      base: string;
      rates: Array<{ currency: string; effectiveFrom: string; unitsPerBase: string }>;
    };
    const teamOf = (user: string, at: number) => {
      const spans = events
        .filter((e) => e.streamName === `user-${user}`)
        .map((e) => ({
          at: Date.parse(e.metadata.occurredAt),
          value: ((e.data as { teamId?: string; to?: string }).teamId ??
            (e.data as { to?: string }).to) as string,
        }));
      const sorted = spans.sort((a, b) => a.at - b.at);
      let found = sorted[0]?.value;
      for (const span of sorted) if (span.at <= at) found = span.value;
      return found;
    };
    const rows = new Map<
      string,
      { openDeals: number; weightedMinor: number; wonMinor: number; unconvertedDeals: number }
    >();
    const row = (month: string) => {
      const known = rows.get(month) ?? {
        openDeals: 0,
        weightedMinor: 0,
        wonMinor: 0,
        unconvertedDeals: 0,
      };
      rows.set(month, known);
      return known;
    };
    const streams = [
      ...new Set(visible.filter((e) => e.streamName.startsWith('deal-')).map((e) => e.streamName)),
    ];
    for (const stream of streams) {
      let deal: Folded | undefined;
      for (const e of visible.filter((x) => x.streamName === stream)) {
        const d = e.data as FoldData;
        switch (e.type) {
          case 'DealOpened':
            deal = {
              status: 'open',
              currency: d.currency!,
              amount: d.amount?.minor ?? null,
              stage: d.stage!,
              close: d.expectedCloseDate?.slice(0, 7) ?? null,
              ship: d.expectedShipMonth ?? null,
              owner: d.ownerId!,
            };
            break;
          case 'DealStageChanged':
            deal!.stage = d.to!;
            break;
          case 'DealAmountChanged':
            deal!.amount = d.amount!.minor;
            break;
          case 'DealExpectedCloseDateChanged':
            deal!.close = d.date!.slice(0, 7);
            break;
          case 'DealExpectedShipMonthChanged':
            deal!.ship = d.month!;
            break;
          case 'DealOwnerTransferred':
            deal!.owner = d.to!;
            break;
          case 'DealWon':
            deal!.status = 'won';
            deal!.won = { at: e.metadata.occurredAt, amount: d.amount!.minor, owner: deal!.owner };
            break;
          case 'DealLost':
            deal!.status = 'lost';
            break;
          case 'DealReopened':
            deal!.status = 'open';
            deal!.stage = d.stage!;
            break;
        }
      }
      if (!deal || deal.status === 'lost') continue;
      if (deal.status === 'won') {
        const won = deal.won!;
        const at = Date.parse(won.at);
        if ((owner && won.owner !== owner) || (team && teamOf(won.owner, at) !== team)) continue;
        const base = weightedInBase(won.amount, deal.currency, 1, fx, won.at.slice(0, 10));
        const r = row(won.at.slice(0, 7));
        if (base === undefined) r.unconvertedDeals += 1;
        else r.wonMinor += base;
        continue;
      }
      if ((owner && deal.owner !== owner) || (team && teamOf(deal.owner, T) !== team)) continue;
      const month = by === 'closeMonth' ? deal.close : deal.ship;
      const r = row(month ?? 'unscheduled');
      r.openDeals += 1;
      if (deal.amount === null) continue;
      const p = stages.openStages.find((s) => s.key === deal!.stage)!.probability;
      const base = weightedInBase(
        deal.amount,
        deal.currency,
        p,
        fx,
        month ? `${month}-01` : '9999-12-31',
      );
      if (base === undefined) r.unconvertedDeals += 1;
      else r.weightedMinor += base;
    }
    return [...months, 'unscheduled'].map((month) => ({
      month,
      ...(rows.get(month) ?? { openDeals: 0, weightedMinor: 0, wonMinor: 0, unconvertedDeals: 0 }),
    }));
  }

  it(`matches at every event time and around it (seed ${SEED})`, async () => {
    const events = generate();
    const model = await project(weightedForecastProjection, events, 7);
    try {
      const instants = [
        ...new Set(
          events.flatMap((e) => {
            const t = Date.parse(e.metadata.occurredAt);
            return [t - 1, t];
          }),
        ),
      ].sort((a, b) => a - b);
      let checked = 0;
      for (const T of instants) {
        for (const by of ['closeMonth', 'shipMonth'] as const) {
          for (const scope of [{}, { owner: 'u2' }, { team: 't0' }] as Array<{
            owner?: string;
            team?: string;
          }>) {
            const filter = scope.owner
              ? { dim: 'owner' as const, value: scope.owner }
              : scope.team
                ? { dim: 'team' as const, value: scope.team }
                : undefined;
            const report = await forecastReport(model.store, model.name, {
              asOf: new Date(T),
              by,
              months,
              filter,
            });
            const actual = report.rows.map((r) => ({
              month: r.month,
              openDeals: r.openDeals,
              weightedMinor: r.weightedMinor,
              wonMinor: r.wonMinor,
              unconvertedDeals: r.unconvertedDeals,
            }));
            expect({ T: iso(T), by, scope, rows: actual }).toEqual({
              T: iso(T),
              by,
              scope,
              rows: fold(events, T, by, scope.owner, scope.team),
            });
            checked += 1;
          }
        }
      }
      expect(checked).toBeGreaterThan(300);
    } finally {
      await model.close();
    }
  });
});
