/**
 * Decides when a subscription calls onCaughtUp: once, when the consumer asks for the next event
 * after every event stored at catch-up time has been delivered.
 *
 * The signal is the server's `caughtUp` message (EventStoreDB 23.10+), or, for older servers,
 * reaching the head position read when the subscription started (by an event or a checkpoint).
 * The signal arrives while earlier events may still sit in the client's stream buffer, so it
 * counts them (`readableLength` at that moment) and waits until they have been pulled.
 */
export class CaughtUpTracker {
  private fired: boolean;
  /** Signalled events not yet pulled; undefined until the signal. */
  private pending: number | undefined;
  private head: string | undefined;

  constructor(private readonly onCaughtUp: ((position: string | undefined) => void) | undefined) {
    this.fired = onCaughtUp === undefined;
  }

  get waiting(): boolean {
    return !this.fired;
  }

  /** `head` is the last stored non-system event; nothing after `after` means caught up already. */
  setHead(head: string | undefined, after: string | undefined): void {
    if (head === undefined || (after !== undefined && head <= after)) this.pending ??= 0;
    else this.head = head;
  }

  /**
   * Returns true when the consumer is already waiting and nothing is buffered, so the caller
   * should fire now rather than at the next pull.
   */
  signal(buffered: number, consumerWaiting: boolean): boolean {
    if (this.fired || this.pending !== undefined) return false;
    this.pending = buffered;
    return consumerWaiting && buffered === 0;
  }

  checkpoint(position: string, buffered: number, consumerWaiting: boolean): boolean {
    return (
      this.head !== undefined && position >= this.head && this.signal(buffered, consumerWaiting)
    );
  }

  pulled(position: string | undefined): void {
    if (this.pending !== undefined && this.pending > 0) this.pending--;
    if (this.head !== undefined && position !== undefined && position >= this.head) {
      this.pending ??= 0;
    }
  }

  /** Events buffered by a dropped subscription are gone: wait for the new one's signal. */
  resubscribed(): void {
    if (this.pending !== undefined && this.pending > 0) this.pending = undefined;
  }

  /** Called when the consumer asks for the next event. */
  beforePull(lastDelivered: string | undefined): void {
    if (this.pending === 0) this.fire(lastDelivered);
  }

  fire(lastDelivered: string | undefined): void {
    if (this.fired) return;
    this.fired = true;
    this.onCaughtUp?.(lastDelivered);
  }
}
