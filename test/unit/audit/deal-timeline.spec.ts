import { dealTimelineProjection } from '../../../projections/deal-timeline.projection';
import { DealTimeline, TIMELINES } from '../../../projections/deal-timeline.projection';
import { knownInForce } from '../../../src/audit/as-of/known-entries';
import { dealAt, timelinesAt } from '../../support/deal-at-oracle';
import { TimePoint } from '../../../src/audit/as-of/time-point';
import {
  history,
  project,
  ProjectedModel,
  happenedAndRecorded as at,
  dealOpened as opened,
} from '../../support/projection-harness';

const STAGES = { id: 'stages.default', version: 1 };

const point = (asOf: string, knownAt?: string): TimePoint => ({
  asOf: new Date(asOf),
  ...(knownAt ? { knownAt: new Date(knownAt) } : {}),
});

describe('deal timelines: deals as of a date, as known at an instant, without their streams', () => {
  let model: ProjectedModel;
  const timeline = async (id: string) => (await model.get(TIMELINES, id)) as DealTimeline;

  beforeAll(async () => {
    model = await project(
      dealTimelineProjection,
      history([
        // d-1: imported on 03-10 with January–February business times, then live.
        opened('d-1', 'u-ana', 3_800_000, '2026-01-10T10:00:00Z', '2026-03-10T09:00:00Z'),
        at(
          'deal-d-1',
          'DealStageChanged',
          {
            from: 'initial_contact',
            to: 'proposal',
            direction: 'forward',
            reentry: false,
            policy: STAGES,
          },
          '2026-02-01T10:00:00Z',
          '2026-03-10T09:01:00Z',
        ),
        at(
          'deal-d-1',
          'DealActivityLogged',
          { activityId: 'x', kind: 'call', direction: 'outbound', at: '2026-02-02T10:00:00Z' },
          '2026-02-02T10:00:00Z',
          '2026-03-10T09:02:00Z',
        ),
        at(
          'deal-d-1',
          'DealOwnerTransferred',
          { from: 'u-ana', to: 'u-ben', reason: 'Europe', cause: { kind: 'person', id: 'u-mgr' } },
          '2026-03-11T09:00:00Z',
        ),
        at(
          'deal-d-1',
          'DealAmountChanged',
          { amount: { minor: 4_200_000, currency: 'USD' }, cause: 'manual' },
          '2026-03-12T09:00:00Z',
        ),
        // d-2: won in February, reopened in March, so open now.
        opened('d-2', 'u-ana', 1_000_000, '2026-01-15T10:00:00Z'),
        at(
          'deal-d-2',
          'DealWon',
          {
            orderReference: 'PO-1',
            stage: 'initial_contact',
            amount: { minor: 1_100_000, currency: 'USD' },
            policy: STAGES,
          },
          '2026-02-20T10:00:00Z',
        ),
        at(
          'deal-d-2',
          'DealReopened',
          { stage: 'initial_contact', previousOutcome: 'won', reason: 'PO cancelled' },
          '2026-03-05T10:00:00Z',
        ),
        // d-3: lost in January for good.
        opened('d-3', 'u-ben', 500_000, '2026-01-05T10:00:00Z'),
        at(
          'deal-d-3',
          'DealLost',
          {
            reasonCode: 'price.too_high',
            reason: 'price',
            subReason: 'too_high',
            stage: 'initial_contact',
            policy: STAGES,
          },
          '2026-01-20T10:00:00Z',
        ),
        // d-4: lost on 02-10, but the loss was only recorded on 03-01.
        opened('d-4', 'u-cem', 700_000, '2026-01-06T10:00:00Z'),
        at(
          'deal-d-4',
          'DealLost',
          {
            reasonCode: 'trust.no_reply',
            reason: 'trust',
            subReason: 'no_reply',
            stage: 'initial_contact',
            policy: STAGES,
          },
          '2026-02-10T10:00:00Z',
          '2026-03-01T10:00:00Z',
        ),
      ]),
    );
  });
  afterAll(() => model.close());

  it('keeps only what the board and the forecast show, each change with both of its times', async () => {
    const d1 = await timeline('d-1');
    expect(d1.changes).toHaveLength(4); // the activity is not a board change
    expect(d1.changes[1]).toEqual({
      at: '2026-02-01T10:00:00.000Z',
      known: '2026-03-10T09:01:00.000Z',
      stage: 'proposal',
    });
    expect(d1).toMatchObject({
      status: 'open',
      settledAt: null,
      openedAt: '2026-01-10T10:00:00.000Z',
    });
    expect(await timeline('d-4')).toMatchObject({
      status: 'lost',
      settledAt: '2026-02-10T10:00:00.000Z',
      settledKnown: '2026-03-01T10:00:00.000Z',
    });
  });

  it('folds a deal to the point: stage, owner, amount and outcome then, owner now beside them', async () => {
    const d1 = await timeline('d-1');
    expect(dealAt(d1, point('2026-01-20T00:00:00Z'))).toMatchObject({
      stage: 'initial_contact',
      owner: 'u-ana',
      amount: 3_800_000,
      ownerNow: 'u-ben',
    });
    expect(dealAt(d1, point('2026-03-12T12:00:00Z'))).toMatchObject({
      stage: 'proposal',
      enteredStageAt: '2026-02-01T10:00:00.000Z',
      owner: 'u-ben',
      amount: 4_200_000,
    });
    // Known at 09:00:30 on 03-10: only the opening had been imported.
    expect(dealAt(d1, point('2026-03-12T12:00:00Z', '2026-03-10T09:00:30Z'))).toMatchObject({
      stage: 'initial_contact',
      owner: 'u-ana',
    });
    expect(dealAt(d1, point('2026-01-09T00:00:00Z'))).toBeUndefined();
    expect(dealAt(d1, point('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'))).toBeUndefined();
    const d2 = await timeline('d-2');
    expect(dealAt(d2, point('2026-02-25T00:00:00Z'))).toMatchObject({
      status: 'won',
      won: { at: '2026-02-20T10:00:00.000Z', amount: 1_100_000, owner: 'u-ana' },
    });
    expect(dealAt(d2, point('2026-03-06T00:00:00Z'))).toMatchObject({ status: 'open', won: null });
  });

  it('reads only the deals that may be open at the point', async () => {
    const ids = async (p: TimePoint, wonSince?: string) =>
      (await timelinesAt(model.store, (logical) => model.name(logical), p, wonSince)).map(
        (t) => t.id,
      );
    // 02-01: d-3 lost for good on 01-20 is never read; d-4 lost later (02-10) is.
    expect(await ids(point('2026-02-01T00:00:00Z'))).toEqual(['d-1', 'd-2', 'd-4']);
    // 02-15: d-4 was lost on 02-10, and that is known now, so it is left out…
    expect(await ids(point('2026-02-15T00:00:00Z'))).toEqual(['d-1', 'd-2']);
    // …but not when asking what was known on 02-20, before the loss was recorded.
    expect(await ids(point('2026-02-15T00:00:00Z', '2026-02-20T00:00:00Z'))).toEqual([
      'd-1',
      'd-2',
      'd-4',
    ]);
    const d4 = await timeline('d-4');
    expect(dealAt(d4, point('2026-02-15T00:00:00Z', '2026-02-20T00:00:00Z'))?.status).toBe('open');
    // Before it was opened, nothing.
    expect(await ids(point('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('picks the version in force at asOf among those known by knownAt', () => {
    const versions = [
      { at: '2026-01-01T00:00:00.000Z', known: '2026-01-01T00:00:00.000Z', v: 1 },
      { at: '2026-02-01T00:00:00.000Z', known: '2026-03-01T00:00:00.000Z', v: 2 },
    ];
    expect(knownInForce(versions, point('2026-02-15T00:00:00Z'))?.v).toBe(2);
    expect(knownInForce(versions, point('2026-02-15T00:00:00Z', '2026-02-20T00:00:00Z'))?.v).toBe(
      1,
    );
    expect(knownInForce(versions, point('2025-12-01T00:00:00Z'))?.v).toBe(1);
  });
});
