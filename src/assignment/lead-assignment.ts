import { Inject, Injectable, Logger } from '@nestjs/common';
import { assignLeadCommand, chooseOwner } from '../../domain/assignment/choose-owner';
import { AssignmentPolicy } from '../../domain/policies/assignment-policy';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { InquiryChannel } from '../../domain/shared/channels';
import { AGGREGATES } from '../commands/aggregates';
import { CommandOutcome } from '../commands/command-envelope';
import { CommandPipeline } from '../commands/command-pipeline';
import { BookOfBusiness } from '../identity/book-of-business';
import { DirectoryFeed } from '../identity/directory-feed';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { RotationFeed } from './rotation-feed';

export interface NewLeadFacts {
  leadId: string;
  channel: InquiryChannel;
  country?: string;
  productLine?: string;
  /** Business time of the inquiry: availability and shifts are judged then. */
  at: string;
  /** Owner of the account the inquiry matched by an exact dedup key: an existing account keeps its owner. */
  accountOwnerId?: string;
}

/**
 * Assigns a new lead under the assignment policy in force. The decision is the system's, under a
 * rule (id + version on the event), so it runs outside the caller's record scope. Decisions are
 * made one at a time, so two simultaneous inquiries never take the same round-robin turn.
 */
@Injectable()
export class LeadAssignment {
  private readonly logger = new Logger('Assignment');
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: DirectoryFeed,
    private readonly book: BookOfBusiness,
    private readonly rotation: RotationFeed,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
  ) {}

  assign(
    facts: NewLeadFacts,
    origin: { commandId: string; correlationId?: string },
  ): Promise<CommandOutcome | undefined> {
    const run = this.queue.then(() => this.decideAndRecord(facts, origin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decideAndRecord(
    facts: NewLeadFacts,
    origin: { commandId: string; correlationId?: string },
  ): Promise<CommandOutcome | undefined> {
    if (!this.policies.has('assignment.default') || !this.policies.has('calendars.default'))
      return undefined;
    const decision = chooseOwner(
      {
        channel: facts.channel,
        country: facts.country,
        productLine: facts.productLine,
        at: facts.at,
        accountOwnerId: facts.accountOwnerId,
      },
      this.policies.current<AssignmentPolicy>('assignment.default'),
      {
        users: this.directory.directory.allUsers(),
        teams: this.directory.directory.allTeams(),
        calendars: this.policies.current<CalendarPolicy>('calendars.default'),
        rotation: await this.rotation.current(),
        openLoad: await this.book.openLoad(),
      },
    );
    const outcome = await this.pipeline.execute(
      AGGREGATES.lead.kind,
      facts.leadId,
      { type: 'AssignLead', data: assignLeadCommand(facts.leadId, decision) } as never,
      {
        commandId: `${origin.commandId}/assign`,
        correlationId: origin.correlationId,
        causationId: origin.commandId,
        actor: { userId: 'system', role: 'system' },
        cause: decision.cause,
        reason: decision.reason,
      },
      undefined,
    );
    this.logger.log({
      msg: 'lead assigned',
      leadId: facts.leadId,
      strategy: decision.strategy,
      rule: decision.cause.id,
    });
    return outcome;
  }
}
