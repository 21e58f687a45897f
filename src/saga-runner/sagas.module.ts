import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Param,
  Post,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ALL_SAGAS } from '../../sagas/all-sagas';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { Allow } from '../identity/access.decorators';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ReadModels } from '../projection-runner/read-models';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { sagaDispatch, sagaDispatchInOrder } from './saga-dispatch';
import { createSagaRunner } from './saga-runner';
import { sagaRunnerSettings } from './saga-runner-settings';

export const SAGA_RUNNER = Symbol('SAGA_RUNNER');

@ApiTags('admin')
@Allow('admin', 'operations')
@Controller('api/admin/sagas')
export class SagasAdminController {
  constructor(@Inject(SAGA_RUNNER) private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({
    summary: 'Every saga: state, checkpoint, events behind, and the event it stopped on',
  })
  status() {
    return this.runner.status();
  }

  @Post(':name/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Restart a saga stopped by an event or timer it could not handle' })
  retry(@Param('name') name: string) {
    this.runner.retry(name);
    return { name, restarted: true };
  }
}

@Module({
  providers: [
    {
      provide: SAGA_RUNNER,
      inject: [EVENT_STORE, READ_STORE, PersonalDataCipher, CLOCK, APP_SETTINGS, CommandBus],
      useFactory: (
        events: EventStore,
        store: ReadStore,
        cipher: PersonalDataCipher,
        clock: Clock,
        settings: AppSettings,
        bus: CommandBus,
      ) => {
        const logger = new Logger('Sagas');
        const deps = {
          events,
          store,
          cipher,
          clock,
          holder: `${hostname()}:${process.pid}:${randomUUID()}`,
          ...sagaRunnerSettings(settings.projections),
          log: (entry: Record<string, unknown>) => logger.log(entry),
        };
        return createSagaRunner(deps, ALL_SAGAS, sagaDispatch(bus, clock), new ReadModels(store), {
          dispatchInOrder: sagaDispatchInOrder(bus),
        });
      },
    },
  ],
  controllers: [SagasAdminController],
})
export class SagasModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SAGA_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.projections.runSagas) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
