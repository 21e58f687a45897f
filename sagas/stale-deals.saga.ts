import type {
  DealActivityLogged,
  DealOpened,
  DealOwnerTransferred,
  DealReopened,
  DealStageChanged,
} from '../domain/deal/deal.events';
import type { StaleFlagClearReason } from '../domain/deal/deal.commands';
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
} from './shared/automation-context';
import { recordDecision } from './shared/automation-log';
import { notLive, pendingWhenRecorded } from './shared/live-window';
import { relay } from './shared/relay';
import { deriveSagaId } from './shared/saga-ids';
import { isSagaGenerated } from './shared/saga-origin';
import { addCalendarHours, addDays, addWorkingOffset, utc } from './shared/working-offset';

/**
 * Stale deals: an open deal with no activity for the stage's `staleAfterDays` (stage policy) gets
 * a "close as lost, with a reason?" task for its owner, and is flagged (`FlagDealStale` on the
 * deal, and on its automation log). Activity means logged activities, stage moves, reopening and
 * quotes drafted or sent, by people: events a saga caused do not count. New activity clears the
 * flag and cancels the question if it is still open; the next idle period may ask again.
 *
 * One timer per deal, moved by each activity. It is checked again when it fires, against the
 * stage policy then in force, so raising a threshold postpones the question instead of asking early.
 *
 * A deal is watched from its first live event (`shared/live-window.ts`): an imported or back-dated
 * one moves the idle baseline, the stage and the flag of a deal, but never starts the timer of a
 * deal not watched yet, so a history import does not ask about every old deal at once.
 */
export const STALE_DEALS = 'stale-deals';

const DEALS = 'deals';
const TASKS = 'tasks';
const IDLE = 'idle';
const CLEAR = 'clear';
const POLICIES_FOLLOWED = [STAGE_POLICY_ID, AUTOMATION_POLICY_ID, CALENDAR_POLICY_ID];

/** `deals/<dealId>`. */
export interface StaleDeal extends ReadDocument {
  ownerId: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
  lastActivityAt: string;
  /** Since a live event by people: only a watched deal has an idle timer. */
  watching: boolean;
  /** Whether the log already says why the deal is not watched. */
  skipLogged?: boolean;
  /** Set when the deal was found idle; cleared by activity or by closing the deal. */
  flag: { idleSince: string; taskId: string; at: string } | null;
}

/** `tasks/<taskId>`: whether a "close as lost?" task is still open. */
export interface StaleTaskDocument extends ReadDocument {
  dealId: string;
  status: 'open' | 'completed' | 'cancelled';
}

const DEAL_EVENTS = [
  'DealOpened',
  'DealStageChanged',
  'DealActivityLogged',
  'QuoteDrafted',
  'QuoteSent',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealOwnerTransferred',
] as const;
const TASK_EVENTS = ['TaskCompleted', 'TaskCancelled'] as const;

const isOneOf = (types: readonly string[], type: string) => types.includes(type);
const timerIdOf = (dealId: string) => `${STALE_DEALS}:${dealId}:idle`;

