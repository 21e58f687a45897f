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

/** Commands recorded under a saga's deterministic ids, by event type, read beside the app. */
function sagaEvents(dataDir: string, type: string, saga: string): string[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare('SELECT metadata FROM events WHERE type = ? ORDER BY position')
        .all(type) as Array<{
        metadata: string;
      }>
    )
      .map((row) => JSON.parse(row.metadata).commandId as string)
      .filter((commandId) => commandId?.startsWith(`${saga}:`));
  } finally {
    db.close();
  }
}

async function call(
  baseUrl: string,
  token: string,
  path: string,
  body: unknown,
  method = 'POST',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('deal sagas across crashes (SIGKILL while a reminder and a stale timer are due)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-deal-saga-crash-'));
  const clockFile = join(dataDir, 'clock.txt');
  let running: Running | undefined;

  afterAll(async () => {
    if (running) await kill(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('each reminder and the stale question happen exactly once after kills and restarts', async () => {
    // Tuesday 3 March 2026, 13:00 in Riyadh.
    writeFileSync(clockFile, '2026-03-03T10:00:00.000Z');
    running = await start(dataDir, clockFile);
    const { baseUrl } = running;
    const admin = await signIn(baseUrl, ADMIN.email, ADMIN.password);
    const rep = { email: 'rep.crash@tradeflow.test', password: 'crash test rep password' };
    const registered = await call(baseUrl, admin, '/api/users', {
      userId: 'rep.crash',
      name: 'Rita Crash',
      role: 'rep',
      ...rep,
    });
    expect(registered.status).toBe(201);
    const token = await signIn(baseUrl, rep.email, rep.password);
    const lead = await call(baseUrl, token, '/api/inquiries', {
      channel: 'alibaba',
      inquirer: {
        name: 'Omar Saleh',
        email: 'omar@jeddah-valves.sa',
        company: 'Jeddah Valves',
        country: 'SA',
      },
    });
    expect(lead.status).toBe(201);
    await call(baseUrl, token, `/api/leads/${lead.body.id}/owner`, {
      to: 'rep.crash',
      reason: 'mine',
    });
    const converted = await call(baseUrl, token, `/api/leads/${lead.body.id}/convert`, {
      newAccount: {
        name: 'Jeddah Valves',
        country: 'SA',
        timeZone: 'Asia/Riyadh',
        website: 'jeddah-valves.sa',
        mainProducts: ['valves'],
        customerType: 'distributor',
        grade: 'B',
      },
      deal: { title: 'Gate valves', productLine: 'valves', currency: 'USD' },
    });
    expect(converted.status).toBe(201);
    const dealPath = `/api/deals/${converted.body.dealId as string}`;
    const drafted = await call(baseUrl, token, `${dealPath}/quotes`, {
      currency: 'USD',
      incoterm: 'FOB',
      paymentTerm: { method: 'T/T', advancePercent: 30 },
      moq: 10,
      leadTimeDays: 40,
      validUntil: '2026-04-30',
      lines: [
        {
          description: 'Gate valve DN100',
          quantity: 10,
          unitPriceMinor: 90_000,
          unitCostMinor: 70_000,
        },
      ],
    });
    expect(drafted.status).toBe(201);
    const sent = await call(
      baseUrl,
      token,
      `${dealPath}/quotes/${drafted.body.quoteId as string}/send`,
      {},
    );
    expect(sent.status).toBe(200);
    await waitFor(() =>
      decisions(dataDir).some((d) => d.step === 'follow_up.day7' && d.decision === 'scheduled'),
    );
    await kill(running);

    // 18 March: both reminders (8 and 10 March) and the idle question (17 March) fell due while down.
    writeFileSync(clockFile, '2026-03-18T00:00:00.000Z');
    running = await start(dataDir, clockFile);
    await waitFor(() => sagaEvents(dataDir, 'TaskCreated', 'follow-up-reminders').length > 0);
    await kill(running);

    writeFileSync(clockFile, '2026-03-18T00:00:05.000Z');
    running = await start(dataDir, clockFile);
    await waitFor(() => sagaEvents(dataDir, 'DealFlaggedStale', 'stale-deals').length > 0);
    let previous = -1;
    await waitFor(() => {
      const now = decisions(dataDir).length;
      const settled = now === previous;
      previous = now;
      return settled;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(sagaEvents(dataDir, 'TaskCreated', 'follow-up-reminders')).toEqual([
      expect.stringMatching(/:day3$/),
      expect.stringMatching(/:day7$/),
    ]);
    expect(sagaEvents(dataDir, 'TaskCreated', 'stale-deals')).toHaveLength(1);
    expect(sagaEvents(dataDir, 'DealFlaggedStale', 'stale-deals')).toHaveLength(1);
    const log = decisions(dataDir);
    const ids = log.map((d) => d.commandId);
    expect(new Set(ids).size).toBe(ids.length);
    const fired = log
      .filter((d) => d.step.startsWith('follow_up') || d.step.startsWith('stale'))
      .map((d) => `${d.step}:${d.decision}`);
    expect(fired.sort()).toEqual(
      [
        'follow_up.day3:scheduled',
        'follow_up.day7:scheduled',
        'follow_up.day3:task_created',
        'follow_up.day7:task_created',
        'stale.close_or_lost:task_created',
        'stale.flag:flagged',
      ].sort(),
    );
    const tasks = taskStreams(dataDir);
    expect(new Set(tasks).size).toBe(tasks.length);
  }, 240_000);
});
