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
import { DealAt, knownBy } from '../../audit/as-of/deal-at';
import { dealAtSpan, spansAt } from '../../audit/as-of/deal-span';
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
 * folds the deal-timeline read model instead: the deals that may be open at the point, or won in
 * the months asked (indexed finds), each weighed by the same contribution function the read model
 * uses, with the versions and teams known by then. Cost grows with the deals open now plus those
 * closed after the point; no event stream is read.
 */
export async function forecastKnownAt(
  store: ReadStore,
  collection: (logical: string) => string,
  query: ForecastQuery & { knownAt: Date },
): Promise<ForecastKnownAtReport> {
  const { filter, groupBy } = query;
  const teamPerRep = filter?.dim === 'team' && groupBy === 'owner';
  if (filter && groupBy && filter.dim !== groupBy && !teamPerRep) {
    throw new UnsupportedFilterError(filter.dim, groupBy);
  }
  const point: TimePoint = { asOf: query.asOf, knownAt: query.knownAt };
  const asOf = query.asOf.toISOString();
  const firstMonth = query.months[0] ? `${query.months[0]}-01T00:00:00.000Z` : asOf;
  const candidates = await spansAt(store, collection, point, firstMonth);
  const deals = candidates
    .map((span) => dealAtSpan(span, point))
    .filter((deal): deal is DealAt => deal !== undefined && deal.status !== 'lost');

  const policyIds = [...new Set([FX_POLICY_ID, ...deals.map((deal) => deal.stagePolicy)])];
  const owners = [...new Set(deals.flatMap((deal) => [deal.owner, deal.won?.owner ?? deal.owner]))];
  const [policies, teams] = await Promise.all([
    store.getMany(collection(VERSIONS), policyIds) as Promise<PolicyVersions[]>,
    store.getMany(collection(TEAMS), owners) as Promise<TeamHistory[]>,
  ]);
  const versions = new Map(policies.map((doc) => [doc.id, knownBy(doc.versions, point)]));
  const spans = new Map(teams.map((doc) => [doc.id, knownBy(doc.spans, point)]));
  const context: ForecastContext = {
    stageVersions: (policyId) =>
      (versions.get(policyId) ?? []).map((v): StageVersion => ({
        version: v.version,
        at: v.at,
        probabilities: Object.fromEntries(
          ((v.body.openStages ?? []) as Array<{ key: string; probability: number }>).map(
            (stage) => [stage.key, stage.probability],
          ),
        ),
      })),
    fxVersions: () =>
      (versions.get(FX_POLICY_ID) ?? []).map((v): FxVersion => ({
        version: v.version,
        at: v.at,
        base: v.body.base as string,
        rates: (v.body.rates ?? []) as FxVersion['rates'],
      })),
    teams: (userId) =>
      (spans.get(userId) ?? []).map(({ at, teamId }): TeamSpan => ({ at, teamId })),
  };

  const sums = new Map<string, Sums>();
  for (const deal of deals) {
    const entry = contribution(forecastDeal(deal), context, asOf);
    if (!entry) continue;
    if (filter && entry.dims[filter.dim] !== filter.value) continue;
    const group = groupBy ? entry.dims[groupBy] : ALL;
    if (group === undefined) continue;
    const total = sums.get(group) ?? {};
    for (const [field, amount] of Object.entries(entry.amounts)) {
      total[field] = (total[field] ?? 0) + amount;
    }
    sums.set(group, total);
  }
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

function forecastDeal(deal: DealAt): ForecastDeal {
  return {
    id: deal.id,
    status: deal.status,
    stagePolicy: deal.stagePolicy,
    currency: deal.currency,
    amount: deal.amount,
    stage: deal.stage,
    closeMonth: deal.closeDate ? monthOf(deal.closeDate) : null,
    shipMonth: deal.shipMonth ? monthOf(deal.shipMonth) : null,
    owner: deal.owner,
    channel: deal.channel,
    country: deal.country,
    region: deal.region,
    productLine: deal.productLine,
    won: deal.won,
    changedAt: deal.changedAt,
  };
}