export const staleDealsSaga: Saga = {
  name: STALE_DEALS,
  version: 1,
  collections: [{ name: DEALS }, { name: TASKS }, ...CONTEXT_COLLECTIONS],
  eventTypes: [...DEAL_EVENTS, ...TASK_EVENTS, ...CONTEXT_EVENT_TYPES],

  reads(event: RecordedEvent): DocumentRef[] {
    if (isOneOf(DEAL_EVENTS, event.type)) return [{ collection: DEALS, id: streamId(event) }];
    if (isOneOf(TASK_EVENTS, event.type)) return [{ collection: TASKS, id: streamId(event) }];
    return [];
  },

  readsForTimer(timer: SagaTimer): DocumentRef[] {
    if (timer.kind === CLEAR) return [{ collection: TASKS, id: timer.data.taskId as string }];
    return [{ collection: DEALS, id: timer.data.dealId as string }];
  },

  handle(event, context) {
    if (applyContext(event, context, POLICIES_FOLLOWED)) return;
    if (isOneOf(TASK_EVENTS, event.type)) return closeTask(event, context);
    const dealId = streamId(event);
    const byPeople = !isSagaGenerated(event);
    const live = byPeople && !notLive(event, automationPolicyOf(context));
    if (event.type === 'DealOpened') {
      const data = event.data as unknown as DealOpened['data'];
      const deal: StaleDeal = {
        id: dealId,
        ownerId: data.ownerId,
        stage: data.stage,
        status: 'open',
        lastActivityAt: utc(context.now),
        watching: live,
        flag: null,
      };
      arm(deal, context, event);
      return context.put(DEALS, deal);
    }
    const deal = context.get<StaleDeal>(DEALS, dealId);
    if (!deal) return;
    switch (event.type) {
      case 'DealStageChanged':
        deal.stage = (event.data as unknown as DealStageChanged['data']).to;
        if (byPeople) touch(deal, context.now, live, event, context);
        else arm(deal, context);
        break;
      case 'DealActivityLogged': {
        // The activity's own time, but never later than it was logged.
        const at = (event.data as unknown as DealActivityLogged['data']).at;
        const when = utc(at) < utc(context.now) ? at : context.now;
        if (byPeople) touch(deal, when, live, event, context);
        break;
      }
      case 'QuoteDrafted':
      case 'QuoteSent':
        if (byPeople) touch(deal, context.now, live, event, context);
        break;
      case 'DealWon':
      case 'DealLost': {
        deal.status = event.type === 'DealWon' ? 'won' : 'lost';
        context.cancel(timerIdOf(dealId));
        clearFlag(deal, event.type === 'DealWon' ? 'deal_won' : 'deal_lost', context);
        break;
      }
      case 'DealReopened':
        deal.status = 'open';
        deal.stage = (event.data as unknown as DealReopened['data']).stage;
        if (byPeople) touch(deal, context.now, live, event, context);
        else arm(deal, context);
        break;
      case 'DealOwnerTransferred':
        deal.ownerId = (event.data as unknown as DealOwnerTransferred['data']).to;
        break;
    }
    context.put(DEALS, deal);
  },

  fire(timer, context) {
    if (timer.kind === CLEAR) return cancelQuestion(timer, context);
    const deal = context.get<StaleDeal>(DEALS, timer.data.dealId as string);
    if (!deal || deal.status !== 'open' || deal.flag) return;
    const rule = staleRule(deal, context);
    if (!rule) return;
    const dueAt = addDays(deal.lastActivityAt, rule.days);
    if (dueAt > context.now) {
      // The threshold was raised since the timer was set.
      schedule(deal, dueAt, context);
      return;
    }
    ask(deal, rule, context);
    context.put(DEALS, deal);
  },
};

interface StaleRule {
  days: number;
  policy: PolicyRef;
}

/** The stage's threshold under the stage policy in force; none for a stage it does not know. */
function staleRule(deal: StaleDeal, context: SagaContext): StaleRule | undefined {
  const stages = stagePolicyOf(context);
  const stage = stages?.openStages.find((open) => open.key === deal.stage);
  return stages && stage
    ? { days: stage.staleAfterDays, policy: { id: stages.id, version: stages.version } }
    : undefined;
}

/**
 * Activity at `at`: the idle clock restarts from it, and a flag raised before it is cleared. A live
 * one starts watching the deal.
 */
function touch(
  deal: StaleDeal,
  at: string,
  live: boolean,
  event: RecordedEvent,
  context: SagaContext,
) {
  const instant = utc(at);
  if (instant > deal.lastActivityAt) {
    deal.lastActivityAt = instant;
    if (deal.flag && instant > deal.flag.idleSince) clearFlag(deal, 'activity_resumed', context);
  }
  if (live) deal.watching = true;
  arm(deal, context, event);
}

/**
 * Sets (or moves, or removes) the idle timer. A deal not watched gets none; when `event` is what
 * left it unwatched and the question would still have come after the event was recorded, the skip
 * goes on the log, once per deal.
 */
function arm(deal: StaleDeal, context: SagaContext, event?: RecordedEvent) {
  const rule = staleRule(deal, context);
  if (deal.status !== 'open' || deal.flag || !rule || !deal.watching) {
    context.cancel(timerIdOf(deal.id));
    if (event && rule && deal.status === 'open' && !deal.watching)
      skipWatch(deal, rule, event, context);
    return;
  }
  schedule(deal, addDays(deal.lastActivityAt, rule.days), context);
}

function skipWatch(deal: StaleDeal, rule: StaleRule, event: RecordedEvent, context: SagaContext) {
  const reason = notLive(event, automationPolicyOf(context));
  const dueAt = addDays(deal.lastActivityAt, rule.days);
  if (!reason || deal.skipLogged || !pendingWhenRecorded(dueAt, event.recordedAt)) return;
  deal.skipLogged = true;
  recordDecision(context, STALE_DEALS, {
    recordKind: 'deal',
    recordId: deal.id,
    decision: 'suppressed',
    step: 'stale.watch',
    key: 'not_live',
    dueAt,
    detail: {
      reason,
      recordedAt: utc(event.recordedAt),
      stage: deal.stage,
      staleAfterDays: rule.days,
      lastActivityAt: deal.lastActivityAt,
    },
    policy: rule.policy,
  });
}

const schedule = (deal: StaleDeal, dueAt: string, context: SagaContext) =>
  context.schedule({ id: timerIdOf(deal.id), dueAt, kind: IDLE, data: { dealId: deal.id } });

