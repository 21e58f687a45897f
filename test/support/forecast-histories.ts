/**
 * Histories and queries for the weighted-forecast specs (forecast-as-known.spec.ts,
 * forecast-backdated.spec.ts): the read models they project, the policies and teams a history
 * starts with, random deals, the grouping and filters of a random query, and a short difference of
 * two reports.
 */
import { dealTimelineProjection } from '../../projections/deal-timeline.projection';
import { weightedForecastProjection } from '../../projections/weighted-forecast.projection';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { ReadStore } from '../../src/read-store/read-store.port';
import type { ForecastReadModels } from '../../src/reports/forecast/forecast-as-known.query';
import { monthRange } from '../../src/reports/forecast/forecast-reports.controller';
import type { ForecastQuery } from '../../src/reports/forecast/forecast.query';
import {
  DealStream,
  fxPublished,
  Planned,
  Rate,
  RECORDINGS,
  recordingTimes,
  stagesPublished,
  userRegistered,
} from './planned-history';
import { projectAll, testCollectionNames } from './projection-harness';
import { draws } from './random';
import { ceilMonth, ceilTo, DAY, iso, monthStartDay, ms } from './time';

/** The deal-timeline and weighted-forecast read models, as projectForecast names them. */
export const MODELS: ForecastReadModels = {
  timeline: testCollectionNames(dealTimelineProjection),
  forecast: testCollectionNames(weightedForecastProjection),
};

/** Both projections over the same log, into one in-memory SQLite read store. */
export const projectForecast = (
  events: RecordedEvent[],
  batchSize?: () => number,
): Promise<ReadStore> =>
  projectAll([dealTimelineProjection, weightedForecastProjection], events, batchSize);

export const START = ms('2025-01-01T00:00:00Z');
/** Policies and teams as first known: before any deal event, in business and in record time. */
export const SETUP = START - 60 * DAY;
/** Stage policy v1: open stages and their probabilities. */
export const V1 = { initial_contact: 0.1, proposal: 0.3, sample: 0.5, negotiation: 0.7 };
/**
 * Stage policy v2: new probabilities, `negotiation` dropped (deals left there go unweighted),
 * `contract` added.
 */
export const V2 = { initial_contact: 0.15, proposal: 0.4, sample: 0.5, contract: 0.9 };
export const FX_V1: Rate[] = [
  { currency: 'EUR', effectiveFrom: '2024-10-01', unitsPerBase: '0.9' },
  { currency: 'EUR', effectiveFrom: '2025-04-01', unitsPerBase: '0.92' },
  { currency: 'EUR', effectiveFrom: '2025-10-01', unitsPerBase: '0.88' },
];

export const TEAMS = ['tA', 'tB', 't-none'];
export const COUNTRIES = ['AE', 'DE', 'US', 'CN'];
export const CHANNELS = ['alibaba', 'email', 'trade_show'];
export const PRODUCT_LINES = ['valves', 'pumps'];
export const REGIONS = ['mena', 'europe', 'north_america', 'east_asia'];

/** Stage policy v1, FX v1, u-ana and u-ben in tA, u-cem and u-dia in tB: all at SETUP. */
export const setupEvents = (): Planned[] => [
  stagesPublished(1, V1, SETUP),
  fxPublished(1, FX_V1, SETUP),
  userRegistered('u-ana', 'tA', SETUP),
  userRegistered('u-ben', 'tA', SETUP),
  userRegistered('u-cem', 'tB', SETUP),
  userRegistered('u-dia', 'tB', SETUP),
];

export interface RandomDeals {
  /** How many deals to draw; a drawn id already taken is skipped, so a few less. */
  deals: number;
  /** Whom a deal may be opened by, or handed to, in a change recorded at `known`. */
  owners: (known: number) => readonly string[];
  /** The stages a deal may be opened in, or moved to, at business time t. */
  stages: (t: number) => readonly string[];
  /** The chance that a deal is opened without an amount. */
  unpriced: number;
  /** How long after it took effect a late change is recorded. */
  lateLag: () => number;
}

/**
 * The events of random deals, in USD and EUR, opened from START over 480 days, each with up to
 * ten changes: moves, reprices, handovers, dates, wins (some for another amount than the deal's),
 * losses, reopenings, and several at one instant. A deal's changes are recorded live (one in five
 * up to a minute late), late (half of them, by `lateLag()`), or its first ones in a later import.
 */
