import { Inject, Injectable, Logger } from '@nestjs/common';
import { assignLeadCommand, chooseOwner } from '../../domain/assignment/choose-owner';
import { evolveRotation } from '../../domain/assignment/rotation';
import { AssignLead, InitialOwner, LeadCommand } from '../../domain/lead/lead.commands';
import { AssignmentPolicy } from '../../domain/policies/assignment-policy';
import { CalendarPolicy } from '../../domain/policies/calendar-policy';
import { InquiryChannel } from '../../domain/shared/channels';
import { refuse } from '../../domain/shared/validation';
import { AGGREGATES } from '../commands/aggregates';
import { CommandEnvelope, CommandOutcome, EventOrigin } from '../commands/command-envelope';
import { CommandPipeline } from '../commands/command-pipeline';
import { EventActor } from '../event-store/event-store.port';
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

/** The command that writes the assignment: its id, and where its LeadAssigned is appended. */
interface Origin {
  commandId: string;
  correlationId?: string;
}

/** A decision taken and not yet settled: laid over the rotation for the decisions after it. */
interface PendingDecision {
  streamName: string;
  /** The command id its LeadAssigned is (to be) written under. */
  commandId: string;
  command: AssignLead;
}

/** A rule's decision for a lead about to be received, for ReceiveInquiry and the event metadata. */
export interface ReceiptAssignment {
  assignTo: InitialOwner;
  /** The LeadAssigned is the system's decision under the rule, not the caller's. */
  decidedBy: { LeadAssigned: EventOrigin };
}

const SYSTEM: EventActor = { userId: 'system', role: 'system' };

/**
 * Assigns a new lead under the assignment policy in force. The decision is the system's, under a
 * rule (id + version on the event and in its cause).
 *
 * Decisions are taken one at a time, so two simultaneous inquiries never take the same turn; the
 * appends are not, so concurrent assignments share group commits. A decision not yet read back
 * from the store is laid over the rotation for the decisions after it, until its append settles.
 */
@Injectable()
export class LeadAssignment {
  private readonly logger = new Logger('Assignment');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<PendingDecision>();

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly directory: DirectoryFeed,
    private readonly book: BookOfBusiness,
    private readonly rotation: RotationFeed,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
  ) {}

  /**
   * Decides the owner of a lead that is about to be received, and hands the decision to `receive`,
   * which records it in the same append as the inquiry (under `origin.commandId`). Written, the
   * rotation feed reads the assignment back from the store; replayed (a retry of an inquiry
   * already received) or refused, nothing was written and the decision is dropped, as if it had
   * never been taken. Without an assignment policy in force, `receive` gets no decision.
   */
  async assignOnReceipt<Outcome extends { replayed: boolean }>(
    facts: NewLeadFacts,
    origin: Origin,
    receive: (assignment: ReceiptAssignment | undefined) => Promise<Outcome>,
  ): Promise<Outcome> {
    const decision = await this.decideInTurn(facts, origin.commandId);
    try {
      const outcome = await receive(
        decision && {
          assignTo: {
            to: decision.command.to,
            reason: decision.command.reason,
            cause: decision.command.cause,
          },
          decidedBy: {
            LeadAssigned: {
              actor: SYSTEM,
              cause: decision.command.cause,
              reason: decision.command.reason,
            },
          },
        },
      );
      if (decision && !outcome.replayed) this.logAssigned(decision.command);
      return outcome;
    } finally {
      if (decision) this.pending.delete(decision);
    }
  }

  /**
   * Assigns a lead that was received without an owner, as a command of its own: for a retry of an
   * inquiry whose assignment a crash cut off before inquiries were assigned in the same append.
   */
  async assign(facts: NewLeadFacts, origin: Origin): Promise<CommandOutcome | undefined> {
    const commandId = `${origin.commandId}/assign`;
    const decision = await this.decideInTurn(facts, commandId);
    if (!decision) return undefined;
    try {
      const envelope: CommandEnvelope = {
        commandId,
        correlationId: origin.correlationId,
        causationId: origin.commandId,
        actor: SYSTEM,
        cause: decision.command.cause,
        reason: decision.command.reason,
      };
      const outcome = await this.pipeline.execute(
        AGGREGATES.lead.kind,
        facts.leadId,
        { type: 'AssignLead', data: decision.command } as never,
        envelope,
        undefined,
      );
      this.logAssigned(decision.command);
      return outcome;
    } finally {
      this.pending.delete(decision);
    }
  }

  /**
   * Hands an open lead to another owner under the rules in force (an SLA ladder's reassign rung):
   * the current owner is left out of every pool, and the rule that chose is the event's cause. No
   * other owner to be had (the fallback is the current owner) is a refusal, not a no-op.
   */
  async reassign(
    facts: Omit<NewLeadFacts, 'accountOwnerId'>,
    fromOwnerId: string | undefined,
    envelope: CommandEnvelope,
  ): Promise<CommandOutcome> {
    const decision = await this.decideInTurn(facts, envelope.commandId, fromOwnerId);
    if (!decision) {
      refuse('assignment.no_policy', 'No assignment policy is in force to reassign the lead by.');
    }
    try {
      const { leadId, to, cause } = decision.command;
      if (to === fromOwnerId) {
        refuse(
          'assignment.no_other_owner',
          `The assignment rules have nobody but ${to} for this lead.`,
          undefined,
          { currentOwnerId: to },
        );
      }
      const reason = envelope.reason
        ? `${envelope.reason}; ${decision.command.reason}`
        : decision.command.reason;
      const command: LeadCommand =
        fromOwnerId === undefined
          ? { type: 'AssignLead', data: { leadId, to, reason, cause } }
          : {
              type: 'TransferLeadOwnership',
              data: { leadId, from: fromOwnerId, to, reason, cause },
            };
      const outcome = await this.pipeline.execute(
        AGGREGATES.lead.kind,
        leadId,
        command as never,
        { ...envelope, cause, reason },
        undefined,
      );
      if (!outcome.replayed) this.logAssigned(decision.command);
      return outcome;
    } finally {
      this.pending.delete(decision);
    }
  }

  private decideInTurn(facts: NewLeadFacts, commandId: string, excludedOwnerId?: string) {
    const decided = this.queue.then(() => this.decide(facts, commandId, excludedOwnerId));
    this.queue = decided.catch(() => undefined);
    return decided;
  }

  private logAssigned(command: AssignLead): void {
    this.logger.log({ msg: 'lead assigned', leadId: command.leadId, rule: command.cause.id });
  }

  private async decide(
    facts: NewLeadFacts,
    commandId: string,
    excludedOwnerId?: string,
  ): Promise<PendingDecision | undefined> {
    if (!this.policies.has('assignment.default') || !this.policies.has('calendars.default'))
      return undefined;
    let rotation = await this.rotation.current();
    for (const pending of this.pending) {
      if (!this.rotation.hasApplied(pending.streamName, pending.commandId)) {
        rotation = evolveRotation(rotation, { type: 'LeadAssigned', data: pending.command });
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
        // Left out of the directory, an excluded owner is in no pool (a listed member is skipped).
        users: this.directory.directory
          .allUsers()
          .filter((user) => user.userId !== excludedOwnerId),
        teams: this.directory.directory.allTeams(),
        calendars: this.policies.current<CalendarPolicy>('calendars.default'),
        rotation,
        openLoad: await this.book.openLoad(),
      },
    );
    const pending: PendingDecision = {
      streamName: `${AGGREGATES.lead.kind.name}-${facts.leadId}`,
      commandId,
      command: assignLeadCommand(facts.leadId, decision),
    };
    this.pending.add(pending);
    return pending;
  }
}
