import { IANAZone } from 'luxon';
import type { AccountProfileUpdated, AccountRegistered } from '../domain/account/account.events';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import { minutesOfDay } from '../domain/calendar/business-calendar';
import {
  addBusinessSeconds,
  localDateOf,
  startOfWorkingDayFrom,
} from '../domain/calendar/business-time';
import { customerCalendar } from '../domain/calendar/customer-working-weeks';
import type {
  DealActivityLogged,
  DealOpened,
  DealOwnerTransferred,
  QuoteSent,
} from '../domain/deal/deal.events';
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
} from './shared/automation-context';
import { recordDecision } from './shared/automation-log';
import { type NotLiveFacts, notLive, pendingWhenRecorded } from './shared/live-window';
import { relay } from './shared/relay';
import { deriveSagaId } from './shared/saga-ids';
import { addLocalDays, utc } from './shared/working-offset';

/**
 * Follow-up reminders: a quote being sent schedules reminders on the days the automation policy
 * names (3 and 7), each at the start of the customer's working day in the customer's time zone and
 * working week (a Gulf customer's Friday moves to Sunday). A reminder that fires creates a task for
 * the deal owner, due by the end of that customer working day. An inbound activity after the quote
 * cancels the pending reminders; so does a newer quote, or the deal being won or lost.
 *
 * Only a live quote schedules reminders (`shared/live-window.ts`). An imported or back-dated one
 * still becomes the deal's current quote (so it supersedes the reminders of an earlier one), and
 * imported or back-dated messages, outcomes and handovers count like live ones.
 */
export const FOLLOW_UP_REMINDERS = 'follow-up-reminders';

const DEALS = 'deals';
const ACCOUNTS = 'accounts';
const PLAN = 'plan';
const REMINDER = 'reminder';
const POLICIES_FOLLOWED = [AUTOMATION_POLICY_ID, CALENDAR_POLICY_ID];

interface PendingReminder {
  timerId: string;
  day: number;
  dueAt: string;
  [field: string]: unknown;
}

/** `deals/<dealId>`. */
export interface FollowUpDeal extends ReadDocument {
  accountId: string;
  ownerId: string;
  /** The deal's country, used when the account's is not known. */
  country: string;
  status: 'open' | 'won' | 'lost';
  quote: { quoteId: string; version: number; sentAt: string } | null;
  /** When the customer last got in touch (the activity's own time). */
  lastInboundAt: string | null;
  pending: PendingReminder[];
}

/** `accounts/<accountId>`: where the customer works. */
export interface FollowUpAccount extends ReadDocument {
  country: string;
  timeZone: string | null;
}

/** The customer's calendar a reminder was planned on, carried by its timer. */
interface CustomerWeek {
  country: string;
  timeZone: string;
  /** Where the time zone came from: the account, the owner's team calendar, or UTC. */
  timeZoneFrom: 'account' | 'owner_team' | 'utc';
  from: string;
  to: string;
}

const ACCOUNT_EVENTS = ['AccountRegistered', 'AccountProfileUpdated'] as const;
const DEAL_EVENTS = [
  'DealOpened',
  'QuoteSent',
  'DealActivityLogged',
  'DealWon',
  'DealLost',
  'DealReopened',
  'DealOwnerTransferred',
] as const;

const isOneOf = (types: readonly string[], type: string) => types.includes(type);
const DAY_MS = 86_400_000;

