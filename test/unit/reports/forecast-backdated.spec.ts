/**
 * The weighted-forecast read model (forecastReport) against its reference fold (forecastKnownAt
 * over the deal-timeline read model, with knownAt after everything), when policy versions, team
 * moves and registrations are recorded LATE: after deal changes dated after them were recorded
 * (a back-dated import). forecast-as-known.spec.ts avoids those; this file is about them.
 *
 * - By hand: a team move, a stage-policy version and an FX version each back-dated before a deal
 *   change recorded earlier; the same for a deal lost since; a user whose first team is recorded
 *   after deals they own changed (a first team holds from the start), then a move back-dated
 *   before that registration.
 * - Random histories (seeded; SEED=<n> overrides the default seed) with late policy and team
 *   events, projected by both projections into one real SQLite read store in batches of random
 *   size, then compared at several hundred random points T, to the JSON text. A failure names the
 *   seed, the point and the rows that differ.
 */
import { DEALS, HISTORY } from '../../../projections/weighted-forecast.projection';
import type { ReadStore } from '../../../src/read-store/read-store.port';
import { forecastKnownAt } from '../../../src/reports/forecast/forecast-known-at.query';
import { monthRange } from '../../../src/reports/forecast/forecast-reports.controller';
import {
  ForecastQuery,
  ForecastReport,
  forecastReport,
} from '../../../src/reports/forecast/forecast.query';
import {
  FX_V1,
  MODELS,
  projectForecast,
  randomDeals,
  randomView,
  rowDifference,
  setupEvents,
  START,
  V1,
  V2,
} from '../../support/forecast-histories';
import {
  DealStream,
  fxPublished,
  log,
  Planned,
  Rate,
  stagesPublished,
  userMoved,
  userRegistered,
} from '../../support/planned-history';
import { draws, random, seedFromEnv } from '../../support/random';
import { ceilMonth, DAY, HOUR, iso, ms } from '../../support/time';

// ---- Both answers ------------------------------------------------------------------------------

/** After everything was recorded: the fold then sees every deal change, version and move. */
const END = new Date('2031-01-01T00:00:00Z');

/** The read model's answer as of T and the fold's, knownAt left out (the read model has none). */
async function answers(
  store: ReadStore,
  query: ForecastQuery,
): Promise<{ readModel: string; fold: string }> {
  const readModel = await forecastReport(store, MODELS.forecast, query);
  const fold: Record<string, unknown> = await forecastKnownAt(store, MODELS.timeline, {
    ...query,
    knownAt: END,
  });
  delete fold.knownAt;
  return { readModel: JSON.stringify(readModel), fold: JSON.stringify(fold) };
}

// ---- By hand -----------------------------------------------------------------------------------

