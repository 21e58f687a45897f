import { Inject, Injectable, Logger } from '@nestjs/common';
import { assignLeadCommand, chooseOwner } from '../../domain/assignment/choose-owner';
import { evolveRotation } from '../../domain/assignment/rotation';
import { AssignLead } from '../../domain/lead/lead.commands';
import { AssignmentPolicy } from '../../domain/policies/assignment-policy';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { InquiryChannel } from '../../domain/shared/channels';
import { AGGREGATES } from '../commands/aggregates';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
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
 * rule (id + version on the event), so it runs outside the caller's record scope.
 */
@Injectable()
export class LeadAssignment {
  private readonly logger = new Logger('Assignment');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, AssignLead>();

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: DirectoryFeed,
    private readonly book: BookOfBusiness,
    private readonly rotation: RotationFeed,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
  ) {}

  /**
   * Decisions are taken one at a time, so two simultaneous inquiries never take the same turn; the
   * appends are not, so concurrent assignments share group commits. A decision not yet read back
   * from the store is laid over the rotation for the decisions after it.
   */
  async assign(
    facts: NewLeadFacts,
    origin: { commandId: string; correlationId?: string },
  ): Promise<CommandOutcome | undefined> {
    const decided = this.queue.then(() => this.decide(facts, origin));
    this.queue = decided.catch(() => undefined);
    const pending = await decided;
    if (!pending) return undefined;
    try {
      const outcome = await this.pipeline.execute(
        AGGREGATES.lead.kind,
        facts.leadId,
        { type: 'AssignLead', data: pending.command } as never,
        pending.envelope,
        undefined,
      );
      this.logger.log({
        msg: 'lead assigned',
        leadId: facts.leadId,
        rule: pending.command.cause.id,
      });
      return outcome;
    } finally {
      this.pending.delete(pending.envelope.commandId);
    }
  }

  private async decide(
    facts: NewLeadFacts,
    origin: { commandId: string; correlationId?: string },
  ): Promise<{ command: AssignLead; envelope: CommandEnvelope } | undefined> {
    if (!this.policies.has('assignment.default') || !this.policies.has('calendars.default'))
      return undefined;
    let rotation = await this.rotation.current();
    for (const [commandId, command] of this.pending) {
      if (!this.rotation.hasApplied(commandId)) {
        rotation = evolveRotation(rotation, { type: 'LeadAssigned', data: command });
      }
    }
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
        rotation,
        openLoad: await this.book.openLoad(),
      },
    );
    const command = assignLeadCommand(facts.leadId, decision);
    const envelope: CommandEnvelope = {
      commandId: `${origin.commandId}/assign`,
      correlationId: origin.correlationId,
      causationId: origin.commandId,
      actor: { userId: 'system', role: 'system' },
      cause: decision.cause,
      reason: decision.reason,
    };
    this.pending.set(envelope.commandId, command);
    return { command, envelope };
  }
}
