import { DynamicModule, Module } from '@nestjs/common';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthController } from './health/health.controller';
import { AppSettings } from './settings/app-settings';
import { SettingsModule } from './settings/settings.module';

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [SettingsModule.forRoot(settings), EventStoreModule],
      controllers: [HealthController],
    };
  }
}
