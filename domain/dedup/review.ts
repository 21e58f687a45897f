import { DedupPolicy } from '../policies/dedup-policy';
import { NameMatch, NameMatchEvidence } from './company-name-index';

/** An existing record found under the inquiry's phone number. */
export interface PhoneHolder {
  id: string;
  /** E.164, as `normalizePhone` gives it. */
  phone: string;
}

export type ReviewEntry =
  | { kind: 'phone'; matchedId: string; score: number; evidence: { phone: string } }
  | { kind: 'name'; matchedId: string; score: number; evidence: NameMatchEvidence };

export interface ReviewInput {
  /** The inquiry's phone in E.164. */
  phone?: string;
  phoneHolders?: readonly PhoneHolder[];
  /** From `CompanyNameIndex.match`. */
  nameMatches?: readonly NameMatch[];
  /** Records the inquiry attaches to by an exact key: there is nothing left to review about them. */
  attachedTo?: readonly string[];
}

export type ReviewPolicy = Pick<
  DedupPolicy,
  'nameSimilarityThreshold' | 'reviewPhoneMatches' | 'reviewNameMatches'
>;

/**
 * Why an inquiry should be looked at by a person. A shared phone or a similar name never attaches
 * on its own: switchboards and group names are shared by different companies.
 */
export const reviewReasons = (input: ReviewInput, policy: ReviewPolicy): ReviewEntry[] => {
  const attached = new Set(input.attachedTo ?? []);
  const entries: ReviewEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: ReviewEntry) => {
    const key = `${entry.kind}:${entry.matchedId}`;
    if (attached.has(entry.matchedId) || seen.has(key)) return;
    seen.add(key);
    entries.push(entry);
  };
  if (policy.reviewPhoneMatches && input.phone) {
    for (const holder of input.phoneHolders ?? []) {
      if (holder.phone !== input.phone) continue;
      add({ kind: 'phone', matchedId: holder.id, score: 1, evidence: { phone: holder.phone } });
    }
  }
  if (policy.reviewNameMatches) {
    for (const match of input.nameMatches ?? []) {
      if (match.score < policy.nameSimilarityThreshold) continue;
      add({ kind: 'name', matchedId: match.id, score: match.score, evidence: match.evidence });
    }
  }
  return entries.sort(
    (a, b) =>
      b.score - a.score ||
      (a.kind === b.kind ? 0 : a.kind === 'phone' ? -1 : 1) ||
      (a.matchedId < b.matchedId ? -1 : a.matchedId > b.matchedId ? 1 : 0),
  );
};
