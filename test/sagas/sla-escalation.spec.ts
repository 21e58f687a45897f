import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import calendarPolicy from '../../config/policies/calendars.default.json';
import slaDefault from '../../config/policies/sla.default.json';
import { SlaPolicySchema, slaPolicyCrossChecks } from '../../config/schemas/sla-policy.schema';
import { automationDecider } from '../../domain/automation/automation.decider';
import type { SlaPolicy } from '../../domain/policies/sla-policy';
import { taskDecider } from '../../domain/task/task.decider';
import type { SagaCommand, SagaContext, SagaTimer } from '../../sagas/saga';
import { replaySaga } from '../../sagas/saga-replay';
import type { SlaCase } from '../../sagas/sla-clock';
import {
  SLA_CLOCKS_COLLECTION,
  createSlaEscalationSaga,
  slaEscalationSaga,
} from '../../sagas/sla-escalation.saga';
import { predictSla } from '../../sagas/sla-prediction';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { history, recorded, userRegistered } from '../support/projection-harness';

// ---- A scripted organisation -------------------------------------------------------------------
// Berlin team (berlin-sales: Mon–Fri 09:00–18:00 Europe/Berlin; CET = UTC+1 until Sunday
// 29 March 2026, then CEST = UTC+2; holidays include Good Friday 3 April and Easter Monday
// 6 April), led by u-lead-berlin, with reps u-anna and u-ben and the manager u-mgr-berlin.
// Chicago team (chicago-sales: Mon–Fri 09:00–17:00 America/Chicago, CDT = UTC−5 from 8 March),
// led by u-lead-chicago, with rep u-carl. Sydney is AEDT = UTC+11 until 5 April.
// 2026-03-13 and 2026-03-27 are Fridays; 2026-03-16 is a Monday.

const T0 = '2026-01-01T00:00:00.000Z';
const at = (instant: string) => new Date(instant).toISOString();
const rule = { kind: 'rule', id: 'assignment.default#dach', version: 1 };
const person = { kind: 'person', id: 'u-mgr-berlin' };

const SLA = slaDefault as unknown as SlaPolicy;
/** The default policy with only the first-response clock, so most specs read one ladder. */
const FIRST_RESPONSE_ONLY: SlaPolicy = { ...SLA, proposal: { ...SLA.proposal, enabled: false } };

const published = (id: string, body: object, version: number, when: string) =>
  recorded(
    `policy-${id}`,
    'PolicyVersionPublished',
    { id, version, body: { ...body, id, version }, publishedAt: when },
    when,
  );
const team = (id: string, calendarKey: string, leadId: string) =>
  recorded(
    `team-${id}`,
    'TeamCreated',
    { teamId: id, name: id, region: ['DE'], productLines: [], leadId, calendarKey },
    T0,
  );
const user = (id: string, teamId: string, role = 'rep') => userRegistered(id, teamId, T0, role);

const organisation = (policy: SlaPolicy = FIRST_RESPONSE_ONLY): RecordedEvent[] => [
  published('calendars.default', calendarPolicy, 1, T0),
  published('sla.default', policy, policy.version, T0),
  team('berlin', 'berlin-sales', 'u-lead-berlin'),
  team('chicago', 'chicago-sales', 'u-lead-chicago'),
  user('u-anna', 'berlin'),
  user('u-ben', 'berlin'),
  user('u-lead-berlin', 'berlin', 'team_lead'),
  user('u-mgr-berlin', 'berlin', 'manager'),
  user('u-carl', 'chicago'),
  user('u-lead-chicago', 'chicago', 'team_lead'),
];

interface Received {
  owner?: string;
  live?: boolean;
  channel?: string;
  country?: string;
  recordedAt?: string;
  metadata?: Record<string, unknown>;
}

function lead(id: string) {
  const stream = `lead-${id}`;
  return {
    received(when: string, options: Received = {}): RecordedEvent[] {
      const occurredAt = at(when);
      const inquiry = recorded(
        stream,
        'InquiryReceived',
        {
          leadId: id,
          channel: options.channel ?? 'alibaba',
          payloadHash: 'a'.repeat(64),
          inquirer: { company: id, country: options.country ?? 'DE' },
          attachments: [],
          live: options.live ?? true,
          receivedAt: occurredAt,
        },
        occurredAt,
        options.metadata,
      );
      if (options.recordedAt) inquiry.recordedAt = at(options.recordedAt);
      if (!options.owner) return [inquiry];
      // Rules assign on receipt: both events come from one append, at one instant.
      const assigned = recorded(
        stream,
        'LeadAssigned',
        { leadId: id, to: options.owner, reason: 'rule', cause: rule },
        occurredAt,
      );
      return [inquiry, assigned];
    },
    assigned: (to: string, when: string) =>
      recorded(
        stream,
        'LeadAssigned',
        { leadId: id, to, reason: 'claimed', cause: person },
        at(when),
      ),
    transferred: (from: string, to: string, when: string) =>
      recorded(
        stream,
        'LeadOwnershipTransferred',
        { leadId: id, from, to, reason: 'holiday cover', cause: person },
        at(when),
      ),
    response: (sentAt: string, recordedAt = sentAt, direction = 'outbound') =>
      recorded(
        stream,
        'LeadResponseRecorded',
        { leadId: id, direction, channel: 'email', at: at(sentAt) },
        at(recordedAt),
      ),
    disqualified: (when: string) =>
      recorded(stream, 'LeadDisqualified', { leadId: id, reason: 'spam' }, at(when)),
    converted: (dealId: string, ownerId: string, when: string) =>
      recorded(
        stream,
        'LeadConverted',
        {
          leadId: id,
          ownerId,
          channel: 'alibaba',
          accountId: `acc-${id}`,
          contactId: `con-${id}`,
          dealId,
          deal: { title: id, productLine: 'pumps', currency: 'EUR' },
        },
        at(when),
      ),
  };
}

