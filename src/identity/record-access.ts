import { Injectable } from '@nestjs/common';
import { DomainError } from '../../domain/shared/domain-error';
import { AggregateName } from '../commands/aggregates';
import { DirectoryFeed } from './directory-feed';
import { Principal } from './identity-events';

/** Who holds a record: the owner of a lead, account or deal, the assignee of a task. */
const holderOf = (aggregate: AggregateName, state: unknown): string | undefined => {
  if (state === null || typeof state !== 'object') return undefined;
  const record = state as { ownerId?: string; assigneeId?: string };
  return aggregate === 'task' ? record.assigneeId : record.ownerId;
};

/** Commands that hand a record to someone, and where the new holder is named. */
const HANDOVERS: Record<string, (data: Record<string, unknown>) => unknown> = {
  ReceiveInquiry: (data) => (data.assignTo as { to?: unknown } | undefined)?.to,
  AssignLead: (data) => data.to,
  TransferLeadOwnership: (data) => data.to,
  TransferAccountOwnership: (data) => data.to,
  TransferDealOwner: (data) => data.to,
  ReassignTask: (data) => data.to,
  RegisterAccount: (data) => data.ownerId,
  OpenDeal: (data) => data.ownerId,
  CreateTask: (data) => data.assigneeId,
};

const SCOPED: AggregateName[] = ['lead', 'account', 'deal', 'task'];

/**
 * Record scope: a rep works on what they hold, a team lead on what their team holds (and on leads
 * nobody holds yet, to triage them), a manager on everything. The same rule guards reads, past
 * states and writes.
 */
@Injectable()
export class RecordAccess {
  constructor(private readonly feed: DirectoryFeed) {}

  /** `createdBy`: who wrote the record's first event; a rep keeps sight of what they entered until it is assigned. */
  assertMaySee(
    principal: Principal,
    aggregate: AggregateName,
    state: unknown,
    createdBy?: string,
  ): void {
    if (!SCOPED.includes(aggregate) || principal.role === 'manager' || principal.role === 'system')
      return;
    const holder = holderOf(aggregate, state);
    if (principal.role === 'team_lead') {
      if (holder === undefined || this.inTeam(principal, holder)) return;
    } else if (principal.role === 'rep') {
      if (holder === principal.userId || (holder === undefined && createdBy === principal.userId))
        return;
    }
    throw new DomainError('auth.record_forbidden', `This ${aggregate} is not in your scope`, 'id', {
      aggregate,
    });
  }

  assertMayChange(
    principal: Principal,
    aggregate: AggregateName,
    state: unknown,
    command: { type: string; data: unknown },
    createdBy?: string,
  ): void {
    if (state !== null && state !== undefined)
      this.assertMaySee(principal, aggregate, state, createdBy);
    const handedTo = HANDOVERS[command.type]?.(command.data as Record<string, unknown>);
    if (typeof handedTo !== 'string' || principal.role === 'manager' || principal.role === 'system')
      return;
    const creating = state === null || state === undefined;
    if (principal.role === 'team_lead' && !this.inTeam(principal, handedTo)) {
      throw new DomainError(
        'auth.handover_outside_team',
        'A team lead reassigns within their own team only',
        'to',
      );
    }
    if (
      principal.role === 'rep' &&
      handedTo !== principal.userId &&
      (creating || holderOf(aggregate, state) === undefined)
    ) {
      throw new DomainError(
        'auth.record_forbidden',
        'A rep creates records for themselves only',
        'ownerId',
      );
    }
  }

  private inTeam(principal: Principal, userId: string): boolean {
    if (userId === principal.userId) return true;
    if (!principal.teamId) return false;
    return this.feed.directory.user(userId)?.teamId === principal.teamId;
  }
}
