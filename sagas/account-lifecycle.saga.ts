import type { Lifecycle } from '../domain/account/account.commands';
import type { AccountLifecycleChanged, AccountRegistered } from '../domain/account/account.events';
import { judgeLifecycleChange } from '../domain/account/account.lifecycle';
import type { DealActivityLogged, DealOpened } from '../domain/deal/deal.events';
import type { AutomationPolicy } from '../domain/policies/automation-policy';
import type { Cause } from '../domain/shared/cause';
import type { PolicyRef } from '../domain/shared/decider';
import { type DocumentRef, streamId } from '../projections/projection';
import { POLICY_COLLECTION, POLICY_PUBLISHED } from '../projections/team-membership.projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import type { Saga, SagaContext, SagaTimer } from './saga';
import {
  applyContext,
  AUTOMATION_POLICY_ID,
  automationPolicyOf,
  type Versioned,
} from './shared/automation-context';
import { recordDecision } from './shared/automation-log';
import { type NotLive, notLive, pendingWhenRecorded } from './shared/live-window';
import { relay } from './shared/relay';
import { isSagaGenerated } from './shared/saga-origin';
import { addDays, utc } from './shared/working-offset';

/**
 * Account lifecycle: moves an account to active on its first deal (or back to active when a
 * dormant or lost customer gets a new or reopened deal), to won on its first win, to repeat on a
 * later win, to dormant after `lifecycle.dormantAfterDays` without activity, and to lost when every
 * deal is lost and `lifecycle.lostAfterDays` have passed since the last loss. Each move is a
 * ChangeLifecycle command carrying its cause: this saga for moves an event triggered, the
 * automation policy (id and version) for moves a threshold triggered. Moves the account's
 * transition table refuses are not sent; they are recorded as suppressed.
 *
 * Deal events name only the deal, so a deal's outcome reaches its account's document through a
 * timer due at once (`relay`). Activity only updates the deal's document: the dormancy timer reads
 * the account's deals when it fires and moves itself on if any of them was active since.
 *
 * Only live events move the lifecycle or start a timer (`shared/live-window.ts`). An imported or
 * back-dated event updates what the saga knows (deals, outcomes, last activity, last loss), moves a
 * timer already running, and calls a lost check off; the account is watched for dormancy from its
 * first live event, so an imported book of customers does not go dormant all at once.
 */
export const ACCOUNT_LIFECYCLE = 'account-lifecycle';

const ACCOUNTS = 'accounts';
const DEALS = 'deals';
const OUTCOME = 'deal_outcome';
const DORMANT = 'dormant';
const LOST = 'lost';
const WATCH = 'watch';

type DealStatus = 'open' | 'won' | 'lost';

/** `accounts/<accountId>`. */
export interface LifecycleAccount extends ReadDocument {
  /** Null until the account's registration is seen. */
  lifecycle: Lifecycle | null;
  hasOrdered: boolean;
  /** While merged into another account it is read-only: nothing is sent for it. */
  merged: boolean;
  /** Since a live event on the account or one of its deals: only a watched account goes dormant. */
  watching: boolean;
  /** Whether the log already says why the account is not watched. */
  skipLogged?: boolean;
  /** Latest activity known on the account itself: registration, deals opened, outcomes. */
  lastActivityAt: string | null;
  deals: Record<string, DealStatus>;
  lastLostAt: string | null;
  /** Due time of the pending "every deal lost" check. */
  lostDueAt: string | null;
}

/** `deals/<dealId>`. */
export interface LifecycleDeal extends ReadDocument {
  accountId: string;
  lastActivityAt: string;
  /** Whether a live event on this deal has reached the account (so it is watched). */
  live: boolean;
}

const ACCOUNT_EVENTS = [
  'AccountRegistered',
  'AccountLifecycleChanged',
  'AccountMergedInto',
  'AccountUnmerged',
] as const;
const OUTCOME_EVENTS = ['DealWon', 'DealLost', 'DealReopened'] as const;
const ACTIVITY_EVENTS = [
  'DealStageChanged',
  'DealActivityLogged',
  'QuoteDrafted',
  'QuoteSent',
  'DealPaymentRecorded',
] as const;

const isOneOf = (types: readonly string[], type: string) => types.includes(type);
const later = (a: string | null, b: string): string => (a && a > b ? a : b);
const dormantTimerId = (accountId: string) => `${ACCOUNT_LIFECYCLE}:${accountId}:dormant`;
const lostTimerId = (accountId: string) => `${ACCOUNT_LIFECYCLE}:${accountId}:lost`;

