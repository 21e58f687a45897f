import automationDefault from '../../config/policies/automation.default.json';
import calendarsDefault from '../../config/policies/calendars.default.json';
import stagesDefault from '../../config/policies/stages.default.json';
import { automationDecider } from '../../domain/automation/automation.decider';
import type { DealCommand } from '../../domain/deal/deal.commands';
import { dealDecider } from '../../domain/deal/deal.decider';
import type { DealEvent } from '../../domain/deal/deal.events';
import type { DealState } from '../../domain/deal/deal.state';
import type { StagePolicy } from '../../domain/policies/stage-policy';
import type { TaskCommand } from '../../domain/task/task.commands';
import { taskDecider } from '../../domain/task/task.decider';
import type { TaskState } from '../../domain/task/task.state';
import type { SagaCommand } from '../../sagas/saga';
import { replaySaga } from '../../sagas/saga-replay';
import { deriveSagaId } from '../../sagas/shared/saga-ids';
import { strictReads } from '../../sagas/shared/strict-reads';
import { staleDealsSaga } from '../../sagas/stale-deals.saga';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { history, recorded } from '../support/projection-harness';

const saga = strictReads(staleDealsSaga);
const STAGES = { id: 'stages.default', version: 1 };
const START = '2026-01-01T00:00:00.000Z';
const UNTIL = '2026-06-30T00:00:00.000Z';

const policy = (body: { id: string; version: number }, at = START) =>
  recorded(
    `policy-${body.id}`,
    'PolicyVersionPublished',
    { id: body.id, version: body.version, body, publishedAt: at },
    at,
  );

const setup = (): RecordedEvent[] => [
  policy(stagesDefault),
  policy(calendarsDefault),
  policy(automationDefault),
  recorded('team-berlin', 'TeamCreated', { teamId: 'berlin', calendarKey: 'berlin-sales' }, START),
  recorded('user-ana', 'UserRegistered', { userId: 'ana', teamId: 'berlin', role: 'rep' }, START),
];

/** Opened in initial contact (stale after 14 days) on Friday 6 March 2026, 15:00 in Berlin. */
const OPENED = '2026-03-06T14:00:00.000Z';
const opened = (ownerId = 'ana', at = OPENED, metadata: Record<string, unknown> = {}) =>
  recorded(
    'deal-d1',
    'DealOpened',
    {
      dealId: 'd1',
      accountId: 'acme',
      ownerId,
      country: 'DE',
      stage: 'initial_contact',
      policy: STAGES,
    },
    at,
    metadata,
  );
const activity = (at: string, metadata: Record<string, unknown> = {}, loggedAt = at) =>
  recorded(
    'deal-d1',
    'DealActivityLogged',
    { activityId: `a-${at}`, kind: 'call', direction: 'outbound', summary: 'call', at },
    loggedAt,
    metadata,
  );
const stageChanged = (
  from: string,
  to: string,
  at: string,
  metadata: Record<string, unknown> = {},
) =>
  recorded(
    'deal-d1',
    'DealStageChanged',
    { from, to, direction: 'forward', reentry: false, policy: STAGES },
    at,
    metadata,
  );
const lost = (at: string) =>
  recorded(
    'deal-d1',
    'DealLost',
    {
      reasonCode: 'price.too_high',
      reason: 'price',
      subReason: 'too_high',
      stage: 'initial_contact',
      policy: STAGES,
    },
    at,
  );
const taskDone = (taskId: string, at: string) =>
  recorded(`task-${taskId}`, 'TaskCompleted', { taskId }, at);

const story = (...more: RecordedEvent[]) => history([...setup(), opened(), ...more]);
const ofType = (commands: SagaCommand[], type: string) => commands.filter((c) => c.type === type);
const decisions = (commands: SagaCommand[]) =>
  ofType(commands, 'RecordAutomationDecision').map(
    (c) => `${c.occurredAt} ${c.data.decision} ${c.data.step}`,
  );
const questionId = (idleSince: string) =>
  deriveSagaId(`stale-deals:d1:close_or_lost:${idleSince}`, 'task');

/**
 * Each command is one its decider accepts, in the order sent: task commands fold per task, deal
 * commands on top of the deal's history up to the command's time.
 */
