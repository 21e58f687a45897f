import type { Clock } from '../../shared/clock';

/**
 * The application's clock while a history is written: the store stamps `recordedAt` from it. The
 * CRM went live at `liveFrom`: what happened before was imported then (recorded at `liveFrom`),
 * what happened since was recorded as it happened (recorded at its business time). So "known at K"
 * reads coherently, and automations tell live events from imported ones as they would in service.
 */
export class RecordingClock implements Clock {
  private at: number;

  constructor(
    readonly liveFrom: number,
    /**
     * Until the first write: a new store seeds its policies then, and they govern the whole
     * history, so they are dated before it.
     */
    setUpAt: number,
  ) {
    this.at = setUpAt;
  }

  now(): Date {
    return new Date(this.at);
  }

  /** The next write happens at business time `businessTime`. */
  moveTo(businessTime: number): void {
    this.at = Math.max(businessTime, this.liveFrom);
  }

  isLive(businessTime: number): boolean {
    return businessTime >= this.liveFrom;
  }
}
