import { Injectable } from '@nestjs/common';
import {
  CORRELATED_EVENTS,
  CorrelatedEvent,
  CORRELATION_INDEX,
  CORRELATION_TALLIES,
  CorrelationTally,
  MAX_CORRELATED,
} from '../../../projections/correlation-index.projection';
import { DomainError } from '../../../domain/shared/domain-error';
import { AggregateName } from '../../commands/aggregates';
import { comparePositions } from '../../event-store/event-store.port';
import { currentRequestContext } from '../../http/request-context';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { RecordAccess } from '../../identity/record-access';
import { ReadModels } from '../../projection-runner/read-models';
import type { ReadStore } from '../../read-store/read-store.port';
import { HistoryEntry, RecordReader } from '../../records/record-reader';
import { CauseView, describeCause } from './cause-messages';
import { describeEvent, inEnglish, Message } from './event-messages';

/** Another record's event in the same correlated chain. */
export interface HistoryLink {
  aggregate: string;
  id: string;
  revision: number;
  type: string;
  occurredAt: string;
  summary: string;
  message: Message;
}

/** A history entry in business language, beside the raw fields it always had. */
export interface DescribedHistoryEntry extends HistoryEntry {
  /** The change, who or what made it, and why, in English. */
  summary: string;
  /** The change alone, for clients that render their own language. */
  message: Message;
  causedBy: CauseView;
  /** Events of other records under the same correlation id, in log order; null while the index is being built. */
  links: HistoryLink[] | null;
  /** Linked events left out: beyond the limit, or in records the caller may not see. */
  moreLinks: number;
}

/** The kept events of one correlation id, in log order, and how many more it has. */
export interface CorrelationChain {
  events: CorrelatedEvent[];
  more: number;
}

/** Links shown per entry; the rest are counted. */
const MAX_LINKS = 50;
/** Correlated events read per find: correlations are grouped up to this many kept events. */
const EVENTS_PER_FIND = MAX_CORRELATED * 5;
const SCOPED = new Set(['lead', 'account', 'deal', 'task']);

/**
 * GET /api/{leads,accounts,deals}/:id/history: every event of the record, described, with the
 * events it is chained to in other records (a deactivation and the handovers it caused, a
 * conversion and the account and deal it created), found through the correlation index.
 */
@Injectable()
export class RecordHistory {
  constructor(
    private readonly records: RecordReader,
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    private readonly access: RecordAccess,
  ) {}

  async of(aggregate: AggregateName, id: string): Promise<DescribedHistoryEntry[]> {
    const entries = await this.records.history(aggregate, id);
    const nameOf = (userId: string) => this.feed.directory.user(userId)?.name ?? userId;
    const chains = await this.chains(entries.map((entry) => entry.correlationId));
    const visible = await this.visibility(chains, `${aggregate}-${id}`);
    return entries.map((entry) => {
      const message = describeEvent(entry.type, entry.data);
      const causedBy = describeCause(
        entry.actor as never,
        entry.cause as never,
        entry.reason,
        entry.data,
      );
      // An automation's reason only names the saga, which the cause already says.
      const unsaid = !entry.reason || /^automation: /.test(entry.reason);
      const reason = unsaid ? '' : `; reason: ${entry.reason}`;
      const chain = chains?.get(entry.correlationId);
      const others = (chain?.events ?? []).filter((e) => e.stream !== `${aggregate}-${id}`);
      const shown = others.filter((e) => visible(e.stream)).slice(0, MAX_LINKS);
      return {
        ...entry,
        summary: `${inEnglish(message, nameOf)} — ${inEnglish(causedBy.message, nameOf)}${reason}`,
        message,
        causedBy,
        links: chains
          ? shown.map((e) => {
              const at = e.stream.indexOf('-');
              return {
                aggregate: e.stream.slice(0, at),
                id: e.stream.slice(at + 1),
                revision: e.revision,
                type: e.type,
                occurredAt: e.occurredAt,
                summary: inEnglish(e.message, nameOf),
                message: e.message,
              };
            })
          : null,
        moreLinks: others.length - shown.length + (chain?.more ?? 0),
      };
    });
  }

  /** The chains of these correlation ids; undefined while the index is still being built. */
  private async chains(ids: string[]): Promise<Map<string, CorrelationChain> | undefined> {
    let events: string;
    let tallies: string;
    try {
      events = this.readModels.collection(CORRELATION_INDEX, CORRELATED_EVENTS);
      tallies = this.readModels.collection(CORRELATION_INDEX, CORRELATION_TALLIES);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'projection.not_ready') return undefined;
      throw error;
    }
    return readCorrelationChains(this.readModels.store, { events, tallies }, ids);
  }

  /**
   * Which linked streams the caller may see: everything for a manager; otherwise a linked lead,
   * account, deal or task only if it is in the caller's scope now, like the record itself.
   */
  private async visibility(
    chains: Map<string, CorrelationChain> | undefined,
    own: string,
  ): Promise<(stream: string) => boolean> {
    const principal = currentRequestContext()?.principal;
    if (!chains || !principal || principal.role === 'manager' || principal.role === 'system') {
      return () => true;
    }
    const streams = new Set<string>();
    for (const chain of chains.values()) {
      for (const event of chain.events) if (event.stream !== own) streams.add(event.stream);
    }
    const allowed = new Set<string>();
    // Bounded: links beyond what one page shows are counted, not checked.
    for (const stream of [...streams].slice(0, MAX_LINKS * 2)) {
      if (await this.maySee(principal, stream, own)) allowed.add(stream);
    }
    return (stream) => allowed.has(stream);
  }

  private async maySee(principal: Principal, stream: string, own: string): Promise<boolean> {
    const at = stream.indexOf('-');
    const aggregate = stream.slice(0, at);
    const id = stream.slice(at + 1);
    if (aggregate === 'user') return true;
    // An automation log is kept per record, under the record's id: shown with that record only.
    if (!SCOPED.has(aggregate)) return own.endsWith(`-${id}`);
    try {
      const { state } = await this.records.lookUp(aggregate as AggregateName, id);
      this.access.assertMaySee(principal, aggregate as AggregateName, state);
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}

/**
 * The chains of these correlation ids, read from the correlation index's physical collections:
 * one getMany for the tallies, then a few finds for the kept events.
 */
export async function readCorrelationChains(
  store: ReadStore,
  collections: { events: string; tallies: string },
  ids: string[],
): Promise<Map<string, CorrelationChain>> {
  const unique = [...new Set(ids)];
  const counted = (await store.getMany(collections.tallies, unique)) as CorrelationTally[];
  const chains = new Map<string, CorrelationChain>(
    counted.map((tally) => [tally.id, { events: [], more: tally.more ?? 0 }]),
  );
  // The index keeps at most MAX_CORRELATED events per id, so each find reads a bounded amount.
  // The store is not asked to sort: an `in` find sorted on another field is not portable.
  for (const group of groupedByKept(counted, EVENTS_PER_FIND)) {
    const where = { correlationId: { in: group } };
    for (const event of (await store.find(collections.events, { where })) as CorrelatedEvent[]) {
      chains.get(event.correlationId)?.events.push(event);
    }
  }
  for (const chain of chains.values()) {
    chain.events.sort((a, b) => comparePositions(a.position, b.position));
  }
  return chains;
}

/** Correlation ids in groups whose kept events add up to at most `budget` (one id may exceed it alone). */
function groupedByKept(tallies: CorrelationTally[], budget: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 0;
  for (const tally of tallies) {
    const kept = tally.kept ?? 0;
    if (kept === 0) continue;
    if (group.length > 0 && size + kept > budget) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(tally.id);
    size += kept;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