function acceptedByDeciders(events: RecordedEvent[], commands: SagaCommand[]): void {
  const tasks = new Map<string, TaskState>();
  const dealHistory = events.filter((e) => e.streamName === 'deal-d1');
  let deal: DealState = dealDecider.initialState;
  let folded = 0;
  for (const command of commands) {
    const context = {
      now: command.occurredAt,
      actor: { userId: 'system', role: 'system' },
      policies: undefined,
    };
    const sent = { type: command.type, data: command.data } as never;
    if (command.aggregate === 'automation') automationDecider.decide(sent, undefined, context);
    else if (command.aggregate === 'deal') {
      while (
        folded < dealHistory.length &&
        dealHistory[folded].metadata.occurredAt <= command.occurredAt
      ) {
        const { type, data } = dealHistory[folded++];
        deal = dealDecider.evolve(deal, { type, data } as unknown as DealEvent);
      }
      const decided = dealDecider.decide(sent as DealCommand, deal, {
        ...context,
        policies: { stages: stagesDefault as StagePolicy, lossReasons: undefined as never },
      });
      deal = decided.reduce(dealDecider.evolve, deal);
    } else {
      const before = tasks.get(command.id) ?? taskDecider.initialState;
      tasks.set(
        command.id,
        taskDecider.decide(sent as TaskCommand, before, context).reduce(taskDecider.evolve, before),
      );
    }
  }
}

