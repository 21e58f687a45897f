/** The five things a rep rates about a lead. */
export const SCORE_DIMENSIONS = [
  'requirementClarity',
  'purchaseStage',
  'volumeAndFrequency',
  'termsAcceptability',
  'responsiveness',
] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];

/** Tuned by operations; every LeadScored names the id and version it used. */
export interface ScoringPolicy {
  id: string;
  version: number;
  /** Relative weight of each dimension, whole numbers, not all zero. */
  weights: Record<ScoreDimension, number>;
  /** A total at or above this recommends converting the lead to a deal. */
  convertAt: number;
  /** A total below this sends the lead to the nurture queue. */
  nurtureBelow: number;
}
