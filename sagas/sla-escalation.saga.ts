import { v5 as uuidv5 } from 'uuid';
import type {
  AutomationDecision,
  RecordAutomationDecision,
} from '../domain/automation/automation.decider';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import { CalendarPolicy, findCalendar } from '../domain/policies/calendar-policy';
import {
  SLA_CLOCKS,
  SLA_POLICY_ID,
  SlaAction,
  SlaClockKind,
  SlaPolicy,
  clockPolicy,
} from '../domain/policies/sla-policy';
import type { CreateTask } from '../domain/task/task.commands';
import {
  REASSIGN_LEAD_BY_RULE,
  type ReassignLeadByRuleData,
} from '../src/assignment/reassign-lead-by-rule';
import type { ProjectionView } from '../projections/projection';
import { streamId } from '../projections/projection';
import {
  CALENDAR_POLICY_ID,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  POLICY_COLLECTION,
  POLICY_PUBLISHED,
  applyMembership,
  applyPolicy,
  latestPolicy,
  ownerCalendarAt,
  teamAt,
} from '../projections/team-membership.projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { Saga, SagaContext, SagaTimer } from './saga';
import {
  SLA_SAGA,
  SlaCase,
  SlaClock,
  SlaRun,
  SlaStopReason,
  addMinutes,
  currentRun,
  runCommandId,
  runTimerId,
  startTimerId,
  toIso,
} from './sla-clock';
import {
  SLA_PEOPLE_COLLECTIONS,
  SLA_PEOPLE_EVENT_TYPES,
  applySlaPeople,
  teamLeadAt,
  teamManagersAt,
} from './sla-people';

/**
 * SLA escalation (issue #7 §2). A live inquiry starts a first-response clock and a proposal clock,
 * each in calendar time or in the owning team's business time. Each clock climbs its ladder —
 * remind the owner, escalate to the team lead, to the manager, ask for a reassignment — until it
 * is stopped: an outbound response stops the first-response clock; a sent quote or the deal
 * entering a proposal stage stops the proposal clock. A handover restarts or continues a clock, as
 * the policy in force when the clock started says; that version also judges the breach.
 *
 * Every decision goes to the lead's automation log; tasks are commands on their own records.
 */
export const SLA_CLOCKS_COLLECTION = 'sla_clocks';

export interface SlaSagaOptions {
  /**
   * A candidate policy for a what-if replay: used for every clock, whatever versions the history
   * published. Absent, the saga folds the published versions, as it does live.
   */
  policy?: SlaPolicy;
}

const LEAD_EVENTS = [
  'InquiryReceived',
  'LeadAssigned',
  'LeadOwnershipTransferred',
  'LeadResponseRecorded',
  'LeadNurtured',
  'LeadDisqualified',
  'LeadConverted',
] as const;

const DEAL_EVENTS = [
  'DealOpened',
  'DealStageChanged',
  'QuoteSent',
  'DealActivityLogged',
  'DealOwnerTransferred',
  'DealWon',
  'DealLost',
] as const;

/** The namespace of src/http/command-sender.ts `deriveId`, so saga tasks get ids of the same kind. */
const DERIVED_IDS = '6f1c8f52-3f7e-4d2a-9a57-3f1b0c9f2a11';
const deriveId = (commandId: string, role: string): string =>
  uuidv5(`${role}:${commandId}`, DERIVED_IDS);

const leadKey = (leadId: string) => `lead:${leadId}`;
const dealKey = (dealId: string) => `deal:${dealId}`;

type Detail = Record<string, string | number | boolean>;

/** Drops absent values: the automation log's detail holds only strings, numbers and booleans. */
const detailOf = (fields: Record<string, string | number | boolean | undefined>): Detail =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Detail;

/** A run's rungs in a decision's detail: `level<n>Action` and `level<n>DueAt`. */
export const ladderDetail = (steps: Array<{ level: number; action: string; dueAt: string }>) =>
  Object.fromEntries(
    steps.flatMap((step) => [
      [`level${step.level}Action`, step.action],
      [`level${step.level}DueAt`, step.dueAt],
    ]),
  ) as Detail;

