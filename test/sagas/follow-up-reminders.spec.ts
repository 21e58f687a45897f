import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import automationDefault from '../../config/policies/automation.default.json';
import calendarsDefault from '../../config/policies/calendars.default.json';
import {
  AutomationPolicySchema,
  automationPolicyProblems,
} from '../../config/schemas/automation-policy.schema';
import type { AutomationPolicy } from '../../domain/policies/automation-policy';
import { followUpRemindersSaga } from '../../sagas/follow-up-reminders.saga';
import { automationDecider } from '../../domain/automation/automation.decider';
import type { TaskCommand } from '../../domain/task/task.commands';
import { taskDecider } from '../../domain/task/task.decider';
import type { TaskState } from '../../domain/task/task.state';
import type { SagaCommand } from '../../sagas/saga';
import { replaySaga } from '../../sagas/saga-replay';
import { deriveSagaId } from '../../sagas/shared/saga-ids';
import { strictReads } from '../../sagas/shared/strict-reads';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { history, recorded } from '../support/projection-harness';

const saga = strictReads(followUpRemindersSaga);
const AUTOMATION = { id: 'automation.default', version: 1 };
const START = '2026-01-01T00:00:00.000Z';

const policy = (body: { id: string; version: number }, at = START) =>
  recorded(
    `policy-${body.id}`,
    'PolicyVersionPublished',
    { id: body.id, version: body.version, body, publishedAt: at },
    at,
  );

const setup = (): RecordedEvent[] => [
  policy(calendarsDefault),
  policy(automationDefault),
  recorded('team-berlin', 'TeamCreated', { teamId: 'berlin', calendarKey: 'berlin-sales' }, START),
  recorded('user-ana', 'UserRegistered', { userId: 'ana', teamId: 'berlin', role: 'rep' }, START),
];

const account = (accountId: string, country: string, timeZone?: string) =>
  recorded(
    `account-${accountId}`,
    'AccountRegistered',
    {
      accountId,
      country,
      ...(timeZone && { timeZone }),
      ownerId: 'ana',
      grade: 'A',
      lifecycle: 'active',
    },
    START,
  );
const dealOpened = (
  dealId: string,
  accountId: string,
  country: string,
  at = '2026-02-02T08:00:00.000Z',
) =>
  recorded(
    `deal-${dealId}`,
    'DealOpened',
    { dealId, accountId, ownerId: 'ana', country, stage: 'proposal' },
    at,
  );
const quoteSent = (dealId: string, version: number, at: string) =>
  recorded(
    `deal-${dealId}`,
    'QuoteSent',
    {
      quoteId: `q${version}`,
      version,
      total: { amountMinor: 1000, currency: 'USD' },
      validUntil: '2026-06-30',
    },
    at,
  );
const activity = (
  dealId: string,
  direction: 'inbound' | 'outbound',
  at: string,
  loggedAt = at,
  metadata: Record<string, unknown> = {},
) =>
  recorded(
    `deal-${dealId}`,
    'DealActivityLogged',
    { activityId: `a-${at}`, kind: 'email', direction, summary: 'Re: quote', at },
    loggedAt,
    metadata,
  );

/** A buyer in Riyadh (Friday–Saturday weekend) gets a quote on Tuesday 3 March 2026, 13:00 local. */
const gulf = (...more: RecordedEvent[]) =>
  history([
    ...setup(),
    account('sa', 'SA', 'Asia/Riyadh'),
    dealOpened('d1', 'sa', 'SA'),
    quoteSent('d1', 1, '2026-03-03T10:00:00.000Z'),
    ...more,
  ]);

const ofType = (commands: SagaCommand[], type: string) => commands.filter((c) => c.type === type);
const decisions = (commands: SagaCommand[], decision: string) =>
  commands.filter((c) => c.type === 'RecordAutomationDecision' && c.data.decision === decision);

