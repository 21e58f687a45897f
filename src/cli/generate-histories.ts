import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import {
  AUTOMATION_POLICY_ID,
  AutomationPolicy,
  DEFAULT_LIVE_WINDOW_MINUTES,
} from '../../domain/policies/automation-policy';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { FxPolicy } from '../../domain/policies/fx-policy';
import { LossReasonPolicy } from '../../domain/policies/loss-reason-policy';
import { ScoringPolicy } from '../../domain/policies/scoring-policy';
import { StagePolicy } from '../../domain/policies/stage-policy';
import { ALL_SAGAS } from '../../sagas/all-sagas';
import { AppModule } from '../app.module';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { sagaDispatch } from '../saga-runner/saga-dispatch';
import { AppSettings, readSettings } from '../settings/app-settings';
import { DAY, iso, MINUTE } from './history/business-hours';
import { pointSlaAtTeam } from './history/go-live';
import { inStepDispatch } from './history/habit-dispatch';
import { planHistories } from './history/history-plan';
import { Plan, PlannedStep } from './history/plan';
import { Random, sha256Hex } from './history/random';
import { RecordingClock } from './history/recording-clock';
import { repHabitsSaga } from './history/rep-habits';
import { RunProgress, runPlan } from './history/run-plan';
import { SagasInStep } from './history/sagas-in-step';
import { buildTeam } from './history/team';
import { World } from './history/world';

export { HistoryRefusedError } from './history/run-plan';

/** How far back the histories reach from the run's clock. */
export const HISTORY_DAYS = 540;
/** The CRM was set up (policies, first admin) this long before the histories begin. */
const SET_UP_DAYS = 60;
/** By default (embedded store) the CRM has been in service for the last two months of the histories. */
export const DEFAULT_LIVE_DAYS = 60;

export interface GenerateOptions {
  /** How many deals to write. */
  deals: number;
  /** Same seed (and same `until`) → the same histories, ids included. */
  seed?: string | number;
  /** Where the embedded stores live; DATA_DIR (or ./data) when absent. */
  dataDir?: string;
  /** The run's clock: nothing happens after it. Defaults to the start of the current UTC day. */
  until?: Date | string;
  /**
   * The last N days before `until` are written live (recorded as they happen), with every saga
   * running in step; before that, history imported at go-live. 0: all imported.
   */
  liveDays?: number;
  /** Full settings, for callers that have them; `dataDir` is then ignored. */
  settings?: AppSettings;
  onProgress?: (progress: RunProgress) => void;
}

export interface GenerateSummary {
  seed: string;
  from: string;
  until: string;
  /** Go-live: recorded as it happened from here on, imported at this instant before it. */
  liveFrom: string;
  /** Inquiries that arrived live, each starting SLA clocks. */
  liveInquiries: number;
  /** Events the sagas wrote in step with the histories, by type (decisions by kind). */
  automation: Record<string, number>;
  automationEvents: number;
  where: string;
  deals: number;
  leads: number;
  accounts: number;
  commands: number;
  events: number;
  streams: Record<string, number>;
  eventsByType: Record<string, number>;
  elapsedMs: number;
  /** The generator's own events per second; the automation's come on top. */
  eventsPerSecond: number;
  /** False when the store already held this run: every command was recognised and nothing was written. */
  wroteNew: boolean;
}

