import {
  PolicyVersions,
  TEAMS,
  TeamHistory,
  VERSIONS,
} from '../../../projections/deal-timeline.projection';
import {
  contribution,
  ForecastContext,
  ForecastDeal,
  FX_POLICY_ID,
  FxVersion,
  inForce,
  monthOf,
  StageVersion,
  TeamSpan,
} from '../../../projections/shared/forecast-contribution';
import { ALL } from '../../../projections/shared/rollup';
import { knownBy } from '../../audit/as-of/known-entries';
import { forEachSpanAt, iso, SPAN_FACT, SpanAt, spanAt } from '../../audit/as-of/deal-span';
import { TimePoint } from '../../audit/as-of/time-point';
import { ReadStore } from '../../read-store/read-store.port';
import { Sums, UnsupportedFilterError } from '../rollup-query';
import { ForecastQuery, ForecastReport, forecastRows } from './forecast.query';

export interface ForecastKnownAtReport extends ForecastReport {
  knownAt: string;
}

/**
 * The forecast as of asOf as it could have been computed at knownAt: only deal changes, stage and
 * FX policy versions and team moves recorded by knownAt count. The weighted-forecast read model
 * dates its deltas by business time only, so it cannot leave out what was recorded later; this
 * folds the deal-timeline read model instead: the compact timelines (`spans`) of the deals that
 * may be open at the point, or won in the months asked (indexed finds, see deal-span.ts), each
 * weighed by the same contribution function the read model uses, with the versions and teams known
 * by then. Cost grows with the deals open at the point (as known then) plus those won in the
 * months asked; no event stream is read. Deals are added up in the order their finds return them:
 * the sums are of integers (minor units and counts), and forecastRows orders groups and fields
 * itself, so the answer does not depend on that order.
 */
export async function forecastKnownAt(
  store: ReadStore,
  collection: (logical: string) => string,
  query: ForecastQuery & { knownAt: Date },
): Promise<ForecastKnownAtReport> {
  checkForecastSelection(query);
  const point: TimePoint = { asOf: query.asOf, knownAt: query.knownAt };
  const asOf = query.asOf.toISOString();
  const firstMonth = query.months[0] ? `${query.months[0]}-01T00:00:00.000Z` : asOf;
  // Each deal's inputs are taken as its find comes back, so the documents need not all be held.
  const deals: ForecastDeal[] = [];
  await forEachSpanAt(store, collection, point, firstMonth, (span) => {
    const deal = spanAt(span, point);
    if (deal !== undefined && deal.status !== 'lost') deals.push(forecastDeal(deal));
  });

  const context = await forecastContextAt(store, collection, point, deals);
  const sums = new Map<string, Sums>();
  for (const deal of deals) addContribution(sums, contribution(deal, context, asOf), query, 1);
  const base = inForce(context.fxVersions(), asOf)?.base ?? null;
  return {
    report: 'forecast',
    asOf,
    knownAt: query.knownAt.toISOString(),
    by: query.by,
    currency: base,
    rows: forecastRows(sums, query, base),
  };
}

/** The forecast takes one dimension filter, grouped by that dimension or, for a team, by owner. */
export function checkForecastSelection({
  filter,
  groupBy,
}: Pick<ForecastQuery, 'filter' | 'groupBy'>) {
  const teamPerRep = filter?.dim === 'team' && groupBy === 'owner';
  if (filter && groupBy && filter.dim !== groupBy && !teamPerRep) {
    throw new UnsupportedFilterError(filter.dim, groupBy);
  }
}

/**
 * What contribution() weighs deals with at the point: the stage and FX policy versions and the
 * teams of the deals' owners, as known then. Each list is made once per query and handed out
 * again: contribution() only reads them, and forecast-money caches conversion factors per FX
 * table object.
 */
