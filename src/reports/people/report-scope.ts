import { DomainError } from '../../../domain/shared/domain-error';
import type { Directory } from '../../identity/directory';
import type { Principal } from '../../identity/identity-events';

/**
 * The owners whose records a principal may list (queues, data quality): a rep their own, a team
 * lead their team's (or one member's), the other report roles everyone's (undefined) or the owner
 * they ask for.
 */
export function scopeOwners(
  principal: Principal | undefined,
  owner: string | undefined,
  team: string | undefined,
  directory: Directory,
): string[] | undefined {
  if (!principal) throw new DomainError('auth.record_forbidden', 'Sign in to read reports');
  const teamOf = (teamId: string) => [...new Set(directory.teamMembers(teamId))];
  if (principal.role === 'rep') {
    if (owner !== undefined && owner !== principal.userId) throw outOfScope('owner');
    return [principal.userId];
  }
  if (principal.role === 'team_lead') {
    if (!principal.teamId) {
      if (owner !== undefined && owner !== principal.userId) throw outOfScope('owner');
      return [principal.userId];
    }
    if (team !== undefined && team !== principal.teamId) throw outOfScope('team');
    const members = [...new Set([principal.userId, ...teamOf(principal.teamId)])];
    if (owner === undefined) return members;
    if (!members.includes(owner)) throw outOfScope('owner');
    return [owner];
  }
  if (owner !== undefined) return [owner];
  if (team !== undefined) return teamOf(team);
  return undefined;
}

const outOfScope = (field: string) =>
  new DomainError('auth.report_forbidden', 'Those records are not in your scope', field);
