import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generate } from '../../src/cli/generate-histories';
import { random } from '../support/random';

const CLI = join(__dirname, '../../src/cli/projections.ts');
const KILLS = 4;

/**
 * The crashed store builds in worker threads (every build goes to one), the fresh store on the
 * main thread: equal checksums then also say both ways build the same read models.
 */
const env = (dataDir: string, builds: 'in workers' | 'on the main thread') => ({
  ...process.env,
  DATA_DIR: dataDir,
  ...(builds === 'in workers'
    ? { PROJECTION_BUILD_WORKERS: '2', PROJECTION_BUILD_WORKER_MIN_EVENTS: '1' }
    : { PROJECTION_BUILD_WORKERS: '0' }),
  // Small batches: many commits, so a kill lands between and inside them.
  PROJECTION_BATCH_SIZE: '5',
  PROJECTION_FLUSH_EVERY: '12',
  // The killed process never releases its leases; the next one takes them over after this.
  PROJECTION_LEASE_TTL_MS: '1000',
});

function runCli(
  dataDir: string,
  command: string,
  builds: Parameters<typeof env>[1],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, command], {
      env: env(dataDir, builds),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Sum of all checkpoints' progress, read beside the running process (WAL allows it). */
function checkpoints(dataDir: string): Map<string, string> {
  const file = join(dataDir, 'readmodels.sqlite');
  if (!existsSync(file)) return new Map();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all() as Array<{ name: string }>;
    const table = tables.find((t) => /checkpoint/i.test(t.name));
    if (!table) return new Map();
    const rows = db.prepare(`SELECT * FROM "${table.name}"`).all() as Array<Record<string, string>>;
    return new Map(rows.map((row) => [row.name, row.position]));
  } finally {
    db.close();
  }
}

function headPosition(dataDir: string): string {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT max(position) AS head FROM events').get() as { head: number };
    return String(row.head).padStart(20, '0');
  } finally {
    db.close();
  }
}

/** Starts catch-up, waits until some checkpoint moves, then SIGKILLs it after a random pause. */
async function killDuringProjection(dataDir: string, pauseMs: number): Promise<void> {
  const before = JSON.stringify([...checkpoints(dataDir)]);
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', CLI, 'catch-up'],
    {
      env: env(dataDir, 'in workers'),
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (JSON.stringify([...checkpoints(dataDir)]) === before && Date.now() < deadline) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
  child.kill('SIGKILL');
  await exited;
}

describe('projections converge after crashes (SIGKILL during projection)', () => {
  const seed = Number(process.env.CONVERGENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const crashed = mkdtempSync(join(tmpdir(), 'tradeflow-converge-'));
  const fresh = mkdtempSync(join(tmpdir(), 'tradeflow-fresh-'));

  afterAll(() => {
    rmSync(crashed, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  });

  it('every read model equals a from-scratch rebuild, by checksum', async () => {
    console.log(`convergence seed ${seed} (rerun with CONVERGENCE_SEED=${seed})`);
    const next = random(seed);
    await generate({
      deals: 60,
      seed: String(seed),
      dataDir: crashed,
      until: '2026-10-01T00:00:00.000Z',
    });
    for (const file of ['events.sqlite', 'master.key'])
      copyFileSync(join(crashed, file), join(fresh, file));
    const head = headPosition(crashed);

    let leftBehind = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      await killDuringProjection(crashed, Math.floor(next() * 400));
      const behind = [...checkpoints(crashed)].filter(([, position]) => position < head);
      if (behind.length > 0) leftBehind += 1;
    }
    expect(leftBehind).toBeGreaterThanOrEqual(1);

    const resumed = await runCli(crashed, 'checksum', 'in workers');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const rebuilt = await runCli(fresh, 'checksum', 'on the main thread');
    expect(rebuilt.code).toBe(0);
    const sums = JSON.parse(resumed.stdout) as Record<string, string>;
    expect(Object.keys(sums).length).toBeGreaterThan(0);
    expect(sums).toEqual(JSON.parse(rebuilt.stdout));
  }, 600_000);
});
