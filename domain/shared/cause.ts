import { isIntegerInRange, isNonBlank, isOneOf } from './validation';

export const CAUSE_KINDS = ['person', 'rule', 'saga', 'system', 'import'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/**
 * Who or what caused a change; the same shape as the event metadata's cause. `id` is the user id
 * for a person, the rule id for a rule, the saga name for a saga. A rule always carries its
 * version, because "under which rule" means that rule as it stood then.
 */
export type Cause =
  | { kind: 'rule'; id: string; version: number }
  | { kind: Exclude<CauseKind, 'rule'>; id: string; version?: number };

export const isCause = (value: unknown): value is Cause => {
  if (typeof value !== 'object' || value === null) return false;
  const cause = value as { kind?: unknown; id?: unknown; version?: unknown };
  if (!isOneOf(CAUSE_KINDS, cause.kind) || !isNonBlank(cause.id)) return false;
  if (cause.version !== undefined && !isIntegerInRange(cause.version, 1, Number.MAX_SAFE_INTEGER)) {
    return false;
  }
  return cause.kind !== 'rule' || cause.version !== undefined;
};
