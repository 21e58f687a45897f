import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { CommandsModule } from './commands/commands.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { ProjectionsModule } from './projection-runner/projections.module';
import { SagasModule } from './saga-runner/sagas.module';
import { RequestContextMiddleware } from './http/request-context.middleware';
import { MetricsController } from './observability/metrics.controller';
import { HttpMetricsMiddleware } from './observability/http-metrics.middleware';
import { AppSettings } from './settings/app-settings';
import { SettingsModule } from './settings/settings.module';
import { Clock } from './shared/clock';
import { FEATURE_MODULES } from './feature-modules';

@Module({})
export class AppModule implements NestModule {
  static forRoot(settings: AppSettings, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.forRoot(settings, options.clock),
        EventStoreModule,
        CommandsModule,
        IdentityModule,
        ProjectionsModule,
        ...FEATURE_MODULES,
        SagasModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
