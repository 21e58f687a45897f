import {
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { EventSubscription, RecordedEvent, SubscribeOptions } from '../event-store.port';
import { CaughtUpTracker } from './caught-up-tracker';
import { isDropped, toStoreError } from './eventstoredb-errors';
import { isSystemEvent, matchesFilter, serverFilter, toRecordedEvent } from './eventstoredb-events';
import { encodePosition, requirePosition } from './eventstoredb-position';

export interface SubscriptionDependencies {
  client: EventStoreDBClient;
  headPosition(): Promise<string | undefined>;
  onStopped(): void;
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Catch-up-then-live over `$all`. The client's subscription is a Node stream consumed with
 * `for await`, and this generator only pulls from it when its own consumer asks for the next
 * event: that is the back-pressure. After a drop it resubscribes after the last position seen.
 */
export class EventStoreDbSubscription implements EventSubscription {
  private stopped = false;
  private current: AllStreamSubscription | undefined;
  private wakeFromBackoff: (() => void) | undefined;
  /** True while the consumer holds an event and has not asked for the next one. */
  private holding = false;
  private headRead = false;
  /** Last `$all` position received, matching or not: resubscriptions start after it. */
  private lastSeen: string | undefined;
  private lastDelivered: string | undefined;
  private readonly caughtUp: CaughtUpTracker;

  constructor(
    private readonly deps: SubscriptionDependencies,
    private readonly options: SubscribeOptions,
  ) {
    this.lastSeen = this.lastDelivered = options.after;
    this.caughtUp = new CaughtUpTracker(options.onCaughtUp);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.deliver();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeFromBackoff?.();
    await this.closeCurrent();
    this.deps.onStopped();
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    let failures = 0;
    try {
      while (!this.stopped) {
        try {
          await this.readHeadOnce();
          if (this.stopped) return;
          this.caughtUp.beforePull(this.lastDelivered);
          for await (const resolved of this.open()) {
            failures = 0;
            const event = this.accept(resolved);
            if (event) {
              this.lastDelivered = event.position;
              this.holding = true;
              yield event;
              this.holding = false;
              if (this.stopped) return;
            }
            this.caughtUp.beforePull(this.lastDelivered);
          }
        } catch (error) {
          if (this.stopped) return;
          if (!isDropped(error)) throw toStoreError(error);
        } finally {
          await this.closeCurrent();
        }
        this.caughtUp.resubscribed();
        await this.backoff(failures++);
      }
    } finally {
      await this.stop();
    }
  }

  /** The fallback for servers that never send `caughtUp`; a failure here shows up on subscribe. */
  private async readHeadOnce(): Promise<void> {
    if (this.headRead || !this.caughtUp.waiting) return;
    try {
      this.caughtUp.setHead(await this.deps.headPosition(), this.lastSeen);
      this.headRead = true;
    } catch {
      // The subscription below fails the same way and is retried.
    }
  }

  private open(): AllStreamSubscription {
    const subscription = this.deps.client.subscribeToAll({
      fromPosition: this.lastSeen === undefined ? START : requirePosition('after', this.lastSeen),
      filter: serverFilter(this.options.filter, (reached, position) =>
        this.signal(reached, (buffered, waiting) =>
          this.caughtUp.checkpoint(encodePosition(position), buffered, waiting),
        ),
      ),
    });
    subscription.on('caughtUp', () =>
      this.signal(subscription, (buffered, waiting) => this.caughtUp.signal(buffered, waiting)),
    );
    this.current = subscription;
    return subscription;
  }

  /**
   * Runs inside the client's stream, in order with the events: everything it pushed before the
   * signal is in its buffer (`readableLength`) or already pulled by this generator.
   */
  private signal(
    subscription: AllStreamSubscription,
    decide: (buffered: number, consumerWaiting: boolean) => boolean,
  ): void {
    if (subscription !== this.current || !this.caughtUp.waiting) return;
    if (!decide(subscription.readableLength, !this.holding)) return;
    try {
      this.caughtUp.fire(this.lastDelivered);
    } catch (error) {
      subscription.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private accept(resolved: AllStreamResolvedEvent): RecordedEvent | undefined {
    const event = resolved.event;
    const position = event ? encodePosition(event.position) : undefined;
    this.caughtUp.pulled(position);
    if (!event || position === undefined) return undefined;
    if (this.lastSeen !== undefined && position <= this.lastSeen) return undefined;
    this.lastSeen = position;
    if (isSystemEvent(event) || !matchesFilter(event, this.options.filter)) return undefined;
    return toRecordedEvent(event, position);
  }

  private async closeCurrent(): Promise<void> {
    const subscription = this.current;
    if (!subscription) return;
    this.current = undefined;
    // Late errors from a subscription nobody reads any more must not crash the process.
    subscription.on('error', () => undefined);
    // destroy() wakes a pending `for await`; unsubscribe() cancels the gRPC call behind it.
    subscription.destroy();
    await subscription.unsubscribe().catch(() => undefined);
  }

  private backoff(failures: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)];
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeFromBackoff = undefined;
        resolve();
      }, delay);
      this.wakeFromBackoff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
