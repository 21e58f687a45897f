import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { FxPolicy } from '../../domain/policies/fx-policy';
import { LossReasonPolicy } from '../../domain/policies/loss-reason-policy';
import { ScoringPolicy } from '../../domain/policies/scoring-policy';
import { StagePolicy } from '../../domain/policies/stage-policy';
import { AppModule } from '../app.module';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { AppSettings, readSettings } from '../settings/app-settings';
import { DAY, iso } from './history/business-hours';
import { planHistories } from './history/history-plan';
import { Plan } from './history/plan';
import { Random, sha256Hex } from './history/random';
import { RunProgress, runPlan } from './history/run-plan';
import { buildTeam } from './history/team';
import { World } from './history/world';

export { HistoryRefusedError } from './history/run-plan';

/** How far back the histories reach from the run's clock. */
export const HISTORY_DAYS = 540;

export interface GenerateOptions {
  /** How many deals to write. */
  deals: number;
  /** Same seed (and same `until`) → the same histories, ids included. */
  seed?: string | number;
  /** Where the embedded stores live; DATA_DIR (or ./data) when absent. */
  dataDir?: string;
  /** The run's clock: nothing happens after it. Defaults to the start of the current UTC day. */
  until?: Date | string;
  /** Full settings, for callers that have them; `dataDir` is then ignored. */
  settings?: AppSettings;
  onProgress?: (progress: RunProgress) => void;
}

export interface GenerateSummary {
  seed: string;
  from: string;
  until: string;
  where: string;
  deals: number;
  leads: number;
  accounts: number;
  commands: number;
  events: number;
  streams: Record<string, number>;
  eventsByType: Record<string, number>;
  elapsedMs: number;
  eventsPerSecond: number;
  /** False when the store already held this run: every command was recognised and nothing was written. */
  wroteNew: boolean;
}

const startOfUtcDay = (date: Date): Date =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/**
 * Writes realistic export-sales histories through the application's own command pipeline: the same
 * AppModule, the CommandBus, the deciders and the store, with back-dated business times.
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
  // The generator only writes; the app builds the read models when it starts.
  const settings = { ...given, projections: { ...given.projections, run: false, runSagas: false } };

  const started = Date.now();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings), {
    logger: false,
  });
  try {
    const registry = app.get<PolicyRegistry>(POLICY_REGISTRY);
    const store = app.get<EventStore>(EVENT_STORE);
    const untilMs = until.getTime();
    const fromMs = untilMs - HISTORY_DAYS * DAY;
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
      },
      fromMs,
      untilMs,
      options.deals,
    );
    planHistories(world);
    const steps = plan.ordered();

    const head = await store.headPosition();
    await runPlan(app.get(CommandBus), steps, options.onProgress);
    const { events, streams, eventsByType } = await countSince(store, head);
    const elapsedMs = Date.now() - started;
    return {
      seed,
      from: iso(fromMs),
      until: until.toISOString(),
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

async function countSince(store: EventStore, after: string | undefined) {
  const streamNames = new Set<string>();
  const eventsByType: Record<string, number> = {};
  let events = 0;
  let position = after;
  for (;;) {
    const page = await store.readAll({
      ...(position !== undefined && { after: position }),
      maxCount: 5000,
    });
    if (page.length === 0) break;
    for (const event of page) {
      position = event.position;
      // Only what the generator itself wrote; automations (the review queue) may add their own.
      if (!String(event.metadata.commandId ?? '').startsWith('gen:')) continue;
      events++;
      streamNames.add(event.streamName);
      eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
    }
  }
  const streams: Record<string, number> = {};
  for (const name of streamNames) {
    const kind = name.slice(0, name.indexOf('-'));
    streams[kind] = (streams[kind] ?? 0) + 1;
  }
  return { events, streams, eventsByType };
}
