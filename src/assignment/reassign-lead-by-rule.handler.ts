import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { leadDecider } from '../../domain/lead/lead.decider';
import { LeadEvent } from '../../domain/lead/lead.events';
import { openLead } from '../../domain/lead/lead.rules';
import { Lead, LeadState } from '../../domain/lead/lead.state';
import { refuse } from '../../domain/shared/validation';
import { AGGREGATES } from '../commands/aggregates';
import { CommandOutcome } from '../commands/command-envelope';
import { CommandPipeline } from '../commands/command-pipeline';
import { CLOCK, Clock } from '../shared/clock';
import { LeadAssignment } from './lead-assignment';
import { ReassignLeadByRule } from './reassign-lead-by-rule';

/**
 * An SLA rung's reassignment. Refused (for good: the saga dispatch logs it and moves on) when the
 * lead moved on since the rung fired: converted, disqualified, answered (first-response clock), or
 * already handed to someone else. A redelivery finds its own command id on the stream and does
 * nothing, before any owner is chosen, so a retry never takes a second turn in the rotation.
 */
@CommandHandler(ReassignLeadByRule)
export class ReassignLeadByRuleHandler implements ICommandHandler<
  ReassignLeadByRule,
  CommandOutcome
> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly assignment: LeadAssignment,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ data, envelope }: ReassignLeadByRule): Promise<CommandOutcome> {
    const { kind } = AGGREGATES.lead;
    const streamName = `${kind.name}-${data.leadId}`;
    const history = await this.pipeline.history(streamName);
    const earlier = history.filter((event) => event.metadata.commandId === envelope.commandId);
    if (earlier.length > 0) {
      return {
        streamName,
        revision: history.length - 1,
        position: earlier[earlier.length - 1].position,
        events: earlier as CommandOutcome['events'],
        replayed: true,
      };
    }
    let state: LeadState = leadDecider.initialState;
    for (const event of history) state = leadDecider.evolve(state, event as unknown as LeadEvent);
    const lead = this.stillDue(state, data);
    return this.assignment.reassign(
      {
        leadId: lead.leadId,
        channel: lead.channel,
        country: lead.inquirer.country,
        // Availability and shifts are judged when the rung fell due.
        at: envelope.occurredAt ?? this.clock.now().toISOString(),
      },
      lead.ownerId,
      envelope,
    );
  }

  private stillDue(state: LeadState, data: ReassignLeadByRule['data']): Lead {
    const lead = openLead(state);
    if (data.clock === 'first_response' && lead.firstResponseAt !== undefined) {
      refuse(
        'sla.reassign_answered',
        'The lead was answered since the SLA rung fired.',
        undefined,
        {
          firstResponseAt: lead.firstResponseAt,
        },
      );
    }
    if (lead.ownerId !== data.fromOwnerId) {
      refuse(
        'sla.reassign_owner_changed',
        'The lead changed hands since the SLA rung fired.',
        undefined,
        { currentOwnerId: lead.ownerId ?? null },
      );
    }
    return lead;
  }
}
