/**
 * What every area of REPORT_QUERIES shares: the ReportQuery and FoldBaseline shapes, the periods
 * and parameter values the runs vary, the manager they ask as, and replayed() with its answer check.
 */
import type { DealFacts } from '../../projections/deal-facts.projection';
import type { EventStore } from '../../src/event-store/event-store.port';
import type { PersonalDataCipher } from '../../src/personal-data/personal-data-cipher';
import type { ReadModels } from '../../src/projection-runner/read-models';
import type { ReadStore } from '../../src/read-store/read-store.port';
import type { Principal } from '../../src/identity/identity-events';
import { listDealFacts } from '../../src/reports/deals/deal-facts.query';
import {
  scopeFilters,
  selectionOf,
  Selection,
} from '../../src/reports/deals/deal-report-selection';
import { defaultGrouping } from '../../src/reports/people/report-groups';
import type { DimensionFilters, ReportGrouping } from '../../src/reports/report-query.dto';

export interface QueryContext {
  store: ReadStore;
  readModels: ReadModels;
  /** Physical collection names of a projection's live generation: names('stage-conversion')('cohort'). */
  names: (projection: string) => (logical: string) => string;
  /** The event store (upcasting, as the app reads it), for the fold baselines. */
  events: EventStore;
  /** Opens the personal fields of an event, for folds over projections that show them. */
  cipher: PersonalDataCipher;
  /** End of the generated history (exclusive): the sample's clock. Vary periods before it. */
  until: Date;
}

export interface ReportQuery {
  name: string;
  /** The src module and function it calls, as the bench prints it. */
  calls: string;
  /** Projections it reads; the query is skipped, and says so, when one is not built. */
  projections: string[];
  /** The FOLD_BASELINES entry computing the same answer from all the events, for the ratio. */
  fold?: string;
  /** Its fold baseline replays `projections` into a fresh store and runs this query once. */
  foldByReplay?: boolean;
  /** One-time setup (load the query module, look up parameter values); throw to skip the query. */
  prepare?(ctx: QueryContext): Promise<void>;
  /** One run. Vary its parameters with `i` (0 … runs − 1); run 0 must ask what the fold computes. */
  run(ctx: QueryContext, i: number): Promise<unknown>;
  /** Compares run 0's answer with the fold's; returns what differs, or undefined when equal. */
  check?(answer: unknown, folded: unknown): string | undefined;
}

export interface FoldBaseline {
  name: string;
  /** Reads every event from the start and folds the answer. */
  run(ctx: QueryContext): Promise<unknown>;
}

/** A year of history up to the clock: what fold baselines and run 0 of each query ask for. */
export const foldPeriod = (until: Date): { from: Date; to: Date } => {
  const from = new Date(until);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  return { from, to: until };
};

/** Twelve months ending `shift` months before the clock. */
export const periodShifted = (until: Date, shift: number): { from: Date; to: Date; tz: string } => {
  const to = monthsBefore(until, shift);
  const from = new Date(to);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  return { from, to, tz: 'UTC' };
};

export const monthsBefore = (until: Date, months: number): Date => {
  const at = new Date(until);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at;
};

/** A report reader who sees everything: the scope helpers hand a manager's filters on as asked. */
export const MANAGER: Principal = {
  kind: 'session',
  tokenId: 'bench',
  userId: 'bench-manager',
  role: 'manager',
  teamId: null,
};

export const COUNTRIES = ['DE', 'US', 'AE', 'MX', 'GB', 'SA', 'FR', 'IN'];

export const pick = <T>(values: readonly T[], i: number): T => values[i % values.length];

/** Record ids and dimension values found in the store, to ask about what exists. */
export interface Drawn {
  deals: DealFacts[];
  owners: string[];
  teams: string[];
  stages: string[];
  accounts: string[];
}

let drawn: Drawn | undefined;

