import 'reflect-metadata';
import { createApp } from './bootstrap';
import { readSettings } from './settings/app-settings';

async function bootstrap(): Promise<void> {
  const settings = readSettings();
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
