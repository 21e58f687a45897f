import lossReasonPolicy from '../../config/policies/loss-reasons.default.json';
import stagePolicy from '../../config/policies/stages.default.json';
import { stageConversionProjection } from '../../projections/stage-conversion.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { scopeFilters, selectionOf } from '../../src/reports/deals/deal-report-selection';
import { defaultGrouping } from '../../src/reports/people/report-groups';
import type { Principal } from '../../src/identity/identity-events';
import {
  stageConversion,
  StageConversionReport,
} from '../../src/reports/deals/stage-conversion.query';
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

const [d1, d2, d3, d4, d5, d6] = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map(deal);

/** Log order; d5 is a back-dated import recorded last. */
const EVENTS: RecordedEvent[] = history([
  policy('stages.default', 1, stagePolicy, '2025-01-01T00:00:00.000Z'),
  policy('loss-reasons.default', 1, lossReasonPolicy, '2025-01-01T00:00:00.000Z'),
  user('alice', 'north', '2025-01-02T00:00:00.000Z'),
  user('bob', 'north', '2025-01-02T00:00:00.000Z'),
  user('carol', 'south', '2025-01-02T00:00:00.000Z'),
  // d6: opened and won before the period.
  d6.opened('2025-12-20T09:00:00.000Z', 'alice'),
  d6.won('initial_contact', '2025-12-28T09:00:00.000Z'),
  // d1: I → P → S → back to P (re-entry) → N → won.
  d1.opened('2026-01-05T09:00:00.000Z', 'alice'),
  d1.stage('initial_contact', 'proposal', '2026-01-10T09:00:00.000Z'),
  // d2: I → S (skips P) → lost → reopened into S → N, still open.
  d2.opened('2026-01-08T09:00:00.000Z', 'bob', { country: 'AE', channel: 'trade_show' }),
  d2.stage('initial_contact', 'sample', '2026-01-12T09:00:00.000Z'),
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

const byStage = (report: StageConversionReport, group = 'all') =>
  Object.fromEntries(
    report.rows
      .filter((row) => row.group === group)
      .map((row) => [row.stage, [row.entered, row.advanced, row.conversion]]),
  );

describe('stage conversion', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(stageConversionProjection, EVENTS);
  });
  afterAll(() => model.close());

  const run = (p: ReportPeriod, filters = {}, groupBy?: Parameters<typeof selectionOf>[1]) =>
    stageConversion(model.store, model.name, p, selectionOf(filters, groupBy));

  it('counts the cohort opened in January–February (re-entries once, skipped stages not entered)', async () => {
    const report = await run(JAN_FEB);
    // Cohort d1..d5 (d6 opened in December; d5 back-dated into January).
    // entered I: d1 d2 d4 d5 = 4; advanced I: all four (P, S, P, N entered after I) → 1.
    // entered P: d1 d3 d4 = 3; advanced: d1 (S after P), d4 (won) → 2/3 = 0.6667; d3 lost.
    // entered S: d1 d2 = 2; advanced: d1 (N on 02-01), d2 (N on 02-20, after its reopen) → 1.
    // entered N: d1 d2 d5 = 3; advanced: d1 (won) → 1/3 = 0.3333.
    expect(byStage(report)).toEqual({
      initial_contact: [4, 4, 1],
      proposal: [3, 2, 0.6667],
      sample: [2, 2, 1],
      negotiation: [3, 1, 0.3333],
    });
    // won: d1, d4 → 2/5.
    expect(report.groups).toEqual([{ group: 'all', opened: 5, won: 2, wonRate: 0.4 }]);
  });

  it('measures everything at the opening: January keeps d1 won in February, d2 advanced in February', async () => {
    const report = await run(period('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    // Cohort d1 d2 d3 d5. I: d1 d2 d5, all advanced. P: d1 d3, only d1. S: d1 d2, both (d2 on 02-20).
    // N: d1 d2 d5, only d1 (won 02-10).
    expect(byStage(report)).toEqual({
      initial_contact: [3, 3, 1],
      proposal: [2, 1, 0.5],
      sample: [2, 2, 1],
      negotiation: [3, 1, 0.3333],
    });
    expect(report.groups).toEqual([{ group: 'all', opened: 4, won: 1, wonRate: 0.25 }]);
  });

  it('attributes to the owner at opening: d4 stays bob’s after its handover to carol', async () => {
    const report = await run(JAN_FEB, {}, 'owner');
    expect(report.groups).toEqual([
      { group: 'alice', opened: 1, won: 1, wonRate: 1 },
      // bob opened d2, d4, d5; d4 was won (by carol, after the handover).
      { group: 'bob', opened: 3, won: 1, wonRate: 0.3333 },
      { group: 'carol', opened: 1, won: 0, wonRate: 0 },
    ]);
    // bob: I d2 d4 d5 (all advanced); P d4 (won); S d2 (advanced); N d2 d5 (neither).
    expect(byStage(report, 'bob')).toEqual({
      initial_contact: [3, 3, 1],
      proposal: [1, 1, 1],
      sample: [1, 1, 1],
      negotiation: [2, 0, 0],
    });
  });

  it('attributes to the team at opening: bob’s deals stay north after his move on 02-15', async () => {
    const report = await run(JAN_FEB, {}, 'team');
    expect(report.groups).toEqual([
      { group: 'north', opened: 4, won: 2, wonRate: 0.5 },
      { group: 'south', opened: 1, won: 0, wonRate: 0 },
    ]);
    const perRep = await run(JAN_FEB, { team: 'north', owner: 'bob' });
    expect(perRep.groups).toEqual([{ group: 'all', opened: 3, won: 1, wonRate: 0.3333 }]);
  });

  it('filters by country (derived region too) and splits by calendar month', async () => {
    expect((await run(JAN_FEB, { country: 'AE' })).groups).toEqual([
      { group: 'all', opened: 1, won: 0, wonRate: 0 },
    ]);
    // AE is in MENA; DE (d1, d4, d5) in Europe; US (d3) in North America.
    expect((await run(JAN_FEB, {}, 'region')).groups.map((g) => [g.group, g.opened])).toEqual([
      ['europe', 3],
      ['mena', 1],
      ['north_america', 1],
    ]);
    const months = await run(JAN_FEB, {}, 'month');
    expect(months.groups.map((g) => [g.group, g.opened, g.won])).toEqual([
      ['2026-01', 4, 1],
      ['2026-02', 1, 1],
    ]);
  });

  it('breaks a rep’s own figures down by channel, and a team’s by country', async () => {
    // bob opened d2 (trade_show, AE), d4 and d5 (website_form, DE); d4 was won.
    const mine = await run(JAN_FEB, { owner: 'bob' }, 'channel');
    expect(mine.groups).toEqual([
      { group: 'trade_show', opened: 1, won: 0, wonRate: 0 },
      { group: 'website_form', opened: 2, won: 1, wonRate: 0.5 },
    ]);
    // d2: I → S → (lost, reopened) → N. d4: I → P → I → won. d5: I → N → lost.
    expect(byStage(mine, 'trade_show')).toMatchObject({
      initial_contact: [1, 1, 1],
      sample: [1, 1, 1],
      negotiation: [1, 0, 0],
    });
    expect(byStage(mine, 'website_form')).toMatchObject({
      initial_contact: [2, 2, 1],
      proposal: [1, 1, 1],
      negotiation: [1, 0, 0],
    });
    // A rep asking for a breakdown gets their own, the same figures.
    const repScope = scopeFilters(
      { kind: 'session', tokenId: 't', userId: 'bob', role: 'rep', teamId: 'south' } as Principal,
      {},
    );
    expect((await run(JAN_FEB, repScope, 'channel')).groups).toEqual(mine.groups);
    // Team north at opening: d1 (alice), d2, d4, d5 (bob, before his move); DE: d1, d4, d5.
    const north = await run(JAN_FEB, { team: 'north' }, 'country');
    expect(north.groups).toEqual([
      { group: 'AE', opened: 1, won: 0, wonRate: 0 },
      { group: 'DE', opened: 3, won: 2, wonRate: 0.6667 },
    ]);
    expect((await run(JAN_FEB, { team: 'north', country: 'DE' })).groups).toEqual([
      { group: 'all', opened: 3, won: 2, wonRate: 0.6667 },
    ]);
    // By calendar month within the rep: d2, d5 in January, d4 in February.
    const months = await run(JAN_FEB, { owner: 'bob', channel: 'website_form' }, 'month');
    expect(months.groups.map((g) => [g.group, g.opened, g.won])).toEqual([
      ['2026-01', 1, 0],
      ['2026-02', 1, 1],
    ]);
    // The period is exact to the millisecond: from 01-08 09:00:00.001, d2 (opened at 09:00) is out.
    const later = await run(
      period('2026-01-08T09:00:00.001Z', '2026-03-01T00:00:00Z'),
      { owner: 'bob' },
      'channel',
    );
    expect(later.groups.map((g) => [g.group, g.opened])).toEqual([['website_form', 2]]);
  });

  it('answers sub-hour edges from the facts: a period starting at 09:00:00.001 leaves out the deal opened at 09:00', async () => {
    // [2026-01-05 09:00:00.001, 2026-01-15 09:00:00.001): d1 is out (opened exactly at 09:00:00.000),
    // d2 is in, d3 (opened 01-15 09:00:00.000) is in.
    const report = await run(period('2026-01-05T09:00:00.001Z', '2026-01-15T09:00:00.001Z'));
    expect(report.groups).toEqual([{ group: 'all', opened: 2, won: 0, wonRate: 0 }]);
    expect(byStage(report).proposal).toEqual([1, 0, 0]);
    expect(byStage(report).sample).toEqual([1, 1, 1]);
  });

  it('gives the same read model whatever the batch size', async () => {
    const one = await project(stageConversionProjection, EVENTS, 1);
    const many = await project(stageConversionProjection, EVENTS, 100);
    for (const other of [one, many]) {
      expect(await run(JAN_FEB)).toEqual(
        await stageConversion(other.store, other.name, JAN_FEB, {}),
      );
      const facts = await other.find('cohort_facts');
      expect(facts).toEqual(await model.find('cohort_facts'));
      await other.close();
    }
  });

  it('judges "later" by the stage-policy version the move names', async () => {
    const d7 = deal('d7');
    const V2 = { id: 'stages.default', version: 2 };
    // v2 puts sample before proposal.
    const [ic, proposal, sample, negotiation] = stagePolicy.openStages;
    const events = history([
      policy('stages.default', 1, stagePolicy, '2025-01-01T00:00:00.000Z'),
      user('alice', 'north', '2025-01-02T00:00:00.000Z'),
      policy(
        'stages.default',
        2,
        { ...stagePolicy, openStages: [ic, sample, proposal, negotiation] },
        '2026-01-01T00:00:00.000Z',
      ),
      d7.opened('2026-01-05T09:00:00.000Z', 'alice', { policy: V2 }),
      d7.stage('initial_contact', 'sample', '2026-01-06T09:00:00.000Z', V2),
      d7.stage('sample', 'proposal', '2026-01-07T09:00:00.000Z', V2),
    ]);
    const v2 = await project(stageConversionProjection, events);
    const report = await stageConversion(v2.store, v2.name, JAN_FEB, {});
    // Under v2, proposal comes after sample: sample is advanced. Rows follow v2's order.
    expect(report.rows.map((r) => [r.stage, r.entered, r.advanced])).toEqual([
      ['initial_contact', 1, 1],
      ['sample', 1, 1],
      ['proposal', 1, 0],
      ['negotiation', 0, 0],
    ]);
    await v2.close();
  });
});

describe('report scope and filter combinations', () => {
  const principal = (
    role: Principal['role'],
    userId: string,
    teamId: string | null,
  ): Principal => ({
    kind: 'session' as Principal['kind'],
    tokenId: 't',
    userId,
    role,
    teamId,
  });

  it('forces a rep to their own figures and a team lead to their team', () => {
    expect(
      scopeFilters(principal('rep', 'bob', 'north'), {
        owner: 'alice',
        team: 'south',
        channel: 'alibaba',
      }),
    ).toEqual({
      owner: 'bob',
      channel: 'alibaba',
    });
    expect(scopeFilters(principal('team_lead', 'tl', 'north'), { team: 'south' })).toEqual({
      team: 'north',
    });
    expect(scopeFilters(principal('analyst', 'an', null), { team: 'south' })).toEqual({
      team: 'south',
    });
    expect(() => scopeFilters(principal('team_lead', 'tl', null), {})).toThrow(
      expect.objectContaining({ code: 'auth.report_forbidden' }),
    );
  });

  it('turns team + owner into the team filter per rep, and refuses what buckets cannot answer', () => {
    expect(selectionOf({ team: 'north', owner: 'bob' })).toEqual({
      filter: { dim: 'team', value: 'north' },
      groupBy: 'owner',
      pick: 'bob',
      pickAs: 'all',
    });
    expect(selectionOf({ team: 'north' }, 'owner')).toEqual({
      filter: { dim: 'team', value: 'north' },
      groupBy: 'owner',
    });
    expect(selectionOf({ channel: 'alibaba' }, 'month')).toEqual({
      filter: { dim: 'channel', value: 'alibaba' },
      time: 'month',
    });
    expect(() => selectionOf({ channel: 'alibaba', country: 'DE' })).toThrow(
      expect.objectContaining({ code: 'report.filter_combination_unsupported', field: 'country' }),
    );
    expect(() => selectionOf({ channel: 'alibaba' }, 'owner')).toThrow(
      expect.objectContaining({ code: 'report.filter_combination_unsupported', field: 'groupBy' }),
    );
  });

  it('within an owner or a team, takes one more dimension as a filter, a grouping or both', () => {
    expect(selectionOf({ owner: 'bob' }, 'channel')).toEqual({
      within: { dim: 'owner', value: 'bob' },
      groupBy: 'channel',
    });
    expect(selectionOf({ owner: 'bob' }, 'team')).toEqual({
      within: { dim: 'owner', value: 'bob' },
      groupBy: 'team',
    });
    expect(selectionOf({ team: 'north', country: 'DE' }, 'month')).toEqual({
      within: { dim: 'team', value: 'north' },
      filter: { dim: 'country', value: 'DE' },
      time: 'month',
    });
    expect(selectionOf({ team: 'north', country: 'DE' }, 'country')).toEqual({
      within: { dim: 'team', value: 'north' },
      filter: { dim: 'country', value: 'DE' },
      groupBy: 'country',
    });
    // Two more dimensions, or a grouping by another one than the filter: not kept.
    expect(() => selectionOf({ team: 'north', owner: 'bob' }, 'channel')).toThrow(
      expect.objectContaining({ code: 'report.filter_combination_unsupported', field: 'groupBy' }),
    );
    expect(() => selectionOf({ team: 'north', country: 'DE' }, 'channel')).toThrow(
      expect.objectContaining({ code: 'report.filter_combination_unsupported', field: 'groupBy' }),
    );
    expect(() => selectionOf({ owner: 'bob', country: 'DE', channel: 'x' })).toThrow(
      expect.objectContaining({ code: 'report.filter_combination_unsupported', field: 'channel' }),
    );
  });

  it('groups by the preferred dimension by default wherever the rollups keep it', () => {
    const cases: Array<[Record<string, string>, 'owner' | 'channel', string | undefined]> = [
      [{}, 'channel', 'channel'],
      [{ owner: 'bob' }, 'channel', 'channel'],
      [{ team: 'north' }, 'channel', 'channel'],
      [{ channel: 'trade_show' }, 'channel', 'channel'],
      [{ owner: 'bob', country: 'DE' }, 'channel', undefined],
      [{ country: 'DE' }, 'channel', undefined],
      [{ owner: 'bob' }, 'owner', 'owner'],
      [{ team: 'north' }, 'owner', 'owner'],
      [{ team: 'north', owner: 'bob' }, 'owner', 'owner'],
      [{ country: 'DE' }, 'owner', undefined],
    ];
    for (const [filters, preferred, expected] of cases) {
      const grouping = defaultGrouping(filters, preferred);
      expect({ filters, preferred, grouping }).toEqual({ filters, preferred, grouping: expected });
      // Whatever the default is, a report can answer it.
      expect(() => selectionOf(filters, grouping)).not.toThrow();
    }
  });

  it('maps a filter and a grouping by another dimension to the same 400 code', async () => {
    const model = await project(stageConversionProjection, EVENTS);
    await expect(
      stageConversion(model.store, model.name, JAN_FEB, {
        filter: { dim: 'channel', value: 'alibaba' },
        groupBy: 'owner',
      }),
    ).rejects.toMatchObject({ code: 'report.filter_combination_unsupported', field: 'groupBy' });
    await model.close();
  });
});
