import automationDefault from '../../config/policies/automation.default.json';
import calendarsDefault from '../../config/policies/calendars.default.json';
import stagesDefault from '../../config/policies/stages.default.json';
import { automationDecider } from '../../domain/automation/automation.decider';
import type { TaskCommand } from '../../domain/task/task.commands';
import { taskDecider } from '../../domain/task/task.decider';
import type { TaskState } from '../../domain/task/task.state';
import type { SagaCommand } from '../../sagas/saga';
import { replaySaga } from '../../sagas/saga-replay';
import { deriveSagaId } from '../../sagas/shared/saga-ids';
import { strictReads } from '../../sagas/shared/strict-reads';
import { addWorkingOffset } from '../../sagas/shared/working-offset';
import { stageTasksSaga } from '../../sagas/stage-tasks.saga';
import type { BusinessCalendar } from '../../domain/calendar/business-calendar';
import {
  addBusinessSeconds,
  businessSecondsBetween,
  localDateOf,
  nextWorkingStart,
  startOfNextWorkingDay,
  startOfWorkingDayFrom,
} from '../../domain/calendar/business-time';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { deriveId } from '../../src/http/command-sender';
import { history, recorded } from '../support/projection-harness';

const saga = strictReads(stageTasksSaga);
const STAGES = { id: 'stages.default', version: 1 };

const policy = (body: { id: string; version: number }, at: string) =>
  recorded(
    `policy-${body.id}`,
    'PolicyVersionPublished',
    { id: body.id, version: body.version, body, publishedAt: at },
    at,
  );

/** The policies and Ana in the Berlin team (calendar berlin-sales: Mon–Fri 09–18, German holidays). */
const setup = (): RecordedEvent[] => [
  policy(stagesDefault, '2026-01-01T00:00:00.000Z'),
  policy(calendarsDefault, '2026-01-01T00:00:00.000Z'),
  policy(automationDefault, '2026-01-01T00:00:00.000Z'),
  recorded(
    'team-berlin',
    'TeamCreated',
    { teamId: 'berlin', calendarKey: 'berlin-sales' },
    '2026-01-01T00:00:00.000Z',
  ),
  recorded(
    'user-ana',
    'UserRegistered',
    { userId: 'ana', teamId: 'berlin', role: 'rep' },
    '2026-01-01T00:00:00.000Z',
  ),
  recorded(
    'user-ben',
    'UserRegistered',
    { userId: 'ben', teamId: 'berlin', role: 'rep' },
    '2026-01-01T00:00:00.000Z',
  ),
];

const dealOpened = (dealId: string, at: string, stage = 'initial_contact', ownerId = 'ana') =>
  recorded(
    `deal-${dealId}`,
    'DealOpened',
    { dealId, accountId: 'acme', ownerId, country: 'DE', stage, policy: STAGES },
    at,
  );
const stageChanged = (dealId: string, from: string, to: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealStageChanged',
    { from, to, direction: 'forward', reentry: false, policy: STAGES },
    at,
  );
const dealLost = (dealId: string, stage: string, at: string) =>
  recorded(
    `deal-${dealId}`,
    'DealLost',
    { reasonCode: 'price.too_high', reason: 'price', subReason: 'too_high', stage, policy: STAGES },
    at,
  );

const creates = (commands: SagaCommand[]) => commands.filter((c) => c.type === 'CreateTask');
const cancels = (commands: SagaCommand[]) => commands.filter((c) => c.type === 'CancelTask');
const dues = (commands: SagaCommand[]) =>
  Object.fromEntries(
    creates(commands).map((c) => [
      c.data.template && (c.data.template as { key: string }).key,
      c.data.dueAt,
    ]),
  );

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

