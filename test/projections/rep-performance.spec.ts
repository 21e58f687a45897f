import calendarPolicy from '../../config/policies/calendars.default.json';
import fxPolicy from '../../config/policies/fx.default.json';
import { repPerformanceProjection } from '../../projections/rep-performance.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import { repPerformance, slaCompliance } from '../../src/reports/people/rep-performance.report';
import type { ReportPeriod } from '../../src/reports/report-period';
import { history, ProjectedModel, project, recorded } from '../support/projection-harness';

// ---- A scripted history -----------------------------------------------------------------------
// Teams: berlin (calendar berlin-sales, Mon–Fri 09:00–18:00 Europe/Berlin, CET = UTC+1 until
// 29 March) with u1; chicago (chicago-sales, Mon–Fri 09:00–17:00 America/Chicago, CDT = UTC−5
// from 8 March) with u2. FX (fx.default): EUR per USD 0.8550 from 2026-01-01, 0.8450 from 2026-02-01.
// 2026-03-06 is a Friday.

const person = { kind: 'person', id: 'mgr' };
const STAGES = { id: 'stages.default', version: 1 };
const policy = (id: string, body: object, at: string) =>
  recorded(
    `policy-${id}`,
    'PolicyVersionPublished',
    { id, version: 1, body: { ...body, id, version: 1 }, publishedAt: at },
    at,
  );
const team = (id: string, calendarKey: string, at: string) =>
  recorded(
    `team-${id}`,
    'TeamCreated',
    { teamId: id, name: id, region: [], productLines: [], leadId: null, calendarKey },
    at,
  );
const user = (id: string, teamId: string, at: string) =>
  recorded(
    `user-${id}`,
    'UserRegistered',
    { userId: id, name: id, email: `${id}@x.test`, role: 'rep', teamId },
    at,
  );
const moved = (id: string, from: string, to: string, at: string) =>
  recorded(`user-${id}`, 'UserMovedToTeam', { userId: id, from, to }, at);

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received: (at: string, owner: string, live = true) => [
      recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel: 'alibaba',
          payloadHash: 'a'.repeat(64),
          inquirer: { company: id, country: 'DE' },
          attachments: [],
          live,
          receivedAt: at,
        },
        at,
      ),
      recorded(
        stream,
        'LeadAssigned',
        { leadId: id, to: owner, reason: 'rule', cause: person },
        at,
      ),
    ],
    transferred: (from: string, to: string, at: string) =>
      recorded(
        stream,
        'LeadOwnershipTransferred',
        { leadId: id, from, to, reason: 'leave', cause: person },
        at,
      ),
    firstResponse: (at: string, recordedAt = at, supersedes?: string) =>
      recorded(
        stream,
        'FirstResponseRecorded',
        {
          leadId: id,
          at,
          channel: 'email',
          secondsSinceInquiry: 0,
          ...(supersedes ? { supersedes } : {}),
        },
        recordedAt,
      ),
  };
}

