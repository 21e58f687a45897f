import { Inject, Injectable } from '@nestjs/common';
import type { SlaPolicy } from '../../domain/policies/sla-policy';
import { predictSla, SlaPrediction } from '../../sagas/sla-prediction';
import { DomainError } from '../../domain/shared/domain-error';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';
import { validatePolicy } from '../policies/policy-validation';
import { RecordedSla, recordedSla } from './recorded-sla';

export interface WhatIfRequest {
  policy: Record<string, unknown>;
  from: string;
  to: string;
}

type Summary = Omit<SlaPrediction, 'commands'> & { commandCount: number };

export interface WhatIfAnswer {
  period: { from: string; to: string };
  /** What the candidate would have done over the recorded history. */
  candidate: Summary;
  /** The same replay under the policy versions actually in force. */
  inForce: Summary;
  /**
   * What the automation actually recorded — counted like the replays, for the clock runs started
   * in the period — and whether replaying the policies in force reproduces it decision by decision.
   */
  actual: RecordedSla & {
    decisions: number;
    reproducedByReplay: boolean;
    notReproduced: string[];
    notRecorded: string[];
  };
}

const PAGE = 10_000;

/**
 * Replays recorded history with a candidate policy and a simulated clock, without side effects,
 * beside the replay under the policies in force and what the automation actually recorded.
 */
@Injectable()
export class WhatIfService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async sla(asked: WhatIfRequest): Promise<WhatIfAnswer> {
    const request = { ...asked, ...period(asked.from, asked.to) };
    const candidate = validatePolicy('candidate policy', request.policy) as unknown as SlaPolicy;
    if (!String(candidate.id).startsWith('sla.')) {
      throw new DomainError(
        'what_if.policy_kind_unsupported',
        'What-if replays SLA policies (id sla.…) so far',
        'policy.id',
      );
    }
    // The history as it stood at the end of the period: the saga clock stops there, and nothing
    // dated later (a policy published since, a timer fired since) may act on the replay.
    const events = (await this.history()).filter(
      (event) => event.metadata.occurredAt <= request.to,
    );
    const options = { from: request.from };
    const withCandidate = predictSla(events, candidate, request.to, options);
    const withPolicyInForce = predictSla(events, undefined, request.to, options);
    const replayed = new Set(
      withPolicyInForce.commands
        .filter((c) => c.aggregate === 'automation')
        .map((c) => c.commandId),
    );
    const recorded = new Set(
      events
        .filter(
          (e) =>
            e.type === 'AutomationDecisionRecorded' &&
            e.data.saga === 'sla-escalation' &&
            e.metadata.occurredAt >= request.from &&
            e.metadata.occurredAt <= request.to,
        )
        .map((e) => e.metadata.commandId as string),
    );
    const inPeriod = new Set(
      withPolicyInForce.commands
        .filter(
          (c) =>
            c.aggregate === 'automation' &&
            c.occurredAt >= request.from &&
            c.occurredAt <= request.to,
        )
        .map((c) => c.commandId),
    );
    return {
      period: { from: request.from, to: request.to },
      candidate: summary(withCandidate),
      inForce: summary(withPolicyInForce),
      actual: {
        ...recordedSla(events, request.from, request.to),
        decisions: recorded.size,
        reproducedByReplay:
          [...recorded].every((id) => replayed.has(id)) &&
          [...inPeriod].every((id) => recorded.has(id)),
        notReproduced: [...recorded].filter((id) => !replayed.has(id)).slice(0, 50),
        notRecorded: [...inPeriod].filter((id) => !recorded.has(id)).slice(0, 50),
      },
    };
  }

  private async history(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: PAGE });
      events.push(...page);
      if (page.length < PAGE) return events;
      after = page[page.length - 1].position;
    }
  }
}

/** The period in one ISO form (times compare as strings); `from` must come first. */
function period(from: string, to: string): { from: string; to: string } {
  const [start, end] = [Date.parse(from), Date.parse(to)];
  if (Number.isNaN(start))
    throw new DomainError('what_if.period_invalid', 'from must be an ISO 8601 date-time', 'from');
  if (Number.isNaN(end))
    throw new DomainError('what_if.period_invalid', 'to must be an ISO 8601 date-time', 'to');
  if (start >= end)
    throw new DomainError('what_if.period_invalid', 'from must be before to', 'from');
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

function summary({ commands, ...rest }: SlaPrediction): Summary {
  return { ...rest, commandCount: commands.length };
}
