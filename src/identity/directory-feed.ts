import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  EVENT_STORE,
  EventStore,
  EventSubscription,
  RecordedEvent,
} from '../event-store/event-store.port';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { Directory } from './directory';
import { IDENTITY_STREAM_PREFIXES } from './identity-events';

/**
 * Fills the directory from the event store before the app serves requests, then follows the store
 * live, so changes made by another instance reach this one.
 */
const FILTER = { streamPrefixes: IDENTITY_STREAM_PREFIXES };

@Injectable()
export class DirectoryFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Directory');
  private subscription?: EventSubscription;
  private following?: Promise<void>;
  private position?: string;
  private stopping = false;

  constructor(
    readonly directory: Directory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    const history = await this.store.readAll({ filter: FILTER });
    for (const event of history) await this.apply(event);
    this.position = history[history.length - 1]?.position;
    this.following = this.follow();
  }

  /** Applies events this instance just wrote, so the next request already sees them. */
  async applyWritten(streamName: string): Promise<void> {
    for (const event of await this.store.readStream(streamName)) await this.apply(event);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    await this.following;
  }

  /**
   * Follows the store for changes made by other instances (revocations, deactivations). An error
   * must not leave this instance trusting stale tokens: it resubscribes from the last event it
   * applied, after a short pause that grows while the errors go on.
   */
  private async follow(): Promise<void> {
    let pause = 250;
    while (!this.stopping) {
      this.subscription = this.store.subscribeToAll({ after: this.position, filter: FILTER });
      try {
        for await (const event of this.subscription) {
          await this.apply(event);
          this.position = event.position;
          pause = 250;
        }
        // Ended without an error: stopped by shutdown or by the store closing.
        return;
      } catch (error) {
        this.logger.error({
          msg: 'directory subscription failed; resubscribing',
          error: (error as Error).message,
        });
        await new Promise((resolve) => setTimeout(resolve, pause).unref());
        pause = Math.min(pause * 2, 10_000);
      }
    }
  }

  private async apply(event: RecordedEvent): Promise<void> {
    this.directory.apply({ ...event, data: await this.cipher.open(event.data) });
  }
}
