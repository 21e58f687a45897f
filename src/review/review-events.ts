import { v5 as uuidv5 } from 'uuid';
import { NameMatchEvidence } from '../../domain/dedup/company-name-index';

export const DEDUP_REVIEW_OPENED = 'DedupReviewOpened';
export const DEDUP_REVIEW_DISMISSED = 'DedupReviewDismissed';
export const DEDUP_REVIEW_CONFIRMED = 'DedupReviewConfirmed';
export const REVIEW_EVENTS = [DEDUP_REVIEW_OPENED, DEDUP_REVIEW_DISMISSED, DEDUP_REVIEW_CONFIRMED];

export type ReviewKind = 'phone' | 'name';

/** What made the match: the shared phone (personal, sealed under the lead), the compared names. */
export type ReviewEvidence = { phone?: string } & Partial<NameMatchEvidence>;

export interface DedupReviewOpened {
  reviewId: string;
  leadId: string;
  accountId: string;
  /** The strongest reason; the evidence holds both when the phone and the name match. */
  kind: ReviewKind;
  score: number;
  evidence: ReviewEvidence;
  policy: { id: string; version: number };
  /** Names that got the full similarity comparison for this inquiry, after blocking. */
  compared: number;
}

export interface DedupReviewDecided {
  reviewId: string;
  leadId: string;
  accountId: string;
  by: string;
  reason: string;
}

/** Fixed namespace for review ids, so a lead and an account always name the same review stream. */
const REVIEW_IDS = '6f1c2e0a-5d8b-4c57-9a43-1b7e2d9c8f10';

export const reviewIdOf = (leadId: string, accountId: string): string =>
  uuidv5(`${leadId}:${accountId}`, REVIEW_IDS);

export const reviewStream = (reviewId: string): string => `review-${reviewId}`;