describe('the weighted forecast with policy versions and team moves recorded late, by hand', () => {
  const SETUP = ms('2026-01-01T00:00:00Z');
  const OPENED = ms('2026-02-01T09:00:00Z');
  /** Business time of the late entry: before the deal change on 12 February… */
  const ENTRY_AT = ms('2026-02-10T00:00:00Z');
  const CHANGED = ms('2026-02-12T09:00:00Z');
  /** …but recorded after it. */
  const ENTRY_RECORDED = ms('2026-02-15T00:00:00Z');
  const MONTHS = ['2026-02', '2026-03', '2026-04'];
  const FACTS = {
    country: 'AE',
    channel: 'alibaba',
    productLine: 'valves',
    closeDate: '2026-03-15',
  };
  const STAGES_V1 = stagesPublished(1, { initial_contact: 0.1, proposal: 0.5 }, SETUP);
  const FX_V1 = fxPublished(
    1,
    [{ currency: 'EUR', effectiveFrom: '2025-12-01', unitsPerBase: '0.8' }],
    SETUP,
  );

  /** 10,000 minor units in proposal (0.5), owned by u-ana, raised to 30,000 on 12 February. */
  const raisedDeal = (currency = 'USD') =>
    new DealStream('d-1', currency, FACTS)
      .open('u-ana', 'proposal', 10_000, OPENED)
      .reprice(30_000, CHANGED).events;

  /** u-ana in tA from the start. */
  const ANA_IN_TA = userRegistered('u-ana', 'tA', SETUP);
  /** Stage policy v1, FX v1 and the events given, projected. */
  const projectWith = (...events: Planned[]) => projectForecast(log([STAGES_V1, FX_V1, ...events]));

  const march = async (store: ReadStore, asOf: string, filter?: ForecastQuery['filter']) => {
    const query: ForecastQuery = { asOf: new Date(asOf), by: 'closeMonth', months: MONTHS, filter };
    const { readModel, fold } = await answers(store, query);
    // The read model answers exactly what the fold answers, to the JSON text.
    expect(readModel).toBe(fold);
    const row = (JSON.parse(readModel) as { rows: Array<Record<string, unknown>> }).rows.find(
      (r) => r.month === '2026-03',
    );
    return { openDeals: row?.openDeals, weightedMinor: row?.weightedMinor };
  };
  /** March's row as of each asOf, of one team or of all: its open deals and weighted amount. */
  const expectMarch = async (
    store: ReadStore,
    rows: Array<[asOf: string, team: string | null, openDeals: number, weightedMinor: number]>,
  ) => {
    for (const [asOf, team, openDeals, weightedMinor] of rows) {
      const filter = team === null ? undefined : { dim: 'team' as const, value: team };
      expect({ asOf, team, ...(await march(store, asOf, filter)) }).toEqual({
        asOf,
        team,
        openDeals,
        weightedMinor,
      });
    }
  };

  it('re-weighs the deal from a team move dated before its change but recorded after it', async () => {
    const store = await projectWith(
      ANA_IN_TA,
      ...raisedDeal(),
      userMoved('u-ana', 'tA', 'tB', ENTRY_AT, ENTRY_RECORDED),
    );
    await expectMarch(store, [
      // Between the move and the raise: 10,000 × 0.5 in tB, nothing left in tA.
      ['2026-02-11T00:00:00Z', 'tB', 1, 5_000],
      ['2026-02-11T00:00:00Z', 'tA', 0, 0],
      // Before the move, in tA; after the raise, 30,000 × 0.5 in tB.
      ['2026-02-09T00:00:00Z', 'tA', 1, 5_000],
      ['2026-02-13T00:00:00Z', 'tB', 1, 15_000],
    ]);
    // The deal keeps one earlier state (10,000 from 1 February) in its history.
    const kept = await store.get(MODELS.forecast(HISTORY), 'd-1');
    expect(kept).toMatchObject({ past: [{ at: iso(OPENED), amount: 10_000, owner: 'u-ana' }] });
    expect(await store.get(MODELS.forecast(DEALS), 'd-1')).toMatchObject({ amount: 30_000 });
    await store.close();
  });

  it('re-weighs it from a back-dated stage-policy version', async () => {
    const store = await projectWith(
      ANA_IN_TA,
      ...raisedDeal(),
      stagesPublished(2, { initial_contact: 0.1, proposal: 0.8 }, ENTRY_AT, ENTRY_RECORDED),
    );
    await expectMarch(store, [
      ['2026-02-09T00:00:00Z', null, 1, 5_000],
      // 10,000 × 0.8, then 30,000 × 0.8.
      ['2026-02-11T00:00:00Z', null, 1, 8_000],
      ['2026-02-13T00:00:00Z', null, 1, 24_000],
    ]);
    await store.close();
  });

  it('re-weighs it from a back-dated FX version', async () => {
    const rate = { currency: 'EUR', effectiveFrom: '2025-12-01', unitsPerBase: '0.5' };
    const store = await projectWith(
      ANA_IN_TA,
      ...raisedDeal('EUR'),
      fxPublished(2, [rate], ENTRY_AT, ENTRY_RECORDED),
    );
    // EUR 10,000 × 0.5 / 0.8 = 6,250; with v2's rate 0.5: 10,000; after the raise 30,000.
    await expectMarch(store, [
      ['2026-02-09T00:00:00Z', null, 1, 6_250],
      ['2026-02-11T00:00:00Z', null, 1, 10_000],
      ['2026-02-13T00:00:00Z', null, 1, 30_000],
    ]);
    await store.close();
  });

  it('re-weighs a deal lost since: its open days before the loss', async () => {
    const lost = new DealStream('d-1', 'USD', FACTS)
      .open('u-ana', 'proposal', 10_000, OPENED)
      .lose(CHANGED).events;
    const store = await projectWith(
      ANA_IN_TA,
      ...lost,
      userMoved('u-ana', 'tA', 'tB', ENTRY_AT, ENTRY_RECORDED),
    );
    await expectMarch(store, [
      ['2026-02-11T00:00:00Z', 'tB', 1, 5_000],
      ['2026-02-13T00:00:00Z', 'tB', 0, 0],
    ]);
    await store.close();
  });

  it("gives a user's first team, recorded after deals they own changed, from the start", async () => {
    const REGISTERED = ms('2026-02-20T00:00:00Z');
    const store = await projectWith(...raisedDeal(), userRegistered('u-ana', 'tA', REGISTERED));
    await expectMarch(store, [
      ['2026-02-11T00:00:00Z', 'tA', 1, 5_000],
      ['2026-02-13T00:00:00Z', 'tA', 1, 15_000],
    ]);
    await store.close();
  });

  it('follows a move dated before the registration it was recorded after, from the registration on', async () => {
    const REGISTERED = ms('2026-02-20T00:00:00Z');
    // Entries [tA from 20 Feb, tB from 5 Feb], in the order recorded: before 20 February the
    // first holds (tA); from then on the move dated earlier (tB), as the fold reads them.
    const store = await projectWith(
      ...raisedDeal(),
      userRegistered('u-ana', 'tA', REGISTERED),
      userMoved('u-ana', 'tA', 'tB', ms('2026-02-05T00:00:00Z'), ms('2026-02-25T00:00:00Z')),
    );
    await expectMarch(store, [
      ['2026-02-11T00:00:00Z', 'tA', 1, 5_000],
      ['2026-02-21T00:00:00Z', 'tA', 0, 0],
      ['2026-02-21T00:00:00Z', 'tB', 1, 15_000],
    ]);
    await store.close();
  });
});

