/** The events every store under test is given: one realistic CRM event shape, built outside the timers. */

export const EVENTS_PER_STREAM = 10;

export interface BenchEvent {
  streamName: string;
  /** 0-based revision this event takes in its stream; the append expects `revision - 1`. */
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    occurredAt: string;
    $correlationId: string;
    $causationId: string;
    commandId: string;
    actor: { userId: string; role: string };
    cause: { kind: 'person'; id: string };
    reason: string;
  };
}

const BASE_MS = Date.parse('2025-01-01T00:00:00.000Z');
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won'];

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** A well-formed, deterministic UUID-like id, so building events costs the same for every store. */
const fakeUuid = (tag: number, n: number): string =>
  `0193${hex(tag, 4)}-${hex(n >>> 16, 4)}-7${hex(n & 0xfff, 3)}-8000-${hex(n, 12)}`;

/** Event `revision` of stream `deal-<prefix><streamIndex>`; `sequence` orders business time. */
export function benchEvent(
  prefix: string,
  streamIndex: number,
  revision: number,
  sequence: number,
): BenchEvent {
  const dealId = fakeUuid(1, streamIndex);
  const commandId = fakeUuid(2, sequence);
  const userId = fakeUuid(3, streamIndex % 40);
  return {
    streamName: `deal-${prefix}${dealId}`,
    revision,
    type: revision === 0 ? 'DealOpened' : 'DealStageChanged',
    data: {
      dealId,
      stage: STAGES[(revision + 1) % STAGES.length],
      previousStage: STAGES[revision % STAGES.length],
      amount: { value: 125_000 + (sequence % 1000) * 25, currency: 'EUR' },
      probability: 0.4,
      incoterm: 'CIF',
      note: 'Buyer asked for CIF Rotterdam pricing; revised quote sent with 60-day payment terms.',
    },
    metadata: {
      occurredAt: new Date(BASE_MS + sequence).toISOString(),
      $correlationId: commandId,
      $causationId: commandId,
      commandId,
      actor: { userId, role: 'sales' },
      cause: { kind: 'person', id: userId },
      reason: 'stage review',
    },
  };
}

/** The `index`-th single-event append of a run: streams of EVENTS_PER_STREAM events, filled in order. */
export const appendEvent = (prefix: string, index: number): BenchEvent =>
  benchEvent(prefix, Math.floor(index / EVENTS_PER_STREAM), index % EVENTS_PER_STREAM, index);

/** Events for the read-all fill, grouped into streams of `perStream` events (one append each). */
export function* fillStreams(total: number, perStream: number): Generator<BenchEvent[]> {
  for (let first = 0, stream = 0; first < total; first += perStream, stream++) {
    const events: BenchEvent[] = [];
    for (let revision = 0; revision < perStream && first + revision < total; revision++) {
      events.push(benchEvent('fill-', stream, revision, first + revision));
    }
    yield events;
  }
}
