/**
 * Wakes every waiter at once. A waiter passes the count it saw before looking for work, so a
 * signal that came in between is not missed; a timeout bounds the wait regardless.
 */
export class Wakeup {
  private count = 0;
  private waiters: Array<() => void> = [];

  seen(): number {
    return this.count;
  }

  wait(timeoutMs: number, since = this.count): Promise<void> {
    if (this.count > since) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiters;
      const done = () => {
        clearTimeout(timer);
        const at = waiters.indexOf(done);
        if (at >= 0) waiters.splice(at, 1);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      waiters.push(done);
    });
  }

  notify(): void {
    this.count += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
