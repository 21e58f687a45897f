import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../../src/cli/generate-histories';
import { readSettings } from '../../../src/settings/app-settings';
import { RunningApp, startApp } from '../../e2e/http-app';
import { readModelsCaughtUp } from '../../e2e/read-models';
import { FIRST_ADMIN } from '../../e2e/test-identities';

/** Fewer than `npm run demo`'s 400, to keep the browser run short; the same generator and clock. */
export const DEMO_DEALS = 120;
export const MANAGER_PASSWORD = 'dashboard manager password';

export interface DemoApp {
  running: RunningApp;
  manager: { userId: string; name: string; email: string; password: string };
  /** Signed in as the manager, through the same API the dashboard uses. */
  token: string;
  api: <T = any>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The real app over a fresh data folder holding generated demo histories (the code path of
 * `npm start -- --demo`, with its fixed clock: the start of the current UTC day), and the demo's
 * sales manager given a password by the first admin, as an admin would.
 */
export async function startDemoApp(): Promise<DemoApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-browser-'));
  const until = new Date(new Date().toISOString().slice(0, 10)).toISOString();
  const settings = readSettings({
    DATA_DIR: dataDir,
    TRADEFLOW_ADMIN_EMAIL: FIRST_ADMIN.email,
    TRADEFLOW_ADMIN_PASSWORD: FIRST_ADMIN.password,
  });
  await generate({ deals: DEMO_DEALS, settings, until });
  const running = await startApp(dataDir);
  await readModelsCaughtUp(running.baseUrl, 60_000);

  const call = async (
    path: string,
    token?: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const admin = (await call('/api/auth/sign-in', undefined, { body: FIRST_ADMIN })).token as string;
  const users = (await call('/api/users', admin)) as Array<{
    userId: string;
    name: string;
    email: string;
    role: string;
  }>;
  const found = users.find((user) => user.role === 'manager');
  if (!found) throw new Error('the demo data has no sales manager');
  await call('/api/auth/password', admin, {
    body: { userId: found.userId, password: MANAGER_PASSWORD },
  });
  const manager = { ...found, password: MANAGER_PASSWORD };
  const token = (
    await call('/api/auth/sign-in', undefined, {
      body: { email: manager.email, password: manager.password },
    })
  ).token as string;
  return { running, manager, token, api: (path, init) => call(path, token, init) };
}