describe('stale deals saga', () => {
  it('asks "close as lost, with a reason?" after the stage’s idle days, and flags the deal', () => {
    const { commands, pending } = replaySaga(saga, story(), UNTIL);
    const taskId = questionId(OPENED);
    expect(ofType(commands, 'CreateTask')).toEqual([
      {
        aggregate: 'task',
        id: taskId,
        commandId: `stale-deals:d1:close_or_lost:${OPENED}`,
        type: 'CreateTask',
        data: {
          taskId,
          linkedTo: { kind: 'deal', id: 'd1' },
          title: 'Close as lost, with a reason?',
          description:
            'No activity for 14 days in stage initial_contact. Close the deal as lost with a reason, or log what is happening.',
          dueAt: '2026-03-23T14:00:00.000Z', // one working day later: Monday 15:00
          assigneeId: 'ana',
          source: { saga: 'stale-deals', id: 'd1' },
        },
        occurredAt: '2026-03-20T14:00:00.000Z',
        reason: 'No activity for 14 days in stage initial_contact',
        policy: STAGES,
      },
    ]);
    expect(ofType(commands, 'RecordAutomationDecision').map((c) => c.data)).toEqual([
      {
        saga: 'stale-deals',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'task_created',
        step: 'stale.close_or_lost',
        dueAt: '2026-03-23T14:00:00.000Z',
        detail: { stage: 'initial_contact', staleAfterDays: 14, lastActivityAt: OPENED, taskId },
        policy: STAGES,
      },
      {
        saga: 'stale-deals',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'flagged',
        step: 'stale.flag',
        detail: { stage: 'initial_contact', staleAfterDays: 14, lastActivityAt: OPENED },
        policy: STAGES,
      },
    ]);
    // Asked once per idle period.
    expect(pending).toEqual([]);
    expect(ofType(commands, 'FlagDealStale')).toEqual([
      {
        aggregate: 'deal',
        id: 'd1',
        commandId: `stale-deals:d1:flag:${OPENED}`,
        type: 'FlagDealStale',
        data: { idleSince: OPENED, staleAfterDays: 14, taskId },
        occurredAt: '2026-03-20T14:00:00.000Z',
        reason: 'No activity for 14 days in stage initial_contact',
        policy: STAGES,
      },
    ]);
  });

  it('counts idle days from the latest activity, by its own time', () => {
    const { commands } = replaySaga(
      saga,
      story(activity('2026-03-16T10:00:00.000Z', {}, '2026-03-17T08:00:00.000Z')),
      UNTIL,
    );
    expect(ofType(commands, 'CreateTask').map((c) => [c.occurredAt, c.data.dueAt])).toEqual([
      ['2026-03-30T10:00:00.000Z', '2026-03-31T10:00:00.000Z'], // Monday 12:00 CEST, due Tuesday 12:00
    ]);
  });

  it('does not count what a saga did as activity', () => {
    const bySaga = {
      actor: { userId: 'system', role: 'system' },
      cause: { kind: 'saga', id: 'sla-escalation' },
    };
    const byRuleForSaga = {
      actor: { userId: 'system', role: 'system' },
      cause: { kind: 'rule', id: 'sla.default', version: 1 },
      commandId: 'sla-escalation:lead-1:first_response.level_1:2026-03-10',
    };
    const { commands } = replaySaga(
      saga,
      story(
        activity('2026-03-10T10:00:00.000Z', bySaga),
        activity('2026-03-12T10:00:00.000Z', byRuleForSaga),
      ),
      UNTIL,
    );
    expect(ofType(commands, 'CreateTask').map((c) => c.occurredAt)).toEqual([
      '2026-03-20T14:00:00.000Z',
    ]);
  });

  it('takes the idle days of the stage the deal is in', () => {
    const { commands } = replaySaga(
      saga,
      story(stageChanged('initial_contact', 'sample', '2026-03-10T09:00:00.000Z')),
      UNTIL,
    );
    expect(ofType(commands, 'CreateTask').map((c) => [c.occurredAt, c.data.description])).toEqual([
      [
        '2026-04-09T09:00:00.000Z',
        expect.stringMatching(/^No activity for 30 days in stage sample\./),
      ],
    ]);
  });

  it('clears the flag and calls off the open question when activity resumes, then may ask again', () => {
    const { commands } = replaySaga(saga, story(activity('2026-03-25T09:00:00.000Z')), UNTIL);
    expect(decisions(commands)).toEqual([
      '2026-03-20T14:00:00.000Z task_created stale.close_or_lost',
      '2026-03-20T14:00:00.000Z flagged stale.flag',
      '2026-03-25T09:00:00.000Z stopped stale.flag',
      '2026-03-25T09:00:00.000Z cancelled stale.close_or_lost',
      '2026-04-08T09:00:00.000Z task_created stale.close_or_lost',
      '2026-04-08T09:00:00.000Z flagged stale.flag',
    ]);
    expect(ofType(commands, 'CancelTask')).toEqual([
      {
        aggregate: 'task',
        id: questionId(OPENED),
        commandId: `stale-deals:d1:cancel:${questionId(OPENED)}`,
        type: 'CancelTask',
        data: { taskId: questionId(OPENED), reason: 'The deal is active again' },
        occurredAt: '2026-03-25T09:00:00.000Z',
        reason: 'The deal is active again',
      },
    ]);
    expect(ofType(commands, 'CreateTask')[1].id).toBe(questionId('2026-03-25T09:00:00.000Z'));
    expect(ofType(commands, 'ClearDealStaleFlag')).toEqual([
      {
        aggregate: 'deal',
        id: 'd1',
        commandId: `stale-deals:d1:unflag:${OPENED}`,
        type: 'ClearDealStaleFlag',
        data: { reason: 'activity_resumed' },
        occurredAt: '2026-03-25T09:00:00.000Z',
        reason: 'The deal is active again',
      },
    ]);
  });

  it('leaves an answered question alone', () => {
    const { commands } = replaySaga(
      saga,
      story(
        taskDone(questionId(OPENED), '2026-03-21T09:00:00.000Z'),
        activity('2026-03-25T09:00:00.000Z'),
      ),
      '2026-03-31T00:00:00.000Z',
    );
    expect(ofType(commands, 'CancelTask')).toEqual([]);
    expect(decisions(commands)).toContain('2026-03-25T09:00:00.000Z stopped stale.flag');
  });

  it('stops watching a closed deal, and cancels its open question', () => {
    const closedWhileFlagged = replaySaga(saga, story(lost('2026-03-24T09:00:00.000Z')), UNTIL);
    expect(closedWhileFlagged.pending).toEqual([]);
    expect(ofType(closedWhileFlagged.commands, 'CancelTask').map((c) => c.data.reason)).toEqual([
      'The deal was closed as lost',
    ]);

    const won = recorded(
      'deal-d1',
      'DealWon',
      {
        orderReference: 'PO-1',
        stage: 'initial_contact',
        amount: { amountMinor: 1, currency: 'EUR' },
        policy: STAGES,
      },
      '2026-03-10T09:00:00.000Z',
    );
    const closedEarly = replaySaga(saga, story(won), UNTIL);
    expect(closedEarly.commands).toEqual([]);
    expect(closedEarly.pending).toEqual([]);
  });

  it('starts the idle clock again on reopen, with the stage the deal returns to', () => {
    const reopened = recorded(
      'deal-d1',
      'DealReopened',
      { stage: 'proposal', previousOutcome: 'lost', reason: 'buyer came back' },
      '2026-04-01T08:00:00.000Z',
    );
    const events = story(
      stageChanged('initial_contact', 'proposal', '2026-03-09T08:00:00.000Z'),
      lost('2026-03-10T08:00:00.000Z'),
      reopened,
    );
    const { commands } = replaySaga(saga, events, UNTIL);
    expect(ofType(commands, 'CreateTask').map((c) => c.occurredAt)).toEqual([
      '2026-04-22T08:00:00.000Z',
    ]);
  });

  it('judges by the stage policy in force when the timer fires: a raised threshold postpones the question', () => {
    const raised = {
      ...stagesDefault,
      version: 2,
      openStages: stagesDefault.openStages.map((s) =>
        s.key === 'initial_contact' ? { ...s, staleAfterDays: 20 } : s,
      ),
    };
    const { commands } = replaySaga(saga, story(policy(raised, '2026-03-15T00:00:00.000Z')), UNTIL);
    expect(ofType(commands, 'CreateTask').map((c) => [c.occurredAt, c.policy])).toEqual([
      ['2026-03-26T14:00:00.000Z', { id: 'stages.default', version: 2 }],
    ]);
  });

  it('falls back to calendar hours for the question’s due time when the owner has no team calendar', () => {
    const { commands } = replaySaga(saga, history([...setup(), opened('nobody')]), UNTIL);
    expect(ofType(commands, 'CreateTask')[0].data.dueAt).toBe('2026-03-21T14:00:00.000Z');
  });

  it('sends only commands the task, deal and automation deciders accept', () => {
    const events = story(activity('2026-03-25T09:00:00.000Z'), lost('2026-04-20T09:00:00.000Z'));
    const { commands } = replaySaga(saga, events, UNTIL);
    expect(ofType(commands, 'FlagDealStale')).toHaveLength(2);
    expect(ofType(commands, 'ClearDealStaleFlag')).toHaveLength(2);
    acceptedByDeciders(events, commands);
  });

  it('replays to identical commands', () => {
    const build = () =>
      story(
        activity('2026-03-25T09:00:00.000Z'),
        stageChanged('initial_contact', 'proposal', '2026-04-10T09:00:00.000Z'),
      );
    const first = replaySaga(saga, build(), UNTIL);
    expect(replaySaga(saga, build(), UNTIL).commands).toEqual(first.commands);
    expect(new Set(first.commands.map((c) => c.commandId)).size).toBe(first.commands.length);
  });
});

