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
@Injectable()
export class DirectoryFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Directory');
  private subscription?: EventSubscription;
  private following?: Promise<void>;

  constructor(
    readonly directory: Directory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    const filter = { streamPrefixes: IDENTITY_STREAM_PREFIXES };
    const history = await this.store.readAll({ filter });
    for (const event of history) await this.apply(event);
    this.subscription = this.store.subscribeToAll({
      after: history[history.length - 1]?.position,
      filter,
    });
    this.following = this.follow(this.subscription);
  }

  /** Applies events this instance just wrote, so the next request already sees them. */
  async applyWritten(streamName: string): Promise<void> {
    for (const event of await this.store.readStream(streamName)) await this.apply(event);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
    await this.following;
  }

  private async follow(subscription: EventSubscription): Promise<void> {
    try {
      for await (const event of subscription) await this.apply(event);
    } catch (error) {
      this.logger.error({ msg: 'directory subscription stopped', error: (error as Error).message });
    }
  }

  private async apply(event: RecordedEvent): Promise<void> {
    this.directory.apply({ ...event, data: await this.cipher.open(event.data) });
  }
}