// ---- Random histories ---------------------------------------------------------------------------

const DEFAULT_SEED = 20260417;
const SEED = seedFromEnv(DEFAULT_SEED);

/** v3: dated before v2 but recorded after it. */
const V3 = { initial_contact: 0.2, proposal: 0.45, sample: 0.55, negotiation: 0.75, contract: 0.8 };
const STAGES = [...new Set([...Object.keys(V1), ...Object.keys(V2), ...Object.keys(V3)])];
const FX_V2: Rate[] = [
  FX_V1[0],
  { currency: 'EUR', effectiveFrom: '2025-04-01', unitsPerBase: '0.95' },
  { currency: 'EUR', effectiveFrom: '2025-10-01', unitsPerBase: '0.87' },
  { currency: 'EUR', effectiveFrom: '2026-01-01', unitsPerBase: '0.85' },
];

const OWNERS = ['u-ana', 'u-ben', 'u-cem', 'u-dia', 'u-eli', 'u-fay', 'u-gus']; // u-gus: no team

interface History {
  planned: Planned[];
  /** Business times of every event, sorted. */
  businessTimes: number[];
  last: number;
}

/**
 * Policies and teams at the start, then, inside the history, each recorded 1 to 150 days after it
 * takes effect (deal changes dated in between are recorded first): u-ben's move, stage policy v2,
 * u-fay's and u-eli's first teams (both already own deals), FX v2, a stage-policy v3 dated before
 * v2, u-eli's move dated before her registration, u-cem's move and return. Then random deals,
 * owned by anyone from the start, in any stage of v1, v2 or v3.
 */
