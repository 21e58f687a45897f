import type {
  DealLost,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
  DealWon,
} from '../domain/deal/deal.events';
import { cancelsOnLeave } from '../domain/policies/automation-policy';
import type { TaskTemplate } from '../domain/policies/stage-policy';
import type { PolicyRef } from '../domain/shared/decider';
import { type DocumentRef, streamId } from '../projections/projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import type { Saga, SagaContext, SagaTimer } from './saga';
import {
  applyContext,
  AUTOMATION_POLICY_ID,
  automationPolicyOf,
  CALENDAR_POLICY_ID,
  CONTEXT_COLLECTIONS,
  CONTEXT_EVENT_TYPES,
  ownerCalendar,
  STAGE_POLICY_ID,
  stagePolicyOf,
  templatesOf,
} from './shared/automation-context';
import { recordDecision } from './shared/automation-log';
import { type NotLive, notLive, pendingWhenRecorded } from './shared/live-window';
import { relay } from './shared/relay';
import { deriveSagaId } from './shared/saga-ids';
import { addCalendarHours, utc, workingOffsets } from './shared/working-offset';

/**
 * Stage tasks: entering a stage (the deal's first stage, a move, a reopen, or the won and lost
 * outcomes) creates the stage's template tasks from the stage policy, for the deal owner, due
 * their offset in the owner's team business time. Leaving a stage cancels its tasks that are still
 * open when the automation policy says so (`stageTasks.cancelOnLeave`, `cancelOnLost`).
 *
 * A task's id is derived from the deal, the revision of the event that entered the stage, and the
 * template: each entry has its own tasks, and a replay names the same ones.
 *
 * Only a live entry creates tasks (`shared/live-window.ts`): an imported or back-dated one only
 * moves the deal to its stage, and leaving a stage cancels tasks whatever the event's times.
 */
export const STAGE_TASKS = 'stage-tasks';

const DEALS = 'deals';
const TASKS = 'tasks';
const CANCEL_ON_LEAVE = 'cancel_on_leave';
const POLICIES_FOLLOWED = [STAGE_POLICY_ID, AUTOMATION_POLICY_ID, CALENDAR_POLICY_ID];

/** A task this saga created, as the deal remembers it until it is cancelled. */
interface StageTaskRef {
  taskId: string;
  stage: string;
  key: string;
  /** Revision of the deal event that entered the stage. */
  entry: number;
  [field: string]: unknown;
}

/** `deals/<dealId>`. */
export interface StageTaskDeal extends ReadDocument {
  ownerId: string;
  /** The open stage or outcome the deal is in. */
  stage: string;
  tasks: StageTaskRef[];
}

/** `tasks/<taskId>`: whether a task this saga created is still open. */
export interface StageTaskDocument extends ReadDocument {
  dealId: string;
  status: 'open' | 'completed' | 'cancelled';
}

const DEAL_EVENTS = [
  'DealOpened',
  'DealStageChanged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealOwnerTransferred',
] as const;
const TASK_EVENTS = ['TaskCompleted', 'TaskCancelled'] as const;

const isOneOf = (types: readonly string[], type: string) => types.includes(type);