export const accountLifecycleSaga: Saga = {
  name: ACCOUNT_LIFECYCLE,
  version: 1,
  collections: [{ name: ACCOUNTS }, { name: DEALS }, POLICY_COLLECTION],
  eventTypes: [
    ...ACCOUNT_EVENTS,
    'DealOpened',
    ...OUTCOME_EVENTS,
    ...ACTIVITY_EVENTS,
    POLICY_PUBLISHED,
  ],

  reads(event: RecordedEvent): DocumentRef[] {
    if (isOneOf(ACCOUNT_EVENTS, event.type)) return [{ collection: ACCOUNTS, id: streamId(event) }];
    if (event.type === 'DealOpened') {
      const { accountId } = event.data as unknown as DealOpened['data'];
      return [
        { collection: ACCOUNTS, id: accountId },
        { collection: DEALS, id: streamId(event) },
      ];
    }
    if (event.type === POLICY_PUBLISHED) return [];
    return [{ collection: DEALS, id: streamId(event) }];
  },

  readsForTimer(timer: SagaTimer): DocumentRef[] {
    const account = { collection: ACCOUNTS, id: timer.data.accountId as string };
    if (timer.kind !== DORMANT) return [account];
    const dealIds = timer.data.dealIds as string[];
    return [account, ...dealIds.map((id) => ({ collection: DEALS, id }))];
  },

  handle(event, context) {
    if (applyContext(event, context, [AUTOMATION_POLICY_ID])) return;
    if (isOneOf(ACCOUNT_EVENTS, event.type)) return applyAccount(event, context);
    if (event.type === 'DealOpened') return dealOpened(event, context);
    const deal = context.get<LifecycleDeal>(DEALS, streamId(event));
    if (!deal) return;
    const byPeople = !isSagaGenerated(event);
    const why = notLive(event, automationPolicyOf(context));
    if (byPeople) {
      const at =
        event.type === 'DealActivityLogged'
          ? earlier((event.data as unknown as DealActivityLogged['data']).at, context.now)
          : context.now;
      deal.lastActivityAt = later(deal.lastActivityAt, utc(at));
      if (!why && !deal.live && !isOneOf(OUTCOME_EVENTS, event.type)) {
        // The account's first live sign of life through this deal: it is watched from now on.
        relay(context, `${ACCOUNT_LIFECYCLE}:${deal.accountId}:watch:${deal.id}`, WATCH, {
          accountId: deal.accountId,
        });
      }
      if (!why) deal.live = true;
      context.put(DEALS, deal);
    }
    if (isOneOf(OUTCOME_EVENTS, event.type)) {
      const outcome = { DealWon: 'won', DealLost: 'lost', DealReopened: 'open' }[
        event.type as (typeof OUTCOME_EVENTS)[number]
      ];
      relay(
        context,
        `${ACCOUNT_LIFECYCLE}:${deal.accountId}:${deal.id}:r${event.revision}`,
        OUTCOME,
        {
          accountId: deal.accountId,
          dealId: deal.id,
          outcome,
          key: `${deal.id}:r${event.revision}`,
          counts: byPeople,
          live: byPeople && !why,
          ...(why && { notLive: why, recordedAt: utc(event.recordedAt) }),
        },
      );
    }
  },

  fire(timer, context) {
    const account = context.get<LifecycleAccount>(ACCOUNTS, timer.data.accountId as string);
    if (!account) return;
    if (timer.kind === OUTCOME) dealOutcome(account, timer, context);
    else if (timer.kind === DORMANT) checkDormant(account, timer, context);
    else if (timer.kind === LOST) checkLost(account, timer, context);
    else if (timer.kind === WATCH) watch(account, undefined, context);
    context.put(ACCOUNTS, account);
  },
};

const earlier = (a: string, b: string): string => (utc(a) < utc(b) ? a : b);

const blankAccount = (id: string): LifecycleAccount => ({
  id,
  lifecycle: null,
  hasOrdered: false,
  merged: false,
  watching: false,
  lastActivityAt: null,
  deals: {},
  lastLostAt: null,
  lostDueAt: null,
});

/** Lifecycle moves this saga caused come back as events; they are already applied. */
const isOwnCause = (cause: Cause | undefined): boolean =>
  (cause?.kind === 'saga' && cause.id === ACCOUNT_LIFECYCLE) ||
  (cause?.kind === 'rule' && cause.id === AUTOMATION_POLICY_ID);

