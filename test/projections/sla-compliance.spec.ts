import slaDefault from '../../config/policies/sla.default.json';
import type { SlaPolicy } from '../../domain/policies/sla-policy';
import { SLA_RUNS, slaComplianceProjection } from '../../projections/sla-compliance.projection';
import { replaySaga } from '../../sagas/saga-replay';
import { predictSla } from '../../sagas/sla-prediction';
import { createSlaEscalationSaga } from '../../sagas/sla-escalation.saga';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { SLA_TALLIES } from '../../projections/sla-compliance-tallies';
import type { SlaRunFact } from '../../projections/sla-compliance.projection';
import type { ReportPeriod } from '../../src/reports/report-period';
import type { ReportGrouping } from '../../src/reports/report-query.dto';
import { slaCompliance, slaComplianceOfRuns } from '../../src/reports/sla/sla-compliance.report';
import {
  history,
  ProjectedModel,
  project,
  recorded,
  userRegistered,
} from '../support/projection-harness';

// ---- A scripted day, judged by the SLA saga itself ---------------------------------------------
// First response in calendar time: 30 min target; ladder 20 min remind the owner, 30 min the
// team lead, 120 min the manager; restart on handover. Berlin: u-anna, u-ben (lead u-lead-berlin,
// manager u-mgr-berlin); Chicago: u-carl. All on Monday 2026-03-16 (UTC):
// - L1 09:00 anna, alibaba: answered 09:10 → met in 600 s.
// - L2 09:00 anna, alibaba: reminded 09:20, answered 09:25 → met in 1 500 s.
// - L3 10:00 ben, email: reminded 10:20; breach and team lead 10:30; manager 12:00; answered
//   12:30 → breached (ben, berlin, at the deadline).
// - L4 10:00 anna, alibaba: handed to carl 10:10 → run 1 closed (anna); run 2 from 10:10 for carl
//   (chicago), reminded 10:30, answered 10:35 → met in 1 500 s.
// - L5 11:00 carl, email: reminded 11:20, disqualified 11:25 → closed.
// - L6 13:00 unassigned, linkedin: nobody to remind at 13:20 or to chase at 13:30 (suppressed),
//   breach 13:30 → breached, owner and team "(none)".
// - L7 imported (not live) → no clock.
// - L8 13:30 ben, alibaba: reminded 13:50 → still running at 13:59.

const T0 = '2026-01-01T00:00:00.000Z';
const SLA = slaDefault as unknown as SlaPolicy;
const POLICY: SlaPolicy = {
  ...SLA,
  firstResponse: { ...SLA.firstResponse, mode: 'calendar', onHandover: 'restart' },
  proposal: { ...SLA.proposal, enabled: false },
};
const rule = { kind: 'rule', id: 'assignment.default', version: 1 };
const day = (time: string) => `2026-03-16T${time}:00.000Z`;

const user = (id: string, teamId: string, role = 'rep') => userRegistered(id, teamId, T0, role);
const team = (id: string, leadId: string) =>
  recorded(
    `team-${id}`,
    'TeamCreated',
    { teamId: id, name: id, region: [], productLines: [], leadId, calendarKey: 'berlin-sales' },
    T0,
  );

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received: (time: string, channel: string, owner?: string, live = true) => [
      recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel,
          payloadHash: 'a'.repeat(64),
          inquirer: { company: id, country: 'DE' },
          attachments: [],
          live,
          receivedAt: day(time),
        },
        day(time),
      ),
      ...(owner
        ? [
            recorded(
              stream,
              'LeadAssigned',
              { leadId: id, to: owner, reason: 'rule', cause: rule },
              day(time),
            ),
          ]
        : []),
    ],
    answered: (time: string) =>
      recorded(
        stream,
        'LeadResponseRecorded',
        { leadId: id, direction: 'outbound', channel: 'email', at: day(time) },
        day(time),
      ),
    handedOver: (from: string, to: string, time: string) =>
      recorded(
        stream,
        'LeadOwnershipTransferred',
        { leadId: id, from, to, reason: 'cover', cause: { kind: 'person', id: 'u-mgr-berlin' } },
        day(time),
      ),
    disqualified: (time: string) =>
      recorded(stream, 'LeadDisqualified', { leadId: id, reason: 'spam' }, day(time)),
  };
}

