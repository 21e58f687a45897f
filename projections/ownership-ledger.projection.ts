import type { EventCause, RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';

/**
 * The ownership ledger (issue #8 §2): every assignment and handover of an account, lead or deal,
 * with who and what caused it and why, one entry per ownership event. Beside it, ownership spans:
 * who held each record from when to when, and the record's status over the span, so "who owned
 * what on 1 March" is one indexed find.
 */

export const OWNERSHIP_LEDGER = 'ownership-ledger';
export const OWNERSHIP_ENTRIES = 'entries';
export const OWNERSHIP_SPANS = 'spans';

export const LEDGER_AGGREGATES = ['account', 'lead', 'deal'] as const;
export type LedgerAggregate = (typeof LEDGER_AGGREGATES)[number];

/**
 * `person`, `rule` (id + version), `saga`, `deactivation` (a leaver's handover), `import`, or
 * `system` for anything else the system did. A rule that a saga applied names the rule.
 */
export type LedgerCauseKind = 'person' | 'rule' | 'saga' | 'deactivation' | 'import' | 'system';

/** The cause a deactivation records on each handover (src/users/handover-commands.ts). */
const DEACTIVATION_CAUSE_ID = 'user-deactivation';

export interface OwnershipEntry extends ReadDocument {
  aggregate: LedgerAggregate;
  recordId: string;
  /** `<aggregate>-<recordId>`, the record's stream. */
  record: string;
  /** `assignment`: the record's first owner; `handover`: from one owner to another. */
  kind: 'assignment' | 'handover';
  eventType: string;
  from: string | null;
  to: string;
  occurredAt: string;
  recordedAt: string;
  actorId: string | null;
  actorRole: string | null;
  cause: LedgerCauseKind;
  causeId: string | null;
  causeVersion: number | null;
  reason: string | null;
  correlationId: string;
  causationId: string;
  commandId: string | null;
  /** Global position of the event: the ledger's order, and its link back to the log. */
  position: string;
  revision: number;
}

export type RecordStatus = 'open' | 'converted' | 'disqualified' | 'won' | 'lost' | 'merged';

/**
 * One owner's hold on one record over `[since, until)`; `until` null while they hold it. The
 * current span of a record has the stream name as id, so the next event finds it without a query;
 * a closed span is kept under `<stream>@<position of its entry>`.
 */
export interface OwnershipSpan extends ReadDocument {
  aggregate: LedgerAggregate;
  recordId: string;
  record: string;
  owner: string;
  since: string;
  until: string | null;
  /** The ledger entry that gave the owner the record. */
  entryId: string;
  /** The record's status at `since`, then each change during the span, in business order. */
  statuses: Array<{ at: string; status: RecordStatus }>;
}

/** Where each ownership event names the new owner. */
const NEW_OWNER: Record<string, string> = {
  AccountRegistered: 'ownerId',
  AccountOwnershipTransferred: 'to',
  LeadAssigned: 'to',
  LeadOwnershipTransferred: 'to',
  DealOpened: 'ownerId',
  DealOwnerTransferred: 'to',
};

export const OWNERSHIP_EVENT_TYPES = Object.keys(NEW_OWNER);

/** Events that open or close a record without changing its owner. */
const STATUS_CHANGES: Record<string, RecordStatus> = {
  AccountMergedInto: 'merged',
  AccountUnmerged: 'open',
  LeadConverted: 'converted',
  LeadDisqualified: 'disqualified',
  DealWon: 'won',
  DealLost: 'lost',
  DealReopened: 'open',
};

const aggregateOf = (event: RecordedEvent): LedgerAggregate | undefined => {
  const prefix = event.streamName.slice(0, event.streamName.indexOf('-'));
  return (LEDGER_AGGREGATES as readonly string[]).includes(prefix)
    ? (prefix as LedgerAggregate)
    : undefined;
};

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** The domain's own cause in the data comes first; then the metadata's; then the actor. */
function causeOf(event: RecordedEvent): Pick<OwnershipEntry, 'cause' | 'causeId' | 'causeVersion'> {
  const given = ((event.data as { cause?: EventCause }).cause ?? event.metadata.cause) as
    EventCause | undefined;
  if (!given) {
    const actor = event.metadata.actor;
    return actor && actor.role !== 'system'
      ? { cause: 'person', causeId: actor.userId, causeVersion: null }
      : { cause: 'system', causeId: actor?.userId ?? null, causeVersion: null };
  }
  const kind: LedgerCauseKind =
    given.kind === 'system' && given.id === DEACTIVATION_CAUSE_ID ? 'deactivation' : given.kind;
  return { cause: kind, causeId: given.id, causeVersion: given.version ?? null };
}

/** Business time in one ISO form, so stored times sort and compare as strings. */
const instant = (at: string): string => new Date(at).toISOString();

export function ownershipEntry(
  event: RecordedEvent,
  aggregate: LedgerAggregate,
  previousOwner: string | null,
): OwnershipEntry {
  const data = event.data as Record<string, unknown>;
  const to = data[NEW_OWNER[event.type]] as string;
  const from = text(data.from) ?? previousOwner;
  return {
    id: event.id,
    aggregate,
    recordId: streamId(event),
    record: event.streamName,
    kind: from === null ? 'assignment' : 'handover',
    eventType: event.type,
    from,
    to,
    occurredAt: instant(event.metadata.occurredAt),
    recordedAt: event.recordedAt,
    actorId: event.metadata.actor?.userId ?? null,
    actorRole: event.metadata.actor?.role ?? null,
    ...causeOf(event),
    reason: text(data.reason) ?? text(event.metadata.reason),
    correlationId: event.metadata.$correlationId,
    causationId: event.metadata.$causationId,
    commandId: text(event.metadata.commandId),
    position: event.position,
    revision: event.revision,
  };
}

export const ownershipLedgerProjection: Projection = {
  name: OWNERSHIP_LEDGER,
  version: 1,
  collections: [
    {
      name: OWNERSHIP_ENTRIES,
      indexes: [
        ['to', 'occurredAt', 'position'],
        ['from', 'occurredAt', 'position'],
        ['record', 'position'],
        ['occurredAt', 'position'],
        ['correlationId', 'position'],
      ],
    },
    { name: OWNERSHIP_SPANS, indexes: [['owner', 'aggregate', 'since']] },
  ],
  eventTypes: [...OWNERSHIP_EVENT_TYPES, ...Object.keys(STATUS_CHANGES)],

  reads(event: RecordedEvent): DocumentRef[] {
    return aggregateOf(event) ? [{ collection: OWNERSHIP_SPANS, id: event.streamName }] : [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    const aggregate = aggregateOf(event);
    if (!aggregate) return;
    const current = view.get<OwnershipSpan>(OWNERSHIP_SPANS, event.streamName);
    const at = instant(event.metadata.occurredAt);
    const status = STATUS_CHANGES[event.type];
    if (status) {
      // A record nobody holds has no span: its status matters only while someone owns it.
      if (current) {
        view.put(OWNERSHIP_SPANS, { ...current, statuses: [...current.statuses, { at, status }] });
      }
      return;
    }
    const entry = ownershipEntry(event, aggregate, current?.owner ?? null);
    view.put(OWNERSHIP_ENTRIES, entry);
    if (current) {
      view.put(OWNERSHIP_SPANS, {
        ...current,
        id: `${event.streamName}@${current.entryId}`,
        until: at,
      });
    }
    const lastStatus = current?.statuses[current.statuses.length - 1]?.status ?? 'open';
    view.put(OWNERSHIP_SPANS, {
      id: event.streamName,
      aggregate,
      recordId: entry.recordId,
      record: event.streamName,
      owner: entry.to,
      since: at,
      until: null,
      entryId: entry.id,
      statuses: [{ at, status: lastStatus }],
    } satisfies OwnershipSpan);
  },
};

/** The record's status at `at`, within a span that covers it. */
export function statusAt(span: OwnershipSpan, at: string): RecordStatus {
  let status = span.statuses[0]?.status ?? 'open';
  for (const change of span.statuses) if (change.at <= at) status = change.status;
  return status;
}