/** How an event arrived: live events by people start work; the rest only inform. */
interface Arrival {
  live: boolean;
  notLive?: NotLive;
  recordedAt?: string;
}

const arrivalOf = (event: RecordedEvent, context: SagaContext): Arrival => {
  const why = notLive(event, automationPolicyOf(context));
  return {
    live: !why && !isSagaGenerated(event),
    ...(why && { notLive: why, recordedAt: utc(event.recordedAt) }),
  };
};

/** A live arrival starts watching the account; either way the dormancy timer is set as it now stands. */
function watch(account: LifecycleAccount, arrival: Arrival | undefined, context: SagaContext) {
  if (!arrival || arrival.live) account.watching = true;
  armDormant(account, context, arrival);
}

function applyAccount(event: RecordedEvent, context: SagaContext) {
  const id = streamId(event);
  const account = context.get<LifecycleAccount>(ACCOUNTS, id) ?? blankAccount(id);
  switch (event.type) {
    case 'AccountRegistered': {
      const lifecycle = (event.data as unknown as AccountRegistered).lifecycle ?? 'potential';
      account.lifecycle = lifecycle;
      account.hasOrdered = lifecycle === 'won' || lifecycle === 'repeat';
      account.lastActivityAt = later(account.lastActivityAt, utc(context.now));
      break;
    }
    case 'AccountLifecycleChanged': {
      const data = event.data as unknown as AccountLifecycleChanged;
      if (isOwnCause(data.cause)) return;
      account.lifecycle = data.to;
      account.hasOrdered ||= data.to === 'won' || data.to === 'repeat';
      break;
    }
    case 'AccountMergedInto':
      account.merged = true;
      break;
    case 'AccountUnmerged':
      account.merged = false;
      break;
  }
  watch(account, arrivalOf(event, context), context);
  context.put(ACCOUNTS, account);
}

function dealOpened(event: RecordedEvent, context: SagaContext) {
  const { accountId } = event.data as unknown as DealOpened['data'];
  const dealId = streamId(event);
  const now = utc(context.now);
  const arrival = arrivalOf(event, context);
  context.put(DEALS, {
    id: dealId,
    accountId,
    lastActivityAt: now,
    live: arrival.live,
  } satisfies LifecycleDeal);
  const account = context.get<LifecycleAccount>(ACCOUNTS, accountId) ?? blankAccount(accountId);
  const first = Object.keys(account.deals).length === 0;
  account.deals[dealId] = 'open';
  if (!isSagaGenerated(event)) account.lastActivityAt = later(account.lastActivityAt, now);
  cancelLostCheck(account, 'deal_opened', context);
  // An imported or back-dated deal moves no lifecycle: the history brings its own.
  if (arrival.live)
    activateOnOpening(account, `${dealId}:r${event.revision}`, dealId, first, context);
  watch(account, arrival, context);
  context.put(ACCOUNTS, account);
}

function activateOnOpening(
  account: LifecycleAccount,
  key: string,
  dealId: string,
  first: boolean,
  context: SagaContext,
) {
  if (account.lifecycle === 'potential') {
    move(account, 'active', key, 'First deal opened', { dealId, first }, context);
  } else if (account.lifecycle === 'dormant' || account.lifecycle === 'lost') {
    move(
      account,
      'active',
      key,
      `New deal opened on a ${account.lifecycle} account`,
      { dealId },
      context,
    );
  }
}

function dealOutcome(account: LifecycleAccount, timer: SagaTimer, context: SagaContext) {
  const { dealId, outcome, key, counts, live, notLive, recordedAt } = timer.data as {
    dealId: string;
    outcome: DealStatus;
    key: string;
    counts: boolean;
    live: boolean;
    notLive?: NotLive;
    recordedAt?: string;
  };
  const arrival: Arrival = { live, ...(notLive && { notLive, recordedAt }) };
  const now = utc(context.now);
  account.deals[dealId] = outcome;
  if (counts) account.lastActivityAt = later(account.lastActivityAt, now);
  if (outcome === 'won') {
    cancelLostCheck(account, 'deal_won', context);
    if (live) wonMoves(account, key, dealId, context);
  } else if (outcome === 'lost') {
    account.lastLostAt = now;
    scheduleLostCheck(account, context, arrival);
  } else {
    cancelLostCheck(account, 'deal_reopened', context);
    if (live && (account.lifecycle === 'dormant' || account.lifecycle === 'lost')) {
      move(
        account,
        'active',
        key,
        `Deal reopened on a ${account.lifecycle} account`,
        { dealId },
        context,
      );
    }
  }
  watch(account, arrival, context);
}

