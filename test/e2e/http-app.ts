import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { readSettings } from '../../src/settings/app-settings';
import { Clock } from '../../src/shared/clock';
import { FIRST_ADMIN, forgetTokenSource, registerTokenSource } from './test-identities';

export interface RunningApp {
  app: INestApplication;
  baseUrl: string;
  dataDir: string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts the real app on a random port over a fresh embedded data folder (or the one given). */
export async function startApp(
  dataDir = mkdtempSync(join(tmpdir(), 'tradeflow-e2e-')),
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<RunningApp> {
  const settings = readSettings({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    // A known first admin, so tests can sign in as it (and nothing is printed on start).
    TRADEFLOW_ADMIN_EMAIL: FIRST_ADMIN.email,
    TRADEFLOW_ADMIN_PASSWORD: FIRST_ADMIN.password,
    ...options.env,
  });
  const app = await createApp(settings, { clock: options.clock, logLevel: 'silent' });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  registerTokenSource(baseUrl, app);
  return {
    app,
    baseUrl,
    dataDir,
    async stop({ keepData = false } = {}) {
      forgetTokenSource(baseUrl);
      await app.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
