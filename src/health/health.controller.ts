import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { Public } from '../identity/access.decorators';

interface Readiness {
  status: 'ready' | 'unavailable';
  eventStore: string;
  reason?: string;
}

@Public()
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

  /** Readiness: the stores answer; 503 naming the store that does not. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<Readiness> {
    const eventStore = this.settings.eventStore.kind;
    try {
      await this.eventStore.ping();
      return { status: 'ready', eventStore };
    } catch (error) {
      response.status(503);
      return { status: 'unavailable', eventStore, reason: (error as Error).message };
    }
  }
}