function wonMoves(account: LifecycleAccount, key: string, dealId: string, context: SagaContext) {
  const to: Lifecycle = account.hasOrdered ? 'repeat' : 'won';
  // A lost customer is reactivated before the order counts; the transition table wants it.
  if (account.lifecycle === 'lost') {
    move(account, 'active', key, 'A lost customer placed an order', { dealId }, context);
  }
  if (account.lifecycle !== 'repeat') {
    const reason = to === 'won' ? 'First deal won' : 'Another deal won';
    move(account, to, key, reason, { dealId }, context);
  }
}

const allLost = (account: LifecycleAccount): boolean => {
  const statuses = Object.values(account.deals);
  return statuses.length > 0 && statuses.every((status) => status === 'lost');
};

/** Starts the "every deal lost" check on a live loss; a not-live one only moves a running check. */
function scheduleLostCheck(account: LifecycleAccount, context: SagaContext, arrival: Arrival) {
  const automation = automationPolicyOf(context);
  if (!automation || !allLost(account) || account.lifecycle === 'lost' || !account.lastLostAt)
    return;
  const dueAt = addDays(account.lastLostAt, automation.lifecycle.lostAfterDays);
  if (!arrival.live && !account.lostDueAt) {
    const detail = { lostAfterDays: automation.lifecycle.lostAfterDays };
    logSkip(account, 'lifecycle.lost', account.lastLostAt, dueAt, arrival, detail, context);
    return;
  }
  context.schedule({
    id: lostTimerId(account.id),
    dueAt,
    kind: LOST,
    data: { accountId: account.id },
  });
  account.lostDueAt = dueAt;
  recordDecision(context, ACCOUNT_LIFECYCLE, {
    recordKind: 'account',
    recordId: account.id,
    decision: 'scheduled',
    step: 'lifecycle.lost',
    key: account.lastLostAt,
    dueAt,
    detail: {
      deals: Object.keys(account.deals).length,
      lostAfterDays: automation.lifecycle.lostAfterDays,
    },
    policy: refOf(automation),
  });
}

function cancelLostCheck(account: LifecycleAccount, reason: string, context: SagaContext) {
  if (!account.lostDueAt) return;
  context.cancel(lostTimerId(account.id));
  recordDecision(context, ACCOUNT_LIFECYCLE, {
    recordKind: 'account',
    recordId: account.id,
    decision: 'cancelled',
    step: 'lifecycle.lost',
    key: account.lastLostAt ?? account.lostDueAt,
    dueAt: account.lostDueAt,
    detail: { reason },
  });
  account.lostDueAt = null;
}

function checkLost(account: LifecycleAccount, timer: SagaTimer, context: SagaContext) {
  if (account.lostDueAt !== timer.dueAt) return;
  account.lostDueAt = null;
  const automation = automationPolicyOf(context);
  if (!automation || !allLost(account) || !account.lastLostAt) return;
  const days = automation.lifecycle.lostAfterDays;
  // A policy change may have moved the threshold since: judge by the one in force now.
  const dueAt = addDays(account.lastLostAt, days);
  if (dueAt > context.now) {
    context.schedule({ ...timer, dueAt });
    account.lostDueAt = dueAt;
    return;
  }
  move(
    account,
    'lost',
    `lost:${account.lastLostAt}`,
    `Every deal lost; none reopened or opened within ${days} days`,
    { deals: Object.keys(account.deals).length, lostAfterDays: days },
    context,
    automation,
  );
}

/**
 * Logs that a not-live event started no timer, when it would still have been due after the event
 * was recorded (`shared/live-window.ts`). True when it logged.
 */
function logSkip(
  account: LifecycleAccount,
  step: string,
  key: string,
  dueAt: string,
  arrival: Arrival | undefined,
  detail: Record<string, string | number>,
  context: SagaContext,
): boolean {
  const automation = automationPolicyOf(context);
  if (!arrival?.notLive || !arrival.recordedAt || !automation) return false;
  if (!pendingWhenRecorded(dueAt, arrival.recordedAt)) return false;
  recordDecision(context, ACCOUNT_LIFECYCLE, {
    recordKind: 'account',
    recordId: account.id,
    decision: 'suppressed',
    step,
    key,
    dueAt,
    detail: { ...detail, reason: arrival.notLive, recordedAt: arrival.recordedAt },
    policy: refOf(automation),
  });
  return true;
}

