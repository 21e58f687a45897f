import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { createApp } from './bootstrap';
import { AuthService } from './identity/auth.service';
import { Directory } from './identity/directory';
import { readSettings } from './settings/app-settings';

const DEMO_DEALS = 400;
/** Demo only, printed on start: the generated staff have no passwords of their own. */
const DEMO_PASSWORD = 'tradeflow-demo';

/** The demo's clock is fixed at its first load, so later starts recognise every command and add nothing. */
function demoClock(dataDir: string): string {
  const file = join(dataDir, 'demo-clock.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const until = new Date(new Date().toISOString().slice(0, 10)).toISOString();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, until);
  return until;
}

/** Gives every generated staff member without a password the demo password, and says so. */
async function openDemoSignIns(app: INestApplication): Promise<void> {
  const directory = app.get(Directory);
  const auth = app.get(AuthService);
  const staff = directory.allUsers().filter((user) => user.active && user.role !== 'admin');
  for (const user of staff) {
    if (directory.passwordHash(user.userId) === undefined)
      await auth.setPassword(user.userId, DEMO_PASSWORD, { userId: 'system', role: 'system' });
  }
  const manager = staff.find((user) => user.role === 'manager');
  const rep = staff.find((user) => user.role === 'rep');
  console.log(
    `Demo sign-in (password ${DEMO_PASSWORD}): manager ${manager?.email ?? '-'}, rep ${rep?.email ?? '-'}`,
  );
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
  // After listen: the directory reads its users when the modules initialise.
  if (process.argv.includes('--demo')) await openDemoSignIns(app);
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