/** Each command is one its decider accepts, in the order sent (task commands fold per task). */
function acceptedByDeciders(commands: SagaCommand[]): void {
  const tasks = new Map<string, TaskState>();
  for (const command of commands) {
    const context = {
      now: command.occurredAt,
      actor: { userId: 'system', role: 'system' },
      policies: undefined,
    };
    const sent = { type: command.type, data: command.data } as never;
    if (command.aggregate === 'automation') automationDecider.decide(sent, undefined, context);
    else {
      const before = tasks.get(command.id) ?? taskDecider.initialState;
      tasks.set(
        command.id,
        taskDecider.decide(sent as TaskCommand, before, context).reduce(taskDecider.evolve, before),
      );
    }
  }
}

describe('follow-up reminders saga', () => {
  it('moves a reminder that would fall on a Gulf customer’s Friday to their Sunday, at the start of their day', () => {
    const { commands, pending } = replaySaga(saga, gulf(), '2026-03-04T00:00:00.000Z');
    expect(pending.map((t) => [t.id, t.dueAt])).toEqual([
      ['follow-up-reminders:d1:q1:v1:day3', '2026-03-08T06:00:00.000Z'], // Sunday 09:00 in Riyadh
      ['follow-up-reminders:d1:q1:v1:day7', '2026-03-10T06:00:00.000Z'], // Tuesday 09:00
    ]);
    expect(decisions(commands, 'scheduled').map((c) => c.data)).toEqual([
      {
        saga: 'follow-up-reminders',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'scheduled',
        step: 'follow_up.day3',
        dueAt: '2026-03-08T06:00:00.000Z',
        detail: {
          quoteId: 'q1',
          version: 1,
          day: 3,
          country: 'SA',
          timeZone: 'Asia/Riyadh',
          timeZoneFrom: 'account',
          wantedOn: '2026-03-06',
          firesOn: '2026-03-08',
        },
        policy: AUTOMATION,
      },
      expect.objectContaining({
        step: 'follow_up.day7',
        dueAt: '2026-03-10T06:00:00.000Z',
        detail: expect.objectContaining({ wantedOn: '2026-03-10', firesOn: '2026-03-10' }),
      }),
    ]);
    expect(commands.every((c) => c.occurredAt === '2026-03-03T10:00:00.000Z')).toBe(true);
  });

  it('creates a task for the deal owner when a reminder fires, due by the end of the customer’s working day', () => {
    const { commands, pending } = replaySaga(saga, gulf(), '2026-03-31T00:00:00.000Z');
    expect(pending).toEqual([]);
    const tasks = ofType(commands, 'CreateTask');
    const commandId = 'follow-up-reminders:d1:reminder:q1:v1:day3';
    expect(tasks[0]).toEqual({
      aggregate: 'task',
      id: deriveSagaId(commandId, 'task'),
      commandId,
      type: 'CreateTask',
      data: {
        taskId: deriveSagaId(commandId, 'task'),
        linkedTo: { kind: 'deal', id: 'd1' },
        title: 'Follow up on quote version 1 (day 3)',
        description: 'No reply from the customer 3 days after the quote was sent.',
        dueAt: '2026-03-08T15:00:00.000Z', // Sunday 18:00 in Riyadh
        assigneeId: 'ana',
        source: { saga: 'follow-up-reminders', id: 'd1' },
      },
      occurredAt: '2026-03-08T06:00:00.000Z',
      reason: 'Follow-up reminder, day 3 after quote version 1',
      policy: AUTOMATION,
    });
    expect(tasks.map((t) => t.occurredAt)).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-10T06:00:00.000Z',
    ]);
    expect(decisions(commands, 'task_created').map((c) => [c.data.step, c.data.dueAt])).toEqual([
      ['follow_up.day3', '2026-03-08T15:00:00.000Z'],
      ['follow_up.day7', '2026-03-10T15:00:00.000Z'],
    ]);
  });

  it('counts a customer message archived by the system like one logged by hand', () => {
    const archived = {
      actor: { userId: 'system', role: 'system' },
      cause: { kind: 'saga', id: 'mail-archive' },
    };
    const { pending } = replaySaga(
      saga,
      gulf(
        activity('d1', 'inbound', '2026-03-04T07:00:00.000Z', '2026-03-04T07:00:00.000Z', archived),
      ),
      '2026-03-05T00:00:00.000Z',
    );
    expect(pending).toEqual([]);
  });

  it('cancels the pending reminders when the customer writes back, and records why', () => {
    const { commands, pending } = replaySaga(
      saga,
      gulf(activity('d1', 'inbound', '2026-03-09T07:30:00.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(pending).toEqual([]);
    expect(ofType(commands, 'CreateTask').map((c) => c.data.title)).toEqual([
      'Follow up on quote version 1 (day 3)',
    ]);
    expect(decisions(commands, 'cancelled').map((c) => c.data)).toEqual([
      expect.objectContaining({
        step: 'follow_up.day7',
        dueAt: '2026-03-10T06:00:00.000Z',
        detail: {
          quoteId: 'q1',
          version: 1,
          day: 7,
          reason: 'inbound_activity',
          activityId: 'a-2026-03-09T07:30:00.000Z',
        },
      }),
    ]);
  });

  it('keeps the reminders for outbound activity, and for an older message logged late', () => {
    const { commands } = replaySaga(
      saga,
      gulf(
        activity('d1', 'outbound', '2026-03-04T07:00:00.000Z'),
        activity('d1', 'inbound', '2026-03-02T07:00:00.000Z', '2026-03-04T08:00:00.000Z'),
      ),
      '2026-03-31T00:00:00.000Z',
    );
    expect(ofType(commands, 'CreateTask')).toHaveLength(2);
    expect(decisions(commands, 'cancelled')).toEqual([]);
  });

  it('replaces the reminders of a quote by those of its next version', () => {
    const { commands, pending } = replaySaga(
      saga,
      gulf(quoteSent('d1', 2, '2026-03-05T10:00:00.000Z')),
      '2026-03-06T00:00:00.000Z',
    );
    expect(
      decisions(commands, 'cancelled').map((c) => [
        c.data.step,
        (c.data.detail as { reason: string }).reason,
      ]),
    ).toEqual([
      ['follow_up.day3', 'superseded'],
      ['follow_up.day7', 'superseded'],
    ]);
    // Thursday 5 March + 3 = Sunday 8 (a working day in Riyadh); + 7 = Thursday 12.
    expect(pending.map((t) => [t.id, t.dueAt])).toEqual([
      ['follow-up-reminders:d1:q2:v2:day3', '2026-03-08T06:00:00.000Z'],
      ['follow-up-reminders:d1:q2:v2:day7', '2026-03-12T06:00:00.000Z'],
    ]);
  });

  it('cancels the reminders of a deal that is won', () => {
    const won = recorded(
      'deal-d1',
      'DealWon',
      { orderReference: 'PO-1', stage: 'proposal', amount: { amountMinor: 1000, currency: 'USD' } },
      '2026-03-04T10:00:00.000Z',
    );
    const { commands, pending } = replaySaga(saga, gulf(won), '2026-03-31T00:00:00.000Z');
    expect(pending).toEqual([]);
    expect(ofType(commands, 'CreateTask')).toEqual([]);
    expect(
      decisions(commands, 'cancelled').map((c) => (c.data.detail as { reason: string }).reason),
    ).toEqual(['deal_won', 'deal_won']);
  });

  it('suppresses the reminders of a quote answered in the very instant it was sent', () => {
    const { commands, pending } = replaySaga(
      saga,
      gulf(activity('d1', 'inbound', '2026-03-03T10:00:00.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(pending).toEqual([]);
    expect(decisions(commands, 'suppressed').map((c) => c.data.detail)).toEqual([
      { quoteId: 'q1', version: 1, reason: 'inbound_activity' },
    ]);
  });

  it('follows the customer’s clock change: a US buyer’s reminders fire at 09:00 daylight time', () => {
    const events = history([
      ...setup(),
      account('us', 'US', 'America/Chicago'),
      dealOpened('d2', 'us', 'US'),
      quoteSent('d2', 1, '2026-03-05T16:00:00.000Z'),
    ]);
    const { pending } = replaySaga(saga, events, '2026-03-06T00:00:00.000Z');
    // Thursday 10:00 CST + 3 days = Sunday 8 March (clocks go forward): Monday 09:00 CDT.
    expect(pending.map((t) => t.dueAt)).toEqual([
      '2026-03-09T14:00:00.000Z',
      '2026-03-12T14:00:00.000Z',
    ]);
  });

  it('uses the account’s time zone as it is when the quote is sent, else the owner team’s', () => {
    const noZone = history([
      ...setup(),
      account('de', 'DE'),
      dealOpened('d3', 'de', 'DE'),
      quoteSent('d3', 1, '2026-03-05T16:00:00.000Z'),
    ]);
    const first = replaySaga(saga, noZone, '2026-03-06T00:00:00.000Z');
    expect(first.pending.map((t) => t.dueAt)).toEqual([
      '2026-03-09T08:00:00.000Z',
      '2026-03-12T08:00:00.000Z',
    ]);
    expect(decisions(first.commands, 'scheduled')[0].data.detail).toMatchObject({
      timeZone: 'Europe/Berlin',
      timeZoneFrom: 'owner_team',
    });

    const moved = history([
      ...setup(),
      account('de', 'DE'),
      dealOpened('d3', 'de', 'DE'),
      recorded(
        'account-de',
        'AccountProfileUpdated',
        { accountId: 'de', changes: { timeZone: 'Asia/Tokyo' } },
        '2026-03-01T00:00:00.000Z',
      ),
      quoteSent('d3', 1, '2026-03-05T16:00:00.000Z'),
    ]);
    // Friday 01:00 in Tokyo + 3 = Monday 9 March, 09:00 JST.
    expect(replaySaga(saga, moved, '2026-03-06T00:00:00.000Z').pending.map((t) => t.dueAt)).toEqual(
      ['2026-03-09T00:00:00.000Z', '2026-03-13T00:00:00.000Z'],
    );
  });

  it('sends only commands the task and automation deciders accept', () => {
    acceptedByDeciders(
      replaySaga(
        saga,
        gulf(
          activity('d1', 'inbound', '2026-03-09T07:30:00.000Z'),
          quoteSent('d1', 2, '2026-03-20T10:00:00.000Z'),
        ),
        '2026-04-30T00:00:00.000Z',
      ).commands,
    );
  });

  it('replays to identical commands, and shows what a candidate policy would have done', () => {
    const until = '2026-03-31T00:00:00.000Z';
    const first = replaySaga(saga, gulf(), until);
    expect(replaySaga(saga, gulf(), until).commands).toEqual(first.commands);

    const candidate = {
      ...automationDefault,
      version: 2,
      followUps: { ...automationDefault.followUps, reminderDays: [2, 5] },
    };
    const whatIf = replaySaga(
      saga,
      history([policy(candidate, '2026-02-01T00:00:00.000Z'), ...gulf()]),
      until,
    );
    // Day 2 is Thursday 5 March; day 5 is Sunday 8, a working day in Riyadh.
    expect(ofType(whatIf.commands, 'CreateTask').map((c) => c.occurredAt)).toEqual([
      '2026-03-05T06:00:00.000Z',
      '2026-03-08T06:00:00.000Z',
    ]);
    expect(ofType(whatIf.commands, 'CreateTask')[0].policy).toEqual({
      id: 'automation.default',
      version: 2,
    });
  });
});

/** The event as it arrived: recorded at `recordedAt`, e.g. long after it happened. */
const arrived = (
  event: RecordedEvent,
  recordedAt: string,
  metadata: Record<string, unknown> = {},
): RecordedEvent => ({ ...event, recordedAt, metadata: { ...event.metadata, ...metadata } });

describe('follow-up reminders saga: live quotes only', () => {
  const riyadh = (...more: RecordedEvent[]) =>
    history([
      ...setup(),
      account('sa', 'SA', 'Asia/Riyadh'),
      dealOpened('d1', 'sa', 'SA'),
      ...more,
    ]);

  it('schedules nothing for a back-dated quote, and logs once which reminders it would still have sent', () => {
    // Sent Tuesday 3 March, typed in on Friday 6 March: day 3 (Sunday 8) and day 7 were still ahead.
    const { commands, pending } = replaySaga(
      saga,
      riyadh(arrived(quoteSent('d1', 1, '2026-03-03T10:00:00.000Z'), '2026-03-06T12:00:00.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(pending).toEqual([]);
    expect(ofType(commands, 'CreateTask')).toEqual([]);
    expect(commands.map((c) => c.data)).toEqual([
      {
        saga: 'follow-up-reminders',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'suppressed',
        step: 'follow_up',
        dueAt: '2026-03-08T06:00:00.000Z',
        detail: {
          quoteId: 'q1',
          version: 1,
          reason: 'back_dated',
          recordedAt: '2026-03-06T12:00:00.000Z',
          days: '3,7',
        },
        policy: AUTOMATION,
      },
    ]);
  });

  it('writes nothing for an imported quote whose reminders were all over before it arrived', () => {
    const { commands, pending } = replaySaga(
      saga,
      riyadh(
        arrived(quoteSent('d1', 1, '2026-02-03T10:00:00.000Z'), '2026-03-06T12:00:00.000Z', {
          cause: { kind: 'import', id: 'crm-export' },
        }),
      ),
      '2026-03-31T00:00:00.000Z',
    );
    expect(commands).toEqual([]);
    expect(pending).toEqual([]);
  });

  it('lets a back-dated quote supersede a live one, and a back-dated reply cancel the reminders', () => {
    const superseded = replaySaga(
      saga,
      gulf(arrived(quoteSent('d1', 2, '2026-03-04T10:00:00.000Z'), '2026-03-06T12:00:00.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(superseded.pending).toEqual([]);
    expect(ofType(superseded.commands, 'CreateTask')).toEqual([]);
    expect(
      decisions(superseded.commands, 'cancelled').map(
        (c) => (c.data.detail as { reason: string }).reason,
      ),
    ).toEqual(['superseded', 'superseded']);

    const answered = replaySaga(
      saga,
      gulf(
        arrived(activity('d1', 'inbound', '2026-03-04T07:00:00.000Z'), '2026-03-05T07:00:00.000Z'),
      ),
      '2026-03-31T00:00:00.000Z',
    );
    expect(answered.pending).toEqual([]);
    expect(ofType(answered.commands, 'CreateTask')).toEqual([]);
  });

  it('judges the live window at its edge: 60 minutes late is live, a second more is not', () => {
    const sent = '2026-03-03T10:00:00.000Z';
    const late = (seconds: number) =>
      riyadh(
        arrived(
          quoteSent('d1', 1, sent),
          new Date(Date.parse(sent) + seconds * 1000).toISOString(),
        ),
      );
    expect(replaySaga(saga, late(3600), '2026-03-04T00:00:00.000Z').pending).toHaveLength(2);
    expect(replaySaga(saga, late(3601), '2026-03-04T00:00:00.000Z').pending).toEqual([]);
  });
});

describe('follow-up reminders saga: fake-clock cases', () => {
  it('a quote reaching a Sydney buyer on Friday evening: reminders at 09:00 Sydney time, Sunday night in Berlin', () => {
    // Friday 6 March 2026, 09:00 in Berlin = 19:00 in Sydney (AEDT, UTC+11).
    const events = history([
      ...setup(),
      account('au', 'AU', 'Australia/Sydney'),
      dealOpened('d5', 'au', 'AU'),
      quoteSent('d5', 1, '2026-03-06T08:00:00.000Z'),
    ]);
    expect(
      replaySaga(saga, events, '2026-03-07T00:00:00.000Z').pending.map((t) => t.dueAt),
    ).toEqual([
      '2026-03-08T22:00:00.000Z', // Monday 9 March, 09:00 Sydney
      '2026-03-12T22:00:00.000Z', // Friday 13 March, 09:00 Sydney
    ]);
  });

  it('a holiday of the sales team is no holiday of the customer: Easter Sunday is a working day in Riyadh', () => {
    // Maundy Thursday, 2 April 2026, 13:00 in Riyadh. Berlin is off on Good Friday and Easter Monday.
    const { commands } = replaySaga(
      saga,
      history([
        ...setup(),
        account('sa', 'SA', 'Asia/Riyadh'),
        dealOpened('d1', 'sa', 'SA'),
        quoteSent('d1', 1, '2026-04-02T10:00:00.000Z'),
      ]),
      '2026-04-30T00:00:00.000Z',
    );
    expect(ofType(commands, 'CreateTask').map((c) => [c.occurredAt, c.data.dueAt])).toEqual([
      ['2026-04-05T06:00:00.000Z', '2026-04-05T15:00:00.000Z'], // Easter Sunday, 09:00–18:00 Riyadh
      ['2026-04-09T06:00:00.000Z', '2026-04-09T15:00:00.000Z'], // Thursday 9 April
    ]);
  });

  it('a handover between scheduling and firing: the reminder goes to the new owner', () => {
    const { commands } = replaySaga(
      saga,
      gulf(
        recorded(
          'user-ben',
          'UserRegistered',
          { userId: 'ben', teamId: 'berlin', role: 'rep' },
          START,
        ),
        recorded(
          'deal-d1',
          'DealOwnerTransferred',
          {
            from: 'ana',
            to: 'ben',
            reason: 'holiday cover',
            cause: { kind: 'person', id: 'boss' },
          },
          '2026-03-09T09:00:00.000Z',
        ),
      ),
      '2026-03-31T00:00:00.000Z',
    );
    expect(ofType(commands, 'CreateTask').map((c) => [c.occurredAt, c.data.assigneeId])).toEqual([
      ['2026-03-08T06:00:00.000Z', 'ana'],
      ['2026-03-10T06:00:00.000Z', 'ben'],
    ]);
  });

  it('a reply just before the reminder is due cancels it; one just after comes too late', () => {
    const before = replaySaga(
      saga,
      gulf(activity('d1', 'inbound', '2026-03-08T05:59:59.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(ofType(before.commands, 'CreateTask')).toEqual([]);
    const after = replaySaga(
      saga,
      gulf(activity('d1', 'inbound', '2026-03-08T06:00:01.000Z')),
      '2026-03-31T00:00:00.000Z',
    );
    expect(ofType(after.commands, 'CreateTask').map((c) => c.data.title)).toEqual([
      'Follow up on quote version 1 (day 3)',
    ]);
  });
});

describe('automation policy', () => {
  const problems = (body: unknown) => {
    const errors = validateSync(plainToInstance(AutomationPolicySchema, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    return errors.length > 0
      ? errors.map((e) => e.property)
      : automationPolicyProblems(body as AutomationPolicy);
  };

  it('ships a valid default: reminders on day 3 and 7, from 09:00 customer time, a 60-minute live window', () => {
    expect(problems(automationDefault)).toEqual([]);
    expect(automationDefault.followUps.reminderDays).toEqual([3, 7]);
    expect(automationDefault.liveWindowMinutes).toBe(60);
  });

  it('refuses a live window that is missing, negative or longer than a week', () => {
    const { liveWindowMinutes: _omitted, ...without } = automationDefault;
    expect(problems(without)).toEqual(['liveWindowMinutes']);
    expect(problems({ ...automationDefault, liveWindowMinutes: -1 })).toEqual([
      'liveWindowMinutes',
    ]);
    expect(problems({ ...automationDefault, liveWindowMinutes: 7 * 24 * 60 + 1 })).toEqual([
      'liveWindowMinutes',
    ]);
  });

  it('refuses reminder days out of order, customer hours that make no day, and unknown fields', () => {
    expect(
      problems({
        ...automationDefault,
        followUps: { ...automationDefault.followUps, reminderDays: [7, 3] },
      }),
    ).toEqual(['followUps.reminderDays: must be in increasing order']);
    expect(
      problems({
        ...automationDefault,
        followUps: {
          ...automationDefault.followUps,
          customerHours: { from: '18:00', to: '09:00' },
        },
      }),
    ).toEqual(['followUps.customerHours: from 18:00 must be before to 09:00']);
    expect(problems({ ...automationDefault, staleAfterDays: 14 })).toEqual(['staleAfterDays']);
    expect(
      problems({
        ...automationDefault,
        stageTasks: { cancelOnLeave: ['Won'], cancelOnLost: true },
      }),
    ).toEqual(['stageTasks']);
  });
});