const [l1, l2, l3, l4, l5, l6, l7, l8] = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'].map(lead);

const SOURCE: RecordedEvent[] = [
  recorded(
    'policy-sla.default',
    'PolicyVersionPublished',
    { id: 'sla.default', version: 1, body: POLICY, publishedAt: T0 },
    T0,
  ),
  team('berlin', 'u-lead-berlin'),
  team('chicago', 'u-lead-chicago'),
  user('u-anna', 'berlin'),
  user('u-ben', 'berlin'),
  user('u-lead-berlin', 'berlin', 'team_lead'),
  user('u-mgr-berlin', 'berlin', 'manager'),
  user('u-carl', 'chicago'),
  ...l1.received('09:00', 'alibaba', 'u-anna'),
  ...l2.received('09:00', 'alibaba', 'u-anna'),
  l1.answered('09:10'),
  l2.answered('09:25'),
  ...l3.received('10:00', 'email', 'u-ben'),
  ...l4.received('10:00', 'alibaba', 'u-anna'),
  l4.handedOver('u-anna', 'u-carl', '10:10'),
  l4.answered('10:35'),
  ...l5.received('11:00', 'email', 'u-carl'),
  l5.disqualified('11:25'),
  l3.answered('12:30'),
  ...l6.received('13:00', 'linkedin'),
  ...l7.received('13:10', 'made_in_china', 'u-anna', false),
  ...l8.received('13:30', 'alibaba', 'u-ben'),
];
const UNTIL = day('13:59');

/** The log as it would be: the source events, and the saga's decisions where it recorded them. */
function logWithDecisions(): RecordedEvent[] {
  const { commands } = replaySaga(createSlaEscalationSaga(), SOURCE, UNTIL);
  const decisions = commands
    .filter((command) => command.aggregate === 'automation')
    .map((command) =>
      recorded(
        `automation-${command.id}`,
        'AutomationDecisionRecorded',
        command.data,
        command.occurredAt,
        {
          commandId: command.commandId,
          cause: { kind: 'rule', id: 'sla.default', version: 1 },
        },
      ),
    );
  // Stable: at one instant the event comes before the decisions the saga took on it.
  return history(
    [...SOURCE, ...decisions].sort(
      (a, b) => Date.parse(a.metadata.occurredAt) - Date.parse(b.metadata.occurredAt),
    ),
  );
}

const PERIOD = {
  from: new Date(day('00:00')),
  to: new Date('2026-03-17T00:00:00.000Z'),
  tz: 'UTC',
};