/** The event as it arrived: recorded at `recordedAt`, e.g. long after it happened. */
const arrived = (event: RecordedEvent, recordedAt: string): RecordedEvent => ({
  ...event,
  recordedAt,
});
const IMPORT = { cause: { kind: 'import', id: 'crm-export-2026-03' } };

describe('stale deals saga: live events only', () => {
  const importedOpen = (at = OPENED) => opened('ana', at, IMPORT);
  const suppressed = (commands: SagaCommand[]) =>
    ofType(commands, 'RecordAutomationDecision').filter((c) => c.data.decision === 'suppressed');

  it('does not watch an imported deal, and says so once when the question would have come after the import', () => {
    const events = history([
      ...setup(),
      arrived(importedOpen(), '2026-03-10T12:00:00.000Z'),
      arrived(
        activity('2026-03-08T10:00:00.000Z', IMPORT, '2026-03-08T10:00:00.000Z'),
        '2026-03-10T12:00:00.000Z',
      ),
    ]);
    const { commands, pending } = replaySaga(saga, events, UNTIL);
    expect(pending).toEqual([]);
    expect(ofType(commands, 'CreateTask')).toEqual([]);
    expect(suppressed(commands).map((c) => c.data)).toEqual([
      {
        saga: 'stale-deals',
        recordKind: 'deal',
        recordId: 'd1',
        decision: 'suppressed',
        step: 'stale.watch',
        dueAt: '2026-03-20T14:00:00.000Z',
        detail: {
          reason: 'import',
          recordedAt: '2026-03-10T12:00:00.000Z',
          stage: 'initial_contact',
          staleAfterDays: 14,
          lastActivityAt: OPENED,
        },
        policy: STAGES,
      },
    ]);
  });

  it('writes nothing for old history whose question would have come before it arrived', () => {
    const events = history([
      ...setup(),
      arrived(importedOpen('2025-06-02T08:00:00.000Z'), '2026-03-10T12:00:00.000Z'),
    ]);
    expect(replaySaga(saga, events, UNTIL)).toMatchObject({ commands: [], pending: [] });
  });

  it('watches the deal from its first live activity (a handover is none), counting from the latest activity known', () => {
    const imported = [
      ...setup(),
      arrived(importedOpen(), '2026-03-10T12:00:00.000Z'),
      recorded(
        'deal-d1',
        'DealOwnerTransferred',
        { from: 'ana', to: 'ana2', reason: 'cover', cause: { kind: 'person', id: 'boss' } },
        '2026-03-11T09:00:00.000Z',
      ),
    ];
    expect(ofType(replaySaga(saga, history(imported), UNTIL).commands, 'CreateTask')).toEqual([]);
    const events = history([
      ...imported,
      // Logged live on 16 March, about a call on the 12th.
      activity('2026-03-12T10:00:00.000Z', {}, '2026-03-16T10:00:00.000Z'),
    ]);
    expect(
      ofType(replaySaga(saga, events, UNTIL).commands, 'CreateTask').map((c) => c.occurredAt),
    ).toEqual(['2026-03-26T10:00:00.000Z']);
  });

  it('lets a back-dated stage move and a back-dated activity move the baseline and clear the flag of a watched deal', () => {
    const moved = replaySaga(
      saga,
      story(
        arrived(
          stageChanged('initial_contact', 'sample', '2026-03-09T09:00:00.000Z'),
          '2026-03-11T09:00:00.000Z',
        ),
      ),
      UNTIL,
    );
    // Sample waits 30 days, from the move's own time.
    expect(ofType(moved.commands, 'CreateTask').map((c) => c.occurredAt)).toEqual([
      '2026-04-08T09:00:00.000Z',
    ]);

    const cleared = replaySaga(
      saga,
      story(arrived(activity('2026-03-22T09:00:00.000Z'), '2026-03-24T09:00:00.000Z')),
      '2026-03-30T00:00:00.000Z',
    );
    expect(ofType(cleared.commands, 'ClearDealStaleFlag').map((c) => c.data)).toEqual([
      { reason: 'activity_resumed' },
    ]);
    expect(ofType(cleared.commands, 'CancelTask')).toHaveLength(1);
  });

  it('judges liveness at the edge of the window: recorded 60 minutes late is live, a second more is not', () => {
    const late = (seconds: number) =>
      history([
        ...setup(),
        arrived(opened(), new Date(Date.parse(OPENED) + seconds * 1000).toISOString()),
      ]);
    expect(ofType(replaySaga(saga, late(3600), UNTIL).commands, 'CreateTask')).toHaveLength(1);
    const { commands } = replaySaga(saga, late(3601), UNTIL);
    expect(ofType(commands, 'CreateTask')).toEqual([]);
    expect(suppressed(commands).map((c) => (c.data.detail as { reason: string }).reason)).toEqual([
      'back_dated',
    ]);
  });
});