function deal(id: string) {
  const stream = `deal-${id}`;
  const stages = { id: 'stages.default', version: 1 };
  return {
    opened: (ownerId: string, when: string, stage = 'initial_contact') =>
      recorded(
        stream,
        'DealOpened',
        {
          dealId: id,
          accountId: `acc-${id}`,
          title: id,
          ownerId,
          channel: 'alibaba',
          country: 'DE',
          productLine: 'pumps',
          repeat: false,
          currency: 'EUR',
          stage,
          policy: stages,
        },
        at(when),
      ),
    activity: (sentAt: string, recordedAt = sentAt, direction = 'outbound') =>
      recorded(
        stream,
        'DealActivityLogged',
        { activityId: `act-${sentAt}`, kind: 'email', direction, summary: 'x', at: at(sentAt) },
        at(recordedAt),
      ),
    stage: (from: string, to: string, when: string) =>
      recorded(
        stream,
        'DealStageChanged',
        { from, to, direction: 'forward', reentry: false, policy: stages },
        at(when),
      ),
    quoteSent: (when: string) =>
      recorded(
        stream,
        'QuoteSent',
        {
          quoteId: 'q1',
          version: 1,
          total: { amountMinor: 100, currency: 'EUR' },
          validUntil: '2026-06-30',
        },
        at(when),
      ),
    transferred: (from: string, to: string, when: string) =>
      recorded(
        stream,
        'DealOwnerTransferred',
        { from, to, reason: 'cover', cause: person },
        at(when),
      ),
  };
}

// ---- Reading the outcome -----------------------------------------------------------------------

const run = (events: RecordedEvent[], until: string, policy?: SlaPolicy) =>
  replaySaga(
    policy ? createSlaEscalationSaga({ policy }) : slaEscalationSaga,
    history(events),
    at(until),
  );

/**
 * `<decision> <step> [due <dueAt>]` at `<occurredAt>`, in the order sent. A run's one `scheduled`
 * decision is followed by a line per rung of the ladder its detail lists.
 */
const log = (commands: SagaCommand[], clock = '') =>
  commands
    .filter((c) => c.type === 'RecordAutomationDecision')
    .flatMap((c) => {
      const detail = (c.data.detail ?? {}) as Record<string, unknown>;
      const rungs = Object.keys(detail)
        .map((key) => /^level(\d+)DueAt$/.exec(key)?.[1])
        .filter((level): level is string => level !== undefined)
        .map((level) => ({
          decision: 'scheduled',
          step: `${String(detail.clock)}.level_${level}`,
          dueAt: detail[`level${level}DueAt`],
        }));
      const own = { decision: c.data.decision, step: String(c.data.step), dueAt: c.data.dueAt };
      return [own, ...rungs].map((entry) => ({
        ...entry,
        at: c.occurredAt,
      }));
    })
    .filter((entry) => entry.step.startsWith(clock))
    .map(
      (entry) =>
        `${entry.at} ${String(entry.decision)} ${entry.step}` +
        (entry.dueAt ? ` due ${String(entry.dueAt)}` : ''),
    );

const tasks = (commands: SagaCommand[]) =>
  commands
    .filter((c) => c.type === 'CreateTask')
    .map((c) => ({
      at: c.occurredAt,
      to: c.data.assigneeId,
      dueAt: c.data.dueAt,
      title: c.data.title,
    }));

const decisionsOf = (commands: SagaCommand[], decision: string) =>
  commands.filter((c) => c.type === 'RecordAutomationDecision' && c.data.decision === decision);

const caseOf = (documents: Map<string, unknown>, id: string) =>
  documents.get(`${SLA_CLOCKS_COLLECTION}\u0000${id}`) as SlaCase | undefined;

// ---- Specifications ----------------------------------------------------------------------------

