import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import { LEAD_EVENT_TYPES } from './shared/record-event-types';

/**
 * The lead queue: per owner, the leads still to work, and the nurture queue. One document per
 * lead, found by [owner, status, receivedAt] (a rep's queue, oldest first) and by
 * [inNurture, nurtureSince] (the nurture queue). Personal fields (the inquirer's name, email,
 * message, the nurture note) stay sealed: the queue shows the company, country and channel.
 */

export const LEAD_QUEUE = 'lead-queue';
const AUTOMATION_DECISION = 'AutomationDecisionRecorded';
/** The saga whose first-response clock the queue shows (sagas/sla-clock.ts `SLA_SAGA`). */
const SLA_SAGA = 'sla-escalation';
export const QUEUE_LEADS = 'leads';

/**
 * - new: nobody has answered yet;
 * - working: answered or qualified, not yet converted;
 * - nurturing: set aside by LeadNurtured (in the nurture queue, out of the working queue);
 * - converted, disqualified: closed.
 */
export type QueueStatus = 'new' | 'working' | 'nurturing' | 'converted' | 'disqualified';
export const OPEN_QUEUE_STATUSES: QueueStatus[] = ['new', 'working'];

type LeadStatus = 'new' | 'qualified' | 'nurturing' | 'disqualified' | 'converted';

export interface QueueLead extends ReadDocument {
  leadId: string;
  /** The current owner; null while nobody holds the lead. */
  owner: string | null;
  /** Since when the current owner holds it (business time of the assignment or handover). */
  ownedSince: string | null;
  /** Who recorded the inquiry (a rep keeps sight of an unassigned lead they entered). */
  createdBy: string | null;
  status: QueueStatus;
  /** The lead aggregate's own status. */
  leadStatus: LeadStatus;
  channel: string;
  country: string | null;
  region: string | null;
  company: string | null;
  /** False for imports and back-dated inquiries, which start no first-response clock. */
  live: boolean;
  receivedAt: string;
  responded: boolean;
  firstResponseAt: string | null;
  firstResponseChannel: string | null;
  /** The last message from the customer, if one was logged. */
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  score: number | null;
  recommendation: 'convert' | 'nurture' | 'none' | null;
  scoredAt: string | null;
  scorePolicy: { id: string; version: number } | null;
  /** The latest score's dimension ratings (0–5 each). */
  scoreDimensions: Record<string, number> | null;
  inNurture: boolean;
  /** When the lead last entered the nurture queue; null outside it. */
  nurtureSince: string | null;
  /** Why it is there: set aside by a rep ('nurtured'), or a score that recommends nurturing. */
  nurtureReason: 'nurtured' | 'score' | null;
  /** A rep's free-text reason exists (sealed personal data; read it from the lead's history). */
  nurtureNoted: boolean;
  nurturedAt: string | null;
  dealId: string | null;
  closedAt: string | null;
  /**
   * The first-response deadline of the SLA clock's current run (the saga's `scheduled`
   * decision; a restart on handover moves it); null with no clock running or once answered.
   */
  firstResponseDueAt: string | null;
  /** The highest ladder level that has fired on the current run; 0 before any. */
  slaLevel: number;
  /** The current run's deadline passed with no response. */
  slaBreached: boolean;
}

const LEAD_EVENTS = [...LEAD_EVENT_TYPES, AUTOMATION_DECISION] as const;

