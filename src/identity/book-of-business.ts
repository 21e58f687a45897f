import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';

export const HELD_KINDS = ['account', 'lead', 'deal', 'task'] as const;
export type HeldKind = (typeof HELD_KINDS)[number];

/** A record someone is responsible for: the owner of an account, lead or deal, a task's assignee. */
export interface HeldRecord {
  kind: HeldKind;
  id: string;
  streamName: string;
  holderId: string;
}

interface Holding {
  holderId?: string;
  /** Closed records (won, converted, completed…) stay where they were when someone leaves. */
  open: boolean;
}

type Data = Record<string, unknown>;
const holder = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const heldBy =
  (field: string) =>
  (_: Holding, data: Data): Holding => ({ holderId: holder(data[field]), open: true });
const handedTo = (holding: Holding, data: Data): Holding => ({
  ...holding,
  holderId: holder(data.to),
});
const closed = (holding: Holding): Holding => ({ ...holding, open: false });
const reopened = (holding: Holding): Holding => ({ ...holding, open: true });

// Holders are user ids, never personal data, so the events are read as stored, without decryption.
const FOLDS: Record<string, (holding: Holding, data: Data) => Holding> = {
  AccountRegistered: heldBy('ownerId'),
  AccountOwnershipTransferred: handedTo,
  // A merged-away account is read-only; its work lives on the survivor, until an unmerge.
  AccountMergedInto: closed,
  AccountUnmerged: reopened,
  InquiryReceived: () => ({ open: true }),
  LeadAssigned: handedTo,
  LeadOwnershipTransferred: handedTo,
  LeadConverted: closed,
  LeadDisqualified: closed,
  DealOpened: heldBy('ownerId'),
  DealOwnerTransferred: handedTo,
  DealWon: closed,
  DealLost: closed,
  DealReopened: reopened,
  TaskCreated: heldBy('assigneeId'),
  TaskReassigned: handedTo,
  TaskCompleted: closed,
  TaskCancelled: closed,
};

const FILTER = {
  streamPrefixes: HELD_KINDS.map((kind) => `${kind}-`),
  eventTypes: Object.keys(FOLDS),
};
const PAGE = 1000;

/**
 * Who holds which open records, for handing a leaver's whole book to their successor.
 *
 * A stop-gap until the projections issue builds read models: an in-memory index folded from the
 * event store. It catches up from the store before every answer, so it is exact for writes made a
 * moment ago, by this instance or any other.
 */
@Injectable()
export class BookOfBusiness {
  private readonly holdings = new Map<string, Holding>();
  /** Open leads plus open deals per holder, kept as holdings change: assignment asks per inquiry. */
  private readonly load = new Map<string, number>();
  private position?: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The open records a user holds: accounts first, then leads, deals and tasks. */
  async openRecordsOf(userId: string): Promise<HeldRecord[]> {
    await this.catchUp();
    const records: HeldRecord[] = [];
    for (const [streamName, holding] of this.holdings) {
      if (!holding.open || holding.holderId !== userId) continue;
      const dash = streamName.indexOf('-');
      const kind = streamName.slice(0, dash) as HeldKind;
      records.push({ kind, id: streamName.slice(dash + 1), streamName, holderId: userId });
    }
    const order = (record: HeldRecord) => HELD_KINDS.indexOf(record.kind);
    return records.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
  }

  /** Open leads plus open deals per holder: the load that least-loaded assignment balances. */
  async openLoad(): Promise<ReadonlyMap<string, number>> {
    await this.catchUp();
    return this.load;
  }

  /** Serialised, so two questions at once never fold the same events twice. */
  catchUp(): Promise<void> {
    const run = this.tail.then(() => this.readNew());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({
        after: this.position,
        maxCount: PAGE,
        filter: FILTER,
      });
      for (const event of batch) this.apply(event);
      if (batch.length < PAGE) return;
    }
  }

  private apply(event: RecordedEvent): void {
    this.position = event.position;
    const fold = FOLDS[event.type];
    const before = this.holdings.get(event.streamName) ?? { open: false };
    if (!fold) return;
    const after = fold(before, event.data);
    this.holdings.set(event.streamName, after);
    if (event.streamName.startsWith('lead-') || event.streamName.startsWith('deal-')) {
      this.count(before, -1);
      this.count(after, +1);
    }
  }

  private count(holding: Holding, delta: number): void {
    if (!holding.open || !holding.holderId) return;
    const next = (this.load.get(holding.holderId) ?? 0) + delta;
    if (next === 0) this.load.delete(holding.holderId);
    else this.load.set(holding.holderId, next);
  }
}
