/** Tuned by operations; what dedup decides under it names its id and version. */
export interface DedupPolicy {
  id: string;
  version: number;
  /** Company names scoring at or above this (0..1, `companyNameSimilarity`) go to review. */
  nameSimilarityThreshold: number;
  /** Queue an inquiry for review when an existing record has the same phone number. */
  reviewPhoneMatches: boolean;
  /** Queue an inquiry for review when an existing company name is similar enough. */
  reviewNameMatches: boolean;
  /** How many names blocking hands on to the full comparison. */
  maxNameCandidates: number;
  /** Free-mail domains the maintained list lacks; they never make a domain key. */
  extraFreeMailDomains: string[];
}
