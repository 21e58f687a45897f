import { DateTime } from 'luxon';
import { SourceChannel } from '../shared/channels';
import { divideHalfEven, isCurrencyCode } from '../shared/money';

/**
 * What each lead channel costs per calendar month (platform memberships, trade-show stands, ads),
 * in minor units of the policy's currency, which is the base currency reports are stated in.
 * An entry applies to every month from `from` to `until` (inclusive; open-ended without `until`).
 */
export interface ChannelMonthlyCost {
  channel: SourceChannel;
  /** 'YYYY-MM', the first month the amount applies to. */
  from: string;
  /** 'YYYY-MM', the last month it applies to; absent: until a later entry or for good. */
  until?: string;
  /** Per month, in minor units of `currency`. */
  amountMinor: number;
}

export interface ChannelCostPolicy {
  id: string;
  version: number;
  /** ISO 4217; the base currency of the FX policy. */
  currency: string;
  costs: ChannelMonthlyCost[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Problems as 'dotted.key: problem': months, order, and two entries for one channel-month. */
export const channelCostPolicyProblems = (policy: ChannelCostPolicy): string[] => {
  const problems: string[] = [];
  if (!isCurrencyCode(policy.currency)) {
    problems.push(`currency: ${policy.currency} is not an ISO 4217 code`);
  }
  policy.costs.forEach((cost, index) => {
    if (!MONTH.test(cost.from)) problems.push(`costs.${index}.from: must be a month YYYY-MM`);
    if (cost.until !== undefined && !MONTH.test(cost.until)) {
      problems.push(`costs.${index}.until: must be a month YYYY-MM`);
    }
    if (cost.until !== undefined && cost.until < cost.from) {
      problems.push(`costs.${index}.until: must not be before from`);
    }
    policy.costs.slice(0, index).forEach((earlier, earlierIndex) => {
      if (earlier.channel === cost.channel && overlaps(earlier, cost)) {
        problems.push(
          `costs.${index}: ${cost.channel} already has a cost for some of these months (costs.${earlierIndex})`,
        );
      }
    });
  });
  return problems;
};

const overlaps = (a: ChannelMonthlyCost, b: ChannelMonthlyCost): boolean =>
  a.from <= (b.until ?? '9999-12') && b.from <= (a.until ?? '9999-12');

/** The amount for one channel and month 'YYYY-MM', or undefined when the policy has none. */
export const monthlyCost = (
  policy: ChannelCostPolicy,
  channel: string,
  month: string,
): number | undefined =>
  policy.costs.find(
    (cost) => cost.channel === channel && cost.from <= month && month <= (cost.until ?? '9999-12'),
  )?.amountMinor;

export interface PeriodCost {
  /** Minor units of the policy's currency. */
  minor: number;
  currency: string;
  /** The months the period touches that have no cost for the channel (counted as 0). */
  monthsWithoutCost: string[];
}

/**
 * The channel's cost over [from, to). Months are calendar months in `tz`, the report's time zone.
 * A month the period covers only in part costs its amount × covered days ÷ days in the month,
 * where a partly covered day counts by the share of it that is covered; each month's share is
 * rounded half to even to minor units before the months are added.
 */
export const channelCostInPeriod = (
  policy: ChannelCostPolicy,
  channel: string,
  from: Date,
  to: Date,
  tz: string,
): PeriodCost => {
  const result: PeriodCost = { minor: 0, currency: policy.currency, monthsWithoutCost: [] };
  let month = DateTime.fromJSDate(from, { zone: tz }).startOf('month');
  const end = DateTime.fromJSDate(to, { zone: tz });
  while (month < end) {
    const next = month.plus({ months: 1 });
    const key = month.toFormat('yyyy-MM');
    const amount = monthlyCost(policy, channel, key);
    const start = DateTime.max(month, DateTime.fromJSDate(from, { zone: tz }));
    const stop = DateTime.min(next, end);
    if (amount === undefined) {
      result.monthsWithoutCost.push(key);
    } else if (start < stop) {
      result.minor += proratedMinor(
        amount,
        dayPosition(start) - dayPosition(month),
        dayPosition(stop) - dayPosition(month),
        month.daysInMonth!,
      );
    }
    month = next;
  }
  return result;
};

/** Days since the local epoch, with the covered share of the day as a fraction. */
const dayPosition = (at: DateTime): number => {
  const midnight = at.startOf('day');
  const dayLength = midnight.plus({ days: 1 }).toMillis() - midnight.toMillis();
  const ordinal = Math.round(
    DateTime.utc(midnight.year, midnight.month, midnight.day).toMillis() / 86_400_000,
  );
  return ordinal + (at.toMillis() - midnight.toMillis()) / dayLength;
};

/** amount × (days covered) ÷ daysInMonth, half to even; exact when the cover is whole days. */
const proratedMinor = (
  amount: number,
  startDay: number,
  stopDay: number,
  daysInMonth: number,
): number => {
  const covered = stopDay - startDay;
  if (Math.abs(covered - Math.round(covered)) < 1e-9) {
    return Number(
      divideHalfEven(BigInt(amount) * BigInt(Math.round(covered)), BigInt(daysInMonth)),
    );
  }
  // Part days: scale to millionths of a day, then round once.
  const millionths = BigInt(Math.round(covered * 1_000_000));
  return Number(divideHalfEven(BigInt(amount) * millionths, BigInt(daysInMonth) * 1_000_000n));
};