describe('sla-compliance projection and report', () => {
  let model: ProjectedModel;
  const report = (query: Parameters<typeof slaCompliance>[3]) =>
    slaCompliance(model.store, model.name, PERIOD, query);
  beforeAll(async () => {
    model = await project(slaComplianceProjection, logWithDecisions());
  });
  afterAll(() => model.close());

  it('keeps one document per clock run, judged as the saga judged it', async () => {
    const runs = await model.find(SLA_RUNS, {
      where: { clock: 'first_response' },
      sort: [['startedAt', 'asc']],
    });
    const summary = runs
      .map((run) => [
        run.leadId,
        run.startedAt,
        run.deadline,
        run.outcome,
        run.ownerId,
        run.teamId,
        run.responseSeconds,
      ])
      .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
    expect(summary).toEqual([
      ['L1', day('09:00'), day('09:30'), 'met', 'u-anna', 'berlin', 600],
      ['L2', day('09:00'), day('09:30'), 'met', 'u-anna', 'berlin', 1500],
      ['L3', day('10:00'), day('10:30'), 'breached', 'u-ben', 'berlin', 9000],
      ['L4', day('10:00'), day('10:30'), 'closed', 'u-anna', 'berlin', null],
      ['L4', day('10:10'), day('10:40'), 'met', 'u-carl', 'chicago', 1500],
      ['L5', day('11:00'), day('11:30'), 'closed', 'u-carl', 'chicago', null],
      ['L6', day('13:00'), day('13:30'), 'breached', null, null, null],
      ['L8', day('13:30'), day('14:00'), 'running', 'u-ben', 'berlin', null],
    ]);
    const l3Run = runs.find((run) => run.leadId === 'L3')!;
    expect(l3Run).toMatchObject({
      breachedAt: day('10:30'),
      endReason: 'responded',
      metAt: day('12:30'),
      policyVersion: 1,
      targetMinutes: 30,
      channel: 'email',
    });
    expect(
      (l3Run.rungs as Array<{ level: number; result: string; ownerId: string }>).map((r) => [
        r.level,
        r.result,
        r.ownerId,
      ]),
    ).toEqual([
      [1, 'fired', 'u-ben'],
      [2, 'fired', 'u-ben'],
      [3, 'fired', 'u-ben'],
    ]);
  });

  it('gives compliance and escalations by level, per rep', async () => {
    const { rows, levels } = await report({
      clock: 'first_response',
      filters: {},
      groupBy: 'owner',
    });
    expect(levels).toEqual([1, 2, 3]);
    expect(rows).toEqual([
      {
        owner: '(none)',
        started: 1,
        judged: 1,
        met: 0,
        breached: 1,
        running: 0,
        closed: 0,
        compliance: 0,
        medianMetSeconds: null,
        level1Fired: 0,
        level2Fired: 0,
        level3Fired: 0,
        rungsSuppressed: 2,
      },
      // Median of [600, 1 500] by nearest rank: rank ⌈0.5 × 2⌉ = 1 → 600.
      {
        owner: 'u-anna',
        started: 3,
        judged: 2,
        met: 2,
        breached: 0,
        running: 0,
        closed: 1,
        compliance: 1,
        medianMetSeconds: 600,
        level1Fired: 1,
        level2Fired: 0,
        level3Fired: 0,
        rungsSuppressed: 0,
      },
      {
        owner: 'u-ben',
        started: 2,
        judged: 1,
        met: 0,
        breached: 1,
        running: 1,
        closed: 0,
        compliance: 0,
        medianMetSeconds: null,
        level1Fired: 2,
        level2Fired: 1,
        level3Fired: 1,
        rungsSuppressed: 0,
      },
      {
        owner: 'u-carl',
        started: 2,
        judged: 1,
        met: 1,
        breached: 0,
        running: 0,
        closed: 1,
        compliance: 1,
        medianMetSeconds: 1500,
        level1Fired: 2,
        level2Fired: 0,
        level3Fired: 0,
        rungsSuppressed: 0,
      },
    ]);
  });

  it('groups by team, by channel, and by nothing', async () => {
    const byTeam = await report({ clock: 'first_response', filters: {}, groupBy: 'team' });
    expect(
      byTeam.rows.map((r) => [r.team, r.started, r.met, r.breached, r.compliance, r.level1Fired]),
    ).toEqual([
      ['(none)', 1, 0, 1, 0, 0],
      // 2 met ÷ 3 judged.
      ['berlin', 5, 2, 1, 0.6667, 3],
      ['chicago', 2, 1, 0, 1, 2],
    ]);
    const byChannel = await report({ clock: 'first_response', filters: {}, groupBy: 'channel' });
    expect(
      byChannel.rows.map((r) => [
        r.channel,
        r.started,
        r.met,
        r.breached,
        r.compliance,
        r.level1Fired,
        r.level2Fired,
        r.rungsSuppressed,
      ]),
    ).toEqual([
      ['alibaba', 5, 3, 0, 1, 3, 0, 0],
      ['email', 2, 0, 1, 0, 2, 1, 0],
      ['linkedin', 1, 0, 1, 0, 0, 0, 2],
    ]);
    const total = await report({ clock: 'first_response', filters: {} });
    // 3 met ÷ 5 judged.
    expect(total.rows).toEqual([
      expect.objectContaining({
        scope: 'all',
        started: 8,
        met: 3,
        breached: 2,
        running: 1,
        closed: 2,
        compliance: 0.6,
      }),
    ]);
  });

  it('narrows to one rep, a team’s reps, and a period', async () => {
    const ben = await report({
      clock: 'first_response',
      filters: { owner: 'u-ben' },
      groupBy: 'owner',
    });
    expect(ben.rows.map((r) => r.owner)).toEqual(['u-ben']);
    const berlin = await report({
      clock: 'first_response',
      filters: { team: 'berlin' },
      groupBy: 'owner',
    });
    expect(berlin.rows.map((r) => [r.owner, r.started])).toEqual([
      ['u-anna', 3],
      ['u-ben', 2],
    ]);
    const morning = await slaCompliance(
      model.store,
      model.name,
      { ...PERIOD, to: new Date(day('10:10')) },
      { clock: 'first_response', filters: {} },
    );
    // [00:00, 10:10): L1, L2, L3, and L4's first run; the restart at 10:10 is out.
    expect(morning.rows).toEqual([
      expect.objectContaining({ started: 4, met: 2, breached: 1, closed: 1 }),
    ]);
    const proposal = await report({ clock: 'proposal', filters: {} });
    expect(proposal.rows).toEqual([]);
  });

  it('agrees with the what-if replay of the policy in force', async () => {
    const predicted = predictSla(SOURCE, undefined, UNTIL, { from: day('00:00') });
    const [total] = (await report({ clock: 'first_response', filters: {} })).rows;
    const { started, met, breached, running, closed } = predicted.runs.first_response;
    expect(total).toMatchObject({ started, met, breached, running, closed });
    const byOwner = (await report({ clock: 'first_response', filters: {}, groupBy: 'owner' })).rows;
    expect(
      Object.fromEntries(
        byOwner.filter((r) => Number(r.breached) > 0).map((r) => [r.owner, r.breached]),
      ),
    ).toEqual(predicted.breaches.byRep);
  });

  it('answers from its counters exactly what tallying every run of the period answers', async () => {
    const runs = (await model.find(SLA_RUNS, {})) as SlaRunFact[];
    const values = (pick: (run: SlaRunFact) => Array<string | null>) => [
      ...new Set(runs.flatMap(pick).map((value) => value ?? '(none)')),
    ];
    const filters = [
      {},
      ...values((run) => [run.ownerId, ...run.rungs.map((rung) => rung.ownerId)]).map((owner) => ({
        owner,
      })),
      ...values((run) => [run.teamId, ...run.rungs.map((rung) => rung.teamId)]).map((team) => ({
        team,
      })),
      ...values((run) => [run.channel]).map((channel) => ({ channel })),
      ...values((run) => [run.region]).map((region) => ({ region })),
      { team: 'berlin', owner: 'u-anna' },
      { channel: 'alibaba', owner: 'u-anna' },
      { country: runs[0].country ?? '(none)', owner: runs[0].ownerId ?? '(none)' },
      { region: runs[0].region ?? '(none)', owner: 'u-carl' },
      { channel: 'email', country: runs[0].country ?? '(none)' },
    ];
    const periods: ReportPeriod[] = [
      PERIOD,
      // Sub-hour edges, and India's half-hour offset for the calendar groups.
      { from: new Date(day('09:05')), to: new Date(day('13:35')), tz: 'UTC' },
      {
        from: new Date('2026-03-15T18:30:00.000Z'),
        to: new Date('2026-03-17T18:30:00.000Z'),
        tz: 'Asia/Kolkata',
      },
      {
        from: new Date('2026-03-01T00:00:00.000Z'),
        to: new Date('2026-04-01T00:00:00.000Z'),
        tz: 'UTC',
      },
    ];
    const groupings: Array<ReportGrouping | undefined> = [
      undefined,
      'owner',
      'team',
      'channel',
      'country',
      'region',
      'day',
      'week',
    ];
    let compared = 0;
    for (const period of periods)
      for (const filter of filters)
        for (const groupBy of groupings) {
          const query = { clock: 'first_response' as const, filters: filter, groupBy };
          expect({
            period,
            query,
            report: await slaCompliance(model.store, model.name, period, query),
          }).toEqual({
            period,
            query,
            report: await slaComplianceOfRuns(model.store, model.name, period, query),
          });
          compared += 1;
        }
    expect(compared).toBe(periods.length * filters.length * groupings.length);
  });

  it('refuses a product line, which leads do not have', async () => {
    await expect(
      report({ clock: 'first_response', filters: {}, groupBy: 'productLine' }),
    ).rejects.toMatchObject({ code: 'report.dimension_unsupported', field: 'groupBy' });
  });

  it('builds the same documents whatever the batch size', async () => {
    const other = await project(slaComplianceProjection, logWithDecisions(), 11);
    try {
      const sorted = { sort: [['id', 'asc']] as Array<[string, 'asc']> };
      expect(await other.find(SLA_RUNS, sorted)).toEqual(await model.find(SLA_RUNS, sorted));
      expect(await other.find(SLA_TALLIES, sorted)).toEqual(await model.find(SLA_TALLIES, sorted));
    } finally {
      await other.close();
    }
  });
});
