import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { readSettings, SettingsError } from './settings/app-settings';

async function bootstrap(): Promise<void> {
  const settings = readSettings();
  const app = await NestFactory.create(AppModule.forRoot(settings));
  app.enableShutdownHooks();
  await app.listen(settings.port, settings.host);
  const where =
    settings.eventStore.kind === 'sqlite' ? settings.eventStore.file : settings.eventStore.url;
  console.log(
    `Tradeflow CRM listening on http://${settings.host}:${settings.port} (event store: ${settings.eventStore.kind} ${where})`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof SettingsError ? error.message : error);
  process.exit(1);
});
