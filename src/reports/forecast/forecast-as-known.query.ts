import {
  DealSpan,
  PolicyVersions,
  SPANS,
  TEAMS,
  TeamHistory,
  VERSIONS,
} from '../../../projections/deal-timeline.projection';
import { contribution, ForecastDeal } from '../../../projections/shared/forecast-contribution';
import { spanAt } from '../../audit/as-of/deal-span';
import { dealsKnownLater, KNOWN_LATER_LIMIT } from '../../audit/as-of/known-later';
import { TimePoint } from '../../audit/as-of/time-point';
import { ReadStore } from '../../read-store/read-store.port';
import {
  addContribution,
  checkForecastSelection,
  forecastContextAt,
  forecastDeal,
  forecastKnownAt,
  ForecastKnownAtReport,
} from './forecast-known-at.query';
import { ForecastQuery, forecastRows, forecastSums } from './forecast.query';

export interface ForecastReadModels {
  timeline: (logical: string) => string;
  forecast: (logical: string) => string;
}

/**
 * The forecast as of asOf as it could have been computed at knownAt, the cheap way when little
 * was recorded after knownAt: the weighted-forecast read model's sums as of asOf (everything
 * recorded), less what the deals changed after knownAt add there, plus what they added at the
 * point. That is exact when no stage or FX policy version and no team move was recorded after
 * knownAt (they would re-weigh every deal), and at most KNOWN_LATER_LIMIT deal changes were;
 * otherwise, and with nothing else to go on, every deal is folded (forecastKnownAt). Both ways
 * answer the same.
 */
export async function forecastAsKnown(
  store: ReadStore,
  models: ForecastReadModels,
  query: ForecastQuery & { knownAt: Date },
): Promise<ForecastKnownAtReport> {
  const fold = () => forecastKnownAt(store, models.timeline, query);
  checkForecastSelection(query);
  if (await policyOrTeamKnownAfter(store, models.timeline, query.knownAt)) return fold();
  const changed = await dealsKnownLater(
    store,
    models.timeline,
    query.asOf,
    query.knownAt,
    KNOWN_LATER_LIMIT,
  );
  if (changed === undefined) return fold();
  const { sums, base } = await forecastSums(store, models.forecast, query);
  if (changed.size > 0) {
    const point: TimePoint = { asOf: query.asOf, knownAt: query.knownAt };
    const spans = (await store.getMany(models.timeline(SPANS), [...changed])) as DealSpan[];
    const dealAt = (span: DealSpan, at: TimePoint): ForecastDeal | undefined => {
      const deal = spanAt(span, at);
      return deal === undefined || deal.status === 'lost' ? undefined : forecastDeal(deal);
    };
    const counted = spans.map((span) => dealAt(span, { asOf: query.asOf }));
    const known = spans.map((span) => dealAt(span, point));
    const present = [...counted, ...known].filter((deal) => deal !== undefined);
    // No version or team move was recorded after knownAt: the same context serves both.
    const context = await forecastContextAt(store, models.timeline, point, present);
    const asOf = query.asOf.toISOString();
    for (const deal of counted) addContribution(sums, contribution(deal, context, asOf), query, -1);
    for (const deal of known) addContribution(sums, contribution(deal, context, asOf), query, 1);
  }
  return {
    report: 'forecast',
    asOf: query.asOf.toISOString(),
    knownAt: query.knownAt.toISOString(),
    by: query.by,
    currency: base,
    rows: forecastRows(sums, query, base),
  };
}

/** Whether any stage or FX policy version or team move became known after knownAt. */
async function policyOrTeamKnownAfter(
  store: ReadStore,
  collection: (logical: string) => string,
  knownAt: Date,
): Promise<boolean> {
  const after = knownAt.toISOString();
  const [policies, teams] = await Promise.all([
    store.find(collection(VERSIONS)) as Promise<PolicyVersions[]>,
    store.find(collection(TEAMS)) as Promise<TeamHistory[]>,
  ]);
  return (
    policies.some((policy) => policy.versions.some((version) => version.known > after)) ||
    teams.some((team) => team.spans.some((span) => span.known > after))
  );
}
