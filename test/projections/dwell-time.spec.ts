import lossReasonPolicy from '../../config/policies/loss-reasons.default.json';
import stagePolicy from '../../config/policies/stages.default.json';
import { dwellTimeProjection } from '../../projections/dwell-time.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import { closedFigures } from '../../src/reports/deals/dwell-distribution';
import { dwellTime, DwellTimeReport } from '../../src/reports/deals/dwell-time.query';
import type { ReportPeriod } from '../../src/reports/report-period';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// Stages (stages.default v1): initial_contact (I) < proposal (P) < sample (S) < negotiation (N).
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

function deal(id: string) {
  const stream = `deal-${id}`;
  return {
    opened: (at: string, ownerId: string, over: Record<string, unknown> = {}) =>
      recorded(
        stream,
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
    stage: (from: string, to: string, at: string, ref = STAGES_V1) =>
      recorded(
        stream,
        'DealStageChanged',
        { from, to, direction: 'forward', reentry: false, policy: ref },
        at,
      ),
    won: (stage: string, at: string) =>
      recorded(
        stream,
        'DealWon',
        {
          orderReference: `PO-${id}`,
          stage,
          amount: { minor: 100, currency: 'USD' },
          policy: STAGES_V1,
        },
        at,
      ),
    lost: (stage: string, at: string) =>
      recorded(
        stream,
        'DealLost',
        {
          reasonCode: 'price.competitor_cheaper',
          reason: 'price',
          subReason: 'competitor_cheaper',
          stage,
          policy: { id: 'loss-reasons.default', version: 1 },
        },
        at,
      ),
    reopened: (stage: string, previousOutcome: 'won' | 'lost', at: string) =>
      recorded(stream, 'DealReopened', { stage, previousOutcome, reason: 'buyer came back' }, at),
    transferred: (from: string, to: string, at: string) =>
      recorded(
        stream,
        'DealOwnerTransferred',
        { from, to, reason: 'handover', cause: { kind: 'person', id: 'mgr' } },
        at,
      ),
  };
}

const [d1, d2, d3, d4, d5, d6, d7, d8, d9, d10] = [
  'd1',
  'd2',
  'd3',
  'd4',
  'd5',
  'd6',
  'd7',
  'd8',
  'd9',
  'd10',
].map(deal);

/** Log order; d5 is a back-dated import recorded last. */
const EVENTS: RecordedEvent[] = history([
  policy('stages.default', 1, stagePolicy, '2025-01-01T00:00:00.000Z'),
  policy('loss-reasons.default', 1, lossReasonPolicy, '2025-01-01T00:00:00.000Z'),
  user('alice', 'north', '2025-01-02T00:00:00.000Z'),
  user('bob', 'north', '2025-01-02T00:00:00.000Z'),
  user('carol', 'south', '2025-01-02T00:00:00.000Z'),
  // d6: opened and won before the period.
  // d8: in initial_contact since October, still there.
  d8.opened('2025-10-01T09:00:00.000Z', 'carol'),
  d6.opened('2025-12-20T09:00:00.000Z', 'alice'),
  d6.won('initial_contact', '2025-12-28T09:00:00.000Z'),
  // d1: I → P → S → back to P (re-entry) → N → won.
  d1.opened('2026-01-05T09:00:00.000Z', 'alice'),
  d1.stage('initial_contact', 'proposal', '2026-01-10T09:00:00.000Z'),
  // d2: I → S (skips P) → lost → reopened into S → N, still open.
  d2.opened('2026-01-08T09:00:00.000Z', 'bob', { country: 'AE', channel: 'trade_show' }),
  d2.stage('initial_contact', 'sample', '2026-01-12T09:00:00.000Z'),
  // d9: opened straight into sample, still there.
  d9.opened('2026-01-15T09:00:00.000Z', 'alice', { stage: 'sample' }),
  // d3: opened straight into P, lost.
  d3.opened('2026-01-15T09:00:00.000Z', 'carol', { stage: 'proposal', country: 'US' }),
  d1.stage('proposal', 'sample', '2026-01-20T09:00:00.000Z'),
  d3.lost('proposal', '2026-01-20T10:00:00.000Z'),
  d1.stage('sample', 'proposal', '2026-01-25T09:00:00.000Z'),
  d2.lost('sample', '2026-01-30T09:00:00.000Z'),
  d1.stage('proposal', 'negotiation', '2026-02-01T09:00:00.000Z'),
  // d4: opened by bob, handed to carol the next day; I → P → back to I → won from I.
  d4.opened('2026-02-03T09:00:00.000Z', 'bob'),
  d4.transferred('bob', 'carol', '2026-02-04T09:00:00.000Z'),
  d2.reopened('sample', 'lost', '2026-02-05T09:00:00.000Z'),
  d4.stage('initial_contact', 'proposal', '2026-02-06T09:00:00.000Z'),
  d4.stage('proposal', 'initial_contact', '2026-02-08T09:00:00.000Z'),
  d1.won('negotiation', '2026-02-10T09:00:00.000Z'),
  movedTeam('bob', 'north', 'south', '2026-02-15T00:00:00.000Z'),
  d2.stage('sample', 'negotiation', '2026-02-20T09:00:00.000Z'),
  // d10: opened by bob, handed to carol while in initial_contact; d7 opened into proposal.
  d10.opened('2026-02-20T09:00:00.000Z', 'bob'),
  d10.transferred('bob', 'carol', '2026-02-22T09:00:00.000Z'),
  d7.opened('2026-02-26T09:00:00.000Z', 'alice', { stage: 'proposal' }),
  d4.won('initial_contact', '2026-02-25T09:00:00.000Z'),
  // d5: imported later with a January date: I → N (skips P and S) → lost.
  d5.opened('2026-01-20T09:00:00.000Z', 'bob'),
  d5.stage('initial_contact', 'negotiation', '2026-01-22T09:00:00.000Z'),
  d5.lost('negotiation', '2026-01-25T09:00:00.000Z'),
]);

const period = (from: string, to: string, tz = 'UTC'): ReportPeriod => ({
  from: new Date(from),
  to: new Date(to),
  tz,
});
const JAN_FEB = period('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400;
const HOUR = 3_600;

const closed = (report: DwellTimeReport, group = 'all') =>
  Object.fromEntries(
    report.rows
      .filter((row) => row.kind === 'closed' && row.group === group)
      .map((row) => [
        row.stage,
        row.kind === 'closed'
          ? [row.deals, row.totalSeconds, row.meanSeconds, row.medianSeconds, row.p90Seconds]
          : [],
      ]),
  );
const inStage = (report: DwellTimeReport, group = 'all') =>
  Object.fromEntries(
    report.rows
      .filter((row) => row.kind === 'in_stage' && row.group === group)
      .map((row) =>
        row.kind === 'in_stage'
          ? [
              row.stage,
              [
                row.deals,
                row.age_0_7d,
                row.age_7_30d,
                row.age_30_90d,
                row.age_over_90d,
                row.oldestAgeSeconds,
              ],
            ]
          : [],
      ),
  );

describe('dwell time', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(dwellTimeProjection, EVENTS);
  });
  afterAll(() => model.close());

  const run = (p: ReportPeriod, filters = {}, groupBy?: Parameters<typeof selectionOf>[1]) =>
    dwellTime(model.store, model.name, p, selectionOf(filters, groupBy), NOW);

  it('sums re-entered stays, closes a stage when the deal is past it or closed, and gives mean, median, p90', async () => {
    const report = await run(JAN_FEB);
    // Final dwells measured in January–February (d6's 8 days closed on 2025-12-28, outside):
    // I: d1 5d (01-10), d2 4d (01-12), d4 3d + 17d = 20d (won from I on 02-25, after going back to I), d5 2d
    //    → [2d, 4d, 5d, 20d]: total 31d; mean 7.75d = 669600 s; median (4d + 5d) / 2 = 388800 s;
    //    p90 = rank ceil(0.9 × 4) = 4 → 20d = 1728000 s.
    // P: d1 10d + 7d = 17d (re-entered; final on 02-01), d3 5d 1h (lost 10:00), d4 2d (passed back, final at its win)
    //    → [172800, 435600, 1468800]: total 2077200; mean 692400; median 435600; p90 rank 3 → 1468800.
    // S: d1 5d (pending while back in P, final on 02-01), d2 18d + 15d = 33d (reopened into S; final 02-20)
    //    → [432000, 2851200]: total 3283200; mean = median = 1641600; p90 rank ceil(1.8) = 2 → 2851200.
    // N: d1 9d (won), d5 3d (lost) → [259200, 777600]: total 1036800; mean = median = 518400; p90 777600.
    expect(closed(report)).toEqual({
      initial_contact: [4, 31 * DAY, 669600, 388800, 1728000],
      proposal: [3, 2077200, 692400, 435600, 1468800],
      sample: [2, 3283200, 1641600, 1641600, 2851200],
      negotiation: [2, 1036800, 518400, 518400, 777600],
    });
  });

  it('takes measurements back: in January, d1’s first proposal stay and d2’s lost sample stay do not count', async () => {
    const report = await run(period('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    // I: d1 5d, d2 4d, d5 2d (back-dated) → [2d, 4d, 5d]: total 11d = 950400; mean 316800; median 4d; p90 rank 3 → 5d.
    // P: only d3 (d1's 10 days closed on 01-20 were taken back when it returned on 01-25).
    // S: none (d2's 18 days closed by its loss on 01-30 were taken back by the reopen).
    // N: d5 3d.
    expect(closed(report)).toEqual({
      initial_contact: [3, 11 * DAY, 316800, 4 * DAY, 5 * DAY],
      proposal: [1, 435600, 435600, 435600, 435600],
      sample: [0, 0, null, null, null],
      negotiation: [1, 3 * DAY, 3 * DAY, 3 * DAY, 3 * DAY],
    });
  });

  it('reads exact values for days, hours and sub-hour edges of an unaligned period', async () => {
    // [01-10 08:30, 02-20 09:30): d1's I closed on 01-10 09:00 (an hour run, read from facts), d2's S
    // on 02-20 09:00 (the sub-hour edge), the rest in day runs (no whole month).
    // I: d1 5d, d2 4d, d5 2d → median 4d, p90 rank 3 → 5d.
    // P: d3 435600 (01-20), d1 1468800 (02-01) → median (435600 + 1468800) / 2 = 952200; p90 rank 2.
    // S: d1 5d (02-01), d2 33d (02-20 09:00). N: d5 3d (01-25), d1 9d (02-10).
    const report = await run(period('2026-01-10T08:30:00Z', '2026-02-20T09:30:00Z'));
    expect(closed(report)).toEqual({
      initial_contact: [3, 11 * DAY, 316800, 4 * DAY, 5 * DAY],
      proposal: [2, 1904400, 952200, 952200, 1468800],
      sample: [2, 38 * DAY, 19 * DAY, 19 * DAY, 33 * DAY],
      negotiation: [2, 12 * DAY, 6 * DAY, 6 * DAY, 9 * DAY],
    });
    // One rep within a team: bob in north closed d2's I (01-12) and d5's I and N; his S (02-20) was in south.
    const bobNorth = await run(period('2026-01-10T08:30:00Z', '2026-02-20T09:30:00Z'), {
      team: 'north',
      owner: 'bob',
    });
    expect(closed(bobNorth)).toEqual({
      initial_contact: [2, 6 * DAY, 3 * DAY, 3 * DAY, 4 * DAY],
      proposal: [0, 0, null, null, null],
      sample: [0, 0, null, null, null],
      negotiation: [1, 3 * DAY, 3 * DAY, 3 * DAY, 3 * DAY],
    });
  });

  it('attributes a closed dwell to the owner and team at the event that closed it', async () => {
    const owners = await run(JAN_FEB, {}, 'owner');
    // d4 was opened by bob and handed to carol before any of its stages closed.
    expect(closed(owners, 'carol')).toMatchObject({
      initial_contact: [1, 20 * DAY, 20 * DAY, 20 * DAY, 20 * DAY],
      // d3 5d 1h, d4 2d → median (172800 + 435600) / 2 = 304200; p90 rank 2 → 435600.
      proposal: [2, 608400, 304200, 304200, 435600],
    });
    expect(closed(owners, 'bob').initial_contact).toEqual([2, 6 * DAY, 3 * DAY, 3 * DAY, 4 * DAY]);
    const teams = await run(JAN_FEB, {}, 'team');
    // d2's sample closed on 02-20, after bob moved to south (02-15); d1's sample closed in north.
    expect(closed(teams, 'south').sample).toEqual([1, 33 * DAY, 33 * DAY, 33 * DAY, 33 * DAY]);
    expect(closed(teams, 'north').sample).toEqual([1, 5 * DAY, 5 * DAY, 5 * DAY, 5 * DAY]);
  });

  it('reports deals still in a stage apart, by age now, with the current owner after a handover', async () => {
    const report = await run(JAN_FEB);
    // Now = 2026-03-01 00:00. I: d8 since 2025-10-01 09:00 (150d 15h), d10 since 02-20 09:00 (8d 15h).
    // P: d7 since 02-26 09:00 (2d 15h). S: d9 since 01-15 09:00 (44d 15h). N: d2 since 02-20 09:00 (8d 15h).
    const d8Age = 151 * DAY - 9 * HOUR;
    const sinceFeb20 = 8 * DAY + 15 * HOUR; // d10 and d2
    expect(inStage(report)).toEqual({
      initial_contact: [2, 0, 1, 0, 1, d8Age],
      proposal: [1, 1, 0, 0, 0, 2 * DAY + 15 * HOUR],
      sample: [1, 0, 0, 1, 0, 44 * DAY + 15 * HOUR],
      negotiation: [1, 0, 1, 0, 0, sinceFeb20],
    });
    const owners = await run(JAN_FEB, {}, 'owner');
    // d10 moved from bob to carol while in initial_contact.
    expect(inStage(owners, 'carol').initial_contact).toEqual([2, 0, 1, 0, 1, d8Age]);
    expect(inStage(owners, 'bob')).toMatchObject({
      initial_contact: [0, 0, 0, 0, 0, null],
      negotiation: [1, 0, 1, 0, 0, sinceFeb20],
    });
    // Team south now: d8 and d10 (carol's) in I, d2 in N (bob, in south since 02-15).
    expect(inStage(await run(JAN_FEB, { team: 'south' }))).toMatchObject({
      initial_contact: [2, 0, 1, 0, 1, d8Age],
      proposal: [0, 0, 0, 0, 0, null],
      negotiation: [1, 0, 1, 0, 0, sinceFeb20],
    });
    expect(inStage(await run(JAN_FEB, { team: 'south', owner: 'bob' }))).toMatchObject({
      initial_contact: [0, 0, 0, 0, 0, null],
      negotiation: [1, 0, 1, 0, 0, sinceFeb20],
    });
    // The "now" part ignores the period and calendar groups.
    const monthly = await run(JAN_FEB, {}, 'month');
    expect(inStage(monthly).initial_contact).toEqual([2, 0, 1, 0, 1, d8Age]);
    expect(Object.keys(closed(monthly, '2026-02'))).toHaveLength(4);
  });

  it('breaks a rep’s dwell down by channel, and a team’s within a country, from the scope’s facts', async () => {
    const mine = await run(JAN_FEB, { owner: 'bob' }, 'channel');
    // bob closed d2's initial_contact (trade_show, 01-08 → 01-12) and d5's (website_form,
    // 01-20 → 01-22); d4's closed after its handover to carol. d2's sample closed on 02-20 after
    // 33 days (its lost stay taken back); d5's negotiation closed by its loss after 3 days.
    expect(closed(mine, 'trade_show')).toMatchObject({
      initial_contact: [1, 4 * DAY, 4 * DAY, 4 * DAY, 4 * DAY],
      sample: [1, 33 * DAY, 33 * DAY, 33 * DAY, 33 * DAY],
    });
    expect(closed(mine, 'website_form')).toMatchObject({
      initial_contact: [1, 2 * DAY, 2 * DAY, 2 * DAY, 2 * DAY],
      negotiation: [1, 3 * DAY, 3 * DAY, 3 * DAY, 3 * DAY],
    });
    // Now: bob's only open deal is d2, in negotiation since 02-20 09:00.
    const sinceFeb20 = 8 * DAY + 15 * HOUR;
    expect(inStage(mine, 'trade_show').negotiation).toEqual([1, 0, 1, 0, 0, sinceFeb20]);
    expect(inStage(mine, 'website_form')).toEqual({});

    // Team south within AE: d2's sample closed there; now d2 in negotiation (d8, d10 are DE).
    const southAe = await run(JAN_FEB, { team: 'south', country: 'AE' });
    expect(closed(southAe)).toMatchObject({
      sample: [1, 33 * DAY, 33 * DAY, 33 * DAY, 33 * DAY],
    });
    expect(closed(southAe).initial_contact?.[0] ?? 0).toBe(0);
    expect(inStage(southAe)).toMatchObject({
      initial_contact: [0, 0, 0, 0, 0, null],
      negotiation: [1, 0, 1, 0, 0, sinceFeb20],
    });
  });

  it('counts each group now as filtering on it does, from counts kept per dimension value', async () => {
    const stays = await model.find('open_stays');
    const counts = await model.find('open_counts');
    const expected = new Map<string, number>();
    for (const stay of stays) {
      for (const dim of ['owner', 'team', 'channel', 'country', 'region', 'productLine']) {
        if (stay[dim] === null) continue;
        const id = `${dim}|${String(stay[dim])}|${String(stay.stage)}`;
        expected.set(id, (expected.get(id) ?? 0) + 1);
      }
    }
    expect(new Map(counts.map((count) => [count.id, count.count]))).toEqual(expected);

    for (const dim of ['team', 'channel', 'country', 'region', 'productLine'] as const) {
      const grouped = await run(JAN_FEB, {}, dim);
      const groups = [...new Set(stays.map((stay) => stay[dim] as string | null))];
      for (const group of groups.filter((value): value is string => value !== null)) {
        const filtered = inStage(await run(JAN_FEB, { [dim]: group }));
        expect({ dim, group, ages: inStage(grouped, group) }).toEqual({
          dim,
          group,
          ages: filtered,
        });
      }
    }
  });

  it('keeps one open stay per open deal and no measurement twice', async () => {
    const stays = await model.find('open_stays');
    expect(stays.map((fact) => fact.id).sort()).toEqual(['d10', 'd2', 'd7', 'd8', 'd9']);
    const measured = (await model.find('dwell_facts')).map(
      (fact) => `${(fact.id as string).split('|')[0]}:${(fact.id as string).split('|')[1]}`,
    );
    // d1 4 stages, d2 I and S, d3 P, d4 I and P, d5 I and N, d6 I.
    expect(measured.sort()).toEqual(
      [
        'd1:initial_contact',
        'd1:negotiation',
        'd1:proposal',
        'd1:sample',
        'd2:initial_contact',
        'd2:sample',
        'd3:proposal',
        'd4:initial_contact',
        'd4:proposal',
        'd5:initial_contact',
        'd5:negotiation',
        'd6:initial_contact',
      ].sort(),
    );
  });

  it('is the same whatever the batch size', async () => {
    const one = await project(dwellTimeProjection, EVENTS, 1);
    const many = await project(dwellTimeProjection, EVENTS, 100);
    for (const other of [one, many]) {
      expect(await dwellTime(other.store, other.name, JAN_FEB, {}, NOW)).toEqual(
        await run(JAN_FEB),
      );
      expect(await other.find('dwell')).toEqual(await model.find('dwell'));
      await other.close();
    }
  });

  it('computes the median and nearest-rank p90 from counts per value', () => {
    // 16, 17, 17, 19 share one coarse bin: median (17 + 17) / 2 = 17; p90 rank 4 → 19.
    expect(
      closedFigures(
        [
          [16, 1],
          [17, 2],
          [19, 1],
        ],
        69,
      ),
    ).toEqual({
      deals: 4,
      totalSeconds: 69,
      meanSeconds: 17.25,
      medianSeconds: 17,
      p90Seconds: 19,
    });
    // 10 deals: 1,1,1,2,2,3,4,5,9,100 → median (2 + 3) / 2 = 2.5; p90 rank 9 → 9; mean 128 / 10.
    expect(
      closedFigures(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [4, 1],
          [5, 1],
          [9, 1],
          [100, 1],
        ],
        128,
      ),
    ).toEqual({
      deals: 10,
      totalSeconds: 128,
      meanSeconds: 12.8,
      medianSeconds: 2.5,
      p90Seconds: 9,
    });
    // 11 deals → median rank 6 → 3... with one more 100: p90 rank ceil(9.9) = 10 → 100.
    expect(
      closedFigures(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [4, 1],
          [5, 1],
          [9, 1],
          [100, 2],
        ],
        228,
      ),
    ).toMatchObject({
      medianSeconds: 3,
      p90Seconds: 100,
    });
  });
});
