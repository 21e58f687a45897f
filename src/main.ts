import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './bootstrap';
import { readSettings } from './settings/app-settings';

const DEMO_DEALS = 400;

/** The demo's clock is fixed at its first load, so later starts recognise every command and add nothing. */
function demoClock(dataDir: string): string {
  const file = join(dataDir, 'demo-clock.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const until = new Date(new Date().toISOString().slice(0, 10)).toISOString();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, until);
  return until;
}

async function bootstrap(): Promise<void> {
  const settings = readSettings();
  if (process.argv.includes('--demo')) {
    // Loaded only for the demo; the same seed and day write nothing new on a second start.
    const { generate } = await import('./cli/generate-histories');
    console.log(`Loading demo data: ${DEMO_DEALS} generated deals with their history…`);
    const summary = await generate({
      deals: DEMO_DEALS,
      settings,
      until: demoClock(settings.dataDir),
    });
    console.log(
      `Demo data: ${summary.events} events (${summary.wroteNew ? 'new' : 'already loaded'})`,
    );
  }
  const app = await createApp(settings);
  await app.listen(settings.port, settings.host);
  const where =
    settings.eventStore.kind === 'sqlite' ? settings.eventStore.file : settings.eventStore.url;
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'log',
      msg: `Tradeflow CRM listening on http://${settings.host}:${settings.port}`,
      eventStore: settings.eventStore.kind,
      where,
      docs: `http://${settings.host}:${settings.port}/api/docs`,
    }),
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
