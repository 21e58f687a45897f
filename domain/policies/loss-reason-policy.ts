import { LocalizedText } from '../shared/localized-text';

export type LossReasonKey =
  'price' | 'lead_time' | 'specification' | 'trust' | 'process' | 'external';

export interface LossSubReason {
  key: string;
  label: LocalizedText;
}

export interface LossReason {
  key: LossReasonKey;
  label: LocalizedText;
  subReasons: LossSubReason[];
}

export interface LossReasonPolicy {
  id: string;
  version: number;
  reasons: LossReason[];
}

/** Resolves a code like 'price.competitor_cheaper'; undefined when the policy has no such sub-reason. */
export const findLossReason = (
  policy: LossReasonPolicy,
  code: string,
): { reason: LossReason; subReason: LossSubReason } | undefined => {
  const [reasonKey, subKey, ...rest] = code.split('.');
  if (rest.length > 0 || !subKey) return undefined;
  const reason = policy.reasons.find((candidate) => candidate.key === reasonKey);
  const subReason = reason?.subReasons.find((candidate) => candidate.key === subKey);
  return reason && subReason ? { reason, subReason } : undefined;
};
