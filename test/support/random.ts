/** Seeded randomness for tests on random histories: the same seed draws the same history. */
import { Random } from '../../src/cli/history/random';
import { ceilMonth, ceilTo, DAY, HOUR, MINUTE } from './time';

/** The history generator's PRNG (mulberry32) as a function: numbers in [0, 1). */
export function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** The seed a test draws with: SEED=<n> in the environment, else the test's default. */
export const seedFromEnv = (defaultSeed: number): number =>
  process.env.SEED === undefined ? defaultSeed : Number(process.env.SEED);

/** Draws on `next`, in the order called: the same seed draws the same values. */
export function draws(next: () => number) {
  /** One of the values, evenly. */
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  /** A whole number from `from` to `to`, both included. */
  const int = (from: number, to: number) => from + Math.floor(next() * (to - from + 1));
  /** t itself, or half the time the next UTC hour, day or month boundary (t if on one). */
  const snap = (t: number) => {
    const k = next();
    return k < 0.15 ? ceilMonth(t) : k < 0.3 ? ceilTo(t, DAY) : k < 0.5 ? ceilTo(t, HOUR) : t;
  };
  /**
   * The time to a next change: under a second (`subSecond` of the time), else minutes, hours,
   * days, or 30 to `longestDays` days.
   */
  const gap = (subSecond: number, longestDays: number) => {
    const k = next();
    if (k < subSecond) return int(1, 999);
    if (k < 0.25) return int(1, 59) * MINUTE + int(0, 59_999);
    if (k < 0.45) return int(1, 23) * HOUR + int(0, HOUR);
    if (k < 0.85) return int(1, 30) * DAY + int(0, DAY);
    return int(30, longestDays) * DAY;
  };
  return { pick, int, snap, gap };
}