/** Drawn once, from the newest deals of the deal-facts read model. */
export async function draw(ctx: QueryContext): Promise<Drawn> {
  drawn ??= await drawFrom(ctx);
  return drawn;
}

/** What `draw` found; only once a query's prepare() has drawn. */
export const drawnValues = (): Drawn => {
  if (!drawn) throw new Error('prepare() draws the parameter values first');
  return drawn;
};

async function drawFrom(ctx: QueryContext): Promise<Drawn> {
  const deals = await listDealFacts(ctx.store, ctx.names('deal-facts'), { limit: 500 });
  if (deals.length === 0) throw new Error('no deal in the deal-facts read model to ask about');
  const distinct = (values: Array<string | null>) =>
    [...new Set(values.filter((v): v is string => v !== null))].sort();
  return {
    deals,
    owners: distinct(deals.map((d) => d.ownerId)),
    teams: distinct(deals.map((d) => d.teamId)),
    stages: distinct(deals.filter((d) => d.status === 'open').map((d) => d.stage)),
    accounts: distinct(deals.map((d) => d.accountId)),
  };
}

/** Every query's prepare: the parameter values come from the store. */
export const drawing = { prepare: async (ctx: QueryContext) => void (await draw(ctx)) };

/** Filters and a grouping as a caller passes them: none on run 0, then one of each kind. */
export function askedFor(i: number): { filters: DimensionFilters; grouping?: ReportGrouping } {
  const { teams, owners } = drawnValues();
  const asks: Array<{ filters: DimensionFilters; grouping?: ReportGrouping }> = [
    { filters: {} },
    { filters: {}, grouping: 'channel' },
    { filters: {}, grouping: 'owner' },
    { filters: { country: pick(COUNTRIES, i) } },
    { filters: {}, grouping: 'month' },
    { filters: {}, grouping: 'region' },
    ...(teams.length > 0
      ? [
          { filters: { team: pick(teams, i) }, grouping: 'owner' as const },
          // Within a team or a rep: their own month and day buckets per other dimension.
          { filters: { team: pick(teams, i) }, grouping: 'channel' as const },
        ]
      : []),
    { filters: { owner: pick(owners, i) }, grouping: 'channel' },
    { filters: { owner: pick(owners, i), country: pick(COUNTRIES, i) } },
  ];
  return pick(asks, i);
}

/** The rollup selection of run i, grouped by `preferred` when nothing else is asked (channels, reps). */
export function selectionFor(i: number, preferred?: 'owner' | 'channel'): Selection {
  const { filters, grouping } = askedFor(i);
  const scoped = scopeFilters(MANAGER, filters);
  return selectionOf(scoped, grouping ?? (preferred && defaultGrouping(scoped, preferred)));
}

/** Its fold baseline replays the projections the query reads and runs the query once (run 0). */
export const replayed = (query: Omit<ReportQuery, 'fold'>): ReportQuery => ({
  ...query,
  fold: query.name,
  foldByReplay: true,
  check: sameAnswer,
});

/** Deep equality after a JSON round trip; the first path that differs, when one does. */
export function sameAnswer(answer: unknown, folded: unknown): string | undefined {
  return firstDifference(JSON.parse(JSON.stringify(answer)), JSON.parse(JSON.stringify(folded)));
}

function firstDifference(got: unknown, want: unknown, path = '$'): string | undefined {
  if (Object.is(got, want)) return undefined;
  if (typeof got !== 'object' || typeof want !== 'object' || got === null || want === null) {
    return `${path}: ${show(got)} ≠ ${show(want)} (fold)`;
  }
  if (Array.isArray(got) !== Array.isArray(want)) return `${path}: array ≠ object`;
  if (Array.isArray(got) && Array.isArray(want) && got.length !== want.length) {
    return `${path}.length: ${got.length} ≠ ${want.length} (fold)`;
  }
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  for (const key of new Set([...Object.keys(g), ...Object.keys(w)])) {
    const difference = firstDifference(g[key], w[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};
