import { DomainEvent } from '../shared/decider';

/**
 * Where each rule's rotation stands, folded from the assignment events alone, so replaying the
 * same events after a restart gives the same next owner. Per rule it keeps when each user was last
 * assigned by it (a running count of rule assignments), rather than one "last owner", so that a
 * fallback owner or a rep who left the team does not lose the place of the others.
 */
export interface RotationState {
  readonly assignments: number;
  /** Rule cause id → user id → the count at that user's last assignment by the rule. */
  readonly lastAssigned: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export const initialRotation: RotationState = { assignments: 0, lastAssigned: new Map() };

const ASSIGNMENT_EVENTS = new Set(['LeadAssigned', 'LeadOwnershipTransferred']);

interface RuleAssignment {
  to: string;
  cause: { kind: 'rule'; id: string };
}

const ruleAssignment = (event: DomainEvent): RuleAssignment | undefined => {
  if (!ASSIGNMENT_EVENTS.has(event.type)) return undefined;
  const data = event.data as { to?: unknown; cause?: { kind?: unknown; id?: unknown } };
  const ok =
    typeof data?.to === 'string' &&
    data.cause?.kind === 'rule' &&
    typeof data.cause.id === 'string';
  return ok ? (data as RuleAssignment) : undefined;
};

/** Any version of a rule counts: the rotation carries over when the policy is republished. */
export const evolveRotation = (state: RotationState, event: DomainEvent): RotationState => {
  const assignment = ruleAssignment(event);
  if (!assignment) return state;
  const { to, cause } = assignment;
  const assignments = state.assignments + 1;
  const rule = new Map(state.lastAssigned.get(cause.id)).set(to, assignments);
  return { assignments, lastAssigned: new Map(state.lastAssigned).set(cause.id, rule) };
};

export const rotationFromAssignments = (events: Iterable<DomainEvent>): RotationState => {
  let state = initialRotation;
  for (const event of events) state = evolveRotation(state, event);
  return state;
};

/**
 * The pool (sorted by user id) in rotation order: starting after the member the rule assigned
 * most recently, or from the first member when it has assigned none of them.
 */
export const rotationOrder = (
  state: RotationState,
  ruleId: string,
  pool: readonly string[],
): string[] => {
  const counts = state.lastAssigned.get(ruleId);
  let [latest, latestCount] = [-1, 0];
  pool.forEach((userId, index) => {
    const count = counts?.get(userId) ?? 0;
    if (count > latestCount) [latest, latestCount] = [index, count];
  });
  return [...pool.slice(latest + 1), ...pool.slice(0, latest + 1)];
};