export const followUpRemindersSaga: Saga = {
  name: FOLLOW_UP_REMINDERS,
  version: 1,
  collections: [{ name: DEALS }, { name: ACCOUNTS }, ...CONTEXT_COLLECTIONS],
  eventTypes: [...ACCOUNT_EVENTS, ...DEAL_EVENTS, ...CONTEXT_EVENT_TYPES],

  reads(event: RecordedEvent): DocumentRef[] {
    if (isOneOf(ACCOUNT_EVENTS, event.type)) return [{ collection: ACCOUNTS, id: streamId(event) }];
    if (isOneOf(DEAL_EVENTS, event.type)) return [{ collection: DEALS, id: streamId(event) }];
    return [];
  },

  readsForTimer(timer: SagaTimer): DocumentRef[] {
    const deal = { collection: DEALS, id: timer.data.dealId as string };
    if (timer.kind === PLAN)
      return [deal, { collection: ACCOUNTS, id: timer.data.accountId as string }];
    return [deal];
  },

  handle(event, context) {
    if (applyContext(event, context, POLICIES_FOLLOWED)) return;
    if (isOneOf(ACCOUNT_EVENTS, event.type)) return applyAccount(event, context);
    const dealId = streamId(event);
    if (event.type === 'DealOpened') {
      const data = event.data as unknown as DealOpened['data'];
      return context.put(DEALS, {
        id: dealId,
        accountId: data.accountId,
        ownerId: data.ownerId,
        country: data.country,
        status: 'open',
        quote: null,
        lastInboundAt: null,
        pending: [],
      } satisfies FollowUpDeal);
    }
    const deal = context.get<FollowUpDeal>(DEALS, dealId);
    if (!deal) return;
    switch (event.type) {
      case 'QuoteSent': {
        const { quoteId, version } = event.data as unknown as QuoteSent['data'];
        cancelPending(deal, 'superseded', context, { supersededBy: `${quoteId}:v${version}` });
        deal.quote = { quoteId, version, sentAt: utc(context.now) };
        const automation = automationPolicyOf(context);
        const why = notLive(event, automation);
        const lastDay = Math.max(0, ...(automation?.followUps.reminderDays ?? []));
        // A not-live quote whose reminders were all over when it arrived is not worth a timer.
        if (why && Date.parse(context.now) + (lastDay + 7) * DAY_MS <= Date.parse(event.recordedAt))
          break;
        // The customer's calendar is on the account's document, which only a timer can name.
        relay(context, `${FOLLOW_UP_REMINDERS}:${dealId}:plan:${quoteId}:v${version}`, PLAN, {
          dealId,
          accountId: deal.accountId,
          quoteId,
          version,
          ...(why && ({ notLive: why, recordedAt: utc(event.recordedAt) } satisfies NotLiveFacts)),
        });
        break;
      }
      case 'DealActivityLogged': {
        const data = event.data as unknown as DealActivityLogged['data'];
        // Whoever logged it (a person, a mail archive), an inbound message is the customer's.
        if (data.direction !== 'inbound') return;
        const at = utc(data.at);
        if (!deal.lastInboundAt || at > deal.lastInboundAt) deal.lastInboundAt = at;
        // An older message logged late does not answer the quote.
        if (deal.quote && at >= deal.quote.sentAt) {
          cancelPending(deal, 'inbound_activity', context, { activityId: data.activityId });
        }
        break;
      }
      case 'DealWon':
      case 'DealLost':
        deal.status = event.type === 'DealWon' ? 'won' : 'lost';
        cancelPending(deal, event.type === 'DealWon' ? 'deal_won' : 'deal_lost', context);
        break;
      case 'DealReopened':
        deal.status = 'open';
        break;
      case 'DealOwnerTransferred':
        deal.ownerId = (event.data as unknown as DealOwnerTransferred['data']).to;
        break;
    }
    context.put(DEALS, deal);
  },

  fire(timer, context) {
    const deal = context.get<FollowUpDeal>(DEALS, timer.data.dealId as string);
    if (!deal) return;
    if (timer.kind === PLAN) plan(deal, timer, context);
    else if (timer.kind === REMINDER) remind(deal, timer, context);
    context.put(DEALS, deal);
  },
};

/** Schedules the policy's reminders for the quote, on the customer's calendar. */
function plan(deal: FollowUpDeal, timer: SagaTimer, context: SagaContext) {
  const { quoteId, version } = timer.data as { quoteId: string; version: number };
  const quote = deal.quote;
  if (deal.status !== 'open' || quote?.quoteId !== quoteId || quote.version !== version) return;
  const automation = automationPolicyOf(context);
  if (!automation) return;
  const policy = { id: automation.id, version: automation.version };
  const key = `${quoteId}:v${version}`;
  if (deal.lastInboundAt && deal.lastInboundAt >= quote.sentAt) {
    // Answered in the same instant the quote went out.
    recordDecision(context, FOLLOW_UP_REMINDERS, {
      recordKind: 'deal',
      recordId: deal.id,
      decision: 'suppressed',
      step: 'follow_up',
      key,
      detail: { quoteId, version, reason: 'inbound_activity' },
      policy,
    });
    return;
  }
  const account = context.get<FollowUpAccount>(ACCOUNTS, deal.accountId);
  const week = customerWeek(deal, account, automation.followUps.customerHours, context);
  const calendar = calendarOf(week);
  const sentOn = localDateOf(calendar, quote.sentAt);
  const days = automation.followUps.reminderDays.map((day) => {
    const wanted = addLocalDays(sentOn, day);
    return { day, wanted, dueAt: startOfWorkingDayFrom(calendar, wanted) };
  });
  if (timer.data.notLive) {
    const { notLive: reason, recordedAt } = timer.data as NotLiveFacts;
    const still = days.filter(({ dueAt }) => pendingWhenRecorded(dueAt, recordedAt));
    if (still.length === 0) return;
    recordDecision(context, FOLLOW_UP_REMINDERS, {
      recordKind: 'deal',
      recordId: deal.id,
      decision: 'suppressed',
      step: 'follow_up',
      key,
      dueAt: still[0].dueAt,
      detail: { quoteId, version, reason, recordedAt, days: still.map((d) => d.day).join(',') },
      policy,
    });
    return;
  }
  for (const { day, wanted, dueAt } of days) {
    const timerId = `${FOLLOW_UP_REMINDERS}:${deal.id}:${key}:day${day}`;
    context.schedule({
      id: timerId,
      dueAt,
      kind: REMINDER,
      data: { dealId: deal.id, quoteId, version, day, week: { ...week }, policy },
    });
    deal.pending.push({ timerId, day, dueAt });
    recordDecision(context, FOLLOW_UP_REMINDERS, {
      recordKind: 'deal',
      recordId: deal.id,
      decision: 'scheduled',
      step: `follow_up.day${day}`,
      key,
      dueAt,
      detail: {
        quoteId,
        version,
        day,
        country: week.country,
        timeZone: week.timeZone,
        timeZoneFrom: week.timeZoneFrom,
        // The customer's date it was due on, and the working date it fires on.
        wantedOn: wanted,
        firesOn: localDateOf(calendar, dueAt),
      },
      policy,
    });
  }
}

