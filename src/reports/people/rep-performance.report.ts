import {
  ACTIVITIES,
  FIRST_RESPONSE,
  OPEN_DEALS,
  REVENUE,
  SLA,
} from '../../../projections/rep-performance.projection';
import type { ReportDimension } from '../../../projections/shared/rollup';
import { ReadStore } from '../../read-store/read-store.port';
import type { ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import type { Sums } from '../rollup-query';
import { countAtMost, ratio, round, summarise } from './distribution';
import { CollectionNames, groupColumnOf, rowsOf, Selection, sumsOf } from './report-groups';

/** Before every event the product can hold: the start of the open-deal count. */
const HISTORY_START = new Date('1970-01-01T00:00:00Z');
const WEEK_SECONDS = 7 * 24 * 3600;

/** Open-deal time is kept per owner and team (and a rep's per team); no other dimension has it. */
const OPEN_DEAL_DIMS: Array<ReportDimension | undefined> = [undefined, 'owner', 'team'];

/**
 * Rep performance over the period: per owner (or the grouping asked for), from bucket sums only.
 * - First response: count, mean, median and p90 (nearest rank) in calendar and business seconds,
 *   of the first responses made in the period.
 * - Follow-up density: activities in the period ÷ average open deals over the period ÷ weeks in
 *   the period = activities × 604 800 ÷ open-deal-seconds.
 * - Won: deals won in the period and their amount in the base currency (per deal at the won date's rate).
 * - Won-to-cash: days from won to first payment, and to full payment, for payments in the period.
 */
export async function repPerformance(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
): Promise<ReportRow[]> {
  const responses = sumsOf(store, names(FIRST_RESPONSE), selection);
  const activities = sumsOf(store, names(ACTIVITIES), selection);
  const revenue = sumsOf(store, names(REVENUE), selection);
  return rowsOf(period, selection, groupColumnOf(selection), async (from, to) => {
    const [fr, act, rev] = await Promise.all([
      responses(from, to),
      activities(from, to),
      revenue(from, to),
    ]);
    const openSeconds = await openDealSeconds(store, names, selection, from, to);
    const keys = new Set([
      ...fr.keys(),
      ...act.keys(),
      ...rev.keys(),
      ...(openSeconds?.keys() ?? []),
    ]);
    const periodSeconds = (to.getTime() - from.getTime()) / 1000;
    return [...keys].map((key): [string, ReportRow] => {
      const calendar = summarise(fr.get(key), 's');
      const business = summarise(fr.get(key), 'b');
      const acts = act.get(key) ?? {};
      const dealSeconds = openSeconds?.get(key);
      const won = rev.get(key) ?? {};
      const first = summarise(won, 'f');
      const full = summarise(won, 'p');
      return [
        key,
        {
          firstResponses: calendar.count,
          firstResponseMeanSeconds: calendar.mean,
          firstResponseMedianSeconds: calendar.median,
          firstResponseP90Seconds: calendar.p90,
          businessMeasured: business.count,
          firstResponseBusinessMeanSeconds: business.mean,
          firstResponseBusinessMedianSeconds: business.median,
          firstResponseBusinessP90Seconds: business.p90,
          activities: acts.activities ?? 0,
          outboundActivities: acts.outbound ?? 0,
          averageOpenDeals:
            dealSeconds === undefined || periodSeconds <= 0
              ? null
              : round(dealSeconds / periodSeconds, 4),
          followUpDensity:
            dealSeconds === undefined || dealSeconds <= 0
              ? null
              : round(((acts.activities ?? 0) * WEEK_SECONDS) / dealSeconds, 4),
          wonDeals: won.won ?? 0,
          ...wonAmounts(won),
          firstPayments: first.count,
          daysToFirstPaymentMean: first.mean,
          daysToFirstPaymentMedian: first.median,
          paidInFull: full.count,
          daysToFullPaymentMean: full.mean,
          daysToFullPaymentMedian: full.median,
        },
      ];
    });
  });
}

function wonAmounts(rev: Sums): ReportRow {
  const won = Object.entries(rev).filter(([key]) => key.startsWith('won_'));
  const unconverted = Object.entries(rev)
    .filter(([key, amount]) => key.startsWith('unconverted_') && amount !== 0)
    .map(([key, amount]) => `${key.slice('unconverted_'.length)} ${amount}`);
  const row: ReportRow = {
    wonAmountMinor: won.length === 1 ? won[0][1] : won.length === 0 ? 0 : null,
    currency: won.length === 1 ? won[0][0].slice(4) : null,
    unconvertedDeals: rev.unconvertedDeals ?? 0,
    unconvertedAmountsMinor: unconverted.length > 0 ? unconverted.join('; ') : null,
  };
  // A base currency changed by a new FX policy: one column per currency rather than a mixed sum.
  if (won.length > 1)
    for (const [key, amount] of won) row[`wonAmountMinor_${key.slice(4)}`] = amount;
  return row;
}

/**
 * ∫ open deals dt over [from, to), per group, in deal-seconds: (to − from)·C + to·D − S, with C the
 * open count at `from` (all changes before it), D and S the sums of delta and delta × time of the
 * changes inside the period. Undefined for groupings without an open-deal count.
 */
async function openDealSeconds(
  store: ReadStore,
  names: CollectionNames,
  selection: Selection,
  from: Date,
  to: Date,
): Promise<Map<string, number> | undefined> {
  if (
    !OPEN_DEAL_DIMS.includes(selection.groupBy) ||
    !OPEN_DEAL_DIMS.includes(selection.filter?.dim)
  ) {
    return undefined;
  }
  const sums = sumsOf(store, names(OPEN_DEALS), selection);
  const [before, during] = await Promise.all([sums(HISTORY_START, from), sums(from, to)]);
  const start = from.getTime() / 1000;
  const end = to.getTime() / 1000;
  const result = new Map<string, number>();
  for (const key of new Set([...before.keys(), ...during.keys()])) {
    const openAtStart = before.get(key)?.delta ?? 0;
    const inside = during.get(key) ?? {};
    result.set(
      key,
      (end - start) * openAtStart + end * (inside.delta ?? 0) - (inside.deltaAt ?? 0),
    );
  }
  return result;
}

/**
 * First-response SLA compliance for the live inquiries received in the period: answered within
 * `targetSeconds` of business time on the owning team's calendar (calendar time where the team
 * has none), answered later, and not answered (yet).
 */
export async function slaCompliance(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
  targetSeconds: number,
): Promise<ReportRow[]> {
  const sla = sumsOf(store, names(SLA), selection);
  return rowsOf(period, selection, groupColumnOf(selection), async (from, to) => {
    const sums = await sla(from, to);
    return [...sums.entries()].map(([key, s]): [string, ReportRow] => {
      const received = s.received ?? 0;
      const answered = s.answered ?? 0;
      const within = countAtMost(s, 't', targetSeconds);
      const times = summarise(s, 't');
      return [
        key,
        {
          targetMinutes: targetSeconds / 60,
          received,
          answered,
          answeredWithinTarget: within,
          answeredLate: answered - within,
          unanswered: received - answered,
          compliance: ratio(within, received),
          complianceOfAnswered: ratio(within, answered),
          medianResponseSeconds: times.median,
          p90ResponseSeconds: times.p90,
          measuredInCalendarTime: s.calendarFallback ?? 0,
        },
      ];
    });
  });
}
