import { Inject, Injectable } from '@nestjs/common';
import { ScoreDimensions } from '../../domain/lead/lead.commands';
import { LeadScored } from '../../domain/lead/lead.events';
import { LeadStatus } from '../../domain/lead/lead.state';
import { PolicyRef } from '../../domain/shared/decider';
import { EVENT_STORE, EventStore, RecordedEvent } from '../event-store/event-store.port';

export type DealOutcome = 'won' | 'lost';

export interface ScoreEntry {
  total: number;
  recommendation: LeadScored['recommendation'];
  policy: PolicyRef;
  dimensions: ScoreDimensions;
  /** Business time of the scoring (the event's occurredAt). */
  at: string;
}

export interface LeadScoreRecord {
  leadId: string;
  status: LeadStatus;
  ownerId?: string;
  /** Who wrote the first event: a rep keeps sight of an unassigned lead they entered. */
  createdBy?: string;
  scores: ScoreEntry[];
  nurturedAt?: string;
  dealId?: string;
  /** The outcome of the deal the lead converted into; cleared when that deal is reopened. */
  outcome?: DealOutcome;
}

interface LeadFold {
  leadId: string;
  status: LeadStatus;
  ownerId?: string;
  createdBy?: string;
  scores: ScoreEntry[];
  nurturedAt?: string;
  dealId?: string;
}

type Data = Record<string, unknown>;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

// Only ids, statuses and scores are read; none of these fields is personal, so the events are
// read as stored, without decryption.
const LEAD_FOLDS: Record<string, (lead: LeadFold, data: Data, event: RecordedEvent) => LeadFold> = {
  InquiryReceived: (lead, _data, event) => ({
    ...lead,
    status: 'new',
    createdBy: event.metadata.actor?.userId,
  }),
  LeadAssigned: (lead, data) => ({ ...lead, ownerId: text(data.to) }),
  LeadOwnershipTransferred: (lead, data) => ({ ...lead, ownerId: text(data.to) }),
  LeadScored: (lead, data, event) => {
    const scored = data as unknown as LeadScored;
    const entry: ScoreEntry = {
      total: scored.total,
      recommendation: scored.recommendation,
      policy: { ...scored.policy },
      dimensions: { ...scored.dimensions },
      at: event.metadata.occurredAt,
    };
    return { ...lead, scores: [...lead.scores, entry] };
  },
  LeadQualified: (lead) => ({ ...lead, status: 'qualified' }),
  LeadNurtured: (lead, _data, event) => ({
    ...lead,
    status: 'nurturing',
    nurturedAt: event.metadata.occurredAt,
  }),
  LeadDisqualified: (lead) => ({ ...lead, status: 'disqualified' }),
  LeadConverted: (lead, data) => ({
    ...lead,
    status: 'converted',
    ownerId: text(data.ownerId) ?? lead.ownerId,
    dealId: text(data.dealId),
  }),
};

const DEAL_FOLDS: Record<string, DealOutcome | undefined> = {
  DealWon: 'won',
  DealLost: 'lost',
  DealReopened: undefined,
};

const FILTER = {
  streamPrefixes: ['lead-', 'deal-'],
  eventTypes: [...Object.keys(LEAD_FOLDS), ...Object.keys(DEAL_FOLDS)],
};
const PAGE = 1000;

const idOf = (streamName: string): string => streamName.slice(streamName.indexOf('-') + 1);

/**
 * Per lead: its score history, status, owner, and the outcome of the deal it converted into.
 *
 * A stop-gap until the projections issue builds read models: an in-memory index folded from the
 * event store, following the pattern of BookOfBusiness. It catches up from the store before every
 * answer, so it is exact for writes made a moment ago, by this instance or any other.
 */
@Injectable()
export class LeadScores {
  private readonly leads = new Map<string, LeadFold>();
  /** dealId → its current outcome; absent while open. */
  private readonly outcomes = new Map<string, DealOutcome>();
  private position?: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async lead(leadId: string): Promise<LeadScoreRecord | undefined> {
    await this.catchUp();
    const lead = this.leads.get(leadId);
    return lead && this.view(lead);
  }

  async all(): Promise<LeadScoreRecord[]> {
    await this.catchUp();
    return [...this.leads.values()].map((lead) => this.view(lead));
  }

  /** Serialised, so two questions at once never fold the same events twice. */
  catchUp(): Promise<void> {
    const run = this.tail.then(() => this.readNew());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private view(lead: LeadFold): LeadScoreRecord {
    const outcome = lead.dealId ? this.outcomes.get(lead.dealId) : undefined;
    return {
      ...lead,
      scores: lead.scores.map((entry) => ({ ...entry })),
      ...(outcome ? { outcome } : {}),
    };
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({
        after: this.position,
        maxCount: PAGE,
        filter: FILTER,
      });
      for (const event of batch) this.apply(event);
      if (batch.length < PAGE) return;
    }
  }

  private apply(event: RecordedEvent): void {
    this.position = event.position;
    const id = idOf(event.streamName);
    if (event.streamName.startsWith('deal-')) {
      if (!(event.type in DEAL_FOLDS)) return;
      const outcome = DEAL_FOLDS[event.type];
      if (outcome) this.outcomes.set(id, outcome);
      else this.outcomes.delete(id);
      return;
    }
    const fold = LEAD_FOLDS[event.type];
    if (!fold) return;
    const before = this.leads.get(id) ?? { leadId: id, status: 'new', scores: [] };
    this.leads.set(id, fold(before, event.data, event));
  }
}
