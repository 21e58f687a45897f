import { NormalizedCompanyName, normalizeCompanyName } from './company-name';
import { companyNameSimilarity, trigrams } from './similarity';

export interface NameMatchEvidence {
  /** Both names as compared, after normalization. */
  normalized: { query: string; match: string };
  sharedTokens: string[];
  sharedTrigrams: number;
}

export interface NameMatch {
  id: string;
  score: number;
  evidence: NameMatchEvidence;
}

export interface CandidateOptions {
  /** At most this many names are compared in full. */
  limit?: number;
}

export interface Candidates {
  ids: string[];
  /** Names the full similarity is computed for (an id with two names counts twice). */
  compared: number;
  /** Posting entries read to find them: the cost of blocking. */
  scanned: number;
}

export interface MatchResult {
  /** Best score per id, at or above the threshold, best first. */
  matches: NameMatch[];
  compared: number;
  scanned: number;
}

interface Entry {
  id: string;
  name: NormalizedCompanyName;
}

const DEFAULT_LIMIT = 50;
/**
 * New candidates come from the rarest keys until the pool is full; commoner keys then only add to
 * the scores of those already found. Reading stops after the budget of posting entries.
 */
const POOL = 1_000;
const SCAN_BUDGET = 20_000;

/** Blocking keys: whole tokens and character trigrams, of both spellings of the core. */
const keysOf = (name: NormalizedCompanyName): string[] => {
  const keys = new Set<string>();
  for (const core of new Set([name.core, name.plainCore])) {
    for (const token of core.split(' ')) if (token) keys.add(`w:${token}`);
    for (const gram of trigrams(core)) keys.add(`g:${gram}`);
  }
  return [...keys];
};

/**
 * Finds similar company names without comparing against all of them: names share postings under
 * their tokens and trigrams, a query reads the rarest postings first and ranks names by the
 * rarity (IDF) of what they share, and only the best few are compared in full.
 */
export class CompanyNameIndex {
  private readonly entries: (Entry | undefined)[] = [];
  private readonly slotsOf = new Map<string, number[]>();
  private readonly postings = new Map<string, number[]>();
  /** Scratch space for one query's scores by slot, kept at zero between queries. */
  private weights = new Float64Array(0);

  /** Distinct ids in the index. */
  get size(): number {
    return this.slotsOf.size;
  }

  /** Adds a name for `id`; an id may have several (a local and an English name). */
  add(id: string, name: string): void {
    const normalized = normalizeCompanyName(name);
    if (!normalized.core) return;
    const slot = this.entries.push({ id, name: normalized }) - 1;
    this.slotsOf.set(id, [...(this.slotsOf.get(id) ?? []), slot]);
    for (const key of keysOf(normalized)) {
      const posting = this.postings.get(key);
      if (posting) posting.push(slot);
      else this.postings.set(key, [slot]);
    }
  }

  /** Forgets every name of `id` (after a merge or before a rename); postings skip the gaps. */
  remove(id: string): void {
    for (const slot of this.slotsOf.get(id) ?? []) this.entries[slot] = undefined;
    this.slotsOf.delete(id);
  }

  candidates(name: string, options: CandidateOptions = {}): Candidates {
    const { slots, scanned } = this.rank(normalizeCompanyName(name), options.limit);
    const ids = [...new Set(slots.map((slot) => (this.entries[slot] as Entry).id))];
    return { ids, compared: slots.length, scanned };
  }

  match(name: string, threshold: number, options: CandidateOptions = {}): MatchResult {
    const query = normalizeCompanyName(name);
    const { slots, scanned } = this.rank(query, options.limit);
    const best = new Map<string, NameMatch>();
    for (const slot of slots) {
      const entry = this.entries[slot] as Entry;
      const score = companyNameSimilarity(query, entry.name);
      if (score < threshold || (best.get(entry.id)?.score ?? -1) >= score) continue;
      best.set(entry.id, { id: entry.id, score, evidence: evidenceOf(query, entry.name) });
    }
    const matches = [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { matches, compared: slots.length, scanned };
  }

  private rank(query: NormalizedCompanyName, limit = DEFAULT_LIMIT) {
    if (!query.core) return { slots: [], scanned: 0 };
    const postings = keysOf(query)
      .map((key) => this.postings.get(key) ?? [])
      .filter((posting) => posting.length > 0)
      .sort((a, b) => a.length - b.length);
    if (this.weights.length < this.entries.length) {
      this.weights = new Float64Array(this.entries.length * 2);
    }
    const { weights, entries } = this;
    const touched: number[] = [];
    let scanned = 0;
    for (const posting of postings) {
      if (scanned + posting.length > SCAN_BUDGET && touched.length >= limit) break;
      const idf = Math.log(1 + entries.length / posting.length);
      const open = touched.length < POOL;
      for (let i = 0; i < posting.length; i++) {
        const slot = posting[i];
        if (weights[slot] > 0) weights[slot] += idf;
        else if (open && entries[slot] !== undefined) {
          weights[slot] = idf;
          touched.push(slot);
        }
      }
      scanned += posting.length;
    }
    const slots = touched.sort((a, b) => weights[b] - weights[a] || a - b).slice(0, limit);
    for (const slot of touched) weights[slot] = 0;
    return { slots, scanned };
  }
}

const evidenceOf = (
  query: NormalizedCompanyName,
  match: NormalizedCompanyName,
): NameMatchEvidence => {
  const theirs = trigrams(match.core);
  return {
    normalized: { query: query.core, match: match.core },
    sharedTokens: [...new Set(query.tokens)].filter((token) => match.tokens.includes(token)),
    sharedTrigrams: [...trigrams(query.core)].filter((gram) => theirs.has(gram)).length,
  };
};
