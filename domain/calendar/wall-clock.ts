/*
 * Local wall-clock times are epoch ms read as if the zone were UTC, so dates and times of day are
 * plain arithmetic; local days count from 1970-01-01.
 */
import { IANAZone } from 'luxon';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;

/**
 * The first instant at which the local clock reads `wall` or later. A time skipped when clocks go
 * forward therefore starts when the clock jumps past it, and a time repeated when they go back
 * counts from its first occurrence, so working periods measure real elapsed time.
 */
export const wallClockInstant = (zone: IANAZone, wall: number): number => {
  const candidates = [
    wall - zone.offset(wall - DAY) * MINUTE,
    wall - zone.offset(wall + DAY) * MINUTE,
  ];
  const exact = candidates.filter((instant) => localWall(zone, instant) === wall);
  if (exact.length > 0) return Math.min(...exact);
  let [low, high] = [Math.min(...candidates), Math.max(...candidates)];
  while (high - low > SECOND) {
    const middle = low + Math.floor((high - low) / (2 * SECOND)) * SECOND;
    if (localWall(zone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
};

const localWall = (zone: IANAZone, instant: number): number =>
  instant + zone.offset(instant) * MINUTE;

export const localDay = (zone: IANAZone, instant: number): number =>
  Math.floor(localWall(zone, instant) / DAY);