/** A reminder falls due: a task for the owner, due by the end of the customer's working day. */
function remind(deal: FollowUpDeal, timer: SagaTimer, context: SagaContext) {
  const pending = deal.pending.find((reminder) => reminder.timerId === timer.id);
  if (!pending) return;
  deal.pending = deal.pending.filter((reminder) => reminder !== pending);
  if (deal.status !== 'open') return;
  const { quoteId, version, day, week, policy } = timer.data as {
    quoteId: string;
    version: number;
    day: number;
    week: CustomerWeek;
    policy: PolicyRef;
  };
  const calendar = calendarOf(week);
  const dayLength = (minutesOfDay(week.to) - minutesOfDay(week.from)) * 60;
  const dueAt = addBusinessSeconds(calendar, context.now, dayLength);
  const key = `${quoteId}:v${version}`;
  const commandId = `${FOLLOW_UP_REMINDERS}:${deal.id}:reminder:${key}:day${day}`;
  const taskId = deriveSagaId(commandId, 'task');
  context.send({
    aggregate: 'task',
    id: taskId,
    commandId,
    type: 'CreateTask',
    data: {
      taskId,
      linkedTo: { kind: 'deal', id: deal.id },
      title: `Follow up on quote version ${version} (day ${day})`,
      description: `No reply from the customer ${day} days after the quote was sent.`,
      dueAt,
      assigneeId: deal.ownerId,
      source: { saga: FOLLOW_UP_REMINDERS, id: deal.id },
    },
    occurredAt: context.now,
    reason: `Follow-up reminder, day ${day} after quote version ${version}`,
    policy,
  });
  recordDecision(context, FOLLOW_UP_REMINDERS, {
    recordKind: 'deal',
    recordId: deal.id,
    decision: 'task_created',
    step: `follow_up.day${day}`,
    key,
    dueAt,
    detail: { taskId, quoteId, version, day, assigneeId: deal.ownerId },
    policy,
  });
}

function cancelPending(
  deal: FollowUpDeal,
  reason: string,
  context: SagaContext,
  extra: Record<string, string> = {},
) {
  if (deal.pending.length === 0 || !deal.quote) return;
  const { quoteId, version } = deal.quote;
  const automation = automationPolicyOf(context);
  for (const reminder of deal.pending) {
    context.cancel(reminder.timerId);
    recordDecision(context, FOLLOW_UP_REMINDERS, {
      recordKind: 'deal',
      recordId: deal.id,
      decision: 'cancelled',
      step: `follow_up.day${reminder.day}`,
      key: `${quoteId}:v${version}`,
      dueAt: reminder.dueAt,
      detail: { quoteId, version, day: reminder.day, reason, ...extra },
      ...(automation && { policy: { id: automation.id, version: automation.version } }),
    });
  }
  deal.pending = [];
}

function applyAccount(event: RecordedEvent, context: SagaContext) {
  const id = streamId(event);
  if (event.type === 'AccountRegistered') {
    const data = event.data as unknown as AccountRegistered;
    return context.put(ACCOUNTS, {
      id,
      country: data.country,
      timeZone: data.timeZone ?? null,
    } satisfies FollowUpAccount);
  }
  const account = context.get<FollowUpAccount>(ACCOUNTS, id);
  const { changes } = event.data as unknown as AccountProfileUpdated;
  if (!account || (!('country' in changes) && !('timeZone' in changes))) return;
  context.put(ACCOUNTS, {
    ...account,
    ...(changes.country && { country: changes.country }),
    ...('timeZone' in changes && { timeZone: changes.timeZone ?? null }),
  });
}

/**
 * The customer's working week: the account's country and time zone; without a time zone on the
 * account, the owner's team calendar's zone (the rep's best guess), else UTC.
 */
function customerWeek(
  deal: FollowUpDeal,
  account: FollowUpAccount | undefined,
  hours: { from: string; to: string },
  context: SagaContext,
): CustomerWeek {
  const country = account?.country ?? deal.country;
  const { from, to } = hours;
  if (account?.timeZone && IANAZone.isValidZone(account.timeZone)) {
    return { country, timeZone: account.timeZone, timeZoneFrom: 'account', from, to };
  }
  const team = ownerCalendar(context, deal.ownerId, context.now);
  if (team)
    return { country, timeZone: team.calendar.timeZone, timeZoneFrom: 'owner_team', from, to };
  return { country, timeZone: 'UTC', timeZoneFrom: 'utc', from, to };
}

const calendarOf = (week: CustomerWeek): BusinessCalendar =>
  customerCalendar(week.country, week.timeZone, { from: week.from, to: week.to });
