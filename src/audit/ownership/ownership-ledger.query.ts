import { DateTime } from 'luxon';
import {
  LEDGER_AGGREGATES,
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

export interface BookPage {
  rows: ReportRow[];
  /** The cursor for the next page (`after`), or null on the last page. */
  next: string | null;
}

/** Where a page stopped: the last span shown, by the book's order. */
type BookPosition = [owner: string, aggregate: string, since: string, id: string];

const AGGREGATES_IN_ORDER = [...LEDGER_AGGREGATES].sort();

/**
 * What each of the owners held at the instant `at`: the spans with since ≤ at < until, each with
 * the record's status then and the entry that gave it to them. In pages, by owner, record type,
 * since and record; each page reads its owners' spans on [owner, aggregate, since] from where the
 * last one stopped, so a book of tens of thousands of records costs a page at a time.
 */
export async function bookAt(
  store: ReadStore,
  names: CollectionNames,
  owners: string[],
  at: string,
  page: { limit: number; after?: string },
): Promise<BookPage> {
  const after = page.after === undefined ? undefined : bookPosition(page.after);
  const held: OwnershipSpan[] = [];
  scan: for (const owner of [...new Set(owners)].sort()) {
    for (const aggregate of AGGREGATES_IN_ORDER) {
      const order = after ? compareKeys([owner, aggregate], after.slice(0, 2)) : 1;
      if (order < 0) continue;
      held.push(
        ...(await heldAt(
          store,
          names,
          [owner, aggregate],
          at,
          page.limit + 1 - held.length,
          order === 0 ? after : undefined,
        )),
      );
      if (held.length > page.limit) break scan;
    }
  }
  const shown = held.slice(0, page.limit);
  const entries = new Map(
    (
      (await store.getMany(
        names(OWNERSHIP_ENTRIES),
        shown.map((span) => span.entryId),
      )) as OwnershipEntry[]
    ).map((entry) => [entry.id, entry]),
  );
  const last = shown[shown.length - 1];
  return {
    rows: shown.map((span) => {
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
    }),
    next:
      held.length > page.limit
        ? Buffer.from(JSON.stringify([last.owner, last.aggregate, last.since, last.id])).toString(
            'base64url',
          )
        : null,
  };
}

/**
 * Up to `wanted` spans of one owner and record type open at `at`, in since order, after `from`.
 * Spans that ended by `at` are read and passed over; reads grow when a chunk brings nothing new
 * (many spans starting at one instant).
 */
async function heldAt(
  store: ReadStore,
  names: CollectionNames,
  [owner, aggregate]: [string, string],
  at: string,
  wanted: number,
  from: BookPosition | undefined,
): Promise<OwnershipSpan[]> {
  const held: OwnershipSpan[] = [];
  let position = from;
  let chunk = Math.max(wanted, 100);
  for (;;) {
    const found = (await store.find(names(OWNERSHIP_SPANS), {
      where: { owner, aggregate, since: position ? { gte: position[2], lte: at } : { lte: at } },
      sort: [
        ['since', 'asc'],
        ['id', 'asc'],
      ],
      limit: chunk,
    })) as OwnershipSpan[];
    const fresh = position
      ? found.filter((span) => compareKeys([span.since, span.id], position!.slice(2)) > 0)
      : found;
    for (const span of fresh) {
      if (span.until === null || span.until > at) held.push(span);
      if (held.length === wanted) return held;
    }
    if (found.length < chunk) return held;
    const last = fresh[fresh.length - 1];
    if (last) position = [owner, aggregate, last.since, last.id];
    else chunk *= 2;
  }
}

function bookPosition(cursor: string): BookPosition {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (
    !Array.isArray(position) ||
    position.length !== 4 ||
    !position.every((part) => typeof part === 'string')
  ) {
    throw new InputProblem([
      {
        field: 'after',
        code: 'validation.cursor',
        reason: 'after must be the next cursor of an earlier page, as it was given',
      },
    ]);
  }
  return position as BookPosition;
}

/** Binary string order, as the read store sorts. */
function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
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
