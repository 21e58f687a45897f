import { teamDecider } from '../../domain/identity/team.decider';
import { Team, TeamState } from '../../domain/identity/team.state';
import { userDecider } from '../../domain/identity/user.decider';
import { User, UserState } from '../../domain/identity/user.state';
import { RecordedEvent } from '../event-store/event-store.port';
import { PasswordSet, TokenIssued, TokenRevoked } from './identity-events';

export interface TokenRecord extends TokenIssued {
  revokedAt?: string;
}

/**
 * Users, teams, tokens and password hashes, folded from their streams and kept in memory: every
 * request is authenticated against it, so it must answer without I/O. Applying an event twice is
 * harmless (revisions are tracked per stream), so the write path can apply its own events at once
 * while the subscription delivers the same events later.
 */
export class Directory {
  private readonly users = new Map<string, User>();
  private readonly teams = new Map<string, Team>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly passwords = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();
  private readonly revisions = new Map<string, number>();

  apply(event: RecordedEvent): void {
    if ((this.revisions.get(event.streamName) ?? -1) >= event.revision) return;
    this.revisions.set(event.streamName, event.revision);
    const [kind] = event.streamName.split('-', 1);
    if (kind === 'user') this.applyUser(event);
    else if (kind === 'team') this.applyTeam(event);
    else if (event.type === 'TokenIssued')
      this.tokens.set((event.data as unknown as TokenIssued).tokenId, {
        ...(event.data as unknown as TokenIssued),
      });
    else if (event.type === 'TokenRevoked') {
      const revoked = event.data as unknown as TokenRevoked;
      const token = this.tokens.get(revoked.tokenId);
      if (token) token.revokedAt = event.metadata.occurredAt;
    } else if (event.type === 'PasswordSet') {
      const set = event.data as unknown as PasswordSet;
      this.passwords.set(set.userId, set.passwordHash);
    }
  }

  user(userId: string): User | undefined {
    return this.users.get(userId);
  }

  userByEmail(email: string): User | undefined {
    const userId = this.byEmail.get(email.trim().toLowerCase());
    return userId ? this.users.get(userId) : undefined;
  }

  allUsers(): User[] {
    return [...this.users.values()];
  }

  team(teamId: string): Team | undefined {
    return this.teams.get(teamId);
  }

  allTeams(): Team[] {
    return [...this.teams.values()];
  }

  token(tokenId: string): TokenRecord | undefined {
    return this.tokens.get(tokenId);
  }

  allTokens(): TokenRecord[] {
    return [...this.tokens.values()];
  }

  passwordHash(userId: string): string | undefined {
    return this.passwords.get(userId);
  }

  /** The members of a team, by user id. */
  teamMembers(teamId: string): string[] {
    return [...this.users.values()]
      .filter((user) => user.teamId === teamId)
      .map((user) => user.userId);
  }

  private applyUser(event: RecordedEvent): void {
    const userId = event.streamName.slice('user-'.length);
    const before: UserState = this.users.get(userId) ?? null;
    const after = userDecider.evolve(before, event as never);
    if (!after) return;
    if (before && before.email !== after.email && this.byEmail.get(before.email) === userId) {
      this.byEmail.delete(before.email);
    }
    this.users.set(userId, after);
    this.byEmail.set(after.email, userId);
  }

  private applyTeam(event: RecordedEvent): void {
    const teamId = event.streamName.slice('team-'.length);
    const after = teamDecider.evolve((this.teams.get(teamId) ?? null) as TeamState, event as never);
    if (after) this.teams.set(teamId, after);
  }
}