/** The question to the owner, and the flag. */
function ask(deal: StaleDeal, rule: StaleRule, context: SagaContext) {
  const automation = automationPolicyOf(context);
  if (!automation) return;
  const idleSince = deal.lastActivityAt;
  const commandId = `${STALE_DEALS}:${deal.id}:close_or_lost:${idleSince}`;
  const taskId = deriveSagaId(commandId, 'task');
  const hours = automation.staleDeals.taskDueHours;
  const found = ownerCalendar(context, deal.ownerId, context.now);
  const dueAt = found
    ? addWorkingOffset(found.calendar, context.now, hours)
    : addCalendarHours(context.now, hours);
  context.send({
    aggregate: 'task',
    id: taskId,
    commandId,
    type: 'CreateTask',
    data: {
      taskId,
      linkedTo: { kind: 'deal', id: deal.id },
      title: 'Close as lost, with a reason?',
      description:
        `No activity for ${rule.days} days in stage ${deal.stage}. ` +
        'Close the deal as lost with a reason, or log what is happening.',
      dueAt,
      assigneeId: deal.ownerId,
      source: { saga: STALE_DEALS, id: deal.id },
    },
    occurredAt: context.now,
    reason: `No activity for ${rule.days} days in stage ${deal.stage}`,
    policy: rule.policy,
  });
  context.put(TASKS, { id: taskId, dealId: deal.id, status: 'open' } satisfies StaleTaskDocument);
  context.send({
    aggregate: 'deal',
    id: deal.id,
    commandId: `${STALE_DEALS}:${deal.id}:flag:${idleSince}`,
    type: 'FlagDealStale',
    data: { idleSince, staleAfterDays: rule.days, taskId },
    occurredAt: context.now,
    reason: `No activity for ${rule.days} days in stage ${deal.stage}`,
    policy: rule.policy,
  });
  deal.flag = { idleSince, taskId, at: context.now };
  const detail = {
    stage: deal.stage,
    staleAfterDays: rule.days,
    lastActivityAt: idleSince,
  };
  const entry = { recordKind: 'deal' as const, recordId: deal.id, key: idleSince };
  recordDecision(context, STALE_DEALS, {
    ...entry,
    decision: 'task_created',
    step: 'stale.close_or_lost',
    dueAt,
    detail: { ...detail, taskId },
    policy: rule.policy,
  });
  recordDecision(context, STALE_DEALS, {
    ...entry,
    decision: 'flagged',
    step: 'stale.flag',
    detail,
    policy: rule.policy,
  });
}

/** Clears the flag; the question, if still open, is cancelled by a timer that can read it. */
function clearFlag(deal: StaleDeal, reason: StaleFlagClearReason, context: SagaContext) {
  const flag = deal.flag;
  if (!flag) return;
  deal.flag = null;
  context.send({
    aggregate: 'deal',
    id: deal.id,
    commandId: `${STALE_DEALS}:${deal.id}:unflag:${flag.idleSince}`,
    type: 'ClearDealStaleFlag',
    data: { reason },
    occurredAt: context.now,
    reason: CANCEL_REASONS[reason] ?? reason,
  });
  recordDecision(context, STALE_DEALS, {
    recordKind: 'deal',
    recordId: deal.id,
    decision: 'stopped',
    step: 'stale.flag',
    key: flag.idleSince,
    detail: { reason, taskId: flag.taskId },
  });
  relay(context, `${STALE_DEALS}:${deal.id}:clear:${flag.taskId}`, CLEAR, {
    dealId: deal.id,
    taskId: flag.taskId,
    idleSince: flag.idleSince,
    reason,
  });
}

const CANCEL_REASONS: Record<string, string> = {
  activity_resumed: 'The deal is active again',
  deal_won: 'The deal was won',
  deal_lost: 'The deal was closed as lost',
};

function cancelQuestion(timer: SagaTimer, context: SagaContext) {
  const { dealId, taskId, idleSince, reason } = timer.data as Record<string, string>;
  const task = context.get<StaleTaskDocument>(TASKS, taskId);
  if (!task || task.status !== 'open') return;
  const text = CANCEL_REASONS[reason] ?? reason;
  context.send({
    aggregate: 'task',
    id: taskId,
    commandId: `${STALE_DEALS}:${dealId}:cancel:${taskId}`,
    type: 'CancelTask',
    data: { taskId, reason: text },
    occurredAt: context.now,
    reason: text,
  });
  context.put(TASKS, { ...task, status: 'cancelled' });
  recordDecision(context, STALE_DEALS, {
    recordKind: 'deal',
    recordId: dealId,
    decision: 'cancelled',
    step: 'stale.close_or_lost',
    key: idleSince,
    detail: { taskId, reason },
  });
}

function closeTask(event: RecordedEvent, context: SagaContext) {
  const task = context.get<StaleTaskDocument>(TASKS, streamId(event));
  if (!task || task.status !== 'open') return;
  context.put(TASKS, {
    ...task,
    status: event.type === 'TaskCompleted' ? 'completed' : 'cancelled',
  });
}
