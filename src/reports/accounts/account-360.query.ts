import type { Contact } from '../../../domain/account/account.commands';
import {
  A360_ACCOUNTS,
  A360_DEALS,
  A360_TIMELINE,
  AccountDocument,
  AccountFields,
  DealSummaryDocument,
  TimelineDocument,
} from '../../../projections/account-360.projection';
import type { FieldCondition, ReadStore } from '../../read-store/read-store.port';

export const TIMELINE_DEFAULT_LIMIT = 50;
export const TIMELINE_MAX_LIMIT = 200;
/** A 360 lists this many deals, newest first; `deals.total` counts them all. */
export const DEALS_LIMIT = 100;
/** Merges can chain (A into B, B into C); the survivor's view follows them this deep. */
const MAX_MERGE_DEPTH = 8;

/** A page boundary: entries strictly before `at`, or at `at` with a smaller id. */
export interface TimelineCursor {
  at: string;
  id?: string;
}

export interface Account360Options {
  timelineLimit?: number;
  timelineBefore?: TimelineCursor;
}

export interface Account360 {
  account: Omit<AccountFields, 'contacts'>;
  contacts: Contact[];
  /** Accounts merged into this one now (also through chains); their deals and entries show here. */
  mergedAccounts: Array<{
    accountId: string;
    name: string | null;
    mergedAt: string;
    mergedInto: string;
  }>;
  deals: { total: number; items: DealSummaryDocument[] };
  timeline: { entries: TimelineDocument[]; next: string | null };
}

/** `<at>|<id>` of the last entry: the `timelineBefore` that continues the page. */
export const cursorOf = (entry: Pick<TimelineDocument, 'at' | 'id'>): string =>
  `${entry.at}|${entry.id}`;

/** Parses `<ISO>` or `<ISO>|<entry id>`; undefined when malformed. */
export function parseTimelineCursor(raw: string): TimelineCursor | undefined {
  const bar = raw.indexOf('|');
  const at = bar < 0 ? raw : raw.slice(0, bar);
  const id = bar < 0 ? undefined : raw.slice(bar + 1);
  const time = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}/.test(at) || Number.isNaN(time)) return undefined;
  if (id !== undefined && id.length === 0) return undefined;
  return { at: new Date(time).toISOString(), id };
}

const newestFirst = (a: TimelineDocument, b: TimelineDocument): number =>
  a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1;

/**
 * One account's 360. Reads the account, the accounts merged into it (one getMany per level of a
 * merge chain), then per account one indexed page of deals and one or two indexed pages of the
 * timeline, merged in memory: bounded by (accounts × limit), never by the size of a history.
 * Undefined when there is no such account.
 */
export async function account360(
  store: ReadStore,
  name: (logical: string) => string,
  accountId: string,
  options: Account360Options = {},
): Promise<Account360 | undefined> {
  const root = (await store.get(name(A360_ACCOUNTS), accountId)) as AccountDocument | undefined;
  if (!root) return undefined;
  const limit = Math.min(
    Math.max(1, options.timelineLimit ?? TIMELINE_DEFAULT_LIMIT),
    TIMELINE_MAX_LIMIT,
  );

  const mergedAccounts: Account360['mergedAccounts'] = [];
  const ids = [root.id];
  let level: AccountDocument[] = [root];
  for (let depth = 0; depth < MAX_MERGE_DEPTH && level.length > 0; depth++) {
    const wanted = level.flatMap((account) =>
      account.absorbed
        .filter((merged) => !ids.includes(merged.accountId))
        .map((merged) => ({ ...merged, into: account.id })),
    );
    if (wanted.length === 0) break;
    wanted.forEach((merged) => ids.push(merged.accountId));
    level = (await store.getMany(
      name(A360_ACCOUNTS),
      wanted.map((merged) => merged.accountId),
    )) as AccountDocument[];
    const names = new Map(level.map((account) => [account.id, account.name ?? null]));
    for (const merged of wanted) {
      mergedAccounts.push({
        accountId: merged.accountId,
        name: names.get(merged.accountId) ?? null,
        mergedAt: merged.mergedAt,
        mergedInto: merged.into,
      });
    }
  }

  const [deals, timeline] = await Promise.all([
    dealsOf(store, name(A360_DEALS), ids),
    timelineOf(store, name(A360_TIMELINE), ids, limit, options.timelineBefore),
  ]);
  const { contacts, ...account } = root;
  return { account, contacts, mergedAccounts, deals, timeline };
}

async function dealsOf(
  store: ReadStore,
  collection: string,
  ids: string[],
): Promise<Account360['deals']> {
  const pages = await Promise.all(
    ids.map((accountId) =>
      store.find(collection, {
        where: { accountId },
        sort: [['openedAt', 'desc']],
        limit: DEALS_LIMIT,
      }),
    ),
  );
  const totals = await Promise.all(ids.map((accountId) => store.count(collection, { accountId })));
  const items = (pages.flat() as DealSummaryDocument[])
    .sort((a, b) =>
      a.openedAt === b.openedAt ? (a.id < b.id ? 1 : -1) : a.openedAt < b.openedAt ? 1 : -1,
    )
    .slice(0, DEALS_LIMIT);
  return { total: totals.reduce((sum, n) => sum + n, 0), items };
}

async function timelineOf(
  store: ReadStore,
  collection: string,
  ids: string[],
  limit: number,
  before: TimelineCursor | undefined,
): Promise<Account360['timeline']> {
  // One more than the page, to know whether there is a next one.
  const want = limit + 1;
  const pages = await Promise.all(
    ids.map(async (accountId) => {
      const page: TimelineDocument[] = [];
      if (before?.id !== undefined) {
        const ties = await store.find(collection, {
          where: { accountId, at: before.at, id: { lt: before.id } },
          sort: [['id', 'desc']],
          limit: want,
        });
        page.push(...(ties as TimelineDocument[]));
      }
      if (page.length < want) {
        const at: FieldCondition | undefined = before ? { lt: before.at } : undefined;
        const earlier = await store.find(collection, {
          where: at ? { accountId, at } : { accountId },
          sort: [['at', 'desc']],
          limit: want - page.length,
        });
        page.push(...(earlier as TimelineDocument[]));
      }
      return page;
    }),
  );
  const merged = pages.flat().sort(newestFirst);
  const entries = merged.slice(0, limit);
  const next = merged.length > limit ? cursorOf(entries[entries.length - 1]) : null;
  return { entries, next };
}