function deal(id: string, currency = 'USD') {
  const stream = `deal-${id}`;
  const money = (minor: number) => ({ minor, currency });
  return {
    opened: (owner: string, at: string) =>
      recorded(
        stream,
        'DealOpened',
        {
          dealId: id,
          accountId: `acc-${id}`,
          title: id,
          ownerId: owner,
          channel: 'alibaba',
          country: 'DE',
          productLine: 'valves',
          repeat: false,
          currency,
          stage: 'initial_contact',
          policy: STAGES,
        },
        at,
      ),
    transferred: (from: string, to: string, at: string) =>
      recorded(stream, 'DealOwnerTransferred', { from, to, reason: 'handover', cause: person }, at),
    activity: (
      activityId: string,
      at: string,
      direction: 'inbound' | 'outbound',
      recordedAt = at,
    ) =>
      recorded(
        stream,
        'DealActivityLogged',
        { activityId, kind: 'email', direction, summary: 'x', at },
        recordedAt,
      ),
    won: (minor: number, at: string) =>
      recorded(
        stream,
        'DealWon',
        { orderReference: `PO-${id}`, stage: 'negotiation', amount: money(minor), policy: STAGES },
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
          stage: 'proposal',
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
    payment: (paymentId: string, receivedOn: string, at: string) =>
      recorded(
        stream,
        'DealPaymentRecorded',
        {
          paymentId,
          amount: money(1),
          receivedOn,
          amountInDealCurrency: money(1),
          totalPaid: money(1),
          outstanding: money(0),
        },
        at,
      ),
    paidInFull: (paidOn: string, at: string) =>
      recorded(stream, 'DealPaidInFull', { totalPaid: money(1), paidOn }, at),
  };
}

const [l1, l2, l3, l4, l5, l6] = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'].map(lead);
const d1 = deal('d1');
const d2 = deal('d2', 'EUR');
const d4 = deal('d4', 'EUR');
const [d5, d6, d7] = ['d5', 'd6', 'd7'].map((id) => deal(id));

const EVENTS: RecordedEvent[] = history([
  policy('calendars.default', calendarPolicy, '2025-01-01T00:00:00.000Z'),
  policy('fx.default', fxPolicy, '2025-01-01T00:00:00.000Z'),
  team('berlin', 'berlin-sales', '2025-01-01T00:00:00.000Z'),
  team('chicago', 'chicago-sales', '2025-01-01T00:00:00.000Z'),
  user('u1', 'berlin', '2025-01-02T00:00:00.000Z'),
  user('u2', 'chicago', '2025-01-02T00:00:00.000Z'),
  // January: d4 won at 23:00 UTC on 31 January, at January's EUR rate.
  d4.opened('u1', '2026-01-05T00:00:00.000Z'),
  d4.won(500_000, '2026-01-31T23:00:00.000Z'),
  d1.opened('u1', '2026-02-15T00:00:00.000Z'),
  d1.activity('a1', '2026-03-05T10:00:00.000Z', 'outbound'),
  d6.opened('u1', '2026-03-06T00:00:00.000Z'),
  // l1: Friday 17:00 Berlin → Monday 09:30 Berlin, across the weekend.
  ...l1.received('2026-03-06T16:00:00.000Z', 'u1'),
  l1.firstResponse('2026-03-09T08:30:00.000Z'),
  d6.won(300_000, '2026-03-10T00:00:00.000Z'),
  // l2: Tuesday 21:00 Berlin → Wednesday 09:15 Berlin, across the night.
  ...l2.received('2026-03-10T20:00:00.000Z', 'u1'),
  d2.opened('u1', '2026-03-11T00:00:00.000Z'),
  l2.firstResponse('2026-03-11T08:15:00.000Z'),
  // l3: answered at 10:10, then an archived email shows an answer at 10:05.
  ...l3.received('2026-03-11T10:00:00.000Z', 'u1'),
  l3.firstResponse('2026-03-11T10:10:00.000Z'),
  l3.firstResponse(
    '2026-03-11T10:05:00.000Z',
    '2026-03-11T10:30:00.000Z',
    '2026-03-11T10:10:00.000Z',
  ),
  d6.reopened('2026-03-12T00:00:00.000Z'),
  d1.activity('a2', '2026-03-12T10:00:00.000Z', 'inbound'),
  // l4: u1's for an hour, handed to u2 who answers: 09:00 → 11:00 in Chicago.
  ...l4.received('2026-03-12T14:00:00.000Z', 'u1'),
  l4.transferred('u1', 'u2', '2026-03-12T15:00:00.000Z'),
  l4.firstResponse('2026-03-12T16:00:00.000Z'),
  d6.lost('2026-03-14T00:00:00.000Z'),
  d2.activity('a3', '2026-03-15T10:00:00.000Z', 'outbound'),
  d5.opened('u1', '2026-03-16T00:00:00.000Z'),
  d5.won(200_000, '2026-03-20T00:00:00.000Z'),
  d1.activity('a4', '2026-03-20T10:00:00.000Z', 'outbound'),
  ...l6.received('2026-03-20T10:00:00.000Z', 'u2'),
  // The handover of d2, mid-period.
  d2.transferred('u1', 'u2', '2026-03-21T00:00:00.000Z'),
  d2.activity('a5', '2026-03-22T10:00:00.000Z', 'inbound'),
  // An email of 18 March archived on the 23rd: u1 owned d2 on the 18th.
  d2.activity('a6', '2026-03-18T10:00:00.000Z', 'outbound', '2026-03-23T09:00:00.000Z'),
  d2.won(1_000_000, '2026-03-26T00:00:00.000Z'),
  d5.payment('p1', '2026-03-30', '2026-03-30T12:00:00.000Z'),
  d5.paidInFull('2026-03-30', '2026-03-30T12:00:00.000Z'),
  d2.payment('p2', '2026-04-05', '2026-04-05T12:00:00.000Z'),
  d2.payment('p3', '2026-04-20', '2026-04-20T12:00:00.000Z'),
  d2.paidInFull('2026-04-20', '2026-04-20T12:00:00.000Z'),
  // Back-dated imports, recorded last: l5 (not live) in February, d7 in early March.
  ...l5.received('2026-02-20T12:00:00.000Z', 'u1', false),
  l5.firstResponse('2026-02-20T12:30:00.000Z'),
  d7.opened('u2', '2026-03-02T00:00:00.000Z'),
  d7.lost('2026-03-04T00:00:00.000Z'),
]);

const period = (from: string, to: string): ReportPeriod => ({
  from: new Date(from),
  to: new Date(to),
  tz: 'UTC',
});
const MARCH = period('2026-03-01T00:00:00.000Z', '2026-03-31T00:00:00.000Z'); // 30 days

describe('rep performance projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(repPerformanceProjection, EVENTS);
  });
  afterAll(() => model.close());

  const byOwner = async (p: ReportPeriod, filters = {}) =>
    Object.fromEntries(
      (await repPerformance(model.store, model.name, p, selectionOf(filters, 'owner'))).map(
        (row) => [row.owner, row],
      ),
    );

  it('measures first responses in calendar and business seconds of the owning team, at the response', async () => {
    const rows = await byOwner(MARCH);
    // u1 (Berlin): l1 232 200 s calendar (Fri 16:00Z → Mon 08:30Z), business 3 600 (Fri 17–18) +
    // 1 800 (Mon 09:00–09:30) = 5 400; l2 44 100 calendar, 900 business (09:00–09:15);
    // l3 300 / 300 (the archived 10:05 answer replaced the 10:10 one).
    // Calendar: sum 276 600, mean 92 200; sorted 300, 44 100, 232 200: median (rank 2) 44 100,
    // p90 (rank 3) 232 200. Business: sum 6 600, mean 2 200; 300, 900, 5 400: median 900, p90 5 400.
    expect(rows.u1).toMatchObject({
      firstResponses: 3,
      firstResponseMeanSeconds: 92_200,
      firstResponseMedianSeconds: 44_100,
      firstResponseP90Seconds: 232_200,
      businessMeasured: 3,
      firstResponseBusinessMeanSeconds: 2_200,
      firstResponseBusinessMedianSeconds: 900,
      firstResponseBusinessP90Seconds: 5_400,
    });
    // u2 answered l4 after the handover: 14:00Z → 16:00Z, 09:00 → 11:00 in Chicago: 7 200 both ways.
    expect(rows.u2).toMatchObject({
      firstResponses: 1,
      firstResponseMeanSeconds: 7_200,
      firstResponseBusinessMeanSeconds: 7_200,
    });
    // The back-dated import l5 belongs to February: 30 minutes, 13:00–13:30 in Berlin.
    const february = await byOwner(period('2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'));
    expect(february.u1).toMatchObject({
      firstResponses: 1,
      firstResponseMeanSeconds: 1_800,
      firstResponseBusinessMeanSeconds: 1_800,
    });
  });

  it('computes follow-up density from activities and open-deal time, through a handover and back-dated deals', async () => {
    const rows = await byOwner(MARCH);
    // u1 open-deal days in [1 March, 31 March): d1 30, d2 10 (11th–21st), d5 4 (16th–20th),
    // d6 4 (6th–10th) + 2 (reopened 12th, lost 14th) = 50 → average 50 / 30 = 1.6667.
    // Activities: a1, a2, a4 on d1, a3 and the archived a6 on d2 (u1 owned it on the 18th) = 5,
    // 4 of them outbound. Density = 5 / (50/30) / (30/7) = 35 / 50 = 0.7 per open deal per week.
    expect(rows.u1).toMatchObject({
      activities: 5,
      outboundActivities: 4,
      averageOpenDeals: 1.6667,
      followUpDensity: 0.7,
    });
    // u2: d2 5 days (21st–26th), d7 2 days (back-dated, 2nd–4th) = 7 → 0.2333; a5 → 1 × 7 / 7 = 1.
    expect(rows.u2).toMatchObject({
      activities: 1,
      outboundActivities: 0,
      averageOpenDeals: 0.2333,
      followUpDensity: 1,
    });
    const teams = Object.fromEntries(
      (await repPerformance(model.store, model.name, MARCH, selectionOf({}, 'team'))).map((row) => [
        row.team,
        row,
      ]),
    );
    expect(teams.berlin).toMatchObject({ averageOpenDeals: 1.6667, followUpDensity: 0.7 });
    expect(teams.chicago).toMatchObject({ averageOpenDeals: 0.2333, followUpDensity: 1 });
  });

  it('sums won amounts in the base currency at the rate of the won date, per deal', async () => {
    const rows = await byOwner(MARCH);
    // u1: d5 2 000.00 USD; d6 was won on the 10th but reopened on the 12th: not won.
    expect(rows.u1).toMatchObject({
      wonDeals: 1,
      wonAmountMinor: 200_000,
      currency: 'USD',
      unconvertedDeals: 0,
    });
    // u2: d2 10 000.00 EUR on 26 March at 0.8450 EUR/USD = 11 834.3195… → 1 183 432 cents.
    expect(rows.u2).toMatchObject({ wonDeals: 1, wonAmountMinor: 1_183_432, currency: 'USD' });
    // January: d4 5 000.00 EUR on 31 January at 0.8550 = 5 847.9532… → 584 795 cents.
    const january = await byOwner(period('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'));
    expect(january.u1).toMatchObject({ wonDeals: 1, wonAmountMinor: 584_795 });
  });

  it('measures won-to-cash in days from the won date, at the payment', async () => {
    // d5: won 20 March, paid in one payment on 30 March: 10 days to first and to full payment.
    expect((await byOwner(MARCH)).u1).toMatchObject({
      firstPayments: 1,
      daysToFirstPaymentMean: 10,
      daysToFirstPaymentMedian: 10,
      paidInFull: 1,
      daysToFullPaymentMean: 10,
    });
    // d2: won 26 March (u2), first payment 5 April (10 days), paid in full 20 April (25 days).
    const april = await byOwner(period('2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'));
    expect(april.u2).toMatchObject({
      firstPayments: 1,
      daysToFirstPaymentMean: 10,
      paidInFull: 1,
      daysToFullPaymentMean: 25,
      daysToFullPaymentMedian: 25,
    });
  });

  it('gives first-response SLA compliance for the live inquiries received in the period', async () => {
    const sla = async (targetMinutes: number, filters = {}) =>
      Object.fromEntries(
        (
          await slaCompliance(
            model.store,
            model.name,
            MARCH,
            selectionOf(filters, 'owner'),
            targetMinutes * 60,
          )
        ).map((row) => [row.owner, row]),
      );
    // 30 minutes = 1 800 business seconds. u1: l1 5 400 (late), l2 900, l3 300 (within).
    // u2: l4 7 200 (late), l6 not answered. l5 was imported (not live): no clock, not counted.
    const thirty = await sla(30);
    expect(thirty.u1).toMatchObject({
      received: 3,
      answered: 3,
      answeredWithinTarget: 2,
      answeredLate: 1,
      unanswered: 0,
      compliance: 0.6667,
    });
    expect(thirty.u2).toMatchObject({
      received: 2,
      answered: 1,
      answeredWithinTarget: 0,
      unanswered: 1,
      compliance: 0,
      complianceOfAnswered: 0,
    });
    const twoHours = await sla(120, { team: 'chicago' });
    expect(Object.keys(twoHours)).toEqual(['u2']);
    expect(twoHours.u2).toMatchObject({
      answeredWithinTarget: 1,
      compliance: 0.5,
      complianceOfAnswered: 1,
    });
  });
});

