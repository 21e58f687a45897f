import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';

@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @HttpCode(200)
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the stores answer. */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; eventStore: string }> {
    try {
      await this.eventStore.ping();
    } catch (error) {
      throw new ServiceUnavailableException({
        status: 'unavailable',
        eventStore: this.settings.eventStore.kind,
        reason: (error as Error).message,
      });
    }
    return { status: 'ready', eventStore: this.settings.eventStore.kind };
  }
}
