/**
 * The real app in a child process for crash tests: prints `listening <port>` once it serves, so
 * the parent can SIGKILL it at any moment and start it again on the same DATA_DIR.
 */
import 'reflect-metadata';
import { writeSync } from 'node:fs';
import { createApp } from '../../src/bootstrap';
import { readSettings } from '../../src/settings/app-settings';

async function serve(): Promise<void> {
  const settings = readSettings({ ...process.env, HOST: '127.0.0.1', PORT: '0' });
  const app = await createApp(settings, { logLevel: 'silent' });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  writeSync(1, `listening ${port}\n`);
}

serve().catch((error: unknown) => {
  writeSync(2, `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