export const stageTasksSaga: Saga = {
  name: STAGE_TASKS,
  version: 1,
  collections: [{ name: DEALS }, { name: TASKS }, ...CONTEXT_COLLECTIONS],
  eventTypes: [...DEAL_EVENTS, ...TASK_EVENTS, ...CONTEXT_EVENT_TYPES],

  reads(event: RecordedEvent): DocumentRef[] {
    if (isOneOf(DEAL_EVENTS, event.type)) return [{ collection: DEALS, id: streamId(event) }];
    if (isOneOf(TASK_EVENTS, event.type)) return [{ collection: TASKS, id: streamId(event) }];
    return [];
  },

  readsForTimer(timer: SagaTimer): DocumentRef[] {
    if (timer.kind !== CANCEL_ON_LEAVE) return [];
    return (timer.data.tasks as StageTaskRef[]).map((task) => ({
      collection: TASKS,
      id: task.taskId,
    }));
  },

  handle(event, context) {
    if (applyContext(event, context, POLICIES_FOLLOWED)) return;
    if (isOneOf(TASK_EVENTS, event.type)) return closeTask(event, context);
    const dealId = streamId(event);
    if (event.type === 'DealOpened') {
      const data = event.data as unknown as DealOpened['data'];
      const deal: StageTaskDeal = {
        id: dealId,
        ownerId: data.ownerId,
        stage: data.stage,
        tasks: [],
      };
      enter(deal, data.stage, event, context);
      return context.put(DEALS, deal);
    }
    const deal = context.get<StageTaskDeal>(DEALS, dealId);
    if (!deal) return;
    switch (event.type) {
      case 'DealStageChanged': {
        const { from, to } = event.data as unknown as DealStageChanged['data'];
        leave(deal, from, `the deal moved from ${from} to ${to}`, false, event, context);
        enter(deal, to, event, context);
        break;
      }
      case 'DealWon': {
        const { stage } = event.data as unknown as DealWon['data'];
        leave(deal, stage, 'the deal was won', false, event, context);
        enter(deal, 'won', event, context);
        break;
      }
      case 'DealLost': {
        const { stage } = event.data as unknown as DealLost['data'];
        leave(deal, stage, 'the deal was lost', true, event, context);
        enter(deal, 'lost', event, context);
        break;
      }
      case 'DealReopened': {
        const { stage, previousOutcome } = event.data as unknown as DealReopened['data'];
        leave(deal, previousOutcome, 'the deal was reopened', false, event, context);
        enter(deal, stage, event, context);
        break;
      }
      case 'DealOwnerTransferred':
        deal.ownerId = (event.data as unknown as DealOwnerTransferred['data']).to;
        break;
    }
    context.put(DEALS, deal);
  },

  fire(timer, context) {
    if (timer.kind !== CANCEL_ON_LEAVE) return;
    const { dealId, left, why, policy } = timer.data as {
      dealId: string;
      left: string;
      why: string;
      policy: PolicyRef;
    };
    for (const task of timer.data.tasks as StageTaskRef[]) {
      const known = context.get<StageTaskDocument>(TASKS, task.taskId);
      // Done or called off meanwhile: nothing left to cancel.
      if (!known || known.status !== 'open') continue;
      context.send({
        aggregate: 'task',
        id: task.taskId,
        commandId: `${STAGE_TASKS}:${dealId}:cancel:${task.taskId}`,
        type: 'CancelTask',
        data: { taskId: task.taskId, reason: `Stage ${left} left: ${why}` },
        occurredAt: context.now,
        reason: `Stage ${left} left: ${why}`,
        policy,
      });
      context.put(TASKS, { ...known, status: 'cancelled' });
      recordDecision(context, STAGE_TASKS, {
        recordKind: 'deal',
        recordId: dealId,
        decision: 'cancelled',
        step: `stage_tasks.${task.stage}.${task.key}`,
        key: `r${task.entry}`,
        detail: { taskId: task.taskId, stage: task.stage, template: task.key, left },
        policy,
      });
    }
  },
};

/** Creates the templates of `stage` for the owner; the entry is the event's revision. */
function enter(deal: StageTaskDeal, stage: string, event: RecordedEvent, context: SagaContext) {
  deal.stage = stage;
  const stages = stagePolicyOf(context);
  if (!stages) return;
  const policy = { id: stages.id, version: stages.version };
  const templates = templatesOf(stages, stage);
  if (templates.length === 0) return;
  const why = notLive(event, automationPolicyOf(context));
  if (why) return skipEntry(deal, stage, templates, event, why, policy, context);
  const found = ownerCalendar(context, deal.ownerId, context.now);
  const dueAfter = dueAfterEntry(found, context.now);
  for (const template of templates) {
    const commandId = `${STAGE_TASKS}:${deal.id}:r${event.revision}:${template.key}`;
    const taskId = deriveSagaId(commandId, 'task');
    const dueAt = dueAfter(template.dueOffsetHours);
    context.send({
      aggregate: 'task',
      id: taskId,
      commandId,
      type: 'CreateTask',
      data: createTask(deal, stage, template, taskId, dueAt, policy),
      occurredAt: context.now,
      reason: `Stage task ${stage}.${template.key}`,
      policy,
    });
    context.put(TASKS, { id: taskId, dealId: deal.id, status: 'open' } satisfies StageTaskDocument);
    deal.tasks.push({ taskId, stage, key: template.key, entry: event.revision });
    recordDecision(context, STAGE_TASKS, {
      recordKind: 'deal',
      recordId: deal.id,
      decision: 'task_created',
      step: `stage_tasks.${stage}.${template.key}`,
      key: `r${event.revision}`,
      dueAt,
      detail: {
        taskId,
        stage,
        template: template.key,
        dueOffsetHours: template.dueOffsetHours,
        // Without a team calendar the offset is counted in calendar hours.
        calendar: found?.calendarKey ?? 'none',
      },
      policy,
    });
  }
}

