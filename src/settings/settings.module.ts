import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock, systemClock } from '../shared/clock';
import { fileClock } from '../shared/file-clock';
import { APP_SETTINGS, AppSettings } from './app-settings';

@Global()
@Module({})
export class SettingsModule {
  static forRoot(
    settings: AppSettings,
    clock: Clock = settings.testClockFile ? fileClock(settings.testClockFile) : systemClock,
  ): DynamicModule {
    return {
      module: SettingsModule,
      providers: [
        { provide: APP_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_SETTINGS, CLOCK],
    };
  }
}
