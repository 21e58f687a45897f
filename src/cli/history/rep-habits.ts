import type {
  DealOpened,
  DealOwnerTransferred,
  DealStageChanged,
} from '../../../domain/deal/deal.events';
import { findLossReason, LossReasonPolicy } from '../../../domain/policies/loss-reason-policy';
import type { TaskCreated } from '../../../domain/task/task.events';
import { FOLLOW_UP_REMINDERS } from '../../../sagas/follow-up-reminders.saga';
import type { Saga, SagaCommand, SagaContext, SagaTimer } from '../../../sagas/saga';
import { deriveSagaId } from '../../../sagas/shared/saga-ids';
import { STALE_DEALS } from '../../../sagas/stale-deals.saga';
import { STAGE_TASKS } from '../../../sagas/stage-tasks.saga';
import { SLA_SAGA } from '../../../sagas/sla-clock';
import { streamId } from '../../../projections/projection';
import type { EventActor, RecordedEvent } from '../../event-store/event-store.port';
import { HOUR, MINUTE, officeMoment } from './business-hours';
import { managerHours, repHours } from './lead-record';
import { Random } from './random';
import { Team } from './team';

/** The generated reps' answer to the automation: a lane of its own, beside the sagas. */
export const REP_HABITS = 'generated-reps';

/** A command of a generated rep: the lane's command, sent as that person. */
export interface RepCommand extends SagaCommand {
  actor: EventActor;
}

type Kind = 'stage' | 'reminder' | 'stale' | 'sla';

const KIND_BY_SAGA: Record<string, Kind> = {
  [STAGE_TASKS]: 'stage',
  [FOLLOW_UP_REMINDERS]: 'reminder',
  [STALE_DEALS]: 'stale',
  [SLA_SAGA]: 'sla',
};

interface HabitDeal {
  id: string;
  ownerId: string;
  status: 'open' | 'won' | 'lost';
  /** Automation tasks on the deal nobody has done or called off yet. */
  open: Array<{ taskId: string; kind: Kind }>;
  [field: string]: unknown;
}

interface HabitTask {
  id: string;
  /** The deal the task is on; a lead's (SLA) tasks have none. */
  dealId: string | null;
  assigneeId: string;
  /** The stage a stage task belongs to. */
  stage?: string;
  kind: Kind;
  createdAt: string;
  dueAt: string;
  status: 'open' | 'closed';
  [field: string]: unknown;
}

const DEALS = 'deals';
const TASKS = 'tasks';
const ACT = 'act';

export interface RepHabitsOptions {
  runKey: string;
  seed: string;
  team: Team;
  lossReasons: LossReasonPolicy;
  /** When the plan last writes to each deal: only a deal the plan is done with may be given up. */
  lastPlannedAt: ReadonlyMap<string, number>;
}

/**
 * How the generated reps work the tasks the automation gives them, decided in business time from
 * the log as the sagas see it (so a rerun decides the same, with the same command ids):
 * - stage tasks: most done around their due time, some late; a forgotten one is ticked off when
 *   the rep moves the deal on, or settled when it is won (a loss cancels them: stage-tasks saga);
 * - follow-up reminders: done by the next outbound message on the deal, or on their own within a
 *   day or two; the rest are called off when the deal closes;
 * - "close as lost?" questions: answered within a working day, by chasing the buyer (an activity,
 *   which clears the flag) or, for a deal the story has nothing more for, by closing it as lost;
 * - SLA reminders and escalations: seen to by their assignee within the day, mostly.
 * Task commands go as the task's assignee, deal commands as the deal's owner.
 */