/** Due times after an entry at `from`: the owner's team business time, else calendar hours. */
const dueAfterEntry = (
  found: ReturnType<typeof ownerCalendar>,
  from: string,
): ((hours: number) => string) =>
  found ? workingOffsets(found.calendar, from) : (hours: number) => addCalendarHours(from, hours);

const WEEK_MS = 7 * 86_400_000;

/**
 * A not-live entry creates no tasks. The skip goes on the log, once per entry, only when one of
 * its tasks would still have been due after the event was recorded.
 */
function skipEntry(
  deal: StageTaskDeal,
  stage: string,
  templates: TaskTemplate[],
  event: RecordedEvent,
  why: NotLive,
  policy: PolicyRef,
  context: SagaContext,
) {
  const longest = Math.max(...templates.map((template) => template.dueOffsetHours));
  // Each started day of an offset is a working day, at most a week of calendar away: an entry
  // older than that bound is over without asking the calendar (which costs on a large import).
  const bound = Date.parse(context.now) + (Math.ceil(longest / 24) + 1) * WEEK_MS;
  if (bound <= Date.parse(event.recordedAt)) return;
  const dueAfter = dueAfterEntry(ownerCalendar(context, deal.ownerId, context.now), context.now);
  const lastDue = templates
    .map((template) => utc(dueAfter(template.dueOffsetHours)))
    .reduce((latest, due) => (due > latest ? due : latest));
  if (!pendingWhenRecorded(lastDue, event.recordedAt)) return;
  recordDecision(context, STAGE_TASKS, {
    recordKind: 'deal',
    recordId: deal.id,
    decision: 'suppressed',
    step: `stage_tasks.${stage}`,
    key: `r${event.revision}`,
    dueAt: lastDue,
    detail: { stage, reason: why, templates: templates.length, recordedAt: utc(event.recordedAt) },
    policy,
  });
}

const createTask = (
  deal: StageTaskDeal,
  stage: string,
  template: TaskTemplate,
  taskId: string,
  dueAt: string,
  policy: PolicyRef,
) => ({
  taskId,
  linkedTo: { kind: 'deal', id: deal.id },
  title: template.title.en,
  description: template.title.zh,
  dueAt,
  assigneeId: deal.ownerId,
  template: { policy, stage, key: template.key },
  source: { saga: STAGE_TASKS, id: deal.id },
});

/**
 * Hands the tasks the policy cancels on leaving `stage` (every task of the deal on a loss, when
 * `cancelOnLost`) to a timer: only it can read whether each is still open.
 */
function leave(
  deal: StageTaskDeal,
  stage: string,
  why: string,
  lost: boolean,
  event: RecordedEvent,
  context: SagaContext,
) {
  const automation = automationPolicyOf(context);
  if (!automation) return;
  const rules = automation.stageTasks;
  const cancelled = deal.tasks.filter(
    (task) =>
      (lost && rules.cancelOnLost) ||
      (task.stage === stage && cancelsOnLeave(rules, task.stage, task.key)),
  );
  if (cancelled.length === 0) return;
  deal.tasks = deal.tasks.filter((task) => !cancelled.includes(task));
  relay(context, `${STAGE_TASKS}:${deal.id}:leave:r${event.revision}`, CANCEL_ON_LEAVE, {
    dealId: deal.id,
    left: stage,
    why,
    tasks: cancelled,
    policy: { id: automation.id, version: automation.version },
  });
}

function closeTask(event: RecordedEvent, context: SagaContext) {
  const task = context.get<StageTaskDocument>(TASKS, streamId(event));
  if (!task || task.status !== 'open') return;
  context.put(TASKS, {
    ...task,
    status: event.type === 'TaskCompleted' ? 'completed' : 'cancelled',
  });
}