const startOfUtcDay = (date: Date): Date =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/**
 * Writes realistic export-sales histories through the application's own command pipeline: the same
 * AppModule, the CommandBus, the deciders and the store. History before go-live is imported
 * (back-dated); the last `liveDays` are recorded as they happen, with the sagas (ALL_SAGAS) deciding
 * in step, so their log holds what really happened and when, and the app's catch-up over it sends
 * nothing new. From go-live on the stories leave stage tasks and lifecycle moves to the sagas, and
 * the generated reps work the sagas' tasks (`history/rep-habits.ts`).
 */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  if (!Number.isSafeInteger(options.deals) || options.deals < 1)
    throw new Error(`deals must be a whole number of at least 1 (got ${options.deals})`);
  const seed = String(options.seed ?? 1);
  const until = options.until === undefined ? startOfUtcDay(new Date()) : new Date(options.until);
  if (Number.isNaN(until.getTime()))
    throw new Error(`until must be a date (got ${String(options.until)})`);
  if (until.getTime() > Date.now())
    throw new Error('until may not be in the future: the store refuses future business times');
  const given =
    options.settings ??
    readSettings({
      ...process.env,
      ...(options.dataDir !== undefined && { DATA_DIR: options.dataDir }),
    });
  const liveDays = options.liveDays ?? (given.eventStore.kind === 'sqlite' ? DEFAULT_LIVE_DAYS : 0);
  if (!Number.isSafeInteger(liveDays) || liveDays < 0 || liveDays > HISTORY_DAYS)
    throw new Error(`liveDays must be a whole number from 0 to ${HISTORY_DAYS} (got ${liveDays})`);
  if (liveDays > 0 && given.eventStore.kind !== 'sqlite')
    throw new Error(
      'A live period needs the embedded store: EventStoreDB stamps recordedAt with its own clock, ' +
        'so events written now would read as back-dated. Use --live-days 0 with EVENTSTORE_URL.',
    );
  // The generator writes; the sagas run in step with it (below); the app builds the read
  // models, the sagas' included, when it starts.
  const settings = { ...given, projections: { ...given.projections, run: false, runSagas: false } };

  const started = Date.now();
  const untilMs = until.getTime();
  const fromMs = untilMs - HISTORY_DAYS * DAY;
  const liveFrom = untilMs - liveDays * DAY;
  const clock = new RecordingClock(liveFrom, fromMs - SET_UP_DAYS * DAY);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings, { clock }), {
    logger: false,
  });
  try {
    const registry = app.get<PolicyRegistry>(POLICY_REGISTRY);
    const store = app.get<EventStore>(EVENT_STORE);
    const bus = app.get(CommandBus);
    const runKey = sha256Hex(`${seed}:${until.toISOString()}`).slice(0, 10);
    const ids = new Random(`${seed}:${until.toISOString()}:ids`);
    const plan = new Plan(runKey, ids);
    const world = new World(
      new Random(`${seed}:stories`),
      plan,
      buildTeam(fromMs, untilMs, ids),
      {
        stages: registry.current<StagePolicy>('stages.default'),
        lossReasons: registry.current<LossReasonPolicy>('loss-reasons.default'),
        fx: registry.current<FxPolicy>('fx.default'),
        scoring: registry.has('scoring.default')
          ? registry.current<ScoringPolicy>('scoring.default')
          : undefined,
        calendars: registry.has('calendars.default')
          ? registry.current<CalendarPolicy>('calendars.default')
          : undefined,
      },
      fromMs,
      untilMs,
      options.deals,
      liveFrom,
    );
    world.automatedFrom = liveFrom - liveWindowOf(registry) * MINUTE;
    planHistories(world);
    const steps = plan.ordered();

    const head = await store.headPosition();
    const reps = repHabitsSaga({
      runKey,
      seed,
      team: world.team,
      lossReasons: world.policies.lossReasons,
      lastPlannedAt: lastPlannedPerDeal(steps),
    });
    const sagas = new SagasInStep(
      store,
      [...ALL_SAGAS, reps],
      inStepDispatch(bus, sagaDispatch(bus, clock)),
      clock,
      untilMs,
    );
    let live = false;
    const goLive = async () => {
      await sagas.advanceTo(liveFrom);
      clock.moveTo(liveFrom);
      if (liveDays > 0) await pointSlaAtTeam(registry, world.team);
      live = true;
    };
    await runPlan(bus, steps, options.onProgress, {
      before: async (at) => {
        if (!live && at >= liveFrom) await goLive();
        await sagas.advanceTo(at);
      },
      moveClock: (at) => clock.moveTo(at),
    });
    if (!live) await goLive();
    await sagas.finish(untilMs);
    const { events, automation, automationEvents, streams, eventsByType, liveInquiries } =
      await countSince(
        store,
        head,
        ALL_SAGAS.map((saga) => `${saga.name}:`),
      );
    const elapsedMs = Date.now() - started;
    return {
      seed,
      from: iso(fromMs),
      until: until.toISOString(),
      liveFrom: iso(liveFrom),
      liveInquiries,
      automation,
      automationEvents,
      where:
        settings.eventStore.kind === 'sqlite' ? settings.eventStore.file : settings.eventStore.url,
      deals: world.dealsPlanned,
      leads: world.leadsPlanned,
      accounts: world.accountsPlanned,
      commands: steps.length,
      events,
      streams,
      eventsByType,
      elapsedMs,
      eventsPerSecond: events / (elapsedMs / 1000),
      wroteNew: events > 0,
    };
  } finally {
    await app.close();
  }
}

/** What the run added after `after`: the generator's events, and those of the automations named. */
async function countSince(
  store: EventStore,
  after: string | undefined,
  automationPrefixes: string[],
) {
  const streamNames = new Set<string>();
  const eventsByType: Record<string, number> = {};
  let events = 0;
  let automationEvents = 0;
  const automation: Record<string, number> = {};
  let liveInquiries = 0;
  let position = after;
  for (;;) {
    const page = await store.readAll({
      ...(position !== undefined && { after: position }),
      maxCount: 5000,
    });
    if (page.length === 0) break;
    for (const event of page) {
      position = event.position;
      // Only what the generator itself wrote; automations (the review queue, sagas) add their own.
      const commandId = String(event.metadata.commandId ?? '');
      if (!commandId.startsWith('gen:')) {
        if (!automationPrefixes.some((prefix) => commandId.startsWith(prefix))) continue;
        automationEvents++;
        const decision = event.type === 'AutomationDecisionRecorded' ? event.data.decision : '';
        const kind = decision ? `${event.type}: ${String(decision)}` : event.type;
        automation[kind] = (automation[kind] ?? 0) + 1;
        continue;
      }
      events++;
      if (event.type === 'InquiryReceived' && event.data.live === true) liveInquiries++;
      streamNames.add(event.streamName);
      eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
    }
  }
  const streams: Record<string, number> = {};
  for (const name of streamNames) {
    const kind = name.slice(0, name.indexOf('-'));
    streams[kind] = (streams[kind] ?? 0) + 1;
  }
  return { events, automation, automationEvents, streams, eventsByType, liveInquiries };
}

/** The deal and account sagas' live window (`automation.default`), as they judge it. */
function liveWindowOf(registry: PolicyRegistry): number {
  if (!registry.has(AUTOMATION_POLICY_ID)) return DEFAULT_LIVE_WINDOW_MINUTES;
  return (
    registry.current<AutomationPolicy>(AUTOMATION_POLICY_ID).liveWindowMinutes ??
    DEFAULT_LIVE_WINDOW_MINUTES
  );
}

/** When the plan last writes to each deal. */
function lastPlannedPerDeal(steps: PlannedStep[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const step of steps)
    if (step.target.kind === 'domain' && step.target.aggregate === 'deal')
      last.set(step.target.id, Math.max(step.at, last.get(step.target.id) ?? 0));
  return last;
}
