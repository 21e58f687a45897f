import type { CommandEnvelope } from '../commands/command-envelope';

/** The saga command type a `reassign` rung sends; the saga dispatch routes it here, not to a decider. */
export const REASSIGN_LEAD_BY_RULE = 'ReassignLeadByRule';

export interface ReassignLeadByRuleData {
  leadId: string;
  /** The owner the rung fired for (absent: unassigned); anyone else owning it now ends the request. */
  fromOwnerId?: string;
  /** The clock that climbed to the rung: an answered lead needs no new first-response owner. */
  clock: 'first_response' | 'proposal';
  level: number;
}

/**
 * Hand a lead to another owner chosen by the assignment rules, as the system, under an SLA rung.
 * The target is chosen when the command is handled (rotation, load and shifts then), so the saga
 * stays deterministic; the command id makes a redelivery a no-op.
 */
export class ReassignLeadByRule {
  constructor(
    readonly data: ReassignLeadByRuleData,
    readonly envelope: CommandEnvelope,
  ) {}
}
