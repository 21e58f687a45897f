import {
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ALL_PROJECTIONS } from '../../projections/all-projections';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { MASTER_KEY, subjectKeysFile } from '../commands/commands.module';
import { BuildWorkers } from './build-workers/build-workers';
import { MinPositionInterceptor } from './min-position.interceptor';
import { ProjectionRunner } from './projection-runner';
import { ProjectionsAdminController } from './projections-admin.controller';
import { openReadStore } from './read-store.provider';
import { ReadModels } from './read-models';

@Global()
@Module({
  providers: [
    {
      provide: READ_STORE,
      inject: [APP_SETTINGS],
      useFactory: (settings: AppSettings) => openReadStore(settings.readStore),
    },
    ReadModels,
    {
      provide: BuildWorkers,
      inject: [APP_SETTINGS, MASTER_KEY],
      useFactory: (settings: AppSettings, masterKey: Buffer) =>
        new BuildWorkers({
          workers: settings.projections.buildWorkers,
          minEvents: settings.projections.buildWorkerMinEvents,
          stores: {
            eventStore: settings.eventStore,
            readStore: settings.readStore,
            keysFile: subjectKeysFile(settings),
            masterKey: masterKey.toString('base64'),
          },
          log: (entry) => new Logger('Projections').log(entry),
        }),
    },
    {
      provide: ProjectionRunner,
      inject: [
        EVENT_STORE,
        READ_STORE,
        PersonalDataCipher,
        CLOCK,
        APP_SETTINGS,
        ReadModels,
        BuildWorkers,
      ],
      useFactory: (
        events: EventStore,
        store: ReadStore,
        cipher: PersonalDataCipher,
        clock: Clock,
        settings: AppSettings,
        readModels: ReadModels,
        buildWorkers: BuildWorkers,
      ) => {
        const logger = new Logger('Projections');
        return new ProjectionRunner(
          {
            events,
            store,
            cipher,
            clock,
            holder: `${hostname()}:${process.pid}:${randomUUID()}`,
            batchSize: settings.projections.batchSize,
            flushEvery: settings.projections.flushEvery,
            cacheLimit: settings.projections.cacheLimit,
            leaseTtlMs: settings.projections.leaseTtlMs,
            buildWorkers,
            log: (entry) => logger.log(entry),
          },
          ALL_PROJECTIONS,
          readModels,
        );
      },
    },
    {
      provide: APP_INTERCEPTOR,
      inject: [ProjectionRunner, APP_SETTINGS],
      useFactory: (runner: ProjectionRunner, settings: AppSettings) =>
        new MinPositionInterceptor(runner, settings.projections.minPositionTimeoutMs),
    },
  ],
  controllers: [ProjectionsAdminController],
  exports: [READ_STORE, ReadModels, ProjectionRunner],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly buildWorkers: BuildWorkers,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.projections.run) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.buildWorkers.close();
    await this.store.close();
  }
}
