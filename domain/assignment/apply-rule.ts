import { AssignmentPolicy, AssignmentRule, ruleCauseId } from '../policies/assignment-policy';
import { Role } from '../shared/roles';
import { AssignmentContext, AssignmentDecision } from './assignment.types';
import { AssignableUser, Skipped, shiftChecker, skipReason } from './eligibility';
import { rotationOrder } from './rotation';

const REASONS_LISTED = 5;

/** Sorted by user id, so the rotation order does not depend on the order users were loaded in. */
const poolOf = (
  rule: AssignmentRule,
  users: readonly AssignableUser[],
  roles: Role[],
): string[] => {
  const { kind, ownerId, teamId, memberIds } = rule.strategy;
  if (kind === 'fixed_owner') return ownerId === undefined ? [] : [ownerId];
  const ids =
    memberIds ??
    users
      .filter((user) =>
        teamId !== undefined ? user.teamId === teamId : user.active && roles.includes(user.role),
      )
      .map((user) => user.userId);
  return [...new Set(ids)].sort();
};

const describePool = ({ teamId, memberIds }: AssignmentRule['strategy']): string => {
  if (teamId !== undefined) return `in team ${teamId}`;
  return memberIds ? `among ${memberIds.length} listed members` : 'among all reps';
};

const headline = ({ strategy }: AssignmentRule, picked: string | undefined, load: number) => {
  if (strategy.kind === 'fixed_owner') {
    return picked === undefined
      ? `fallback owner: fixed owner ${strategy.ownerId} not eligible`
      : 'fixed owner';
  }
  if (picked === undefined) return `fallback owner: nobody eligible ${describePool(strategy)}`;
  const how = strategy.kind === 'round_robin' ? 'round robin' : `least loaded (${load} open)`;
  return `${how} ${describePool(strategy)}`;
};

const describeSkipped = (skipped: Skipped[]): string => {
  const notable = skipped.filter(({ reason }) => reason === 'away' || reason === 'off_shift');
  if (notable.length === 0) return '';
  const listed = notable
    .slice(0, REASONS_LISTED)
    .map(({ userId, reason }) => `${userId} (${reason === 'away' ? 'away' : 'off shift'})`);
  const more =
    notable.length > REASONS_LISTED ? ` and ${notable.length - REASONS_LISTED} more` : '';
  return `; skipped ${listed.join(', ')}${more}`;
};

/** Least loaded picks the fewest open leads and deals; ties go to the earliest in rotation order. */
const pick = (
  rule: AssignmentRule,
  eligible: string[],
  openLoad: ReadonlyMap<string, number>,
): string | undefined => {
  if (rule.strategy.kind !== 'least_loaded') return eligible[0];
  const load = (userId: string) => openLoad.get(userId) ?? 0;
  return eligible.reduce<string | undefined>(
    (best, userId) => (best === undefined || load(userId) < load(best) ? userId : best),
    undefined,
  );
};

/** The owner under a rule that matched: its strategy's pick, or its fallback when nobody is eligible. */
export const applyRule = (
  rule: AssignmentRule,
  policy: AssignmentPolicy,
  at: string,
  context: AssignmentContext,
): AssignmentDecision => {
  const ruleId = ruleCauseId(policy.id, rule.key);
  const roles: Role[] = rule.includeTeamLeads ? ['rep', 'team_lead'] : ['rep'];
  const users = new Map(context.users.map((user) => [user.userId, user]));
  const onShift = shiftChecker(context.teams, context.calendars, at);
  const skipped: Skipped[] = [];
  const eligible: string[] = [];
  const order = rotationOrder(context.rotation, ruleId, poolOf(rule, context.users, roles));
  for (const userId of order) {
    const reason = skipReason(users.get(userId), roles, at, onShift);
    if (reason) skipped.push({ userId, reason });
    else eligible.push(userId);
  }
  const picked = pick(rule, eligible, context.openLoad);
  const load = picked === undefined ? 0 : (context.openLoad.get(picked) ?? 0);
  const under = `under ${policy.id} v${policy.version} rule ${rule.key}`;
  const reason = `${headline(rule, picked, load)} ${under}${describeSkipped(skipped)}`;
  return {
    ownerId: picked ?? rule.fallbackOwnerId ?? policy.fallbackOwnerId,
    rule: { policyId: policy.id, version: policy.version, ruleKey: rule.key },
    strategy: picked === undefined ? 'fallback' : rule.strategy.kind,
    skipped,
    reason,
    cause: { kind: 'rule', id: ruleId, version: policy.version },
  };
};