describe('stale deals saga: fake-clock cases', () => {
  it('asks across the spring clock change; the question is due one working day later at the same Berlin time', () => {
    // Friday 13 March 2026, 15:00 CET; 14 days later is Friday 27 March, 15:00 CET; clocks change on the 29th.
    const events = history([...setup(), opened('ana', '2026-03-13T14:00:00.000Z')]);
    const [question] = ofType(replaySaga(saga, events, UNTIL).commands, 'CreateTask');
    expect(question.occurredAt).toBe('2026-03-27T14:00:00.000Z');
    expect(question.data.dueAt).toBe('2026-03-30T13:00:00.000Z'); // Monday 15:00 CEST
  });

  it('a handover mid-idle is no activity: the question comes on time, to the new owner', () => {
    const events = story(
      recorded(
        'user-ben',
        'UserRegistered',
        { userId: 'ben', teamId: 'berlin', role: 'rep' },
        START,
      ),
      recorded(
        'deal-d1',
        'DealOwnerTransferred',
        { from: 'ana', to: 'ben', reason: 'holiday cover', cause: { kind: 'person', id: 'boss' } },
        '2026-03-12T09:00:00.000Z',
      ),
    );
    expect(
      ofType(replaySaga(saga, events, UNTIL).commands, 'CreateTask').map((c) => [
        c.occurredAt,
        c.data.assigneeId,
      ]),
    ).toEqual([['2026-03-20T14:00:00.000Z', 'ben']]);
  });

  it('activity a second before the threshold postpones the question; a second after, it is asked and then called off', () => {
    const before = replaySaga(
      saga,
      story(activity('2026-03-20T13:59:59.000Z')),
      '2026-04-01T00:00:00.000Z',
    );
    expect(ofType(before.commands, 'CreateTask')).toEqual([]);
    expect(before.pending.map((t) => t.dueAt)).toEqual(['2026-04-03T13:59:59.000Z']);

    const after = replaySaga(
      saga,
      story(activity('2026-03-20T14:00:01.000Z')),
      '2026-04-01T00:00:00.000Z',
    );
    expect(decisions(after.commands)).toEqual([
      '2026-03-20T14:00:00.000Z task_created stale.close_or_lost',
      '2026-03-20T14:00:00.000Z flagged stale.flag',
      '2026-03-20T14:00:01.000Z stopped stale.flag',
      '2026-03-20T14:00:01.000Z cancelled stale.close_or_lost',
    ]);
  });
});
