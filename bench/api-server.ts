/**
 * The server half of the API benchmark: the real app (createApp, silent) on 127.0.0.1 and a random
 * port, in its own process so the load generator never shares its event loop. Tells the parent
 * its port over IPC and closes cleanly when asked.
 */
import 'reflect-metadata';
import { createApp } from '../src/bootstrap';
import { readSettings } from '../src/settings/app-settings';

export type ServerMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; error: string }
  | { kind: 'usage'; cpuMicros: number };

async function serve(): Promise<void> {
  const settings = readSettings({ ...process.env, HOST: '127.0.0.1', PORT: '0' });
  const app = await createApp(settings, { logLevel: 'silent' });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void close();
    // CPU the whole server used so far (HTTP, commits, read side): the parent takes differences.
    if (message === 'usage') {
      const { user, system } = process.cpuUsage();
      process.send?.({ kind: 'usage', cpuMicros: user + system } satisfies ServerMessage);
    }
  });
  process.on('disconnect', () => void close());
  process.send?.({ kind: 'listening', port } satisfies ServerMessage);
}

serve().catch((error: unknown) => {
  process.send?.({
    kind: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies ServerMessage);
  process.exit(1);
});