/**
 * The dormancy timer, due the policy's days after the latest activity the account knows of; none
 * while the account is not watched (the log says so once, see `logSkip`).
 */
function armDormant(account: LifecycleAccount, context: SagaContext, arrival?: Arrival) {
  const automation = automationPolicyOf(context);
  const id = dormantTimerId(account.id);
  const lifecycle = account.lifecycle;
  if (
    !automation ||
    !account.lastActivityAt ||
    account.merged ||
    lifecycle === null ||
    lifecycle === 'dormant' ||
    lifecycle === 'lost'
  ) {
    context.cancel(id);
    return;
  }
  const dueAt = addDays(account.lastActivityAt, automation.lifecycle.dormantAfterDays);
  if (!account.watching) {
    context.cancel(id);
    if (account.skipLogged) return;
    const detail = {
      lastActivityAt: account.lastActivityAt,
      dormantAfterDays: automation.lifecycle.dormantAfterDays,
    };
    // Once per account: every imported deal and outcome would say it again.
    account.skipLogged = logSkip(
      account,
      'lifecycle.dormant',
      'not_live',
      dueAt,
      arrival,
      detail,
      context,
    );
    return;
  }
  context.schedule({
    id,
    dueAt,
    kind: DORMANT,
    data: { accountId: account.id, dealIds: Object.keys(account.deals) },
  });
}

function checkDormant(account: LifecycleAccount, timer: SagaTimer, context: SagaContext) {
  const automation = automationPolicyOf(context);
  if (!automation) return;
  let last = account.lastActivityAt;
  for (const dealId of timer.data.dealIds as string[]) {
    const deal = context.get<LifecycleDeal>(DEALS, dealId);
    if (deal) last = later(last, deal.lastActivityAt);
  }
  if (!last) return;
  account.lastActivityAt = last;
  const days = automation.lifecycle.dormantAfterDays;
  if (addDays(last, days) > context.now) return armDormant(account, context);
  if (account.lifecycle === 'dormant' || account.lifecycle === 'lost') return;
  move(
    account,
    'dormant',
    `idle:${last}`,
    `No activity for ${days} days`,
    { lastActivityAt: last, dormantAfterDays: days },
    context,
    automation,
  );
}

const refOf = (policy: Versioned<AutomationPolicy>): PolicyRef => ({
  id: policy.id,
  version: policy.version,
});

/**
 * Sends ChangeLifecycle when the account's transition table allows the move, with its cause: the
 * automation policy when `rule` is given, else this saga. A refused move is recorded as suppressed.
 */
function move(
  account: LifecycleAccount,
  to: Lifecycle,
  key: string,
  reason: string,
  detail: Record<string, string | number | boolean>,
  context: SagaContext,
  rule?: Versioned<AutomationPolicy>,
) {
  const from = account.lifecycle;
  if (from === null) return;
  const policy = rule && refOf(rule);
  const step = `lifecycle.${to}`;
  const entry = { recordKind: 'account' as const, recordId: account.id, step, key };
  const verdict = account.merged ? 'merged' : judgeLifecycleChange(from, to, account.hasOrdered);
  if (verdict === 'unchanged') return;
  if (verdict !== 'ok') {
    recordDecision(context, ACCOUNT_LIFECYCLE, {
      ...entry,
      decision: 'suppressed',
      detail: { ...detail, from, to, verdict },
      ...(policy && { policy }),
    });
    return;
  }
  const cause: Cause = policy
    ? { kind: 'rule', id: policy.id, version: policy.version }
    : { kind: 'saga', id: ACCOUNT_LIFECYCLE };
  context.send({
    aggregate: 'account',
    id: account.id,
    commandId: `${ACCOUNT_LIFECYCLE}:${account.id}:${step}:${key}`,
    type: 'ChangeLifecycle',
    data: { accountId: account.id, to, reason, cause },
    occurredAt: context.now,
    reason,
    ...(policy && { policy }),
  });
  recordDecision(context, ACCOUNT_LIFECYCLE, {
    ...entry,
    decision: 'fired',
    detail: { ...detail, from, to },
    ...(policy && { policy }),
  });
  account.lifecycle = to;
  account.hasOrdered ||= to === 'won' || to === 'repeat';
  if (to === 'lost' || to === 'dormant') context.cancel(dormantTimerId(account.id));
}
