import { EventSubscription, RecordedEvent, SubscribeOptions } from '../event-store.port';
import type { SqliteEventStore } from './sqlite-event-store';
import { encodePosition } from './sqlite-schema';

const PAGE_SIZE = 500;

/**
 * Catch-up-then-live over the events table. It reads a page only when the consumer has taken the
 * previous one, which is the back-pressure; live, it wakes on this connection's appends and polls
 * for other connections'.
 */
export class SqliteSubscription implements EventSubscription {
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: SqliteEventStore,
    private scannedTo: number,
    private readonly options: SubscribeOptions,
    private readonly onStopped: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.deliver();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    this.onStopped();
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    let caughtUp = false;
    let lastDelivered: string | undefined =
      this.scannedTo > 0 ? encodePosition(this.scannedTo) : undefined;
    try {
      while (!this.stopped) {
        const page = this.store.scanAll(this.scannedTo, PAGE_SIZE, this.options.filter);
        for (const event of page.events) {
          if (this.stopped) return;
          lastDelivered = event.position;
          yield event;
        }
        this.scannedTo = page.scannedTo;
        if (!page.complete) continue;
        if (!caughtUp) {
          caughtUp = true;
          this.options.onCaughtUp?.(lastDelivered);
        }
        await this.waitForAppends();
      }
    } finally {
      await this.stop();
    }
  }

  private waitForAppends(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.store.pollIntervalMs);
      const unsubscribe = this.store.onAppend(done);
      this.wake = done;
    });
  }
}