/** True when a (possibly sealed) field was given: sealed fields leave their path in the envelope. */
export function personalFieldGiven(data: Record<string, unknown>, path: string): boolean {
  if (data[path] !== undefined) return true;
  const envelopes = data.$personal as Array<{ paths?: string[] }> | undefined;
  return !!envelopes?.some((envelope) => envelope.paths?.includes(path));
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function newLead(event: RecordedEvent): QueueLead {
  const data = event.data as Record<string, unknown>;
  const inquirer = (data.inquirer ?? {}) as Record<string, unknown>;
  const country = str(inquirer.country);
  return {
    id: streamId(event),
    leadId: streamId(event),
    owner: null,
    ownedSince: null,
    createdBy: event.metadata.actor?.userId ?? null,
    status: 'new',
    leadStatus: 'new',
    channel: str(data.channel) ?? 'other',
    country,
    region: country ? regionOf(country) : null,
    company: str(inquirer.company),
    live: data.live !== false,
    receivedAt: str(data.receivedAt) ?? event.metadata.occurredAt,
    responded: false,
    firstResponseAt: null,
    firstResponseChannel: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    score: null,
    recommendation: null,
    scoredAt: null,
    scorePolicy: null,
    scoreDimensions: null,
    inNurture: false,
    nurtureSince: null,
    nurtureReason: null,
    nurtureNoted: false,
    nurturedAt: null,
    dealId: null,
    closedAt: null,
    firstResponseDueAt: null,
    slaLevel: 0,
    slaBreached: false,
  };
}

const NO_CLOCK = { firstResponseDueAt: null, slaLevel: 0, slaBreached: false } as const;

/**
 * The first-response clock, from the SLA saga's decisions on the lead's automation log: a new
 * run (`first_response.target` scheduled) sets the due time and starts the ladder over; a rung
 * that fired raises the level; the breach flags it; a stop or a response clears it.
 */
function withSlaDecision(lead: QueueLead, data: Record<string, unknown>): QueueLead {
  if (data.saga !== SLA_SAGA || lead.responded) return lead;
  const step = str(data.step) ?? '';
  if (!step.startsWith('first_response.')) return lead;
  const part = step.slice('first_response.'.length);
  const decision = str(data.decision);
  if (part === 'target' && decision === 'scheduled') {
    return { ...lead, firstResponseDueAt: str(data.dueAt), slaLevel: 0, slaBreached: false };
  }
  if (lead.firstResponseDueAt === null) return lead;
  if (part === 'breach' && decision === 'flagged') return { ...lead, slaBreached: true };
  if (part === 'stop' || (part === 'run' && decision === 'cancelled'))
    return { ...lead, ...NO_CLOCK };
  const level = Number((data.detail as { level?: unknown } | undefined)?.level);
  if (
    part.startsWith('level_') &&
    (decision === 'task_created' || decision === 'escalated') &&
    Number.isInteger(level)
  ) {
    return { ...lead, slaLevel: Math.max(lead.slaLevel, level) };
  }
  return lead;
}

/** Queue status and nurture membership follow from the lead's status, response and score. */
function settle(lead: QueueLead, at: string): QueueLead {
  const status: QueueStatus =
    lead.leadStatus === 'converted' || lead.leadStatus === 'disqualified'
      ? lead.leadStatus
      : lead.leadStatus === 'nurturing'
        ? 'nurturing'
        : lead.leadStatus === 'qualified' || lead.responded
          ? 'working'
          : 'new';
  // The same rule as the scoring module's queue: set aside, or an open lead scored for nurturing.
  const reason: QueueLead['nurtureReason'] =
    lead.leadStatus === 'nurturing'
      ? 'nurtured'
      : lead.leadStatus === 'new' && lead.recommendation === 'nurture'
        ? 'score'
        : null;
  const inNurture = reason !== null;
  return {
    ...lead,
    status,
    inNurture,
    nurtureReason: reason,
    nurtureSince: inNurture ? (lead.inNurture ? lead.nurtureSince : at) : null,
  };
}

export const leadQueueProjection: Projection = {
  name: LEAD_QUEUE,
  version: 2,
  collections: [
    {
      name: QUEUE_LEADS,
      indexes: [
        ['owner', 'status', 'receivedAt'],
        ['status', 'receivedAt'],
        ['owner', 'inNurture', 'nurtureSince'],
        ['inNurture', 'nurtureSince'],
        // A rep keeps sight of the unassigned leads they entered.
        ['createdBy', 'owner', 'status', 'receivedAt'],
        ['createdBy', 'owner', 'inNurture', 'nurtureSince'],
      ],
    },
  ],
  eventTypes: LEAD_EVENTS,

  reads(event: RecordedEvent): DocumentRef[] {
    return [{ collection: QUEUE_LEADS, id: streamId(event) }];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    const id = streamId(event);
    const at = event.metadata.occurredAt;
    const data = event.data as Record<string, unknown>;
    if (event.type === 'InquiryReceived') {
      if (view.get(QUEUE_LEADS, id)) return;
      view.put(QUEUE_LEADS, settle(newLead(event), at));
      return;
    }
    const lead = view.get<QueueLead>(QUEUE_LEADS, id);
    if (!lead) return;
    let next: QueueLead = lead;
    switch (event.type) {
      case 'LeadAssigned':
      case 'LeadOwnershipTransferred':
        next = { ...lead, owner: str(data.to), ownedSince: at };
        break;
      case 'LeadResponseRecorded':
        next =
          data.direction === 'inbound'
            ? { ...lead, lastInboundAt: latest(lead.lastInboundAt, str(data.at)) }
            : { ...lead, lastOutboundAt: latest(lead.lastOutboundAt, str(data.at)) };
        break;
      case 'FirstResponseRecorded':
        next = {
          ...lead,
          ...NO_CLOCK,
          responded: true,
          firstResponseAt: str(data.at),
          firstResponseChannel: str(data.channel),
        };
        break;
      case AUTOMATION_DECISION:
        next = withSlaDecision(lead, data);
        if (next === lead) return;
        break;
      case 'LeadScored':
        next = {
          ...lead,
          score: typeof data.total === 'number' ? data.total : null,
          recommendation: (str(data.recommendation) as QueueLead['recommendation']) ?? null,
          scoredAt: at,
          scorePolicy: (data.policy as QueueLead['scorePolicy']) ?? null,
          scoreDimensions: (data.dimensions as QueueLead['scoreDimensions']) ?? null,
        };
        break;
      case 'LeadQualified':
        next = { ...lead, leadStatus: 'qualified' };
        break;
      case 'LeadNurtured':
        next = {
          ...lead,
          leadStatus: 'nurturing',
          nurturedAt: at,
          nurtureNoted: personalFieldGiven(data, 'reason'),
        };
        break;
      case 'LeadDisqualified':
        next = { ...lead, leadStatus: 'disqualified', closedAt: at };
        break;
      case 'LeadConverted':
        next = {
          ...lead,
          leadStatus: 'converted',
          closedAt: at,
          dealId: str(data.dealId),
          owner: str(data.ownerId) ?? lead.owner,
        };
        break;
    }
    view.put(QUEUE_LEADS, settle(next, at));
  },
};

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
