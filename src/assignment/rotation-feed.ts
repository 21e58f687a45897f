import { Inject, Injectable } from '@nestjs/common';
import { evolveRotation, initialRotation, RotationState } from '../../domain/assignment/rotation';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';

const PAGE = 1000;
const appliedKey = (streamName: string, commandId: string) => `${streamName}\u0000${commandId}`;
const FILTER = {
  streamPrefixes: ['lead-'],
  eventTypes: ['LeadAssigned', 'LeadOwnershipTransferred'],
};

/**
 * The round-robin position of every rule, folded from the assignment events themselves: a
 * restart re-reads them and continues where the rotation stood. Catches up before each answer.
 */
@Injectable()
export class RotationFeed {
  private state: RotationState = initialRotation;
  private position?: string;
  private readonly applied = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Whether the assignment written to this stream under this command id is already part of the
   * rotation. Command ids are the callers' Idempotency-Keys, unique per stream only.
   */
  hasApplied(streamName: string, commandId: string): boolean {
    return this.applied.has(appliedKey(streamName, commandId));
  }

  async current(): Promise<RotationState> {
    for (;;) {
      const batch = await this.store.readAll({
        after: this.position,
        maxCount: PAGE,
        filter: FILTER,
      });
      for (const event of batch) {
        this.state = evolveRotation(this.state, event);
        this.position = event.position;
        if (event.metadata.commandId)
          this.applied.add(appliedKey(event.streamName, event.metadata.commandId));
      }
      if (batch.length < PAGE) return this.state;
    }
  }
}