export function repHabitsSaga(options: RepHabitsOptions): Saga {
  const { team } = options;
  const randomFor = (taskId: string) => new Random(`${options.seed}:habits:${taskId}`);
  const commandId = (taskId: string, step: string) =>
    `gen:${options.runKey}:habit:${taskId}:${step}`;

  const actorOf = (userId: string): EventActor =>
    userId === team.managerActor.userId
      ? team.managerActor
      : userId === team.teamLeadActor.userId
        ? team.teamLeadActor
        : { userId, role: 'rep' };

  const send = (
    context: SagaContext,
    userId: string,
    command: Omit<RepCommand, 'actor' | 'occurredAt'>,
  ) => context.send({ ...command, actor: actorOf(userId), occurredAt: context.now } as RepCommand);

  const closeTask = (
    context: SagaContext,
    task: HabitTask,
    how: 'CompleteTask' | 'CancelTask',
    text: string,
  ) => {
    send(context, task.assigneeId, {
      aggregate: 'task',
      id: task.id,
      commandId: commandId(task.id, how === 'CompleteTask' ? 'done' : 'cancel'),
      type: how,
      data:
        how === 'CompleteTask'
          ? { taskId: task.id, note: text }
          : { taskId: task.id, reason: text },
    });
    task.status = 'closed';
    context.put(TASKS, task);
    context.cancel(`${REP_HABITS}:${task.id}`);
    const deal = task.dealId ? context.get<HabitDeal>(DEALS, task.dealId) : undefined;
    if (!deal) return;
    deal.open = deal.open.filter((open) => open.taskId !== task.id);
    context.put(DEALS, deal);
  };

  /** The deal's open automation tasks that `pick` selects. */
  const openTasks = (context: SagaContext, deal: HabitDeal, pick: (task: HabitTask) => boolean) =>
    deal.open
      .map((open) => context.get<HabitTask>(TASKS, open.taskId))
      .filter(
        (task): task is HabitTask => task !== undefined && task.status === 'open' && pick(task),
      );

  /** When the assignee gets to it: `hours` on, in their office hours. */
  const later = (userId: string, from: string, hours: number, random: Random): string => {
    const rep = team.reps.find((candidate) => candidate.id === userId);
    const target = Date.parse(from) + hours * HOUR;
    const at = officeMoment(target, rep ? repHours(rep) : managerHours, random);
    return new Date(Math.max(at, Date.parse(from) + MINUTE)).toISOString();
  };

  const plan = (context: SagaContext, task: HabitTask) => {
    const random = randomFor(task.id);
    const span = Math.max(1, (Date.parse(task.dueAt) - Date.parse(task.createdAt)) / HOUR);
    const hours =
      task.kind === 'stage'
        ? // Like the stage tasks the reps kept by hand: most around the due time, some late, some forgotten.
          random.chance(0.12)
          ? undefined
          : span * random.between(0.25, 1.6)
        : task.kind === 'reminder'
          ? random.chance(0.75)
            ? random.between(1, 30)
            : undefined
          : task.kind === 'stale'
            ? random.between(1, 20)
            : // SLA reminders and escalations: looked at within the day, mostly.
              random.chance(0.9)
              ? random.between(0.5, 10)
              : undefined;
    if (hours === undefined) return;
    context.schedule({
      id: `${REP_HABITS}:${task.id}`,
      dueAt: later(task.assigneeId, task.createdAt, hours, random),
      kind: ACT,
      data: { taskId: task.id },
    });
  };

  /** The stale question: chase the buyer, or give a deal up that the story has no more for. */
  const answerStale = (context: SagaContext, deal: HabitDeal, task: HabitTask) => {
    const random = randomFor(task.id);
    const planDone = (options.lastPlannedAt.get(deal.id) ?? 0) < Date.parse(context.now);
    if (planDone && random.chance(0.6)) {
      closeTask(context, task, 'CompleteTask', 'Closed as lost');
      send(context, deal.ownerId, {
        aggregate: 'deal',
        id: deal.id,
        commandId: commandId(task.id, 'lost'),
        type: 'MarkLost',
        data: {
          reasonCode: lossCode(options.lossReasons, 'process.follow_up_interrupted'),
          note: 'Buyer stopped answering; closed after the stale-deal question',
        },
      });
      return;
    }
    const chase = commandId(task.id, 'chase');
    send(context, deal.ownerId, {
      aggregate: 'deal',
      id: deal.id,
      commandId: chase,
      type: 'LogActivity',
      data: {
        activityId: deriveSagaId(chase, 'activity'),
        kind: random.pick(['email', 'call', 'im'] as const),
        direction: 'outbound',
        summary: random.pick([
          'Chased the buyer after the stale-deal question: asked for a status update',
          'Called purchasing: project still on, decision expected after their budget review',
          'Sent the latest quote again with a note on our production slot',
        ]),
        at: context.now,
      },
    });
    closeTask(context, task, 'CompleteTask', 'Followed up with the buyer');
  };

  function onTask(event: RecordedEvent, context: SagaContext) {
    const taskId = streamId(event);
    if (event.type === 'TaskCreated') {
      const data = event.data as unknown as TaskCreated;
      const kind = data.source ? KIND_BY_SAGA[data.source.saga] : undefined;
      if (!kind) return;
      const deal =
        data.linkedTo.kind === 'deal' ? context.get<HabitDeal>(DEALS, data.linkedTo.id) : undefined;
      if (kind !== 'sla' && !deal) return;
      const task: HabitTask = {
        id: taskId,
        dealId: deal?.id ?? null,
        assigneeId: data.assigneeId,
        ...(data.template && { stage: data.template.stage }),
        kind,
        createdAt: context.now,
        dueAt: data.dueAt ?? context.now,
        status: 'open',
      };
      context.put(TASKS, task);
      if (deal) {
        deal.open.push({ taskId, kind });
        context.put(DEALS, deal);
      }
      plan(context, task);
      return;
    }
    const task = context.get<HabitTask>(TASKS, taskId);
    if (!task || task.status !== 'open') return;
    if (event.type === 'TaskReassigned') {
      task.assigneeId = (event.data as { to: string }).to;
      context.put(TASKS, task);
      return;
    }
    task.status = 'closed';
    context.put(TASKS, task);
    context.cancel(`${REP_HABITS}:${taskId}`);
    const deal = task.dealId ? context.get<HabitDeal>(DEALS, task.dealId) : undefined;
    if (!deal) return;
    deal.open = deal.open.filter((open) => open.taskId !== taskId);
    context.put(DEALS, deal);
  }

  return {
    name: REP_HABITS,
    version: 1,
    collections: [{ name: DEALS }, { name: TASKS }],
    eventTypes: [
      'DealOpened',
      'DealOwnerTransferred',
      'DealStageChanged',
      'DealActivityLogged',
      'DealWon',
      'DealLost',
      'DealReopened',
      'TaskCreated',
      'TaskCompleted',
      'TaskCancelled',
      'TaskReassigned',
    ],

    handle(event: RecordedEvent, context: SagaContext) {
      if (event.type === 'DealOpened') {
        const { ownerId } = event.data as unknown as DealOpened['data'];
        const deal: HabitDeal = { id: streamId(event), ownerId, status: 'open', open: [] };
        context.put(DEALS, deal);
        return;
      }
      if (event.type.startsWith('Task')) return onTask(event, context);
      const deal = context.get<HabitDeal>(DEALS, streamId(event));
      if (!deal) return;
      const byRep = event.metadata.actor?.role === 'rep';
      switch (event.type) {
        case 'DealOwnerTransferred':
          deal.ownerId = (event.data as unknown as DealOwnerTransferred['data']).to;
          break;
        case 'DealStageChanged': {
          // A task forgotten in the stage the rep moves the deal out of is ticked off on the way.
          const { to } = event.data as unknown as DealStageChanged['data'];
          if (!byRep) break;
          for (const task of openTasks(context, deal, (t) => t.kind === 'stage' && t.stage !== to))
            closeTask(context, task, 'CompleteTask', `Done before moving the deal to ${to}`);
          break;
        }
        case 'DealActivityLogged':
          // The owner's next message to the buyer is the follow-up the reminder asked for.
          if (!byRep || (event.data as { direction?: string }).direction !== 'outbound') break;
          for (const task of openTasks(context, deal, (t) => t.kind === 'reminder'))
            closeTask(context, task, 'CompleteTask', 'Followed up with the buyer');
          break;
        case 'DealWon':
          deal.status = 'won';
          for (const task of openTasks(
            context,
            deal,
            (t) => t.kind === 'stage' || t.kind === 'reminder',
          ))
            closeTask(context, task, 'CompleteTask', 'Settled with the order');
          break;
        case 'DealLost':
          deal.status = 'lost';
          for (const task of openTasks(context, deal, (t) => t.kind === 'reminder'))
            closeTask(context, task, 'CancelTask', 'Deal lost');
          break;
        case 'DealReopened':
          deal.status = 'open';
          break;
      }
      const current = context.get<HabitDeal>(DEALS, deal.id) ?? deal;
      current.ownerId = deal.ownerId;
      current.status = deal.status;
      context.put(DEALS, current);
    },

    fire(timer: SagaTimer, context: SagaContext) {
      const task = context.get<HabitTask>(TASKS, timer.data.taskId as string);
      if (!task || task.status !== 'open') return;
      const deal = task.dealId ? context.get<HabitDeal>(DEALS, task.dealId) : undefined;
      if (task.kind === 'stale') {
        if (deal?.status === 'open') answerStale(context, deal, task);
        return;
      }
      const note =
        task.kind === 'stage'
          ? 'Done'
          : task.kind === 'sla'
            ? 'Seen to'
            : 'Followed up with the buyer';
      closeTask(context, task, 'CompleteTask', note);
    },
  };
}

/** The policy's code when it has it, else the first sub-reason of the same reason. */
function lossCode(policy: LossReasonPolicy, code: string): string {
  if (findLossReason(policy, code)) return code;
  const reason = policy.reasons.find((r) => r.key === code.split('.')[0]) ?? policy.reasons[0];
  return `${reason.key}.${reason.subReasons[0].key}`;
}
