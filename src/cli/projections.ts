/**
 * `npm run projections -- status | rebuild <name> | catch-up | checksum | forget <name>`: the projection runner from the
 * command line, on the stores the settings name (DATA_DIR, EVENTSTORE_URL, MONGO_URL).
 * If a server runs on the same stores, its leases decide who does the work; this waits either way.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ReadModels } from '../projection-runner/read-models';
import { readSettings } from '../settings/app-settings';

const USAGE = `Usage: npm run projections -- <command>

  status            every projection: generation, state, checkpoint, events behind, failure
  rebuild <name>    build <name> again from the whole log beside the live one; switch when caught up
  catch-up          apply every stored event to every projection, then exit
  checksum          catch up, then print a digest of each read model (equal digests: equal models)
  forget <name>     drop the collections, checkpoints and registry entry of a projection this
                    version no longer defines (e.g. correlation-index); run it once every instance
                    runs this version`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (
    !command ||
    !['status', 'rebuild', 'catch-up', 'checksum', 'forget'].includes(command) ||
    ((command === 'rebuild' || command === 'forget') && !name)
  ) {
    console.log(USAGE);
    process.exitCode = command ? 2 : 0;
    return;
  }
  // Read models only: automation acting here would write new events while the CLI measures.
  const settings = readSettings({ ...process.env, RUN_SAGAS: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  // The runner's timers do not hold the process open (a server has its socket); the CLI must.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    const runner = app.get(ProjectionRunner);
    const readModels = app.get(ReadModels);
    if (command === 'status') {
      console.log(JSON.stringify(await runner.status(), null, 2));
    } else if (command === 'forget') {
      const { dropped } = await runner.forget(name);
      console.log(
        `Forgot ${name}; dropped ${dropped.length ? dropped.join(', ') : 'no collections'}`,
      );
    } else if (command === 'rebuild') {
      const { generation } = await runner.rebuild(name);
      console.log(`Rebuilding ${name} as generation ${generation}…`);
      while (readModels.collection(name, '') !== `${name}_g${generation}_`) await sleep(250);
      console.log(`${name} now serves generation ${generation}`);
    } else {
      const { head } = await runner.status();
      if (head && !(await runner.waitFor(head, 24 * 3600 * 1000)))
        throw new Error('projections did not catch up');
      const result = command === 'checksum' ? await runner.checksums() : await runner.status();
      console.log(JSON.stringify(result, null, 2));
    }
  } finally {
    clearInterval(keepAlive);
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
