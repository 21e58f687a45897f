import {
  OPEN_QUEUE_STATUSES,
  QUEUE_LEADS,
  QueueLead,
  QueueStatus,
} from '../../../projections/lead-queue.projection';
import { FieldCondition, ReadStore } from '../../read-store/read-store.port';
import type { ReportRow } from '../report-response';
import type { CollectionNames } from '../people/report-groups';

/** `owner=unassigned` asks for the leads nobody holds. */
export const UNASSIGNED_OWNER = 'unassigned';

export interface LeadQueueQuery {
  /** Owners to list (null: unassigned); undefined for everyone. */
  owners?: Array<string | null>;
  /** Also the unassigned leads this user entered (a rep's own intake). */
  createdBy?: string;
  statuses: QueueStatus[];
  limit: number;
  now: Date;
}

/** Open leads, oldest first: an indexed find on [owner, status, receivedAt]. */
export async function leadQueue(
  store: ReadStore,
  names: CollectionNames,
  query: LeadQueueQuery,
): Promise<ReportRow[]> {
  const where: Record<string, FieldCondition> = {
    ...(query.owners ? { owner: { in: query.owners } } : {}),
    status: { in: query.statuses },
  };
  const leads = (await store.find(names(QUEUE_LEADS), {
    where,
    sort: [['receivedAt', 'asc']],
    limit: query.limit,
  })) as QueueLead[];
  if (query.createdBy !== undefined) {
    const entered = (await store.find(names(QUEUE_LEADS), {
      where: { createdBy: query.createdBy, owner: null, status: { in: query.statuses } },
      sort: [['receivedAt', 'asc']],
      limit: query.limit,
    })) as QueueLead[];
    leads.push(...entered.filter((lead) => !leads.some((known) => known.id === lead.id)));
    leads.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
    leads.splice(query.limit);
  }
  return leads.map((lead) => ({
    leadId: lead.leadId,
    owner: lead.owner,
    status: lead.status,
    channel: lead.channel,
    country: lead.country,
    region: lead.region,
    company: lead.company,
    live: lead.live ? 1 : 0,
    receivedAt: lead.receivedAt,
    responded: lead.responded ? 1 : 0,
    firstResponseAt: lead.firstResponseAt,
    // Calendar time since receipt, for the ones still waiting for an answer.
    waitingSeconds: lead.responded
      ? null
      : Math.max(0, Math.floor((query.now.getTime() - Date.parse(lead.receivedAt)) / 1000)),
    lastInboundAt: lead.lastInboundAt,
    score: lead.score,
    recommendation: lead.recommendation,
    inNurture: lead.inNurture ? 1 : 0,
    // The SLA clock's first-response deadline while it runs; negative seconds: overdue.
    firstResponseDueAt: lead.firstResponseDueAt ?? null,
    secondsToDue: lead.firstResponseDueAt
      ? Math.floor((Date.parse(lead.firstResponseDueAt) - query.now.getTime()) / 1000)
      : null,
    slaLevel: lead.slaLevel ?? 0,
    slaBreached: lead.slaBreached ? 1 : 0,
  }));
}

export const DEFAULT_QUEUE_STATUSES = OPEN_QUEUE_STATUSES;

export interface NurtureQueueQuery {
  owners?: Array<string | null>;
  /** Also the unassigned leads this user entered. */
  createdBy?: string;
  limit: number;
}

/** The nurture queue, latest arrivals first: an indexed find on [owner, inNurture, nurtureSince]. */
export async function nurtureQueue(
  store: ReadStore,
  names: CollectionNames,
  query: NurtureQueueQuery,
): Promise<ReportRow[]> {
  const leads = (await store.find(names(QUEUE_LEADS), {
    where: { ...(query.owners ? { owner: { in: query.owners } } : {}), inNurture: true },
    sort: [['nurtureSince', 'desc']],
    limit: query.limit,
  })) as QueueLead[];
  if (query.createdBy !== undefined) {
    const entered = (await store.find(names(QUEUE_LEADS), {
      where: { createdBy: query.createdBy, owner: null, inNurture: true },
      sort: [['nurtureSince', 'desc']],
      limit: query.limit,
    })) as QueueLead[];
    leads.push(...entered.filter((lead) => !leads.some((known) => known.id === lead.id)));
    leads.sort(
      (a, b) =>
        (b.nurtureSince ?? '').localeCompare(a.nurtureSince ?? '') || a.id.localeCompare(b.id),
    );
    leads.splice(query.limit);
  }
  return leads.map((lead) => ({
    leadId: lead.leadId,
    owner: lead.owner,
    leadStatus: lead.leadStatus,
    channel: lead.channel,
    country: lead.country,
    company: lead.company,
    receivedAt: lead.receivedAt,
    nurtureSince: lead.nurtureSince,
    nurtureReason: lead.nurtureReason,
    nurturedAt: lead.nurturedAt,
    reasonNoted: lead.nurtureNoted ? 1 : 0,
    score: lead.score,
    recommendation: lead.recommendation,
    scoredAt: lead.scoredAt,
    scorePolicy: lead.scorePolicy ? `${lead.scorePolicy.id}@${lead.scorePolicy.version}` : null,
    scoreDimensions: lead.scoreDimensions
      ? Object.entries(lead.scoreDimensions)
          .map(([dimension, rating]) => `${dimension}=${rating}`)
          .join(' ')
      : null,
  }));
}