export async function forecastContextAt(
  store: ReadStore,
  collection: (logical: string) => string,
  point: TimePoint,
  deals: ForecastDeal[],
): Promise<ForecastContext> {
  const policySet = new Set([FX_POLICY_ID]);
  const ownerSet = new Set<string>();
  for (const deal of deals) {
    policySet.add(deal.stagePolicy);
    ownerSet.add(deal.owner);
    ownerSet.add(deal.won?.owner ?? deal.owner);
  }
  const [policies, teams] = await Promise.all([
    store.getMany(collection(VERSIONS), [...policySet]) as Promise<PolicyVersions[]>,
    store.getMany(collection(TEAMS), [...ownerSet]) as Promise<TeamHistory[]>,
  ]);
  const versions = new Map(policies.map((doc) => [doc.id, knownBy(doc.versions, point)]));
  const spans = new Map(teams.map((doc) => [doc.id, knownBy(doc.spans, point)]));
  const memo = <T>(made: Map<string, T>, key: string, make: () => T): T => {
    let value = made.get(key);
    if (value === undefined) {
      value = make();
      made.set(key, value);
    }
    return value;
  };
  const stageLists = new Map<string, StageVersion[]>();
  const fxLists = new Map<string, FxVersion[]>();
  const teamLists = new Map<string, TeamSpan[]>();
  return {
    stageVersions: (policyId) =>
      memo(stageLists, policyId, () =>
        (versions.get(policyId) ?? []).map((v): StageVersion => ({
          version: v.version,
          at: v.at,
          probabilities: Object.fromEntries(
            ((v.body.openStages ?? []) as Array<{ key: string; probability: number }>).map(
              (stage) => [stage.key, stage.probability],
            ),
          ),
        })),
      ),
    fxVersions: () =>
      memo(fxLists, FX_POLICY_ID, () =>
        (versions.get(FX_POLICY_ID) ?? []).map((v): FxVersion => ({
          version: v.version,
          at: v.at,
          base: v.body.base as string,
          rates: (v.body.rates ?? []) as FxVersion['rates'],
        })),
      ),
    teams: (userId) =>
      memo(teamLists, userId, () =>
        (spans.get(userId) ?? []).map(({ at, teamId }): TeamSpan => ({ at, teamId })),
      ),
  };
}

/** Adds (sign 1) or takes back (−1) one deal's contribution, filtered and grouped as asked. */
export function addContribution(
  sums: Map<string, Sums>,
  entry: ReturnType<typeof contribution>,
  query: Pick<ForecastQuery, 'filter' | 'groupBy'>,
  sign: number,
): void {
  if (!entry) return;
  const { filter, groupBy } = query;
  if (filter && entry.dims[filter.dim] !== filter.value) return;
  const group = groupBy ? entry.dims[groupBy] : ALL;
  if (group === undefined) return;
  const total = sums.get(group) ?? {};
  const { amounts } = entry;
  for (const field in amounts) total[field] = (total[field] ?? 0) + sign * amounts[field];
  sums.set(group, total);
}

export function forecastDeal(deal: SpanAt): ForecastDeal {
  const { span, won } = deal;
  const { f } = span;
  const changedAt = deal.changedAt;
  return {
    id: span.id,
    status: deal.status,
    stagePolicy: f[SPAN_FACT.stagePolicy],
    currency: f[SPAN_FACT.currency],
    amount: deal.amount,
    stage: deal.stage,
    closeMonth: deal.closeDate ? monthOf(deal.closeDate) : null,
    shipMonth: deal.shipMonth ? monthOf(deal.shipMonth) : null,
    owner: deal.owner,
    channel: f[SPAN_FACT.channel],
    country: f[SPAN_FACT.country],
    region: f[SPAN_FACT.region],
    productLine: f[SPAN_FACT.productLine],
    won: won && { at: iso(won.at), amount: won.amount, owner: won.owner },
    // Not an input of contribution(): made only if something reads it.
    get changedAt() {
      return iso(changedAt);
    },
  };
}
