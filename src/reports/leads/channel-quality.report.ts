import { CHANNEL_COHORT } from '../../../projections/channel-quality.projection';
import {
  ChannelCostPolicy,
  channelCostInPeriod,
  PeriodCost,
} from '../../../domain/policies/channel-cost-policy';
import { divideHalfEven } from '../../../domain/shared/money';
import { ReadStore } from '../../read-store/read-store.port';
import { ALL_GROUP } from '../deals/deal-report-selection';
import type { ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import { ratio } from '../people/distribution';
import { CollectionNames, groupColumnOf, rowsOf, Selection, sumsOf } from '../people/report-groups';

/**
 * Channel quality for the cohort of inquiries received in [from, to): volume, qualified rate,
 * conversion to deal and to won (whenever those happen), and what the channel cost in the period
 * per lead and per won deal. Costs are known per channel only: rows of a channel (grouped or
 * filtered by channel) and the total over all channels carry them; rows cut by another dimension
 * do not (a channel's cost cannot be split by country or owner).
 */
export async function channelQuality(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
  costs: ChannelCostPolicy | undefined,
): Promise<ReportRow[]> {
  const cohort = sumsOf(store, names(CHANNEL_COHORT), selection);
  return rowsOf(period, selection, groupColumnOf(selection), async (from, to) => {
    const sums = await cohort(from, to);
    const keys = new Set(sums.keys());
    const cost = (channel: string) => channelCostInPeriod(costs!, channel, from, to, period.tz);
    // A channel that cost money but brought nothing still shows, with its cost.
    if (selection.groupBy === 'channel' && !selection.filter && !selection.within && costs) {
      for (const entry of costs.costs) if (cost(entry.channel).minor > 0) keys.add(entry.channel);
    }
    if (keys.size === 0 && (!selection.groupBy || selection.pick !== undefined)) {
      keys.add(selection.pickAs ?? ALL_GROUP);
    }
    return [...keys].map((key): [string, ReportRow] => {
      const s = sums.get(key) ?? {};
      const inquiries = s.inquiries ?? 0;
      const qualified = s.qualified ?? 0;
      const converted = s.converted ?? 0;
      const won = s.won ?? 0;
      const spent = costs ? costOf(selection, key, costs, cost) : undefined;
      return [
        key,
        {
          inquiries,
          qualified,
          qualifiedRate: ratio(qualified, inquiries),
          convertedToDeal: converted,
          dealConversionRate: ratio(converted, inquiries),
          won,
          wonConversionRate: ratio(won, inquiries),
          costMinor: spent?.minor ?? null,
          currency: spent?.currency ?? null,
          costPerLeadMinor: spent && inquiries > 0 ? perUnit(spent.minor, inquiries) : null,
          costPerWonDealMinor: spent && won > 0 ? perUnit(spent.minor, won) : null,
          monthsWithoutCost:
            spent && spent.monthsWithoutCost.length > 0 ? spent.monthsWithoutCost.join(' ') : null,
        },
      ];
    });
  });
}

/**
 * Costs are known per channel: a channel's row, a channel filter, or the total of all channels;
 * not a rep's or a team's share of them.
 */
function costOf(
  selection: Selection,
  key: string,
  policy: ChannelCostPolicy,
  cost: (channel: string) => PeriodCost,
): PeriodCost | undefined {
  if (selection.within) return undefined;
  if (selection.groupBy === 'channel' && !selection.filter) return cost(key);
  if (selection.filter?.dim === 'channel' && !selection.groupBy)
    return cost(selection.filter.value);
  if (!selection.filter && !selection.groupBy) {
    const parts = [...new Set(policy.costs.map((entry) => entry.channel))].map(cost);
    return {
      minor: parts.reduce((sum, part) => sum + part.minor, 0),
      currency: policy.currency,
      monthsWithoutCost: [...new Set(parts.flatMap((part) => part.monthsWithoutCost))].sort(),
    };
  }
  return undefined;
}

/** Cost per unit, rounded half to even to minor units. */
const perUnit = (minor: number, units: number): number =>
  Number(divideHalfEven(BigInt(minor), BigInt(units)));
