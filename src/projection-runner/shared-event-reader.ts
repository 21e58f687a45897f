import type { AllFilter, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/event-store.port';

const PAGE = 1000;

type Open = (event: RecordedEvent) => Promise<RecordedEvent>;

/**
 * One read of the log for every lane that follows it, whether catching up or near the end: recent
 * events are kept in a window, and each lane takes its own filtered slice of it, instead of each
 * reading and parsing every event itself. A slice covers at most `maxCount` events of the log, so
 * lanes with few event types do not race ahead of the others and out of the window. A lane behind
 * the window reads the store directly.
 */
export class SharedEventReader {
  /** Consecutive events of the log, in order, starting right after `windowAfter`. */
  private window: RecordedEvent[] = [];
  private windowAfter: string | undefined = undefined;
  private started = false;
  private fetching?: Promise<number>;
  /** Personal data opened once for every lane that shows it, while the event is in the window. */
  private readonly opened = new Map<RecordedEvent, Promise<RecordedEvent>>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 20_000,
  ) {}

  /** `open(event)`, shared by the lanes that ask for the same event object. */
  openOnce(event: RecordedEvent, open: Open): Promise<RecordedEvent> {
    if (!this.holds(event)) return open(event);
    let opened = this.opened.get(event);
    if (!opened) {
      opened = open(event);
      this.opened.set(event, opened);
    }
    return opened;
  }

  /** Up to `maxCount` events after `after` that pass `filter`; none only when none are stored. */
  async read(
    after: string | undefined,
    maxCount: number,
    filter: AllFilter,
  ): Promise<RecordedEvent[]> {
    if (!this.covers(after)) return this.store.readAll({ after, maxCount, filter });
    for (;;) {
      const found = this.slice(after, maxCount, filter);
      if (found.length > 0) return found;
      // Nothing in the window for this lane: the log may have grown since.
      if ((await this.extend()) === 0) return [];
    }
  }

  private holds(event: RecordedEvent): boolean {
    if (this.window.length === 0) return false;
    const at = this.indexAfter(event.position) - 1;
    return at >= 0 && this.window[at] === event;
  }

  /** The window can answer for `after` when `after` lies inside it (or at its start). */
  private covers(after: string | undefined): boolean {
    if (!this.started) {
      this.started = true;
      this.windowAfter = after;
      return true;
    }
    if (after === this.windowAfter) return true;
    if (after === undefined || this.window.length === 0) return false;
    if (this.windowAfter !== undefined && comparePositions(after, this.windowAfter) < 0)
      return false;
    return comparePositions(after, this.window[this.window.length - 1].position) <= 0;
  }

  private slice(after: string | undefined, maxCount: number, filter: AllFilter): RecordedEvent[] {
    const types = filter.eventTypes ? new Set(filter.eventTypes) : undefined;
    const prefixes = filter.streamPrefixes;
    let index = after === undefined || after === this.windowAfter ? 0 : this.indexAfter(after);
    const found: RecordedEvent[] = [];
    while (found.length === 0 && index < this.window.length) {
      const end = Math.min(this.window.length, index + maxCount);
      for (; index < end; index += 1) {
        const event = this.window[index];
        if (types && !types.has(event.type)) continue;
        if (prefixes && !prefixes.some((prefix) => event.streamName.startsWith(prefix))) continue;
        found.push(event);
      }
    }
    return found;
  }

  /** Index of the first event after `after` (binary search; positions are ordered). */
  private indexAfter(after: string): number {
    let low = 0;
    let high = this.window.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (comparePositions(this.window[middle].position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Reads the next page after the window into it; concurrent callers share one read. */
  private extend(): Promise<number> {
    this.fetching ??= (async () => {
      try {
        const last =
          this.window.length > 0 ? this.window[this.window.length - 1].position : this.windowAfter;
        const page = await this.store.readAll({ after: last, maxCount: PAGE });
        this.window.push(...page);
        if (this.window.length > this.capacity) {
          const dropped = this.window.splice(0, this.window.length - this.capacity);
          for (const event of dropped) this.opened.delete(event);
          this.windowAfter = dropped[dropped.length - 1].position;
        }
        return page.length;
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }
}