describe('stage tasks saga', () => {
  it('creates the first stage’s tasks for the owner, due across a weekend and the spring clock change in working days', () => {
    // Friday 27 March 2026, 15:00 in Berlin (CET); clocks go to CEST on Sunday 29 March.
    const { commands } = replaySaga(
      saga,
      history([...setup(), dealOpened('d1', '2026-03-27T14:00:00.000Z')]),
      '2026-04-30T00:00:00.000Z',
    );

    expect(dues(commands)).toEqual({
      confirm_requirements: '2026-03-30T13:00:00.000Z', // Monday 15:00 CEST
      confirm_application: '2026-03-31T13:00:00.000Z',
      confirm_key_parameters: '2026-03-31T13:00:00.000Z',
      confirm_quantity: '2026-03-31T13:00:00.000Z',
      sound_out_target_price: '2026-04-01T13:00:00.000Z',
    });
    const commandId = 'stage-tasks:d1:r0:confirm_requirements';
    const taskId = deriveSagaId(commandId, 'task');
    expect(taskId).toBe(deriveId(commandId, 'task'));
    expect(commands[0]).toEqual({
      aggregate: 'task',
      id: taskId,
      commandId,
      type: 'CreateTask',
      data: {
        taskId,
        linkedTo: { kind: 'deal', id: 'd1' },
        title: 'Confirm the requirements',
        description: '确认需求',
        dueAt: '2026-03-30T13:00:00.000Z',
        assigneeId: 'ana',
        template: { policy: STAGES, stage: 'initial_contact', key: 'confirm_requirements' },
        source: { saga: 'stage-tasks', id: 'd1' },
      },
      occurredAt: '2026-03-27T14:00:00.000Z',
      reason: 'Stage task initial_contact.confirm_requirements',
      policy: STAGES,
    });
    expect(commands[1]).toEqual({
      aggregate: 'automation',
      id: 'd1',
      commandId: 'stage-tasks:d1:stage_tasks.initial_contact.confirm_requirements:task_created:r0',
      type: 'RecordAutomationDecision',
      data: {
        saga: 'stage-tasks',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'task_created',
        step: 'stage_tasks.initial_contact.confirm_requirements',
        dueAt: '2026-03-30T13:00:00.000Z',
        detail: {
          taskId,
          stage: 'initial_contact',
          template: 'confirm_requirements',
          dueOffsetHours: 24,
          calendar: 'berlin-sales',
        },
        policy: STAGES,
      },
      occurredAt: '2026-03-27T14:00:00.000Z',
      policy: STAGES,
    });
    expect(commands).toHaveLength(10);
  });

  it('skips the Easter holidays when a stage is entered the day before Good Friday', () => {
    const events = history([
      ...setup(),
      dealOpened('d1', '2026-03-30T08:00:00.000Z'),
      stageChanged('d1', 'initial_contact', 'proposal', '2026-04-02T13:00:00.000Z'), // Thursday 15:00 CEST
    ]);
    const { commands } = replaySaga(saga, events, '2026-04-30T00:00:00.000Z');
    const proposal = creates(commands).filter(
      (c) => (c.data.template as { stage: string }).stage === 'proposal',
    );
    // Friday 3 and Monday 6 April are holidays in Berlin: one working day later is Tuesday 7 April.
    expect(
      Object.fromEntries(
        proposal.map((c) => [(c.data.template as { key: string }).key, c.data.dueAt]),
      ),
    ).toEqual({
      prepare_quote_version: '2026-04-07T13:00:00.000Z',
      check_cost_boundary: '2026-04-07T13:00:00.000Z',
      confirm_lead_time_and_moq: '2026-04-07T13:00:00.000Z',
      offer_alternatives: '2026-04-08T13:00:00.000Z',
    });
    // Moving on cancels nothing under the default policy: the earlier stage's must-dos stay.
    expect(cancels(commands)).toEqual([]);
  });

  it('counts from the next working start when a stage is entered on a weekend', () => {
    const { commands } = replaySaga(
      saga,
      history([...setup(), dealOpened('d1', '2026-03-07T10:00:00.000Z')]),
      '2026-03-31T00:00:00.000Z',
    );
    expect(dues(commands).confirm_requirements).toBe('2026-03-10T08:00:00.000Z'); // Tuesday 09:00 CET
  });

  it('counts a part of a day in working hours', () => {
    const berlin = calendarsDefault.calendars.find(
      (c) => c.key === 'berlin-sales',
    ) as unknown as BusinessCalendar;
    // Friday 6 March, 16:00 CET.
    expect(addWorkingOffset(berlin, '2026-03-06T15:00:00.000Z', 4)).toBe(
      '2026-03-09T10:00:00.000Z',
    );
    expect(addWorkingOffset(berlin, '2026-03-06T15:00:00.000Z', 30)).toBe(
      '2026-03-10T12:00:00.000Z',
    );
    expect(addWorkingOffset(berlin, '2026-03-06T15:00:00.000Z', 0)).toBe(
      '2026-03-06T15:00:00.000Z',
    );
  });

  it('counts whole days as the calendar’s working days, one by one, over holidays and clock changes', () => {
    const berlin = calendarsDefault.calendars.find(
      (c) => c.key === 'berlin-sales',
    ) as unknown as BusinessCalendar;
    const slow = (from: string, days: number) => {
      const start = nextWorkingStart(berlin, from);
      let day = startOfWorkingDayFrom(berlin, localDateOf(berlin, start));
      const intoDay = businessSecondsBetween(berlin, day, start);
      for (let i = 0; i < days; i++) day = startOfNextWorkingDay(berlin, day);
      return addBusinessSeconds(berlin, day, intoDay);
    };
    for (const from of [
      '2026-03-27T14:00:00.000Z',
      '2026-04-02T13:00:00.000Z',
      '2026-10-23T16:59:00.000Z',
      '2026-12-24T07:00:00.000Z',
    ]) {
      for (const days of [1, 2, 3, 14, 60])
        expect(addWorkingOffset(berlin, from, days * 24)).toBe(slow(from, days));
    }
  });

  it('falls back to calendar hours for an owner without a team calendar, and says so', () => {
    const { commands } = replaySaga(
      saga,
      history([
        ...setup(),
        dealOpened('d1', '2026-03-07T10:00:00.000Z', 'initial_contact', 'nobody'),
      ]),
      '2026-03-31T00:00:00.000Z',
    );
    expect(dues(commands).confirm_requirements).toBe('2026-03-08T10:00:00.000Z');
    expect(commands[1].data.detail).toMatchObject({ calendar: 'none' });
  });

  it('gives the next stage’s tasks to the owner the deal was handed to', () => {
    const events = history([
      ...setup(),
      dealOpened('d1', '2026-03-02T08:00:00.000Z'),
      recorded(
        'deal-d1',
        'DealOwnerTransferred',
        { from: 'ana', to: 'ben', reason: 'handover', cause: { kind: 'person', id: 'boss' } },
        '2026-03-03T08:00:00.000Z',
      ),
      stageChanged('d1', 'initial_contact', 'proposal', '2026-03-04T08:00:00.000Z'),
    ]);
    const owners = creates(replaySaga(saga, events, '2026-03-31T00:00:00.000Z').commands).map(
      (c) => `${(c.data.template as { stage: string }).stage}:${c.data.assigneeId}`,
    );
    expect(new Set(owners)).toEqual(new Set(['initial_contact:ana', 'proposal:ben']));
  });

  describe('reopen and leaving stages', () => {
    const story = () => {
      const opened = '2026-03-02T08:00:00.000Z';
      const completedTask = deriveSagaId('stage-tasks:d1:r1:prepare_quote_version', 'task');
      return history([
        ...setup(),
        dealOpened('d1', opened), // r0: 5 tasks
        stageChanged('d1', 'initial_contact', 'proposal', '2026-03-03T08:00:00.000Z'), // r1: 4 tasks
        recorded(
          `task-${completedTask}`,
          'TaskCompleted',
          { taskId: completedTask },
          '2026-03-03T10:00:00.000Z',
        ),
        recorded(
          'deal-d1',
          'DealWon',
          {
            orderReference: 'PO-1',
            stage: 'proposal',
            amount: { amountMinor: 100, currency: 'EUR' },
            policy: STAGES,
          },
          '2026-03-04T08:00:00.000Z',
        ), // r2: 7 won tasks
        recorded(
          'deal-d1',
          'DealReopened',
          { stage: 'proposal', previousOutcome: 'won', reason: 'order cancelled' },
          '2026-03-05T08:00:00.000Z',
        ), // r3
        dealLost('d1', 'proposal', '2026-03-06T08:00:00.000Z'), // r4
      ]);
    };

    it('creates the stage’s tasks again on reopen, as a new entry, and cancels the order tasks of the won deal', () => {
      const { commands } = replaySaga(saga, story(), '2026-03-31T00:00:00.000Z');
      const entries = creates(commands).map((c) => c.commandId.split(':')[2]);
      expect(entries.filter((e) => e === 'r1')).toHaveLength(4);
      expect(entries.filter((e) => e === 'r2')).toHaveLength(7);
      expect(entries.filter((e) => e === 'r3')).toHaveLength(4);
      const reopenCancels = cancels(commands).filter(
        (c) => c.occurredAt === '2026-03-05T08:00:00.000Z',
      );
      expect(reopenCancels.map((c) => c.id).sort()).toEqual(
        creates(commands)
          .filter((c) => c.commandId.includes(':r2:'))
          .map((c) => c.id)
          .sort(),
      );
      expect(reopenCancels[0].data.reason).toBe('Stage won left: the deal was reopened');
      expect(reopenCancels[0].policy).toEqual({ id: 'automation.default', version: 1 });
    });

    it('cancels every task still open when the deal is lost, but not one already done', () => {
      const { commands } = replaySaga(saga, story(), '2026-03-31T00:00:00.000Z');
      const lostCancels = cancels(commands).filter(
        (c) => c.occurredAt === '2026-03-06T08:00:00.000Z',
      );
      // 5 initial-contact tasks, 3 of the first proposal entry (one was done), 4 of the second.
      expect(lostCancels).toHaveLength(12);
      expect(lostCancels.map((c) => c.id)).not.toContain(
        deriveSagaId('stage-tasks:d1:r1:prepare_quote_version', 'task'),
      );
      const logged = commands.filter(
        (c) => c.type === 'RecordAutomationDecision' && c.data.decision === 'cancelled',
      );
      expect(logged).toHaveLength(7 + 12);
      expect(logged[logged.length - 1].data).toMatchObject({
        step: expect.stringMatching(/^stage_tasks\.proposal\./),
        detail: { left: 'proposal' },
      });
    });

    it('sends only commands the task and automation deciders accept', () => {
      acceptedByDeciders(replaySaga(saga, story(), '2026-03-31T00:00:00.000Z').commands);
    });

    it('replayed twice, from the same history recorded twice, issues identical commands', () => {
      const first = replaySaga(saga, story(), '2026-03-31T00:00:00.000Z');
      const second = replaySaga(saga, story(), '2026-03-31T00:00:00.000Z');
      expect(second.commands).toEqual(first.commands);
      expect(new Set(first.commands.map((c) => c.commandId)).size).toBe(first.commands.length);
    });
  });

  it('cancels on leaving a stage what the policy in force names, and what was not done', () => {
    const v2 = {
      ...automationDefault,
      version: 2,
      stageTasks: { cancelOnLeave: ['initial_contact.*'], cancelOnLost: false },
    };
    const done = deriveSagaId('stage-tasks:d1:r0:confirm_quantity', 'task');
    const events = history([
      ...setup(),
      policy(v2, '2026-02-01T00:00:00.000Z'),
      dealOpened('d1', '2026-03-02T08:00:00.000Z'),
      recorded(`task-${done}`, 'TaskCompleted', { taskId: done }, '2026-03-02T09:00:00.000Z'),
      stageChanged('d1', 'initial_contact', 'proposal', '2026-03-03T08:00:00.000Z'),
      dealLost('d1', 'proposal', '2026-03-04T08:00:00.000Z'),
    ]);
    const { commands } = replaySaga(saga, events, '2026-03-31T00:00:00.000Z');
    expect(
      cancels(commands)
        .map((c) => c.data.taskId)
        .sort(),
    ).toEqual(
      [
        'confirm_requirements',
        'confirm_application',
        'confirm_key_parameters',
        'sound_out_target_price',
      ]
        .map((key) => deriveSagaId(`stage-tasks:d1:r0:${key}`, 'task'))
        .sort(),
    );
    expect(cancels(commands)[0]).toMatchObject({
      occurredAt: '2026-03-03T08:00:00.000Z',
      data: {
        reason: 'Stage initial_contact left: the deal moved from initial_contact to proposal',
      },
      policy: { id: 'automation.default', version: 2 },
    });
  });

  it('does nothing before a stage policy is published', () => {
    const { commands } = replaySaga(
      saga,
      history([dealOpened('d1', '2026-03-02T08:00:00.000Z')]),
      '2026-03-31T00:00:00.000Z',
    );
    expect(commands).toEqual([]);
  });
});

