import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../../domain/shared/domain-error';
import { AggregateName } from '../../commands/aggregates';
import { CorrelatedEvents, EVENT_STORE, EventStore } from '../../event-store/event-store.port';
import { currentRequestContext } from '../../http/request-context';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { RecordAccess } from '../../identity/record-access';
import { HistoryEntry, RecordReader } from '../../records/record-reader';
import { CauseView, describeCause } from './cause-messages';
import { CORRELATED_EVENT_TYPES } from './correlated-event-types';
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
  /** Events of other records under the same correlation id, in log order. */
  links: HistoryLink[];
  /** Linked events left out: beyond the limit, or in records the caller may not see. */
  moreLinks: number;
}

/** Links shown per entry; the rest are counted. */
const MAX_LINKS = 50;
/** Events read per correlation id; a bulk import under one request id counts the rest. */
export const MAX_CORRELATED = 200;
/** Correlation ids read at once. */
const CHAINS_AT_ONCE = 20;
const SCOPED = new Set(['lead', 'account', 'deal', 'task']);

/**
 * GET /api/{leads,accounts,deals}/:id/history: every event of the record, described, with the
 * events it is chained to in other records (a deactivation and the handovers it caused, a
 * conversion and the account and deal it created), found by the event store's correlated read.
 */
@Injectable()
export class RecordHistory {
  constructor(
    private readonly records: RecordReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
      const chain = chains.get(entry.correlationId);
      const others = (chain?.events ?? []).filter((e) => e.streamName !== `${aggregate}-${id}`);
      const shown = others.filter((e) => visible(e.streamName)).slice(0, MAX_LINKS);
      return {
        ...entry,
        summary: `${inEnglish(message, nameOf)} — ${inEnglish(causedBy.message, nameOf)}${reason}`,
        message,
        causedBy,
        links: shown.map((e) => {
          const at = e.streamName.indexOf('-');
          // Described from the stored data, sealed personal fields unopened: links carry no names.
          const linked = describeEvent(e.type, e.data);
          return {
            aggregate: e.streamName.slice(0, at),
            id: e.streamName.slice(at + 1),
            revision: e.revision,
            type: e.type,
            occurredAt: e.metadata.occurredAt,
            summary: inEnglish(linked, nameOf),
            message: linked,
          };
        }),
        moreLinks: others.length - shown.length + (chain?.more ?? 0),
      };
    });
  }

  /** The chains of these correlation ids, a few read at a time. */
  private async chains(ids: string[]): Promise<Map<string, CorrelatedEvents>> {
    const unique = [...new Set(ids)];
    const chains = new Map<string, CorrelatedEvents>();
    for (let from = 0; from < unique.length; from += CHAINS_AT_ONCE) {
      const batch = unique.slice(from, from + CHAINS_AT_ONCE);
      const read = await Promise.all(
        // Reservations, policies and the like share request ids too; only records are linked.
        batch.map((id) =>
          this.store.readCorrelated(id, {
            maxCount: MAX_CORRELATED,
            eventTypes: CORRELATED_EVENT_TYPES,
          }),
        ),
      );
      batch.forEach((id, index) => chains.set(id, read[index]));
    }
    return chains;
  }

  /**
   * Which linked streams the caller may see: everything for a manager; otherwise a linked lead,
   * account, deal or task only if it is in the caller's scope now, like the record itself.
   */
  private async visibility(
    chains: Map<string, CorrelatedEvents>,
    own: string,
  ): Promise<(stream: string) => boolean> {
    const principal = currentRequestContext()?.principal;
    if (!principal || principal.role === 'manager' || principal.role === 'system') {
      return () => true;
    }
    const streams = new Set<string>();
    for (const chain of chains.values()) {
      for (const event of chain.events) {
        if (event.streamName !== own) streams.add(event.streamName);
      }
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
