import { WakeThrottle } from '../../../src/projection-runner/wake-throttle';
import { Wakeup } from '../../../src/projection-runner/wakeup';

describe('wake throttle', () => {
  let now: number;
  let wakeup: Wakeup;
  let throttle: WakeThrottle;

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000;
    wakeup = new Wakeup();
    throttle = new WakeThrottle(wakeup, 20, () => now);
  });
  afterEach(() => {
    throttle.stop();
    jest.useRealTimers();
  });
  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };

  it('wakes at once after a quiet spell', () => {
    throttle.signal();
    expect(wakeup.seen()).toBe(1);
  });

  it('folds the signals of a burst into one wake-up per interval', () => {
    throttle.signal();
    for (let i = 0; i < 10; i++) {
      advance(1);
      throttle.signal();
    }
    expect(wakeup.seen()).toBe(1);
    expect(throttle.waiting).toBe(true);
    advance(9);
    expect(wakeup.seen()).toBe(1);
    advance(1);
    expect(wakeup.seen()).toBe(2);
    expect(throttle.waiting).toBe(false);
  });

  it('flush wakes at once when a wake-up is held back', () => {
    throttle.signal();
    advance(1);
    throttle.signal();
    throttle.flush();
    expect(wakeup.seen()).toBe(2);
    advance(50);
    expect(wakeup.seen()).toBe(2);
  });
});
