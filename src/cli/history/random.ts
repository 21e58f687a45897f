import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same histories on every machine, which
 * Math.random never would.
 */
export class Random {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: `[['won', 3], ['lost', 5]]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const drawn: T[] = [];
    while (drawn.length < count && pool.length > 0) {
      drawn.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    }
    return drawn;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return out.slice(0, length);
  }

  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.int(0, 9));
    return out;
  }

  /** A UUIDv7 stamped with `atMs`, its random bits drawn from this generator. */
  uuidv7(atMs: number): string {
    const time = Math.max(0, Math.floor(atMs)).toString(16).padStart(12, '0').slice(-12);
    const variant = (8 + this.int(0, 3)).toString(16);
    return [
      time.slice(0, 8),
      time.slice(8, 12),
      `7${this.hex(3)}`,
      `${variant}${this.hex(3)}`,
      this.hex(12),
    ].join('-');
  }

  /** An independent generator for one part of the world, so adding draws elsewhere leaves it unchanged. */
  fork(label: string): Random {
    return new Random(hash32(`${this.state}:${label}`));
  }
}

export const hash32 = (text: string): number =>
  createHash('sha256').update(text).digest().readUInt32LE(0);

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
