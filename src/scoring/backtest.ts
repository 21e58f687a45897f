import { recommend, scoreTotal } from '../../domain/lead/lead.scoring';
import { ScoringPolicy } from '../../domain/policies/scoring-policy';
import { PolicyRef } from '../../domain/shared/decider';
import { DealOutcome, LeadScoreRecord } from './lead-scores';

export interface BacktestMetrics {
  policy: PolicyRef;
  /** The total at or above which a lead is predicted to convert (convertAt). */
  threshold: number;
  predictedPositives: number;
  /** Won leads among the predicted positives. */
  truePositives: number;
  /** truePositives / predictedPositives; null when nothing is predicted positive. */
  precision: number | null;
  /** truePositives / all won leads; null when none was won. */
  recall: number | null;
}

export interface BacktestLead {
  leadId: string;
  outcome: DealOutcome;
  current: { total: number; recommendation: string };
  candidate: { total: number; recommendation: string };
}

export interface BacktestReport {
  /** Leads with a latest score and a won or lost deal: the ones compared. */
  compared: number;
  won: number;
  lost: number;
  current: BacktestMetrics;
  candidate: BacktestMetrics;
  /** candidate minus current; null where either side is null. */
  difference: {
    predictedPositives: number;
    truePositives: number;
    precision: number | null;
    recall: number | null;
  };
  leads: BacktestLead[];
}

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** From the exact ratios, so rounding each side first does not skew the difference. */
const difference = (
  after: { part: number; whole: number },
  before: { part: number; whole: number },
): number | null =>
  after.whole === 0 || before.whole === 0
    ? null
    : Math.round((after.part / after.whole - before.part / before.whole) * 10_000) / 10_000;

interface Closed {
  leadId: string;
  outcome: DealOutcome;
  dimensions: LeadScoreRecord['scores'][number]['dimensions'];
}

function metrics(leads: Closed[], policy: ScoringPolicy): BacktestMetrics {
  let predictedPositives = 0;
  let truePositives = 0;
  let won = 0;
  for (const lead of leads) {
    const positive = scoreTotal(lead.dimensions, policy) >= policy.convertAt;
    if (lead.outcome === 'won') won += 1;
    if (positive) predictedPositives += 1;
    if (positive && lead.outcome === 'won') truePositives += 1;
  }
  return {
    policy: { id: policy.id, version: policy.version },
    threshold: policy.convertAt,
    predictedPositives,
    truePositives,
    precision: ratio(truePositives, predictedPositives),
    recall: ratio(truePositives, won),
  };
}

/** Re-scores each closed lead's latest dimensions under both policies; pure, for tests and reuse. */
export function backtest(
  records: LeadScoreRecord[],
  current: ScoringPolicy,
  candidate: ScoringPolicy,
): BacktestReport {
  const closed: Closed[] = records
    .filter((record) => record.outcome && record.scores.length > 0)
    .map((record) => ({
      leadId: record.leadId,
      outcome: record.outcome!,
      dimensions: record.scores[record.scores.length - 1].dimensions,
    }))
    .sort((a, b) => a.leadId.localeCompare(b.leadId));
  const before = metrics(closed, current);
  const after = metrics(closed, candidate);
  const rescored = (dimensions: Closed['dimensions'], policy: ScoringPolicy) => {
    const total = scoreTotal(dimensions, policy);
    return { total, recommendation: recommend(total, policy) };
  };
  const won = closed.filter((lead) => lead.outcome === 'won').length;
  return {
    compared: closed.length,
    won,
    lost: closed.length - won,
    current: before,
    candidate: after,
    difference: {
      predictedPositives: after.predictedPositives - before.predictedPositives,
      truePositives: after.truePositives - before.truePositives,
      precision: difference(
        { part: after.truePositives, whole: after.predictedPositives },
        { part: before.truePositives, whole: before.predictedPositives },
      ),
      recall: difference(
        { part: after.truePositives, whole: won },
        { part: before.truePositives, whole: won },
      ),
    },
    leads: closed.map(({ leadId, outcome, dimensions }) => ({
      leadId,
      outcome,
      current: rescored(dimensions, current),
      candidate: rescored(dimensions, candidate),
    })),
  };
}