describe('SLA escalation saga', () => {
  describe('business time on the owner team calendar', () => {
    it("a Sydney customer's Friday evening is Berlin's Friday morning: the clock runs at once", () => {
      // Friday 13 March 19:00 AEDT = 08:00Z = 09:00 CET, inside Berlin's working day.
      const { commands } = run(
        [
          ...organisation(),
          ...lead('syd-1').received('2026-03-13T19:00:00+11:00', {
            owner: 'u-anna',
            country: 'AU',
          }),
        ],
        '2026-03-13T18:00:00Z',
      );
      expect(log(commands)).toEqual([
        '2026-03-13T08:00:00.000Z scheduled first_response.target due 2026-03-13T08:30:00.000Z',
        '2026-03-13T08:00:00.000Z scheduled first_response.level_1 due 2026-03-13T08:20:00.000Z',
        '2026-03-13T08:00:00.000Z scheduled first_response.level_2 due 2026-03-13T08:30:00.000Z',
        '2026-03-13T08:00:00.000Z scheduled first_response.level_3 due 2026-03-13T10:00:00.000Z',
        '2026-03-13T08:20:00.000Z task_created first_response.level_1 due 2026-03-13T08:30:00.000Z',
        '2026-03-13T08:30:00.000Z flagged first_response.breach due 2026-03-13T08:30:00.000Z',
        '2026-03-13T08:30:00.000Z escalated first_response.level_2 due 2026-03-13T08:30:00.000Z',
        '2026-03-13T10:00:00.000Z escalated first_response.level_3 due 2026-03-13T08:30:00.000Z',
      ]);
    });

    it('a Sydney inquiry reaching Berlin on Friday evening rolls to Monday 09:00 Berlin', () => {
      // Saturday 14 March 05:30 AEDT = Friday 13 March 18:30Z = 19:30 CET, after Berlin's hours.
      const { commands, pending } = run(
        [
          ...organisation(),
          ...lead('syd-2').received('2026-03-14T05:30:00+11:00', {
            owner: 'u-anna',
            country: 'AU',
          }),
        ],
        '2026-03-16T12:00:00Z',
      );
      expect(log(commands).slice(0, 4)).toEqual([
        '2026-03-13T18:30:00.000Z scheduled first_response.target due 2026-03-16T08:30:00.000Z',
        '2026-03-13T18:30:00.000Z scheduled first_response.level_1 due 2026-03-16T08:20:00.000Z',
        '2026-03-13T18:30:00.000Z scheduled first_response.level_2 due 2026-03-16T08:30:00.000Z',
        '2026-03-13T18:30:00.000Z scheduled first_response.level_3 due 2026-03-16T10:00:00.000Z',
      ]);
      // Monday 09:20 CET: remind the owner; 09:30: the team lead; 11:00: the manager.
      expect(tasks(commands)).toEqual([
        {
          at: '2026-03-16T08:20:00.000Z',
          to: 'u-anna',
          dueAt: '2026-03-16T08:30:00.000Z',
          title: 'SLA reminder: send the first response',
        },
        {
          at: '2026-03-16T08:30:00.000Z',
          to: 'u-lead-berlin',
          dueAt: '2026-03-16T08:30:00.000Z',
          title: 'SLA escalation: first response overdue in your team',
        },
        {
          at: '2026-03-16T10:00:00.000Z',
          to: 'u-mgr-berlin',
          dueAt: '2026-03-16T10:00:00.000Z',
          title: 'SLA escalation: first response overdue',
        },
      ]);
      expect(pending).toEqual([]);
    });

    it('counts across the spring DST change (Friday CET, Monday CEST)', () => {
      // Friday 27 March 17:50 CET = 16:50Z: 10 minutes on Friday, 20 on Monday 30 March from
      // 09:00 CEST = 07:00Z.
      const { commands } = run(
        [...organisation(), ...lead('dst').received('2026-03-27T16:50:00Z', { owner: 'u-anna' })],
        '2026-03-30T12:00:00Z',
      );
      expect(log(commands).slice(0, 4)).toEqual([
        '2026-03-27T16:50:00.000Z scheduled first_response.target due 2026-03-30T07:20:00.000Z',
        '2026-03-27T16:50:00.000Z scheduled first_response.level_1 due 2026-03-30T07:10:00.000Z',
        '2026-03-27T16:50:00.000Z scheduled first_response.level_2 due 2026-03-30T07:20:00.000Z',
        '2026-03-27T16:50:00.000Z scheduled first_response.level_3 due 2026-03-30T08:50:00.000Z',
      ]);
    });

    it('a calendar-time clock counts elapsed hours across the DST change', () => {
      // Proposal clock (calendar, 24 h) from Saturday 28 March 12:00Z (13:00 CET): due Sunday
      // 12:00Z, which Berlin's clocks show as 14:00 CEST.
      const { commands } = run(
        [
          ...organisation(SLA),
          ...lead('dst-cal').received('2026-03-28T12:00:00Z', { owner: 'u-anna' }),
        ],
        '2026-03-28T12:00:00Z',
      );
      expect(log(commands, 'proposal.target')).toEqual([
        '2026-03-28T12:00:00.000Z scheduled proposal.target due 2026-03-29T12:00:00.000Z',
      ]);
    });

    it('skips holidays: Maundy Thursday evening to the Tuesday after Easter', () => {
      // Thursday 2 April 17:45 CEST = 15:45Z: 15 minutes on Thursday; Good Friday, the weekend
      // and Easter Monday off; 15 minutes on Tuesday 7 April from 09:00 CEST = 07:00Z.
      const { commands } = run(
        [
          ...organisation(),
          ...lead('easter').received('2026-04-02T15:45:00Z', { owner: 'u-anna' }),
        ],
        '2026-04-02T16:00:00Z',
      );
      expect(log(commands).slice(0, 2)).toEqual([
        '2026-04-02T15:45:00.000Z scheduled first_response.target due 2026-04-07T07:15:00.000Z',
        '2026-04-02T15:45:00.000Z scheduled first_response.level_1 due 2026-04-07T07:05:00.000Z',
      ]);
    });

    it('an unassigned lead runs on the policy default calendar and chases the fallback recipient', () => {
      const policy: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        recipients: { managers: [], fallbackRecipientId: 'u-mgr-berlin' },
      };
      const { commands, documents } = run(
        [...organisation(policy), ...lead('queue').received('2026-03-16T08:00:00Z')],
        '2026-03-16T08:20:00Z',
      );
      expect(caseOf(documents, 'lead:queue')?.clocks.first_response?.runs[0]).toMatchObject({
        mode: 'business',
        calendarKey: 'berlin-sales',
        deadline: '2026-03-16T08:30:00.000Z',
      });
      expect(tasks(commands)).toEqual([expect.objectContaining({ to: 'u-mgr-berlin' })]);
    });

    it('a rung with nobody to send it to is recorded as suppressed', () => {
      const policy: SlaPolicy = { ...FIRST_RESPONSE_ONLY, recipients: { managers: [] } };
      const { commands } = run(
        [...organisation(policy), ...lead('nobody').received('2026-03-16T08:00:00Z')],
        '2026-03-16T08:20:00Z',
      );
      expect(tasks(commands)).toEqual([]);
      expect(decisionsOf(commands, 'suppressed').map((c) => c.data)).toEqual([
        expect.objectContaining({
          step: 'first_response.level_1',
          detail: {
            clock: 'first_response',
            level: 1,
            action: 'remind_owner',
            reason: 'no_recipient',
          },
        }),
      ]);
    });
  });

  describe('responses stop the clock', () => {
    const inquiry = () => [
      ...organisation(),
      ...lead('r').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
    ];

    it('a response just before the deadline: stopped in time, no breach, no escalation', () => {
      const { commands, pending } = run(
        [...inquiry(), lead('r').response('2026-03-16T08:29:59Z')],
        '2026-03-17T00:00:00Z',
      );
      expect(log(commands).slice(4)).toEqual([
        '2026-03-16T08:20:00.000Z task_created first_response.level_1 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:29:59.000Z stopped first_response.stop due 2026-03-16T08:30:00.000Z',
      ]);
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toEqual({
        clock: 'first_response',
        reason: 'responded',
        metAt: '2026-03-16T08:29:59.000Z',
        inTime: true,
        breached: false,
        cancelledSteps: 2,
      });
      expect(pending).toEqual([]);
    });

    it('a response at the deadline instant is in time: the event applies before the timer', () => {
      const { commands } = run(
        [...inquiry(), lead('r').response('2026-03-16T08:30:00Z')],
        '2026-03-17T00:00:00Z',
      );
      expect(decisionsOf(commands, 'flagged')).toEqual([]);
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toMatchObject({ inTime: true });
    });

    it('a response just after the deadline: breach flagged, team lead escalated, stopped late', () => {
      const { commands } = run(
        [...inquiry(), lead('r').response('2026-03-16T08:30:01Z')],
        '2026-03-17T00:00:00Z',
      );
      expect(log(commands).slice(4)).toEqual([
        '2026-03-16T08:20:00.000Z task_created first_response.level_1 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:30:00.000Z flagged first_response.breach due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:30:00.000Z escalated first_response.level_2 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:30:01.000Z stopped first_response.stop due 2026-03-16T08:30:00.000Z',
      ]);
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toMatchObject({
        inTime: false,
        breached: true,
        cancelledSteps: 1,
      });
    });

    it('an archived email sent in time but filed late is judged by its own time', () => {
      const { commands, documents } = run(
        [...inquiry(), lead('r').response('2026-03-16T08:25:00Z', '2026-03-16T08:40:00Z')],
        '2026-03-17T00:00:00Z',
      );
      // The saga could not know at 08:30, so it escalated; the judgement is corrected on record.
      expect(decisionsOf(commands, 'flagged')).toHaveLength(1);
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toMatchObject({
        inTime: true,
        breached: false,
      });
      const runs = caseOf(documents, 'lead:r')?.clocks.first_response?.runs;
      expect(runs?.[0].end).toMatchObject({ reason: 'responded', inTime: true });
    });

    it('inbound messages do not stop the clock; disqualification closes it unjudged', () => {
      const { commands } = run(
        [
          ...inquiry(),
          lead('r').response('2026-03-16T08:05:00Z', '2026-03-16T08:05:00Z', 'inbound'),
          lead('r').disqualified('2026-03-16T08:10:00Z'),
        ],
        '2026-03-17T00:00:00Z',
      );
      expect(decisionsOf(commands, 'stopped').map((c) => c.data.detail)).toEqual([
        { clock: 'first_response', reason: 'disqualified', breached: false, cancelledSteps: 3 },
      ]);
      expect(tasks(commands)).toEqual([]);
    });
  });

  describe('imports and back-dated inquiries start no clock', () => {
    it.each([
      ['an import (live: false)', { live: false }, 'not_live'],
      [
        'an import (cause import)',
        { metadata: { cause: { kind: 'import', id: 'sha256:x' } } },
        'import',
      ],
      ['back-dated beyond the live window', { recordedAt: '2026-03-16T09:01:00Z' }, 'back_dated'],
    ] as const)('%s', (_, options, reason) => {
      const { commands, pending, documents } = run(
        [
          ...organisation(),
          ...lead('old').received('2026-03-16T08:00:00Z', { owner: 'u-anna', ...options }),
        ],
        '2026-03-20T00:00:00Z',
      );
      expect(commands.map((c) => [c.type, c.data.decision, c.data.step, c.data.detail])).toEqual([
        ['RecordAutomationDecision', 'suppressed', 'sla.start', { reason }],
      ]);
      expect(pending).toEqual([]);
      expect(caseOf(documents, 'lead:old')).toBeUndefined();
    });

    it('no published SLA policy: no clock, and the log says why', () => {
      const { commands, pending } = run(
        [
          ...organisation().filter((event) => event.streamName !== 'policy-sla.default'),
          ...lead('np').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
        ],
        '2026-03-20T00:00:00Z',
      );
      expect(commands.map((c) => [c.data.decision, c.data.detail, c.policy])).toEqual([
        ['suppressed', { reason: 'no_policy' }, undefined],
      ]);
      expect(pending).toEqual([]);
    });

    it('recorded within the live window, it is live', () => {
      const { commands } = run(
        [
          ...organisation(),
          ...lead('late').received('2026-03-16T08:00:00Z', {
            owner: 'u-anna',
            recordedAt: '2026-03-16T08:59:00Z',
          }),
        ],
        '2026-03-16T08:00:00Z',
      );
      // One per clock run: the deadline and the whole ladder in one decision.
      expect(decisionsOf(commands, 'scheduled')).toHaveLength(1);
    });
  });

  describe('handover mid-clock', () => {
    const handedOver = (policy: SlaPolicy, to = 'u-ben') => [
      ...organisation(policy),
      ...lead('h').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
      lead('h').transferred('u-anna', to, '2026-03-16T08:10:00Z'),
    ];

    it('restart: the clock starts again for the new owner', () => {
      const { commands } = run(
        [...handedOver(FIRST_RESPONSE_ONLY), lead('h').response('2026-03-16T08:35:00Z')],
        '2026-03-17T00:00:00Z',
      );
      expect(log(commands).slice(4)).toEqual([
        '2026-03-16T08:10:00.000Z cancelled first_response.run due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:10:00.000Z scheduled first_response.target due 2026-03-16T08:40:00.000Z',
        '2026-03-16T08:10:00.000Z scheduled first_response.level_1 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:10:00.000Z scheduled first_response.level_2 due 2026-03-16T08:40:00.000Z',
        '2026-03-16T08:10:00.000Z scheduled first_response.level_3 due 2026-03-16T10:10:00.000Z',
        '2026-03-16T08:30:00.000Z task_created first_response.level_1 due 2026-03-16T08:40:00.000Z',
        '2026-03-16T08:35:00.000Z stopped first_response.stop due 2026-03-16T08:40:00.000Z',
      ]);
      expect(tasks(commands).map((task) => task.to)).toEqual(['u-ben']);
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toMatchObject({ inTime: true });
    });

    it('continue: the deadlines stand and the rungs still to come go to the new owner', () => {
      const policy: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        firstResponse: { ...FIRST_RESPONSE_ONLY.firstResponse, onHandover: 'continue' },
      };
      const { commands } = run(
        [...handedOver(policy), lead('h').response('2026-03-16T08:35:00Z')],
        '2026-03-17T00:00:00Z',
      );
      expect(log(commands).slice(4)).toEqual([
        '2026-03-16T08:10:00.000Z scheduled first_response.handover due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:20:00.000Z task_created first_response.level_1 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:30:00.000Z flagged first_response.breach due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:30:00.000Z escalated first_response.level_2 due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:35:00.000Z stopped first_response.stop due 2026-03-16T08:30:00.000Z',
      ]);
      expect(tasks(commands).map((task) => task.to)).toEqual(['u-ben', 'u-lead-berlin']);
      expect(decisionsOf(commands, 'flagged')[0].data.detail).toMatchObject({ ownerId: 'u-ben' });
    });

    it("restart runs on the new owner's team calendar: Berlin to Chicago", () => {
      // 08:10Z Monday is 03:10 CDT: Chicago opens at 09:00 CDT = 14:00Z.
      const { commands } = run(handedOver(FIRST_RESPONSE_ONLY, 'u-carl'), '2026-03-16T14:20:00Z');
      expect(log(commands, 'first_response.target')).toEqual([
        '2026-03-16T08:00:00.000Z scheduled first_response.target due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:10:00.000Z scheduled first_response.target due 2026-03-16T14:30:00.000Z',
      ]);
      expect(tasks(commands)).toEqual([
        expect.objectContaining({ at: '2026-03-16T14:20:00.000Z', to: 'u-carl' }),
      ]);
    });

    it('an assignment from the queue is a handover too', () => {
      const { commands } = run(
        [
          ...organisation(),
          ...lead('q').received('2026-03-16T08:00:00Z'),
          lead('q').assigned('u-anna', '2026-03-16T08:05:00Z'),
        ],
        '2026-03-16T08:05:00Z',
      );
      expect(log(commands, 'first_response.target')).toEqual([
        '2026-03-16T08:00:00.000Z scheduled first_response.target due 2026-03-16T08:30:00.000Z',
        '2026-03-16T08:05:00.000Z scheduled first_response.target due 2026-03-16T08:35:00.000Z',
      ]);
    });
  });

  describe('the proposal clock follows the lead into its deal', () => {
    const converted = () => [
      ...organisation(SLA),
      ...lead('p').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
      lead('p').response('2026-03-16T08:10:00Z'),
      lead('p').converted('d-p', 'u-anna', '2026-03-16T10:00:00Z'),
      deal('d-p').opened('u-anna', '2026-03-16T10:00:00Z'),
    ];

    it('a sent quote stops it on time; the case moved to the deal', () => {
      const { commands, documents, pending } = run(
        [...converted(), deal('d-p').quoteSent('2026-03-17T07:00:00Z')],
        '2026-03-20T00:00:00Z',
      );
      expect(log(commands, 'proposal')).toEqual([
        '2026-03-16T08:00:00.000Z scheduled proposal.target due 2026-03-17T08:00:00.000Z',
        '2026-03-16T08:00:00.000Z scheduled proposal.level_1 due 2026-03-17T04:00:00.000Z',
        '2026-03-16T08:00:00.000Z scheduled proposal.level_2 due 2026-03-17T08:00:00.000Z',
        '2026-03-16T08:00:00.000Z scheduled proposal.level_3 due 2026-03-18T08:00:00.000Z',
        '2026-03-17T04:00:00.000Z task_created proposal.level_1 due 2026-03-17T08:00:00.000Z',
        '2026-03-17T07:00:00.000Z stopped proposal.stop due 2026-03-17T08:00:00.000Z',
      ]);
      // The reminder after conversion is about the deal.
      const reminder = commands.find((c) => c.type === 'CreateTask');
      expect(reminder?.data).toMatchObject({
        linkedTo: { kind: 'deal', id: 'd-p' },
        assigneeId: 'u-anna',
      });
      expect(decisionsOf(commands, 'stopped')[1].data.detail).toMatchObject({
        reason: 'quote_sent',
        inTime: true,
        dealId: 'd-p',
      });
      expect(caseOf(documents, 'lead:p')).toBeUndefined();
      expect(caseOf(documents, 'deal:d-p')).toMatchObject({ leadId: 'p', dealId: 'd-p' });
      expect(pending).toEqual([]);
    });

    it('entering the proposal stage stops it; a deal handover goes to the new owner', () => {
      const { commands } = run(
        [
          ...converted(),
          deal('d-p').transferred('u-anna', 'u-ben', '2026-03-16T12:00:00Z'),
          deal('d-p').stage('initial_contact', 'proposal', '2026-03-17T09:00:00Z'),
        ],
        '2026-03-20T00:00:00Z',
      );
      expect(log(commands, 'proposal').slice(4)).toEqual([
        '2026-03-16T12:00:00.000Z scheduled proposal.handover due 2026-03-17T08:00:00.000Z',
        '2026-03-17T04:00:00.000Z task_created proposal.level_1 due 2026-03-17T08:00:00.000Z',
        '2026-03-17T08:00:00.000Z flagged proposal.breach due 2026-03-17T08:00:00.000Z',
        '2026-03-17T08:00:00.000Z escalated proposal.level_2 due 2026-03-17T08:00:00.000Z',
        '2026-03-17T09:00:00.000Z stopped proposal.stop due 2026-03-17T08:00:00.000Z',
      ]);
      expect(tasks(commands).map((task) => task.to)).toEqual(['u-ben', 'u-lead-berlin']);
    });

    it('an outbound activity on the deal stops a first-response clock still running', () => {
      const { commands } = run(
        [
          ...organisation(FIRST_RESPONSE_ONLY),
          ...lead('c').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
          lead('c').converted('d-c', 'u-anna', '2026-03-16T08:05:00Z'),
          deal('d-c').opened('u-anna', '2026-03-16T08:05:00Z'),
          deal('d-c').activity('2026-03-16T08:15:00Z'),
        ],
        '2026-03-17T00:00:00Z',
      );
      expect(decisionsOf(commands, 'stopped')[0].data.detail).toMatchObject({
        reason: 'responded',
        inTime: true,
        dealId: 'd-c',
      });
      expect(tasks(commands)).toEqual([]);
    });
  });

  describe('ladder recipients and actions', () => {
    it('a reassignment rung records the request and sends it to the assignment rules', () => {
      const policy: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        firstResponse: {
          ...FIRST_RESPONSE_ONLY.firstResponse,
          ladder: [
            ...FIRST_RESPONSE_ONLY.firstResponse.ladder,
            { level: 4, afterMinutes: 240, action: 'reassign' },
          ],
        },
      };
      const { commands } = run(
        [
          ...organisation(policy),
          ...lead('ra').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
        ],
        '2026-03-16T18:00:00Z',
      );
      const request = decisionsOf(commands, 'escalated').find(
        (c) => c.data.step === 'first_response.level_4',
      );
      expect(request).toMatchObject({
        occurredAt: '2026-03-16T12:00:00.000Z',
        data: {
          detail: {
            clock: 'first_response',
            level: 4,
            action: 'reassign_requested',
            ownerId: 'u-anna',
            teamId: 'berlin',
          },
        },
      });
      const correlationId = 'sla-escalation:ra:first_response:2026-03-16T08:00:00.000Z:L4';
      expect(request?.correlationId).toBe(correlationId);
      // The owner is the rules' choice when handled: the saga names only whom it is taken from.
      expect(commands.filter((c) => c.aggregate === 'lead')).toEqual([
        {
          aggregate: 'lead',
          id: 'ra',
          commandId: `${correlationId}:reassign`,
          correlationId,
          type: 'ReassignLeadByRule',
          data: { leadId: 'ra', fromOwnerId: 'u-anna', clock: 'first_response', level: 4 },
          occurredAt: '2026-03-16T12:00:00.000Z',
          reason: expect.stringMatching(/^SLA escalation \(sla\.default v1 level 4\)/),
          policy: { id: 'sla.default', version: 1 },
        },
      ]);
    });

    it('a reassignment rung of a converted case stays a request: the deal is not the lead', () => {
      const policy: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        firstResponse: {
          ...FIRST_RESPONSE_ONLY.firstResponse,
          ladder: [{ level: 1, afterMinutes: 60, action: 'reassign' }],
        },
      };
      const { commands } = run(
        [
          ...organisation(policy),
          ...lead('rc').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
          lead('rc').converted('d-rc', 'u-anna', '2026-03-16T08:10:00Z'),
          deal('d-rc').opened('u-anna', '2026-03-16T08:10:00Z'),
        ],
        '2026-03-16T18:00:00Z',
      );
      expect(decisionsOf(commands, 'escalated').map((c) => c.data.step)).toEqual([
        'first_response.level_1',
      ]);
      expect(commands.filter((c) => c.type === 'ReassignLeadByRule')).toEqual([]);
    });

    it('one firing shares one correlation id (decision, task); other firings and decisions do not', () => {
      const { commands } = run(
        [...organisation(), ...lead('co').received('2026-03-16T08:00:00Z', { owner: 'u-anna' })],
        '2026-03-16T18:00:00Z',
      );
      const run0 = 'sla-escalation:co:first_response:2026-03-16T08:00:00.000Z';
      const byCorrelation = (level: number) =>
        commands
          .filter((c) => c.correlationId === `${run0}:L${level}`)
          .map((c) => `${c.type} ${c.commandId.slice(run0.length + 1)}`);
      expect(byCorrelation(1)).toEqual([
        'CreateTask L1:task',
        'RecordAutomationDecision L1:task_created',
      ]);
      expect(byCorrelation(2)).toEqual([
        'CreateTask L2:task',
        'RecordAutomationDecision L2:escalated',
      ]);
      const task = commands.find((c) => c.commandId === `${run0}:L1:task`) as SagaCommand;
      const decision = decisionsOf(commands, 'task_created')[0];
      expect(decision.data.detail).toMatchObject({ taskId: task.id });
      // Command ids are unchanged by the correlation (what-if compares them).
      expect(decision.commandId).toBe(`${run0}:L1:task_created`);
      // Scheduling, breach and stop decisions are not part of a firing's chain.
      const unchained = commands.filter((c) => c.correlationId === undefined);
      expect(unchained.map((c) => c.data.decision)).toEqual(
        expect.arrayContaining(['scheduled', 'flagged']),
      );
      expect(unchained.some((c) => c.type === 'CreateTask')).toBe(false);
    });

    it("the policy's team manager overrides the team's manager by role", () => {
      const policy: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        recipients: {
          managers: [{ teamId: 'berlin', userId: 'u-director' }],
          defaultManagerId: 'u-sales-manager',
        },
      };
      const { commands } = run(
        [
          ...organisation(policy),
          ...lead('m1').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
          ...lead('m2').received('2026-03-16T14:00:00Z', { owner: 'u-carl' }),
        ],
        '2026-03-17T00:00:00Z',
      );
      const managers = tasks(commands).filter((task) => String(task.title).endsWith('overdue'));
      // Chicago has no manager by role or by policy: the default manager.
      expect(managers.map((task) => task.to)).toEqual(['u-director', 'u-sales-manager']);
    });

    it('commands carry the policy and deterministic ids; tasks get UUIDs derived from them', () => {
      const { commands } = run(
        [...organisation(), ...lead('ids').received('2026-03-16T08:00:00Z', { owner: 'u-anna' })],
        '2026-03-16T08:20:00Z',
      );
      const task = commands.find((c) => c.type === 'CreateTask') as SagaCommand;
      expect(task).toMatchObject({
        aggregate: 'task',
        commandId: 'sla-escalation:ids:first_response:2026-03-16T08:00:00.000Z:L1:task',
        policy: { id: 'sla.default', version: 1 },
        data: {
          source: { saga: 'sla-escalation', id: 'lead-ids' },
          linkedTo: { kind: 'lead', id: 'ids' },
        },
      });
      expect(task.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(task.data.taskId).toBe(task.id);
      expect(decisionsOf(commands, 'task_created')[0].data.detail).toMatchObject({
        taskId: task.id,
      });
    });
  });

  describe('determinism and policy versions', () => {
    const busyHistory = (): RecordedEvent[] => [
      ...organisation(SLA),
      ...lead('a').received('2026-03-13T18:30:00Z', { owner: 'u-anna' }),
      ...lead('b').received('2026-03-16T08:00:00Z', { owner: 'u-ben' }),
      lead('b').transferred('u-ben', 'u-carl', '2026-03-16T08:15:00Z'),
      lead('a').response('2026-03-16T08:45:00Z'),
      lead('b').converted('d-b', 'u-carl', '2026-03-16T16:00:00Z'),
      deal('d-b').opened('u-carl', '2026-03-16T16:00:00Z'),
      deal('d-b').activity('2026-03-16T16:30:00Z'),
      deal('d-b').quoteSent('2026-03-18T12:00:00Z'),
    ];

    it('replaying twice sends identical commands, each id once', () => {
      const events = busyHistory();
      const first = run(events, '2026-03-20T00:00:00Z');
      const second = run(events, '2026-03-20T00:00:00Z');
      expect(second.commands).toEqual(first.commands);
      expect(second.pending).toEqual(first.pending);
      const ids = first.commands.map((c) => c.commandId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(first.commands.length).toBeGreaterThan(20);
    });

    it('every command it sends is accepted by its decider', () => {
      const { commands } = run(busyHistory(), '2026-03-20T00:00:00Z');
      const actor = { userId: 'system', role: 'system' };
      for (const command of commands) {
        const context = { now: command.occurredAt, actor, policies: undefined };
        const decider = command.aggregate === 'task' ? taskDecider : automationDecider;
        expect(command.aggregate).toMatch(/^(task|automation)$/);
        expect(() =>
          decider.decide(
            { type: command.type, data: command.data } as never,
            decider.initialState as never,
            context,
          ),
        ).not.toThrow();
      }
    });

    it('a timer redelivered after the clock stopped does nothing', () => {
      const events = [
        ...organisation(),
        ...lead('x').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
      ];
      const before = run(events, '2026-03-16T08:05:00Z');
      const after = run(
        [...events, lead('x').response('2026-03-16T08:10:00Z')],
        '2026-03-17T00:00:00Z',
      );
      const sent: SagaCommand[] = [];
      const context: SagaContext = {
        now: '2026-03-16T09:00:00.000Z',
        get: <T>(collection: string, id: string) =>
          after.documents.get(`${collection}\u0000${id}`) as T | undefined,
        put: () => undefined,
        delete: () => undefined,
        increment: () => undefined,
        schedule: () => undefined,
        cancel: () => undefined,
        send: (command) => void sent.push(command),
      };
      expect(before.pending.map((timer: SagaTimer) => timer.kind)).toEqual([
        'sla.step',
        'sla.target',
        'sla.step',
        'sla.step',
      ]);
      expect(caseOf(after.documents, 'lead:x')?.clocks.first_response?.state).toBe('stopped');
      for (const timer of before.pending) slaEscalationSaga.fire(timer, context);
      expect(sent).toEqual([]);
    });

    it('a policy published after the clock started does not change its judgement', () => {
      const relaxed: SlaPolicy = {
        ...FIRST_RESPONSE_ONLY,
        version: 2,
        firstResponse: {
          ...FIRST_RESPONSE_ONLY.firstResponse,
          targetMinutes: 60,
          ladder: [{ level: 1, afterMinutes: 50, action: 'remind_owner' }],
        },
      };
      const { commands } = run(
        [
          ...organisation(),
          ...lead('v1').received('2026-03-16T08:00:00Z', { owner: 'u-anna' }),
          published('sla.default', relaxed, 2, at('2026-03-16T08:05:00Z')),
          ...lead('v2').received('2026-03-16T08:10:00Z', { owner: 'u-ben' }),
          lead('v1').response('2026-03-16T08:45:00Z'),
          lead('v2').response('2026-03-16T09:05:00Z'),
        ],
        '2026-03-17T00:00:00Z',
      );
      const stopped = decisionsOf(commands, 'stopped');
      expect(stopped.map((c) => [c.id, c.data.policy, c.data.detail])).toEqual([
        [
          'v1',
          { id: 'sla.default', version: 1 },
          expect.objectContaining({ inTime: false, breached: true }),
        ],
        [
          'v2',
          { id: 'sla.default', version: 2 },
          expect.objectContaining({ inTime: true, breached: false }),
        ],
      ]);
      expect(decisionsOf(commands, 'flagged').map((c) => [c.id, c.occurredAt])).toEqual([
        ['v1', '2026-03-16T08:30:00.000Z'],
      ]);
    });
  });

  describe('predictSla: the what-if of a candidate policy', () => {
    // Ten live inquiries on Monday and Tuesday, answered after 10, 20, 35, 40, 45, 50, 55, 58, 75
    // and 90 business minutes (Berlin), two of them across the evening into the next morning.
    const answered: Array<[string, string, string, string]> = [
      ['w1', 'u-anna', '2026-03-16T08:00:00Z', '2026-03-16T08:10:00Z'],
      ['w2', 'u-ben', '2026-03-16T09:00:00Z', '2026-03-16T09:20:00Z'],
      ['w3', 'u-anna', '2026-03-16T10:00:00Z', '2026-03-16T10:35:00Z'],
      ['w4', 'u-ben', '2026-03-16T11:00:00Z', '2026-03-16T11:40:00Z'],
      ['w5', 'u-anna', '2026-03-16T12:00:00Z', '2026-03-16T12:45:00Z'],
      ['w6', 'u-ben', '2026-03-16T13:00:00Z', '2026-03-16T13:50:00Z'],
      // 16:40Z = 17:40 CET: 20 minutes on Monday, 35 on Tuesday from 09:00 CET.
      ['w7', 'u-anna', '2026-03-16T16:40:00Z', '2026-03-17T08:35:00Z'],
      ['w8', 'u-ben', '2026-03-16T16:50:00Z', '2026-03-17T08:48:00Z'],
      ['w9', 'u-anna', '2026-03-17T09:00:00Z', '2026-03-17T10:15:00Z'],
      ['w10', 'u-ben', '2026-03-17T11:00:00Z', '2026-03-17T12:30:00Z'],
    ];
    const scripted = (): RecordedEvent[] => {
      const inquiries = answered.flatMap(([id, owner, received]) =>
        lead(id).received(received, { owner, channel: id === 'w9' ? 'website_form' : 'alibaba' }),
      );
      const responses = answered.map(([id, , , response]) => lead(id).response(response));
      const events = [...organisation(), ...inquiries, ...responses];
      return events.sort(
        (a, b) => Date.parse(a.metadata.occurredAt) - Date.parse(b.metadata.occurredAt),
      );
    };
    const until = '2026-03-20T00:00:00Z';
    const target = (minutes: number): SlaPolicy => ({
      ...FIRST_RESPONSE_ONLY,
      version: 99,
      firstResponse: { ...FIRST_RESPONSE_ONLY.firstResponse, targetMinutes: minutes },
    });

    it('moving the first-response target from 30 to 60 business minutes lowers predicted breaches', () => {
      const events = history(scripted());
      const at30 = predictSla(events, target(30), at(until));
      const at60 = predictSla(events, target(60), at(until));
      expect(at30.breaches).toMatchObject({
        total: 8,
        byClock: { first_response: 8 },
        byRep: { 'u-anna': 4, 'u-ben': 4 },
        byTeam: { berlin: 8 },
        byChannel: { alibaba: 7, website_form: 1 },
      });
      expect(at60.breaches).toMatchObject({
        total: 2,
        byRep: { 'u-anna': 1, 'u-ben': 1 },
        byChannel: { alibaba: 1, website_form: 1 },
      });
      expect(at30.runs.first_response).toEqual({
        started: 10,
        met: 2,
        breached: 8,
        running: 0,
        closed: 0,
      });
      expect(at60.runs.first_response).toEqual({
        started: 10,
        met: 8,
        breached: 2,
        running: 0,
        closed: 0,
      });
      expect(at60.policy).toEqual({ id: 'sla.default', version: 99 });
    });

    it('counts escalations by level, team, rep and channel', () => {
      const prediction = predictSla(history(scripted()), target(30), at(until));
      // Level 1 at 20 min: all but w1 and w2 (answered at the rung's instant). Level 2 at 30: the eight breaches. Level 3 at 120: none.
      expect(prediction.escalations).toMatchObject({
        total: 16,
        byLevel: { 'first_response.level_1': 8, 'first_response.level_2': 8 },
        byAction: { remind_owner: 8, escalate_team_lead: 8 },
        byTeam: { berlin: 16 },
      });
    });

    it('replaying the policy in force reproduces what the saga did', () => {
      const events = history(scripted());
      const asPublished = predictSla(events, undefined, at(until));
      const live = replaySaga(slaEscalationSaga, events, at(until));
      expect(asPublished.commands).toEqual(live.commands);
      expect(asPublished.breaches.total).toBe(8);
      expect(asPublished.policy).toBeUndefined();
    });

    it('counts only runs started from `from`', () => {
      const prediction = predictSla(history(scripted()), target(30), at(until), {
        from: at('2026-03-17T00:00:00Z'),
      });
      expect(prediction.runs.first_response.started).toBe(2);
      expect(prediction.breaches.total).toBe(2);
    });
  });
});

describe('SLA policy schema', () => {
  const problems = (body: unknown): string[] => {
    const instance = plainToInstance(SlaPolicySchema, body);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) return errors.map((error) => error.property);
    return slaPolicyCrossChecks(body as SlaPolicy);
  };

  it('the default file is valid', () => {
    expect(problems(slaDefault)).toEqual([]);
  });

  it('refuses unknown actions and modes, duplicate levels and rungs out of order', () => {
    expect(problems({ ...SLA, firstResponse: { ...SLA.firstResponse, mode: 'lunar' } })).toEqual([
      'firstResponse',
    ]);
    expect(
      problems({
        ...SLA,
        proposal: {
          ...SLA.proposal,
          ladder: [
            { level: 1, afterMinutes: 60, action: 'remind_owner' },
            { level: 1, afterMinutes: 30, action: 'escalate_manager' },
          ],
        },
      }),
    ).toEqual([
      'proposal.ladder.1.level: level 1 appears twice',
      'proposal.ladder.1.afterMinutes: rungs must be in order of time',
    ]);
  });
});