/** The event as it arrived: recorded at `recordedAt`, e.g. long after it happened. */
const arrived = (
  event: RecordedEvent,
  recordedAt: string,
  metadata: Record<string, unknown> = {},
) => ({
  ...event,
  recordedAt,
  metadata: { ...event.metadata, ...metadata },
});
const suppressions = (commands: SagaCommand[]) =>
  commands.filter((c) => c.type === 'RecordAutomationDecision' && c.data.decision === 'suppressed');

describe('stage tasks saga: live entries only', () => {
  it('creates no tasks for imported or back-dated entries, and logs the skip only where a task would still have been due', () => {
    const events = history([
      ...setup(),
      // Opened in January, imported in March: every task would have been long over.
      arrived(dealOpened('d1', '2026-01-12T08:00:00.000Z'), '2026-03-03T10:00:00.000Z', {
        cause: { kind: 'import', id: 'crm-export' },
      }),
      // Moved yesterday, typed in today: its tasks would still be due.
      arrived(
        stageChanged('d1', 'initial_contact', 'proposal', '2026-03-02T08:00:00.000Z'),
        '2026-03-03T10:00:00.000Z',
      ),
    ]);
    const { commands } = replaySaga(saga, events, '2026-03-31T00:00:00.000Z');
    expect(creates(commands)).toEqual([]);
    expect(suppressions(commands).map((c) => c.data)).toEqual([
      {
        saga: 'stage-tasks',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'suppressed',
        step: 'stage_tasks.proposal',
        dueAt: '2026-03-04T08:00:00.000Z', // offer_alternatives, two working days after the move
        detail: {
          stage: 'proposal',
          reason: 'back_dated',
          templates: 4,
          recordedAt: '2026-03-03T10:00:00.000Z',
        },
        policy: STAGES,
      },
    ]);
  });

  it('still cancels on leaving when the move that leaves is back-dated', () => {
    const events = history([
      ...setup(),
      dealOpened('d1', '2026-03-02T08:00:00.000Z'),
      arrived(
        dealLost('d1', 'initial_contact', '2026-03-03T08:00:00.000Z'),
        '2026-03-05T08:00:00.000Z',
      ),
    ]);
    const { commands } = replaySaga(saga, events, '2026-03-31T00:00:00.000Z');
    expect(creates(commands)).toHaveLength(5); // the live entry's
    expect(cancels(commands)).toHaveLength(5);
    // The lost outcome's own templates are not created from a back-dated loss.
    expect(creates(commands).every((c) => c.commandId.includes(':r0:'))).toBe(true);
  });

  it('judges the live window at its edge: 60 minutes late is live, a second more is not', () => {
    const opened = '2026-03-02T08:00:00.000Z';
    const late = (seconds: number) =>
      history([
        ...setup(),
        arrived(
          dealOpened('d1', opened),
          new Date(Date.parse(opened) + seconds * 1000).toISOString(),
        ),
      ]);
    expect(creates(replaySaga(saga, late(3600), '2026-03-31T00:00:00.000Z').commands)).toHaveLength(
      5,
    );
    expect(creates(replaySaga(saga, late(3601), '2026-03-31T00:00:00.000Z').commands)).toEqual([]);
  });

  it('takes the window from the automation policy in force', () => {
    const wide = { ...automationDefault, version: 2, liveWindowMinutes: 24 * 60 };
    const events = history([
      ...setup(),
      policy(wide, '2026-02-01T00:00:00.000Z'),
      arrived(dealOpened('d1', '2026-03-02T08:00:00.000Z'), '2026-03-02T20:00:00.000Z'),
    ]);
    expect(creates(replaySaga(saga, events, '2026-03-31T00:00:00.000Z').commands)).toHaveLength(5);
  });
});

describe('stage tasks saga: fake-clock cases', () => {
  it('a deal opened on a Sydney customer’s Friday evening is Berlin’s Friday morning: due Monday, Berlin time', () => {
    // Friday 6 March 2026, 19:00 in Sydney = 09:00 in Berlin.
    const { commands } = replaySaga(
      saga,
      history([...setup(), dealOpened('d1', '2026-03-06T08:00:00.000Z')]),
      '2026-03-31T00:00:00.000Z',
    );
    expect(dues(commands)).toMatchObject({
      confirm_requirements: '2026-03-09T08:00:00.000Z', // Monday 09:00 CET
      sound_out_target_price: '2026-03-11T08:00:00.000Z',
    });
  });

  it('counts the autumn clock change in working days too', () => {
    // Friday 23 October 2026, 15:00 CEST; clocks go back on Sunday 25 October.
    const { commands } = replaySaga(
      saga,
      history([...setup(), dealOpened('d1', '2026-10-23T13:00:00.000Z')]),
      '2026-11-30T00:00:00.000Z',
    );
    expect(dues(commands).confirm_requirements).toBe('2026-10-26T14:00:00.000Z'); // Monday 15:00 CET
  });
});