describe('rep performance: a rep who changes team takes their open deals along', () => {
  // u3 in north (berlin-sales) opens d8 on 1 March, moves to south on 16 March, opens d9 on 21 March.
  const d8 = deal('d8');
  const d9 = deal('d9');
  const events = history([
    team('north', 'berlin-sales', '2025-01-01T00:00:00.000Z'),
    team('south', 'berlin-sales', '2025-01-01T00:00:00.000Z'),
    user('u3', 'north', '2025-01-02T00:00:00.000Z'),
    d8.opened('u3', '2026-03-01T00:00:00.000Z'),
    d8.activity('b1', '2026-03-10T00:00:00.000Z', 'outbound'),
    moved('u3', 'north', 'south', '2026-03-16T00:00:00.000Z'),
    d8.activity('b2', '2026-03-20T00:00:00.000Z', 'outbound'),
    d9.opened('u3', '2026-03-21T00:00:00.000Z'),
  ]);

  it('splits open-deal time between the teams at the move', async () => {
    const model = await project(repPerformanceProjection, events, 2);
    try {
      const teams = Object.fromEntries(
        (await repPerformance(model.store, model.name, MARCH, selectionOf({}, 'team'))).map(
          (row) => [row.team, row],
        ),
      );
      // north: d8 1st–16th = 15 days → 0.5 open on average; 1 activity → 1 × 7 / 15 = 0.4667.
      // south: d8 16th–31st = 15 days + d9 21st–31st = 10 days = 25 → 0.8333; 1 × 7 / 25 = 0.28.
      expect(teams.north).toMatchObject({
        activities: 1,
        averageOpenDeals: 0.5,
        followUpDensity: 0.4667,
      });
      expect(teams.south).toMatchObject({
        activities: 1,
        averageOpenDeals: 0.8333,
        followUpDensity: 0.28,
      });
      const [u3] = await repPerformance(
        model.store,
        model.name,
        MARCH,
        selectionOf({ owner: 'u3' }),
      );
      // u3 over both teams: 40 days → 1.3333; 2 × 7 / 40 = 0.35.
      expect(u3).toMatchObject({
        scope: 'all',
        activities: 2,
        averageOpenDeals: 1.3333,
        followUpDensity: 0.35,
      });
      const south = await repPerformance(
        model.store,
        model.name,
        MARCH,
        selectionOf({ team: 'south' }, 'owner'),
      );
      expect(south).toEqual([
        expect.objectContaining({ owner: 'u3', averageOpenDeals: 0.8333, followUpDensity: 0.28 }),
      ]);
      // u3's own figures by team: the deals follow u3 to south at the move.
      const u3ByTeam = await repPerformance(
        model.store,
        model.name,
        MARCH,
        selectionOf({ owner: 'u3' }, 'team'),
      );
      expect(u3ByTeam).toEqual([
        expect.objectContaining({
          team: 'north',
          activities: 1,
          averageOpenDeals: 0.5,
          followUpDensity: 0.4667,
        }),
        expect.objectContaining({
          team: 'south',
          activities: 1,
          averageOpenDeals: 0.8333,
          followUpDensity: 0.28,
        }),
      ]);
      // Open-deal time is kept per owner and team only: within a channel it is not known.
      const [perChannel] = await repPerformance(
        model.store,
        model.name,
        MARCH,
        selectionOf({ owner: 'u3' }, 'channel'),
      );
      expect(perChannel ?? { averageOpenDeals: null }).toMatchObject({
        averageOpenDeals: null,
        followUpDensity: null,
      });
    } finally {
      await model.close();
    }
  });
});

describe('rep-performance: rebuilds', () => {
  it('gives identical documents from the same events, whatever the batch size', async () => {
    const [one, seven] = await Promise.all([
      project(repPerformanceProjection, EVENTS, 1),
      project(repPerformanceProjection, EVENTS, 7),
    ]);
    try {
      for (const { name } of repPerformanceProjection.collections) {
        const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
        expect(await seven.find(name, sorted)).toEqual(await one.find(name, sorted));
      }
    } finally {
      await Promise.all([one.close(), seven.close()]);
    }
  });
});
