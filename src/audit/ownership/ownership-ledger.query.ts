import { DateTime } from 'luxon';
import {
  OWNERSHIP_ENTRIES,
  OWNERSHIP_SPANS,
  OwnershipEntry,
  OwnershipSpan,
  statusAt,
} from '../../../projections/ownership-ledger.projection';
import { InputProblem } from '../../http/problem-details';
import type { FieldCondition, ReadStore } from '../../read-store/read-store.port';
import type { ReportRow } from '../../reports/report-response';

export type CollectionNames = (logical: string) => string;

/** A date means midnight in tz; an instant with an offset means itself. Stored times are UTC ISO. */
export function auditInstant(value: string, tz: string, field: string): string {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? DateTime.fromISO(value, { zone: tz })
    : DateTime.fromISO(value, { zone: tz, setZone: false });
  if (!parsed.isValid) {
    throw new InputProblem([
      { field, code: 'validation.is_iso8601', reason: `${field} is not a date or an instant` },
    ]);
  }
  return parsed.toUTC().toISO()!;
}

export interface LedgerQuery {
  /** Entries from or to one of these owners; undefined: everyone's. */
  owners?: string[];
  /** Half-open [from, to) on business time, UTC ISO. */
  from?: string;
  to?: string;
  limit: number;
}

export interface LedgerPage {
  rows: ReportRow[];
  /** More entries matched than the limit allowed. */
  truncated: boolean;
}

const byTime = (a: OwnershipEntry, b: OwnershipEntry): number =>
  a.occurredAt.localeCompare(b.occurredAt) || a.position.localeCompare(b.position);

/** Entries in business-time order: indexed finds on [to|from, occurredAt] or [occurredAt]. */
export async function ownershipLedger(
  store: ReadStore,
  names: CollectionNames,
  query: LedgerQuery,
): Promise<LedgerPage> {
  const period: FieldCondition | undefined =
    query.from !== undefined || query.to !== undefined
      ? {
          ...(query.from !== undefined && { gte: query.from }),
          ...(query.to !== undefined && { lt: query.to }),
        }
      : undefined;
  const when: Record<string, FieldCondition> = period ? { occurredAt: period } : {};
  const find = (where: Record<string, FieldCondition>) =>
    store.find(names(OWNERSHIP_ENTRIES), {
      where,
      sort: [['occurredAt', 'asc']],
      limit: query.limit + 1,
    }) as Promise<OwnershipEntry[]>;
  let entries: OwnershipEntry[];
  if (query.owners === undefined) {
    entries = await find(when);
  } else if (query.owners.length === 0) {
    entries = [];
  } else {
    const [received, handedAway] = await Promise.all([
      find({ to: { in: query.owners }, ...when }),
      find({ from: { in: query.owners }, ...when }),
    ]);
    const seen = new Set(received.map((entry) => entry.id));
    entries = [...received, ...handedAway.filter((entry) => !seen.has(entry.id))];
  }
  entries.sort(byTime);
  return {
    rows: entries.slice(0, query.limit).map(entryRow),
    truncated: entries.length > query.limit,
  };
}

/** Every entry of one record, in stream order. */
export async function recordLedger(
  store: ReadStore,
  names: CollectionNames,
  record: string,
): Promise<ReportRow[]> {
  const entries = (await store.find(names(OWNERSHIP_ENTRIES), {
    where: { record },
    sort: [['position', 'asc']],
  })) as OwnershipEntry[];
  return entries.map(entryRow);
}

/**
 * What each of the owners held at the instant `at`: the spans with since ≤ at < until, each with
 * the record's status then and the entry that gave it to them.
 */
export async function bookAt(
  store: ReadStore,
  names: CollectionNames,
  owners: string[],
  at: string,
): Promise<ReportRow[]> {
  if (owners.length === 0) return [];
  const spans = (
    (await store.find(names(OWNERSHIP_SPANS), {
      where: { owner: { in: owners }, since: { lte: at } },
      sort: [['since', 'asc']],
    })) as OwnershipSpan[]
  ).filter((span) => span.until === null || span.until > at);
  const entries = new Map(
    (
      (await store.getMany(
        names(OWNERSHIP_ENTRIES),
        spans.map((span) => span.entryId),
      )) as OwnershipEntry[]
    ).map((entry) => [entry.id, entry]),
  );
  return spans
    .sort(
      (a, b) =>
        a.owner.localeCompare(b.owner) ||
        a.aggregate.localeCompare(b.aggregate) ||
        a.since.localeCompare(b.since) ||
        a.recordId.localeCompare(b.recordId),
    )
    .map((span) => {
      const entry = entries.get(span.entryId);
      return {
        owner: span.owner,
        aggregate: span.aggregate,
        recordId: span.recordId,
        status: statusAt(span, at),
        ownedSince: span.since,
        ownedUntil: span.until,
        receivedFrom: entry?.from ?? null,
        cause: entry?.cause ?? null,
        causeId: entry?.causeId ?? null,
        causeVersion: entry?.causeVersion ?? null,
        reason: entry?.reason ?? null,
        correlationId: entry?.correlationId ?? null,
      };
    });
}

function entryRow(entry: OwnershipEntry): ReportRow {
  return {
    aggregate: entry.aggregate,
    recordId: entry.recordId,
    kind: entry.kind,
    from: entry.from,
    to: entry.to,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    cause: entry.cause,
    causeId: entry.causeId,
    causeVersion: entry.causeVersion,
    reason: entry.reason,
    correlationId: entry.correlationId,
    causationId: entry.causationId,
    commandId: entry.commandId,
    eventType: entry.eventType,
    position: entry.position,
  };
}
