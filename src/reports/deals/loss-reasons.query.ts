import type { FxPolicy } from '../../../domain/policies/fx-policy';
import type { LossReasonPolicy } from '../../../domain/policies/loss-reason-policy';
import { formatMajor } from '../../../domain/shared/money';
import { LOSS_KEY, LOSSES } from '../../../projections/loss-reasons.projection';
import { FX_POLICY_ID, LOSS_REASON_POLICY_ID } from '../../../projections/shared/deal-context';
import { POLICIES, PolicyDocument } from '../../../projections/team-membership.projection';
import type { ReadStore } from '../../read-store/read-store.port';
import type { ReportPeriod } from '../report-period';
import type { ReportRow } from '../report-response';
import type { Sums } from '../rollup-query';
import { CollectionNames, ratio, Selection, sumGroups } from './deal-report-selection';

export const LOSS_REASONS = 'loss-reasons';

export interface LossReasonRow extends ReportRow {
  group: string;
  /** `all` (the group's total), `reason`, or `sub_reason`. */
  level: 'all' | 'reason' | 'sub_reason';
  reason: string | null;
  subReason: string | null;
  /** `<reason>.<subReason>` as on DealLost, for sub-reason rows. */
  code: string | null;
  label: string;
  lost: number;
  /** Share of the group's lost deals, 4 decimals. */
  share: number | null;
  /** Lost amount in the base currency, minor units (converted per deal at its loss date, half-even). */
  amountMinor: number;
  amount: string;
  currency: string;
  /** On `all` rows: lost deals without an amount, and those with no FX rate in force (not in the amounts). */
  noAmount: number | null;
  unconverted: number | null;
}

export interface LossReasonsReport {
  report: typeof LOSS_REASONS;
  currency: string;
  rows: LossReasonRow[];
}

/**
 * Lost deals by reason and sub-reason (both levels of the taxonomy), in the period of the loss,
 * counts and lost amount in the base currency. Reasons and sub-reasons come in the policy's order,
 * then any retired ones; only those with losses in a group are listed.
 */
export async function lossReasons(
  store: ReadStore,
  names: CollectionNames,
  period: ReportPeriod,
  selection: Selection,
): Promise<LossReasonsReport> {
  const groups = await sumGroups(store, names(LOSSES), period, selection);
  const [policyDoc, fxDoc] = await store
    .getMany(names(POLICIES), [LOSS_REASON_POLICY_ID, FX_POLICY_ID])
    .then((docs) => [
      docs.find((doc) => doc.id === LOSS_REASON_POLICY_ID) as
        PolicyDocument<LossReasonPolicy> | undefined,
      docs.find((doc) => doc.id === FX_POLICY_ID) as PolicyDocument<FxPolicy> | undefined,
    ]);
  const currency = (fxDoc?.body as FxPolicy | undefined)?.base ?? 'USD';
  const reasons = (policyDoc?.body as LossReasonPolicy | undefined)?.reasons ?? [];
  const money = (minor: number) => ({
    amountMinor: minor,
    amount: formatMajor({ minor, currency }),
    currency,
  });
  const rows: LossReasonRow[] = [];
  for (const { group, sums } of groups) {
    const lost = sums.lost ?? 0;
    rows.push({
      group,
      level: 'all',
      reason: null,
      subReason: null,
      code: null,
      label: 'All reasons',
      lost,
      share: ratio(lost, lost),
      ...money(sums.amount ?? 0),
      noAmount: sums.no_amount ?? 0,
      unconverted: sums.unconverted ?? 0,
    });
    for (const reason of orderedReasons(sums, reasons)) {
      const reasonLost = reason.subReasons.reduce((n, sub) => n + sub.lost, 0);
      const reasonAmount = reason.subReasons.reduce((n, sub) => n + sub.amount, 0);
      const common = { group, noAmount: null, unconverted: null };
      rows.push({
        ...common,
        level: 'reason',
        reason: reason.key,
        subReason: null,
        code: null,
        label: reason.label,
        lost: reasonLost,
        share: ratio(reasonLost, lost),
        ...money(reasonAmount),
      });
      for (const sub of reason.subReasons) {
        rows.push({
          ...common,
          level: 'sub_reason',
          reason: reason.key,
          subReason: sub.key,
          code: `${reason.key}.${sub.key}`,
          label: sub.label,
          lost: sub.lost,
          share: ratio(sub.lost, lost),
          ...money(sub.amount),
        });
      }
    }
  }
  return { report: LOSS_REASONS, currency, rows };
}

interface ReasonFigures {
  key: string;
  label: string;
  subReasons: Array<{ key: string; label: string; lost: number; amount: number }>;
}

/** The reasons with losses in `sums`, in the policy's order, then retired ones alphabetically. */
function orderedReasons(sums: Sums, policy: LossReasonPolicy['reasons']): ReasonFigures[] {
  const found = new Map<string, Map<string, { lost: number; amount: number }>>();
  for (const [key, value] of Object.entries(sums)) {
    const match = LOSS_KEY.exec(key);
    if (!match) continue;
    const [, kind, reason, sub] = match;
    const subs = found.get(reason) ?? new Map<string, { lost: number; amount: number }>();
    const figures = subs.get(sub) ?? { lost: 0, amount: 0 };
    if (kind === 'n') figures.lost += value;
    else figures.amount += value;
    subs.set(sub, figures);
    found.set(reason, subs);
  }
  const result: ReasonFigures[] = [];
  const known = new Map(policy.map((reason) => [reason.key as string, reason]));
  const reasonKeys = [
    ...policy.map((reason) => reason.key as string).filter((key) => found.has(key)),
    ...[...found.keys()].filter((key) => !known.has(key)).sort(),
  ];
  for (const reasonKey of reasonKeys) {
    const subs = found.get(reasonKey)!;
    const policyReason = known.get(reasonKey);
    const subLabels = new Map(
      (policyReason?.subReasons ?? []).map((sub) => [sub.key, sub.label.en]),
    );
    const subKeys = [
      ...[...subLabels.keys()].filter((key) => subs.has(key)),
      ...[...subs.keys()].filter((key) => !subLabels.has(key)).sort(),
    ];
    const subReasons = subKeys
      .map((key) => ({ key, label: subLabels.get(key) ?? key, ...subs.get(key)! }))
      .filter((sub) => sub.lost !== 0 || sub.amount !== 0);
    if (subReasons.length === 0) continue;
    result.push({ key: reasonKey, label: policyReason?.label.en ?? reasonKey, subReasons });
  }
  return result;
}