const CLOCK_LABEL: Record<SlaClockKind, string> = {
  first_response: 'first response',
  proposal: 'initial proposal',
};

const TASK_TITLE: Record<Exclude<SlaAction, 'reassign'>, (clock: SlaClockKind) => string> = {
  remind_owner: (clock) => `SLA reminder: send the ${CLOCK_LABEL[clock]}`,
  escalate_team_lead: (clock) => `SLA escalation: ${CLOCK_LABEL[clock]} overdue in your team`,
  escalate_manager: (clock) => `SLA escalation: ${CLOCK_LABEL[clock]} overdue`,
};

export function createSlaEscalationSaga(options: SlaSagaOptions = {}): Saga {
  const policyNow = (view: ProjectionView): SlaPolicy | undefined =>
    options.policy ?? latestPolicy<SlaPolicy>(view, SLA_POLICY_ID);

  // ---- The automation log and the effects ----------------------------------------------------

  const decide = (
    context: SagaContext,
    doc: SlaCase,
    commandId: string,
    decision: AutomationDecision,
    step: string,
    extra: { dueAt?: string; detail?: Detail; reason?: string; correlationId?: string } = {},
  ): void => {
    const policy = { id: doc.policy.id, version: doc.policy.version };
    const data: RecordAutomationDecision['data'] = {
      saga: SLA_SAGA,
      recordKind: 'lead',
      recordId: doc.leadId,
      decision,
      step,
      ...(extra.dueAt !== undefined && { dueAt: extra.dueAt }),
      ...(extra.detail !== undefined && { detail: extra.detail }),
      policy,
    };
    context.send({
      aggregate: 'automation',
      id: doc.leadId,
      commandId,
      ...(extra.correlationId !== undefined && { correlationId: extra.correlationId }),
      type: 'RecordAutomationDecision',
      data: data as unknown as Record<string, unknown>,
      occurredAt: context.now,
      ...(extra.reason !== undefined && { reason: extra.reason }),
      policy,
    });
  };

  // ---- Starting a run ------------------------------------------------------------------------

  /** The team's calendar at `at`, else the policy's default calendar; none: calendar time. */
  const businessCalendar = (
    view: ProjectionView,
    doc: SlaCase,
    at: string,
  ): { key: string; calendar: BusinessCalendar } | undefined => {
    const owned = ownerCalendarAt(view, doc.ownerId, at);
    if (owned) return { key: owned.calendarKey, calendar: owned.calendar };
    const calendars = latestPolicy<CalendarPolicy>(view, CALENDAR_POLICY_ID);
    const fallback = calendars && findCalendar(calendars, doc.policy.defaultCalendarKey);
    return fallback ? { key: fallback.key, calendar: fallback } : undefined;
  };

  const startRun = (
    context: SagaContext,
    doc: SlaCase,
    kind: SlaClockKind,
    cause: 'inquiry' | 'handover',
  ): void => {
    const definition = clockPolicy(doc.policy, kind);
    const startedAt = toIso(context.now);
    const business =
      definition.mode === 'business' ? businessCalendar(context, doc, startedAt) : undefined;
    const add = (minutes: number) => addMinutes(startedAt, minutes, business?.calendar);
    const teamId = teamAt(context, doc.ownerId, startedAt);
    const run: SlaRun = {
      startedAt,
      ...(doc.ownerId !== undefined && { ownerId: doc.ownerId }),
      ...(teamId !== undefined && { teamId }),
      mode: business ? 'business' : 'calendar',
      ...(business && { calendarKey: business.key }),
      deadline: add(definition.targetMinutes),
      steps: definition.ladder.map((rung) => ({
        level: rung.level,
        action: rung.action,
        dueAt: add(rung.afterMinutes),
        status: 'pending' as const,
      })),
    };
    const clock: SlaClock = doc.clocks[kind] ?? { state: 'running', runs: [] };
    clock.state = 'running';
    clock.runs.push(run);
    doc.clocks[kind] = clock;
    scheduleRun(context, doc.id, kind, run);

    // One decision for the run: the deadline, and each rung's action and due time in its detail.
    decide(
      context,
      doc,
      runCommandId(doc.leadId, kind, startedAt, 'target:scheduled'),
      'scheduled',
      `${kind}.target`,
      {
        dueAt: run.deadline,
        detail: detailOf({
          clock: kind,
          cause,
          mode: run.mode,
          requestedMode: definition.mode,
          calendarKey: run.calendarKey,
          targetMinutes: definition.targetMinutes,
          onHandover: definition.onHandover,
          ownerId: run.ownerId,
          teamId: run.teamId,
          dealId: doc.dealId,
          ...ladderDetail(run.steps),
        }),
      },
    );
  };

  const scheduleRun = (context: SagaContext, docId: string, kind: SlaClockKind, run: SlaRun) => {
    const data = { doc: docId, clock: kind, runStart: run.startedAt };
    if (!run.breach) {
      context.schedule({
        id: runTimerId(docId, kind, run.startedAt, 'deadline'),
        dueAt: run.deadline,
        kind: 'sla.target',
        data,
      });
    }
    for (const step of run.steps.filter((s) => s.status === 'pending')) {
      context.schedule({
        id: runTimerId(docId, kind, run.startedAt, `rung-${step.level}`),
        dueAt: step.dueAt,
        kind: 'sla.step',
        data: { ...data, level: step.level },
      });
    }
  };

  /** Cancels the run's timers still pending; returns how many rungs will no longer fire. */
  const cancelRun = (
    context: SagaContext,
    docId: string,
    kind: SlaClockKind,
    run: SlaRun,
  ): number => {
    if (!run.breach) context.cancel(runTimerId(docId, kind, run.startedAt, 'deadline'));
    let cancelled = 0;
    for (const step of run.steps.filter((s) => s.status === 'pending')) {
      context.cancel(runTimerId(docId, kind, run.startedAt, `rung-${step.level}`));
      step.status = 'cancelled';
      cancelled += 1;
    }
    return cancelled;
  };

  // ---- Stopping and handing over -------------------------------------------------------------

  /** `metAt`: when the response, quote or stage move happened; absent for closures (not judged). */
  const stop = (
    context: SagaContext,
    doc: SlaCase,
    kind: SlaClockKind,
    reason: SlaStopReason,
    metAt?: string,
  ): void => {
    const clock = doc.clocks[kind];
    if (!clock || clock.state !== 'running') return;
    const run = currentRun(clock);
    const cancelledSteps = cancelRun(context, doc.id, kind, run);
    const inTime = metAt === undefined ? undefined : Date.parse(metAt) <= Date.parse(run.deadline);
    run.end = {
      at: toIso(context.now),
      reason,
      ...(metAt !== undefined && { metAt: toIso(metAt) }),
      ...(inTime !== undefined && { inTime }),
    };
    clock.state = 'stopped';
    decide(
      context,
      doc,
      runCommandId(doc.leadId, kind, run.startedAt, 'stopped'),
      'stopped',
      `${kind}.stop`,
      {
        dueAt: run.deadline,
        detail: detailOf({
          clock: kind,
          reason,
          metAt: run.end.metAt,
          inTime,
          breached: inTime === false || (inTime === undefined && run.breach !== undefined),
          cancelledSteps,
          dealId: doc.dealId,
        }),
      },
    );
  };

  const handover = (context: SagaContext, doc: SlaCase, to: string): void => {
    const from = doc.ownerId;
    if (from === to) return;
    doc.ownerId = to;
    if (doc.status !== 'open') return;
    for (const kind of SLA_CLOCKS) {
      const clock = doc.clocks[kind];
      if (!clock || clock.state !== 'running') continue;
      const run = currentRun(clock);
      const mode = clockPolicy(doc.policy, kind).onHandover;
      const at = toIso(context.now);
      // A restart at the run's own start instant would be the same run again: it continues.
      if (mode === 'continue' || run.startedAt === at) {
        // The deadlines stand; rungs still to fire go to the new owner and their team.
        decide(
          context,
          doc,
          runCommandId(doc.leadId, kind, run.startedAt, `handover:${at}`),
          'scheduled',
          `${kind}.handover`,
          {
            dueAt: run.deadline,
            detail: detailOf({
              clock: kind,
              onHandover: mode,
              restarted: false,
              from,
              to,
              dealId: doc.dealId,
            }),
          },
        );
        continue;
      }
      const cancelledSteps = cancelRun(context, doc.id, kind, run);
      run.end = { at, reason: 'handover' };
      decide(
        context,
        doc,
        runCommandId(doc.leadId, kind, run.startedAt, 'cancelled'),
        'cancelled',
        `${kind}.run`,
        {
          dueAt: run.deadline,
          detail: detailOf({
            clock: kind,
            reason: 'handover',
            onHandover: 'restart',
            from,
            to,
            cancelledSteps,
          }),
        },
      );
      startRun(context, doc, kind, 'handover');
    }
  };

  // ---- Timers --------------------------------------------------------------------------------

  const recipientOf = (
    context: SagaContext,
    doc: SlaCase,
    action: Exclude<SlaAction, 'reassign'>,
    teamId: string | undefined,
  ): string | undefined => {
    const { recipients } = doc.policy;
    const now = toIso(context.now);
    const chosen =
      action === 'remind_owner'
        ? doc.ownerId
        : action === 'escalate_team_lead'
          ? teamLeadAt(context, teamId, now)
          : (recipients.managers.find((manager) => manager.teamId === teamId)?.userId ??
            teamManagersAt(context, teamId, now)[0] ??
            recipients.defaultManagerId);
    return chosen ?? recipients.fallbackRecipientId;
  };

  const fireStep = (
    context: SagaContext,
    doc: SlaCase,
    kind: SlaClockKind,
    run: SlaRun,
    level: number,
  ) => {
    const step = run.steps.find((candidate) => candidate.level === level);
    if (!step || step.status !== 'pending') return;
    const now = toIso(context.now);
    const teamId = teamAt(context, doc.ownerId, now);
    Object.assign(step, {
      ...(doc.ownerId !== undefined && { ownerId: doc.ownerId }),
      ...(teamId !== undefined && { teamId }),
    });
    const base = (part: string) =>
      runCommandId(doc.leadId, kind, run.startedAt, `L${level}:${part}`);
    // One id for everything this firing sends (decision, task, reassignment): the history links them.
    const correlationId = runCommandId(doc.leadId, kind, run.startedAt, `L${level}`);
    const stepName = `${kind}.level_${level}`;
    const facts = {
      clock: kind,
      level,
      action: step.action,
      ownerId: doc.ownerId,
      teamId,
      dealId: doc.dealId,
    };
    if (step.action === 'reassign') {
      step.status = 'fired';
      const reason = `${CLOCK_LABEL[kind]} not sent: reassignment through the assignment rules requested`;
      decide(context, doc, base('escalated'), 'escalated', stepName, {
        dueAt: run.deadline,
        detail: detailOf({ ...facts, action: 'reassign_requested' }),
        reason,
        correlationId,
      });
      // The new owner is chosen when the command is handled (rotation, load and shifts then),
      // which keeps the saga, and so its replays, deterministic. A converted case is the deal
      // owner's: its reassignment stays a request on the log.
      if (doc.dealId) return;
      const data: ReassignLeadByRuleData = {
        leadId: doc.leadId,
        ...(doc.ownerId !== undefined && { fromOwnerId: doc.ownerId }),
        clock: kind,
        level,
      };
      context.send({
        aggregate: 'lead',
        id: doc.leadId,
        commandId: base('reassign'),
        correlationId,
        type: REASSIGN_LEAD_BY_RULE,
        data: data as unknown as Record<string, unknown>,
        occurredAt: context.now,
        reason: `SLA escalation (${doc.policy.id} v${doc.policy.version} level ${level}): ${CLOCK_LABEL[kind]} not sent by ${run.deadline}`,
        policy: { id: doc.policy.id, version: doc.policy.version },
      });
      return;
    }
    const assigneeId = recipientOf(context, doc, step.action, teamId);
    if (!assigneeId) {
      step.status = 'suppressed';
      decide(context, doc, base('suppressed'), 'suppressed', stepName, {
        dueAt: run.deadline,
        detail: detailOf({ ...facts, reason: 'no_recipient' }),
        correlationId,
      });
      return;
    }
    step.status = 'fired';
    const taskCommandId = base('task');
    const taskId = deriveId(taskCommandId, 'task');
    const policy = { id: doc.policy.id, version: doc.policy.version };
    const task: CreateTask = {
      taskId,
      linkedTo: doc.dealId ? { kind: 'deal', id: doc.dealId } : { kind: 'lead', id: doc.leadId },
      title: TASK_TITLE[step.action](kind),
      description: `Due ${run.deadline} (${run.mode} time); ladder level ${level}.`,
      dueAt: Date.parse(run.deadline) > Date.parse(now) ? run.deadline : now,
      assigneeId,
      source: { saga: SLA_SAGA, id: `lead-${doc.leadId}` },
    };
    const reason =
      step.action === 'remind_owner'
        ? `${CLOCK_LABEL[kind]} due ${run.deadline}`
        : `${CLOCK_LABEL[kind]} not sent by ${run.deadline}`;
    context.send({
      aggregate: 'task',
      id: taskId,
      commandId: taskCommandId,
      correlationId,
      type: 'CreateTask',
      data: task as unknown as Record<string, unknown>,
      occurredAt: context.now,
      reason,
      policy,
    });
    decide(
      context,
      doc,
      base(step.action === 'remind_owner' ? 'task_created' : 'escalated'),
      step.action === 'remind_owner' ? 'task_created' : 'escalated',
      stepName,
      {
        dueAt: run.deadline,
        detail: detailOf({ ...facts, taskId, assigneeId }),
        reason,
        correlationId,
      },
    );
  };

  const fireTarget = (context: SagaContext, doc: SlaCase, kind: SlaClockKind, run: SlaRun) => {
    if (run.breach) return;
    const at = toIso(context.now);
    const teamId = teamAt(context, doc.ownerId, at);
    run.breach = {
      at,
      ...(doc.ownerId !== undefined && { ownerId: doc.ownerId }),
      ...(teamId !== undefined && { teamId }),
    };
    decide(
      context,
      doc,
      runCommandId(doc.leadId, kind, run.startedAt, 'breach'),
      'flagged',
      `${kind}.breach`,
      {
        dueAt: run.deadline,
        detail: detailOf({
          clock: kind,
          breach: true,
          mode: run.mode,
          targetMinutes: clockPolicy(doc.policy, kind).targetMinutes,
          ownerId: doc.ownerId,
          teamId,
          dealId: doc.dealId,
        }),
        reason: `${CLOCK_LABEL[kind]} not sent by ${run.deadline}`,
      },
    );
  };

  // ---- Events --------------------------------------------------------------------------------

  /** Why an inquiry starts no clock, or undefined for a live one. */
  const notLive = (event: RecordedEvent, policy: SlaPolicy): string | undefined => {
    if ((event.data as { live?: unknown }).live === false) return 'not_live';
    if (event.metadata.cause?.kind === 'import') return 'import';
    const lag = Date.parse(event.recordedAt) - Date.parse(event.metadata.occurredAt);
    return lag > policy.liveWindowMinutes * 60_000 ? 'back_dated' : undefined;
  };

  const receive = (event: RecordedEvent, context: SagaContext): void => {
    const data = event.data as { leadId?: string; channel?: string };
    const leadId = data.leadId ?? streamId(event);
    const policy = policyNow(context);
    const enabled = policy ? SLA_CLOCKS.filter((kind) => clockPolicy(policy, kind).enabled) : [];
    const reason = !policy
      ? 'no_policy'
      : (notLive(event, policy) ?? (enabled.length ? undefined : 'disabled'));
    if (!policy || reason) {
      // The log answers "why did no clock start?"; no case is kept.
      const ref = policy && { id: policy.id, version: policy.version };
      context.send({
        aggregate: 'automation',
        id: leadId,
        commandId: `${SLA_SAGA}:${leadId}:start:suppressed`,
        type: 'RecordAutomationDecision',
        data: {
          saga: SLA_SAGA,
          recordKind: 'lead',
          recordId: leadId,
          decision: 'suppressed',
          step: 'sla.start',
          detail: { reason: reason ?? 'no_policy' },
          ...(ref && { policy: ref }),
        },
        occurredAt: context.now,
        ...(ref && { policy: ref }),
      });
      return;
    }
    const doc: SlaCase = {
      id: leadKey(leadId),
      leadId,
      channel: data.channel ?? 'other',
      receivedAt: toIso(context.now),
      status: 'pending',
      policy: structuredClone(policy),
      clocks: {},
    };
    context.put(SLA_CLOCKS_COLLECTION, doc);
    // Started by a timer at the same instant, so that an assignment made in the same append (rules
    // assign on receipt) is applied first and the clock runs on the owner's team calendar.
    context.schedule({
      id: startTimerId(doc.id),
      dueAt: event.metadata.occurredAt,
      kind: 'sla.start',
      data: { doc: doc.id },
    });
  };

  const convert = (
    context: SagaContext,
    doc: SlaCase,
    data: { dealId: string; ownerId?: string },
  ) => {
    // The case follows the deal: its events carry no lead id, so they find the case by the deal.
    const moved: SlaCase = { ...doc, id: dealKey(data.dealId), dealId: data.dealId };
    context.delete(SLA_CLOCKS_COLLECTION, doc.id);
    if (doc.status === 'pending') {
      context.cancel(startTimerId(doc.id));
      context.schedule({
        id: startTimerId(moved.id),
        dueAt: context.now,
        kind: 'sla.start',
        data: { doc: moved.id },
      });
    }
    for (const kind of SLA_CLOCKS) {
      const clock = moved.clocks[kind];
      if (!clock || clock.state !== 'running') continue;
      const run = currentRun(clock);
      const pending = run.steps.filter((step) => step.status === 'pending');
      if (!run.breach) context.cancel(runTimerId(doc.id, kind, run.startedAt, 'deadline'));
      for (const step of pending)
        context.cancel(runTimerId(doc.id, kind, run.startedAt, `rung-${step.level}`));
      scheduleRun(context, moved.id, kind, run);
    }
    if (data.ownerId) handover(context, moved, data.ownerId);
    context.put(SLA_CLOCKS_COLLECTION, moved);
  };

  const onCase = (event: RecordedEvent, context: SagaContext, doc: SlaCase): void => {
    const data = event.data as Record<string, unknown>;
    const stopAtStages = doc.policy.proposal.stopAtStages;
    switch (event.type) {
      case 'LeadAssigned':
      case 'LeadOwnershipTransferred':
      case 'DealOwnerTransferred':
        handover(context, doc, data.to as string);
        break;
      case 'LeadResponseRecorded':
      case 'DealActivityLogged':
        if (data.direction === 'outbound')
          stop(context, doc, 'first_response', 'responded', data.at as string);
        break;
      case 'LeadNurtured':
        stop(context, doc, 'proposal', 'nurtured');
        break;
      case 'LeadDisqualified':
        for (const kind of SLA_CLOCKS) stop(context, doc, kind, 'disqualified');
        break;
      case 'LeadConverted':
        convert(context, doc, data as { dealId: string; ownerId?: string });
        return;
      case 'DealOpened':
        if (data.ownerId) handover(context, doc, data.ownerId as string);
        if (stopAtStages.includes(data.stage as string))
          stop(context, doc, 'proposal', 'stage_reached', context.now);
        break;
      case 'DealStageChanged':
        if (stopAtStages.includes(data.to as string))
          stop(context, doc, 'proposal', 'stage_reached', context.now);
        break;
      case 'QuoteSent':
        stop(context, doc, 'proposal', 'quote_sent', context.now);
        break;
      case 'DealWon':
      case 'DealLost':
        for (const kind of SLA_CLOCKS)
          stop(context, doc, kind, event.type === 'DealWon' ? 'deal_won' : 'deal_lost');
        break;
      default:
        return;
    }
    context.put(SLA_CLOCKS_COLLECTION, doc);
  };

  const caseKey = (event: RecordedEvent): string | undefined => {
    if (event.streamName.startsWith('lead-')) return leadKey(streamId(event));
    if (event.streamName.startsWith('deal-')) return dealKey(streamId(event));
    return undefined;
  };

  return {
    name: SLA_SAGA,
    version: 1,
    collections: [
      { name: SLA_CLOCKS_COLLECTION },
      POLICY_COLLECTION,
      ...MEMBERSHIP_COLLECTIONS,
      ...SLA_PEOPLE_COLLECTIONS,
    ],
    eventTypes: [
      ...new Set<string>([
        ...LEAD_EVENTS,
        ...DEAL_EVENTS,
        POLICY_PUBLISHED,
        ...MEMBERSHIP_EVENT_TYPES,
        ...SLA_PEOPLE_EVENT_TYPES,
      ]),
    ],
    reads(event) {
      const key = event.type === POLICY_PUBLISHED ? undefined : caseKey(event);
      return key ? [{ collection: SLA_CLOCKS_COLLECTION, id: key }] : [];
    },
    readsForTimer: (timer) => [{ collection: SLA_CLOCKS_COLLECTION, id: timer.data.doc as string }],

    handle(event, context) {
      if (event.type === POLICY_PUBLISHED) {
        applyPolicy(event, context, [SLA_POLICY_ID, CALENDAR_POLICY_ID]);
        return;
      }
      // Both folds: UserRegistered and UserMovedToTeam feed the memberships and the managers.
      const membership = applyMembership(event, context);
      if (applySlaPeople(event, context) || membership) return;
      if (event.type === 'InquiryReceived') {
        receive(event, context);
        return;
      }
      const key = caseKey(event);
      const doc = key && context.get<SlaCase>(SLA_CLOCKS_COLLECTION, key);
      if (doc) onCase(event, context, doc);
    },

    fire(timer: SagaTimer, context) {
      const doc = context.get<SlaCase>(SLA_CLOCKS_COLLECTION, timer.data.doc as string);
      if (!doc) return;
      if (timer.kind === 'sla.start') {
        if (doc.status !== 'pending') return;
        doc.status = 'open';
        for (const kind of SLA_CLOCKS)
          if (clockPolicy(doc.policy, kind).enabled) startRun(context, doc, kind, 'inquiry');
        context.put(SLA_CLOCKS_COLLECTION, doc);
        return;
      }
      const kind = timer.data.clock as SlaClockKind;
      const clock = doc.clocks[kind];
      // A timer of a run that has ended (a redelivery after a stop or restart) does nothing.
      if (!clock || clock.state !== 'running') return;
      const run = currentRun(clock);
      if (run.startedAt !== timer.data.runStart) return;
      if (timer.kind === 'sla.target') fireTarget(context, doc, kind, run);
      else fireStep(context, doc, kind, run, timer.data.level as number);
      context.put(SLA_CLOCKS_COLLECTION, doc);
    },
  };
}

/** The saga as it runs live: policies as published. */
export const slaEscalationSaga: Saga = createSlaEscalationSaga();
