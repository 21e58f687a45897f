import { readFileSync } from 'node:fs';
import { Clock } from './clock';

/**
 * A clock read from a file holding an ISO instant, for tests that move time across a real process
 * restart (TEST_CLOCK_FILE). Never used unless that variable is set.
 */
export function fileClock(file: string): Clock {
  return {
    now: () => {
      const text = readFileSync(file, 'utf8').trim();
      const at = new Date(text);
      if (Number.isNaN(at.getTime()))
        throw new Error(`TEST_CLOCK_FILE ${file} does not hold an ISO instant: "${text}"`);
      return at;
    },
  };
}