export function randomDeals(next: () => number, options: RandomDeals): Planned[] {
  const { pick, int, snap, gap } = draws(next);
  const closeDate = (t: number) => iso(ceilTo(t + int(-30, 240) * DAY, DAY)).slice(0, 10);
  const shipMonth = (t: number) => iso(ceilMonth(t + int(20, 300) * DAY)).slice(0, 7);
  const amount = () => int(1, 5_000) * 100 + int(0, 99);
  const { owners, stages } = options;
  const planned: Planned[] = [];
  const taken = new Set<string>();

  for (let k = 0; k < options.deals; k++) {
    // Ids of several lengths, so that their string order differs from their numeric one.
    const id = `d-${int(1, 3) === 1 ? k : k * 7 + 100}`;
    const currency = pick(['USD', 'EUR']);
    if (taken.has(id)) continue;
    taken.add(id);
    const recording = pick(RECORDINGS);
    let at = snap(START + Math.floor(next() * 480 * DAY));
    const importAt =
      recording === 'import' ? snap(at + int(1, 200) * DAY + int(0, DAY)) : -Infinity;
    const knownFor = recordingTimes(next, {
      recording,
      importAt,
      lateChance: 0.5,
      lateLag: options.lateLag,
    });

    const openKnown = knownFor(at, false);
    const [owner, stage] = [pick(owners(openKnown)), pick(stages(at))];
    const price = next() < options.unpriced ? null : amount();
    const deal = new DealStream(id, currency, {
      country: pick(COUNTRIES),
      channel: pick(CHANNELS),
      productLine: pick(PRODUCT_LINES),
      ...(next() < 0.7 ? { closeDate: closeDate(at) } : {}),
      ...(next() < 0.4 ? { shipMonth: shipMonth(at) } : {}),
    }).open(owner, stage, price, at, openKnown);
    const changes = int(0, 10);
    for (let c = 0; c < changes; c++) {
      const same = next() < 0.12;
      if (!same) at = Math.max(at, snap(at + gap(0.1, 100)));
      const t = at;
      const k2 = knownFor(t, same);
      const k = next();
      const otherOwner = () => pick(owners(k2).filter((o) => o !== deal.owner));
      const otherStage = () => pick(stages(t).filter((s) => s !== deal.stage));
      if (deal.status !== 'open') {
        // Reopened into the stage it was closed from; a closed deal may also change hands.
        if (k < 0.6) deal.reopen(t, k2);
        else if (k < 0.8) deal.transfer(otherOwner(), t, k2);
        continue;
      }
      if (k < 0.2) deal.move(otherStage(), t, k2);
      else if (k < 0.36) deal.reprice(amount(), t, k2);
      else if (k < 0.48) deal.transfer(otherOwner(), t, k2);
      else if (k < 0.58) deal.closeBy(closeDate(t), t, k2);
      else if (k < 0.66) deal.shipIn(shipMonth(t), t, k2);
      else if (k < 0.78)
        deal.winFor(next() < 0.6 && deal.amount !== null ? deal.amount : amount(), t, k2);
      else if (k < 0.88) deal.lose(t, k2);
      else {
        // Several changes at one instant, recorded together.
        deal.reprice(amount(), t, k2);
        deal.transfer(otherOwner(), t, k2);
        deal.move(otherStage(), t, k2);
        if (next() < 0.3) deal.winFor(amount(), t, k2).reopen(t, k2);
      }
    }
    planned.push(...deal.events);
  }
  return planned;
}

type Dim = 'country' | 'channel' | 'owner' | 'team' | 'region';

export interface RandomView {
  /** The owners a filter may name. */
  owners: readonly string[];
  /** The dimensions to filter or group by, each as often as named. */
  dims: readonly Dim[];
  /** The chance of neither a filter nor a grouping. */
  unscoped: number;
}

/** A random query as of T, less its asOf: an axis, months around T, a filter and a grouping. */
export function randomView(
  next: () => number,
  T: number,
  options: RandomView,
): Omit<ForecastQuery, 'asOf'> {
  const { pick, int } = draws(next);
  const by = pick(['closeMonth', 'shipMonth'] as const);
  const months =
    next() < 0.4
      ? monthRange({}, new Date(T), 'UTC')
      : monthRange(
          { from: monthStartDay(T, -int(0, 3)), to: monthStartDay(T, int(1, 4)) },
          new Date(T),
          'UTC',
        );
  const values: Record<Dim, readonly string[]> = {
    country: [...COUNTRIES, 'FR'],
    channel: CHANNELS,
    owner: options.owners,
    team: TEAMS,
    region: REGIONS,
  };
  const dim = pick(options.dims);
  const value = () => pick(values[dim]);
  const r = next();
  const scope: Pick<ForecastQuery, 'filter' | 'groupBy'> =
    r < options.unscoped
      ? {}
      : r < 0.45
        ? { filter: { dim, value: value() } }
        : r < 0.65
          ? { groupBy: dim }
          : r < 0.8
            ? { filter: { dim, value: value() }, groupBy: dim }
            : { filter: { dim: 'team', value: pick(TEAMS) }, groupBy: 'owner' };
  return { by, months, ...scope };
}

type Report = { rows: unknown[]; [field: string]: unknown };

/**
 * Where two reports differ, shortly, for a failure message: the fields besides the rows, the first
 * rows that differ and the row counts; both in full when none of these differ.
 */
export function rowDifference(
  expected: Report,
  actual: Report,
  [expectedName, actualName]: [string, string],
): string {
  const width = Math.max(expectedName.length, actualName.length) + 1;
  const [e, a] = [`${expectedName}:`.padEnd(width), `${actualName}:`.padEnd(width)];
  const lines: string[] = [];
  const { rows: expectedRows, ...expectedHead } = expected;
  const { rows: actualRows, ...actualHead } = actual;
  if (JSON.stringify(expectedHead) !== JSON.stringify(actualHead)) {
    lines.push(`  ${e} ${JSON.stringify(expectedHead)}`, `  ${a} ${JSON.stringify(actualHead)}`);
  }
  const n = Math.max(expectedRows.length, actualRows.length);
  for (let i = 0; i < n && lines.length < 12; i++) {
    const [expectedRow, actualRow] = [
      JSON.stringify(expectedRows[i]),
      JSON.stringify(actualRows[i]),
    ];
    if (expectedRow !== actualRow) {
      lines.push(`  row ${i} ${e} ${expectedRow}`, `  row ${i} ${a} ${actualRow}`);
    }
  }
  if (expectedRows.length !== actualRows.length) {
    lines.push(
      `  rows: ${expectedName} ${expectedRows.length}, ${actualName} ${actualRows.length}`,
    );
  }
  if (lines.length === 0) {
    lines.push(`  ${e} ${JSON.stringify(expected)}`, `  ${a} ${JSON.stringify(actual)}`);
  }
  return lines.join('\n');
}
