import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const ADMIN = { email: 'crash.admin@tradeflow.test', password: 'crash test admin password' };

interface Running {
  child: ChildProcess;
  baseUrl: string;
}

function start(dataDir: string, clockFile: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'app.process.ts')],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        TEST_CLOCK_FILE: clockFile,
        TRADEFLOW_ADMIN_EMAIL: ADMIN.email,
        TRADEFLOW_ADMIN_PASSWORD: ADMIN.password,
        // The killed instance never releases its leases; the next one takes them after this.
        PROJECTION_LEASE_TTL_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ child, baseUrl: `http://127.0.0.1:${port}` });
    });
    child.on('exit', (code) =>
      reject(new Error(`app exited (${code}) before serving:\n${stderr}`)),
    );
  });
}

async function kill({ child }: Running): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The automation log of every record, read beside the running app (WAL allows it). */
function decisions(
  dataDir: string,
): Array<{ stream: string; commandId: string; decision: string; step: string }> {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT stream, data, metadata FROM events WHERE stream LIKE 'automation-%' ORDER BY position",
      )
      .all() as Array<{ stream: string; data: string; metadata: string }>;
    return rows.map((row) => {
      const data = JSON.parse(row.data) as { decision: string; step: string };
      return {
        stream: row.stream,
        commandId: JSON.parse(row.metadata).commandId,
        decision: data.decision,
        step: data.step,
      };
    });
  } finally {
    db.close();
  }
}

function taskStreams(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare("SELECT stream FROM events WHERE stream LIKE 'task-%' AND revision = 0")
        .all() as Array<{ stream: string }>
    ).map((r) => r.stream);
  } finally {
    db.close();
  }
}

const waitFor = async (check: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('sagas across crashes (SIGKILL while timers are due)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-saga-crash-'));
  const clockFile = join(dataDir, 'clock.txt');
  let running: Running | undefined;

  afterAll(async () => {
    if (running) await kill(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('each escalation happens exactly once after kills and restarts', async () => {
    // Monday 09:00 in Berlin, inside the default calendar's working hours.
    writeFileSync(clockFile, '2026-03-02T08:00:00.000Z');
    running = await start(dataDir, clockFile);
    const signIn = await fetch(`${running.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const admin = ((await signIn.json()) as { token: string }).token;
    const issued = await fetch(`${running.baseUrl}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        kind: 'intake',
        source: 'web-form',
        label: 'crash',
        expiresInDays: 1,
      }),
    });
    const intake = ((await issued.json()) as { token: string }).token;
    const inquiry = await fetch(`${running.baseUrl}/api/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${intake}` },
      body: JSON.stringify({
        channel: 'website_form',
        inquirer: {
          email: 'buyer@crash-buyer.de',
          name: 'Crash Buyer',
          company: 'Crash Buyer GmbH',
          country: 'DE',
        },
      }),
    });
    expect(inquiry.status).toBe(201);
    await waitFor(() => decisions(dataDir).some((d) => d.decision === 'scheduled'));
    const scheduled = decisions(dataDir).length;
    await kill(running);

    // Three business hours later every first-response step is due.
    writeFileSync(clockFile, '2026-03-02T11:00:00.000Z');
    running = await start(dataDir, clockFile);
    await waitFor(() => decisions(dataDir).length > scheduled);
    await kill(running);

    // The killed instance's leases lapse as time passes, as it would in real life.
    writeFileSync(clockFile, '2026-03-02T11:00:05.000Z');
    running = await start(dataDir, clockFile);
    let previous = -1;
    await waitFor(() => {
      const now = decisions(dataDir).length;
      const settled = now === previous;
      previous = now;
      return settled && now > scheduled;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const log = decisions(dataDir);
    const ids = log.map((d) => d.commandId);
    expect(new Set(ids).size).toBe(ids.length);
    const fired = log
      .filter((d) => d.decision !== 'scheduled')
      .map((d) => `${d.step}:${d.decision}`);
    expect(new Set(fired).size).toBe(fired.length);
    expect(fired.length).toBeGreaterThanOrEqual(3);
    const tasks = taskStreams(dataDir);
    expect(new Set(tasks).size).toBe(tasks.length);
  }, 240_000);
});
