import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../../domain/shared/domain-error';
import { AGGREGATES, AggregateName } from '../../commands/aggregates';
import { RecordNotFoundError } from '../../commands/command-errors';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { currentRequestContext } from '../../http/request-context';
import { RecordAccess } from '../../identity/record-access';
import { PersonalDataCipher } from '../../personal-data/personal-data-cipher';
import { RecordView } from '../../records/record-reader';
import { Evolve, SealedFold } from './sealed-fold';
import { inTimePoint, TimePoint } from './time-point';

export interface AsOfView<State = unknown> extends RecordView<State> {
  /** The business time asked for, ISO 8601. */
  asOf: string;
  /** The knowledge cut-off asked for, or null for "everything recorded so far". */
  knownAt: string | null;
}

/**
 * A record as it stood at a business time, as known at an instant (DESIGN.md, "As of T"): the fold
 * of its events with occurredAt ≤ asOf, and recordedAt ≤ knownAt, in stream order. Scope is
 * judged on the record as it stands now, never on who held it then: a rep sees the past of the
 * records they hold today, and nothing of those they handed on.
 */
@Injectable()
export class AsOfReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly access: RecordAccess,
  ) {}

  async read<State>(
    aggregate: AggregateName,
    id: string,
    point: TimePoint,
  ): Promise<AsOfView<State>> {
    const events = await this.store.readStream(`${aggregate}-${id}`);
    if (events.length === 0) throw new RecordNotFoundError(aggregate, id);
    const { decider } = AGGREGATES[aggregate].kind;
    const evolve = decider.evolve as unknown as Evolve<unknown>;
    const stream = new SealedFold(events, (data) => this.cipher.open(data));

    const principal = currentRequestContext()?.principal;
    const included = indexesAt(events, point);
    // Both times only grow along a stream, so the events at a point are a prefix of it: one pass
    // folds the state now (for the scope check) and the state then.
    const prefix = included.length === 0 || included[included.length - 1] === included.length - 1;
    const [then, now] = prefix
      ? await stream.prefixFolds(evolve, decider.initialState, [included.length, events.length])
      : [
          await stream.fold(evolve, decider.initialState, included),
          await stream.fold(evolve, decider.initialState),
        ];
    if (principal) {
      this.access.assertMaySee(principal, aggregate, now, events[0].metadata.actor?.userId);
    }
    if (included.length === 0) throw notYet(aggregate, id, point, events[0]);
    const state = then;
    return {
      id,
      revision: included[included.length - 1],
      state: state as State,
      asOf: point.asOf.toISOString(),
      knownAt: point.knownAt?.toISOString() ?? null,
    };
  }
}

/** The events the state at this point folds, by revision. */
function indexesAt(events: RecordedEvent[], point: TimePoint): number[] {
  const included: number[] = [];
  events.forEach((event, index) => {
    if (inTimePoint(point, event)) included.push(index);
  });
  return included;
}

function notYet(
  aggregate: AggregateName,
  id: string,
  point: TimePoint,
  first: RecordedEvent,
): DomainError {
  const known = point.knownAt ? `, as known at ${point.knownAt.toISOString()}` : '';
  return new DomainError(
    'as_of.record_not_found',
    `This ${aggregate} did not exist yet as of ${point.asOf.toISOString()}${known}`,
    point.knownAt && Date.parse(first.metadata.occurredAt) <= point.asOf.getTime()
      ? 'knownAt'
      : 'asOf',
    {
      aggregate,
      id,
      firstOccurredAt: first.metadata.occurredAt,
      firstRecordedAt: first.recordedAt,
    },
  );
}
