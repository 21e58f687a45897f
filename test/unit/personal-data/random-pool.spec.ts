import { randomBytesFromPool } from '../../../src/personal-data/random-pool';

describe('random pool', () => {
  it('hands out fresh bytes of the size asked, never the same twice, across refills', () => {
    const seen = new Set<string>();
    for (let draw = 0; draw < 1000; draw++) {
      const bytes = randomBytesFromPool(draw % 2 === 0 ? 32 : 12);
      expect(bytes).toHaveLength(draw % 2 === 0 ? 32 : 12);
      const hex = bytes.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
  });

  it('gives each caller its own copy: wiping the pool leaves handed-out bytes intact', () => {
    const key = randomBytesFromPool(32);
    const copy = Buffer.from(key);
    for (let draw = 0; draw < 300; draw++) randomBytesFromPool(32);
    expect(key.equals(copy)).toBe(true);
    expect(key.equals(Buffer.alloc(32))).toBe(false);
  });

  it('serves sizes larger than the pool directly', () => {
    expect(randomBytesFromPool(10_000)).toHaveLength(10_000);
  });
});
