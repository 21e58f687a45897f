import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultSeedDirectory } from '../policies/seed-directory';

export type EventStoreSettings =
  | { kind: 'sqlite'; file: string; synchronous: 'FULL' | 'NORMAL' }
  | { kind: 'eventstoredb'; url: string };

export type ReadStoreSettings = { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };

export interface ProjectionSettings {
  /** False on a process that only writes (the history generator); reads then wait for another. */
  run: boolean;
  /** False where automation must not act (the history generator, the projections CLI). */
  runSagas: boolean;
  /** Events per read of the log. */
  batchSize: number;
  /** While catching up, events per read-store transaction. */
  flushEvery: number;
  /** Documents each projection keeps in memory between transactions. */
  cacheLimit: number;
  /** How long a read with ?minPosition= waits for the projections. */
  minPositionTimeoutMs: number;
  /** A projection's lease lapses this long after its holder stops renewing it. */
  leaseTtlMs: number;
  /** Worker threads that build new generations far behind the log (0: on the main thread). */
  buildWorkers: number;
  /** A build at least this many events behind goes to a worker thread; a smaller one stays. */
  buildWorkerMinEvents: number;
}

export interface AppSettings {
  host: string;
  port: number;
  dataDir: string;
  eventStore: EventStoreSettings;
  readStore: ReadStoreSettings;
  projections: ProjectionSettings;
  /** Base64 master key; absent on the embedded default, where DATA_DIR/master.key is created once. */
  masterKey?: string;
  policySeedDir: string;
  /** Largest accepted request body. */
  bodyLimit: string;
  /** Lifetime of a sign-in session token. */
  sessionHours: number;
  /** Tests only: a file holding the current instant, so time can move across a restart. */
  testClockFile?: string;
  /** The first admin's sign-in, used once when no admin exists yet. */
  firstAdmin: { email?: string; password?: string };
}

/** A bad environment variable stops the start with its name and the problem. */
export class SettingsError extends Error {
  constructor(variable: string, problem: string) {
    super(`Environment variable ${variable}: ${problem}`);
    this.name = 'SettingsError';
  }
}

export const APP_SETTINGS = Symbol('APP_SETTINGS');

export function readSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SettingsError('PORT', `"${env.PORT}" is not a TCP port (0–65535)`);
  }
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new SettingsError(
      'SQLITE_SYNCHRONOUS',
      `"${env.SQLITE_SYNCHRONOUS}" must be FULL or NORMAL`,
    );
  }
  const eventStoreUrl = env.EVENTSTORE_URL?.trim();
  if (
    eventStoreUrl !== undefined &&
    eventStoreUrl !== '' &&
    !/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(eventStoreUrl)
  ) {
    throw new SettingsError(
      'EVENTSTORE_URL',
      'must be a connection string such as esdb://localhost:2113?tls=false',
    );
  }
  const bodyLimit = env.BODY_LIMIT ?? '1mb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) {
    throw new SettingsError('BODY_LIMIT', `"${bodyLimit}" must look like 512kb or 1mb`);
  }
  const sessionHours = Number(env.SESSION_HOURS ?? 12);
  if (!Number.isFinite(sessionHours) || sessionHours <= 0 || sessionHours > 24 * 30) {
    throw new SettingsError(
      'SESSION_HOURS',
      `"${env.SESSION_HOURS}" must be a number of hours between 0 and 720`,
    );
  }
  const adminPassword = env.TRADEFLOW_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new SettingsError('TRADEFLOW_ADMIN_PASSWORD', 'must have at least 12 characters');
  }
  if (eventStoreUrl && !env.TRADEFLOW_MASTER_KEY) {
    // A key generated inside a container dies with it, and every sealed field with it.
    throw new SettingsError(
      'TRADEFLOW_MASTER_KEY',
      'is required with EVENTSTORE_URL: generate one with `openssl rand -base64 32` and keep it safe',
    );
  }
  const mongoUrl = env.MONGO_URL?.trim();
  if (mongoUrl && !/^mongodb(\+srv)?:\/\//.test(mongoUrl)) {
    throw new SettingsError(
      'MONGO_URL',
      'must be a connection string such as mongodb://localhost:27017/tradeflow?replicaSet=rs0',
    );
  }
  const runProjections = (env.RUN_PROJECTIONS ?? 'true').toLowerCase();
  if (runProjections !== 'true' && runProjections !== 'false') {
    throw new SettingsError('RUN_PROJECTIONS', `"${env.RUN_PROJECTIONS}" must be true or false`);
  }
  const runSagas = (env.RUN_SAGAS ?? 'true').toLowerCase();
  if (runSagas !== 'true' && runSagas !== 'false') {
    throw new SettingsError('RUN_SAGAS', `"${env.RUN_SAGAS}" must be true or false`);
  }
  const projections: ProjectionSettings = {
    run: runProjections === 'true',
    runSagas: runSagas === 'true',
    batchSize: positiveInteger(env, 'PROJECTION_BATCH_SIZE', 1000, 100_000),
    flushEvery: positiveInteger(env, 'PROJECTION_FLUSH_EVERY', 20_000, 1_000_000),
    cacheLimit: positiveInteger(env, 'PROJECTION_CACHE_DOCUMENTS', 200_000, 10_000_000),
    minPositionTimeoutMs: positiveInteger(env, 'MIN_POSITION_TIMEOUT_MS', 5000, 60_000),
    leaseTtlMs: positiveInteger(env, 'PROJECTION_LEASE_TTL_MS', 15_000, 600_000),
    // One per CPU up to two: a build seldom splits into more threads of similar cost.
    buildWorkers: wholeNumber(
      env,
      'PROJECTION_BUILD_WORKERS',
      Math.min(2, availableParallelism()),
      0,
      16,
    ),
    buildWorkerMinEvents: positiveInteger(
      env,
      'PROJECTION_BUILD_WORKER_MIN_EVENTS',
      50_000,
      1_000_000_000,
    ),
  };
  return {
    host: env.HOST ?? '0.0.0.0',
    readStore: mongoUrl
      ? { kind: 'mongodb', url: mongoUrl }
      : { kind: 'sqlite', file: join(dataDir, 'readmodels.sqlite') },
    projections,
    sessionHours,
    firstAdmin: { email: env.TRADEFLOW_ADMIN_EMAIL || undefined, password: adminPassword },
    masterKey: env.TRADEFLOW_MASTER_KEY || undefined,
    testClockFile: env.TEST_CLOCK_FILE ? resolve(env.TEST_CLOCK_FILE) : undefined,
    policySeedDir: env.POLICY_SEED_DIR ? resolve(env.POLICY_SEED_DIR) : defaultSeedDirectory(),
    bodyLimit,
    port,
    dataDir,
    eventStore: eventStoreUrl
      ? { kind: 'eventstoredb', url: eventStoreUrl }
      : { kind: 'sqlite', file: join(dataDir, 'events.sqlite'), synchronous },
  };
}

function positiveInteger(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  max: number,
): number {
  return wholeNumber(env, variable, fallback, 1, max);
}

function wholeNumber(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(variable, `"${raw}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}