function randomHistory(next: () => number, deals: number): History {
  const { int, snap } = draws(next);
  const lag = () => (next() < 0.2 ? int(1, 23) * HOUR : int(1, 150) * DAY + int(0, DAY));
  const inside = () => snap(START + int(20, 460) * DAY + int(0, DAY));

  const v2At = inside();
  const v2Known = v2At + lag();
  const eliAt = inside();
  const eliKnown = eliAt + lag();
  const cemMoves = inside();
  const cemReturns = cemMoves + int(1, 60) * DAY;
  const cemKnown = cemReturns + lag();
  const planned: Planned[] = [
    ...setupEvents(),
    ((at) => userMoved('u-ben', 'tA', 'tB', at, at + lag()))(inside()),
    stagesPublished(2, V2, v2At, v2Known),
    ((at) => stagesPublished(3, V3, at, v2Known + lag()))(v2At - int(1, 90) * DAY),
    ((at) => userRegistered('u-fay', 'tA', at, at + lag()))(inside()),
    ((at) => fxPublished(2, FX_V2, at, at + lag()))(inside()),
    userRegistered('u-eli', 'tB', eliAt, eliKnown),
    userMoved('u-eli', 'tB', 'tA', eliAt - int(1, 60) * DAY, eliKnown + lag()),
    userMoved('u-cem', 'tB', 'tA', cemMoves, cemKnown),
    userMoved('u-cem', 'tA', 'tB', cemReturns, cemKnown + int(0, 3) * DAY),
    ...randomDeals(next, {
      deals,
      owners: () => OWNERS,
      stages: () => STAGES,
      unpriced: 0.2,
      lateLag: () => int(1, 60) * DAY + int(0, DAY),
    }),
  ];
  const businessTimes = [...new Set(planned.map((p) => p.at))].sort((a, b) => a - b);
  return { planned, businessTimes, last: businessTimes[businessTimes.length - 1] };
}

function randomQuery(next: () => number, h: History): ForecastQuery {
  const { pick } = draws(next);
  const range = () => START - 10 * DAY + Math.floor(next() * (h.last - START + 40 * DAY));
  const k = next();
  const T =
    k < 0.5
      ? pick(h.businessTimes) + pick([0, 0, -1, 1])
      : k < 0.65
        ? ceilMonth(range()) + pick([0, -1])
        : range();
  const view = randomView(next, T, {
    owners: OWNERS,
    dims: ['country', 'owner', 'team', 'team', 'team', 'region'],
    unscoped: 0.2,
  });
  return { asOf: new Date(T), ...view };
}

describe.each([
  ['batches of 1 to 12 events', { deals: 240, points: 320, batch: 12, offset: 0 }],
  ['batches of 1 to 60 events', { deals: 200, points: 240, batch: 60, offset: 1 }],
])(
  'the weighted forecast with late policy and team events on random histories, %s',
  (_name, shape) => {
    const next = random(SEED + shape.offset);
    const h = randomHistory(next, shape.deals);
    let store: ReadStore;

    beforeAll(async () => {
      store = await projectForecast(log(h.planned), () => 1 + Math.floor(next() * shape.batch));
    });
    afterAll(() => store.close());

    it(`answers what the fold answers at every point (seed ${SEED}; SEED=<n> for another)`, async () => {
      const failures: string[] = [];
      let mismatches = 0;
      let weighted = 0;
      const queries = [
        ...h.businessTimes
          .filter((_, n) => n % 25 === 0)
          .map((t): ForecastQuery => ({
            asOf: new Date(t),
            by: 'closeMonth',
            months: monthRange({}, new Date(t), 'UTC'),
            groupBy: 'team',
          })),
        ...Array.from({ length: shape.points }, () => randomQuery(next, h)),
      ];
      for (const [n, query] of queries.entries()) {
        const { readModel, fold } = await answers(store, query);
        if (/"weightedMinor":[1-9-]/.test(fold)) weighted += 1;
        if (readModel !== fold) {
          mismatches += 1;
          if (failures.length < 3) {
            failures.push(
              `point #${n} ${JSON.stringify({ ...query, asOf: query.asOf.toISOString() })}\n` +
                rowDifference(
                  JSON.parse(fold) as ForecastReport,
                  JSON.parse(readModel) as ForecastReport,
                  ['fold', 'read model'],
                ),
            );
          }
        }
      }
      if (mismatches > 0) {
        throw new Error(
          `seed ${SEED}: ${mismatches} of ${queries.length} points differ; again with\n` +
            `SEED=${SEED} npx jest test/unit/reports/forecast-backdated.spec.ts. The first:\n\n` +
            failures.join('\n\n'),
        );
      }
      expect(weighted).toBeGreaterThan(queries.length / 3);
    });
  },
);
