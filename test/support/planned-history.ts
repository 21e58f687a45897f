/**
 * Histories written as the domain would write them, each event with its business time (at, the
 * occurredAt) and the time the store recorded it (known): policy versions, users and teams, and
 * deal streams. `log` turns them into the recorded events a projection reads.
 */
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import { happenedAndRecorded, history } from './projection-harness';
import { draws } from './random';
import { iso, ms } from './time';

/** An event with its business time (occurredAt) and the time the store recorded it. */
export interface Planned {
  stream: string;
  type: string;
  data: Record<string, unknown>;
  at: number;
  known: number;
}

/** The log: every event in recordedAt order (a stable sort keeps each stream's own order). */
export function log(planned: Planned[]): RecordedEvent[] {
  const ordered = [...planned].sort((a, b) => a.known - b.known);
  return history(
    ordered.map((p) => happenedAndRecorded(p.stream, p.type, p.data, iso(p.at), iso(p.known))),
  );
}

// ---- Policies, users and teams -----------------------------------------------------------------

/** The stage policy every deal event names. */
export const STAGE_POLICY = { id: 'stages.default', version: 1 };

/**
 * A version of the stage policy: its open stages with their probabilities, in order, or only
 * their keys (for reports that do not weigh).
 */
export function stagesPublished(
  version: number,
  stages: Record<string, number> | string[],
  at: number,
  known = at,
): Planned {
  const openStages = Array.isArray(stages)
    ? stages.map((key) => ({ key }))
    : Object.entries(stages).map(([key, probability]) => ({ key, probability }));
  const body = { id: 'stages.default', version, openStages };
  return {
    stream: 'policy-stages.default',
    type: 'PolicyVersionPublished',
    data: { id: 'stages.default', version, body, publishedAt: iso(at) },
    at,
    known,
  };
}

export type Rate = { currency: string; effectiveFrom: string; unitsPerBase: string };

/** A version of the FX policy: USD per unit of each currency, from the dates given. */
export function fxPublished(version: number, rates: Rate[], at: number, known = at): Planned {
  const body = { id: 'fx.default', version, base: 'USD', rates };
  return {
    stream: 'policy-fx.default',
    type: 'PolicyVersionPublished',
    data: { id: 'fx.default', version, body, publishedAt: iso(at) },
    at,
    known,
  };
}

/** A rep registered in a team, named after their id. */
export const userRegistered = (
  userId: string,
  teamId: string,
  at: number,
  known = at,
): Planned => ({
  stream: `user-${userId}`,
  type: 'UserRegistered',
  data: { userId, name: userId, email: `${userId}@x.test`, role: 'rep', teamId },
  at,
  known,
});

/** A user moved to another team, or (to null) out of any. */
export const userMoved = (
  userId: string,
  from: string,
  to: string | null,
  at: number,
  known = at,
): Planned => ({
  stream: `user-${userId}`,
  type: 'UserMovedToTeam',
  data: { userId, from, to },
  at,
  known,
});

// ---- Recording ---------------------------------------------------------------------------------

/** How a deal's changes are recorded: at once, some late, or the first ones in one import. */
export type Recording = 'live' | 'late' | 'import';
/** Live twice as often as late or imported. */
export const RECORDINGS: readonly Recording[] = ['live', 'live', 'late', 'import'];

export interface RecordingTimes {
  recording: Recording;
  /** For an imported deal, when its changes dated up to then were recorded; else -Infinity. */
  importAt: number;
  /** For a late deal, the chance that a change is recorded late, and by how much. */
  lateChance: number;
  lateLag: () => number;
}

/**
 * When each change of one deal is recorded, from its business time t, the changes in order: never
 * before an earlier one; at the same instant as the change before, mostly with it; up to importAt,
 * at the import; late by `lateLag()` for `lateChance` of a late deal's changes; otherwise one in
 * five up to a minute late, the others at once.
 */
export function recordingTimes(
  next: () => number,
  { recording, importAt, lateChance, lateLag }: RecordingTimes,
): (t: number, sameInstant: boolean) => number {
  const { int } = draws(next);
  let known = -Infinity;
  return (t, sameInstant) => {
    if (sameInstant && next() < 0.7 && known >= t) return known;
    let lag = 0;
    if (t <= importAt) lag = importAt - t;
    else if (recording === 'late' && next() < lateChance) lag = lateLag();
    else if (next() < 0.2) lag = int(1, 60_000);
    known = Math.max(known, t + lag);
    return known;
  };
}

// ---- Deals -------------------------------------------------------------------------------------

/** Epoch ms, or an ISO instant. */
export type Time = number | string;
const time = (t: Time) => (typeof t === 'string' ? ms(t) : t);

/** What a deal is opened with, besides owner, stage and amount. */
export interface DealFacts {
  /** Default a-1. */
  accountId?: string;
  /** Default AE. */
  country?: string;
  /** Default alibaba. */
  channel?: string;
  /** Default valves. */
  productLine?: string;
  closeDate?: string;
  shipMonth?: string;
}

/**
 * One deal's stream, written in order as the domain would: it keeps the state the next event's
 * data needs (stage, owner, amount, status) and refuses times that go back, and a change recorded
 * before it took effect. `known` defaults to `at`: recorded as it happened.
 */
export class DealStream {
  readonly events: Planned[] = [];
  stage = '';
  owner = '';
  amount: number | null = null;
  status: 'open' | 'won' | 'lost' = 'open';
  lastAt = -Infinity;
  lastKnown = -Infinity;

  constructor(
    readonly id: string,
    readonly currency: string,
    readonly facts: DealFacts = {},
  ) {}

  private add(type: string, data: Record<string, unknown>, at: Time, known: Time = at): this {
    const [a, k] = [time(at), time(known)];
    if (a < this.lastAt || k < this.lastKnown || k < a) {
      throw new Error(`${this.id}: ${type} at ${iso(a)} / ${iso(k)} goes back in time`);
    }
    [this.lastAt, this.lastKnown] = [a, k];
    this.events.push({ stream: `deal-${this.id}`, type, data, at: a, known: k });
    return this;
  }

  open(owner: string, stage: string, amount: number | null, at: Time, known?: Time): this {
    [this.owner, this.stage, this.amount] = [owner, stage, amount];
    const { closeDate, shipMonth } = this.facts;
    return this.add(
      'DealOpened',
      {
        dealId: this.id,
        accountId: this.facts.accountId ?? 'a-1',
        title: `Deal ${this.id}`,
        ownerId: owner,
        channel: this.facts.channel ?? 'alibaba',
        country: this.facts.country ?? 'AE',
        productLine: this.facts.productLine ?? 'valves',
        repeat: false,
        currency: this.currency,
        ...(amount === null ? {} : { amount: this.money(amount) }),
        ...(closeDate ? { expectedCloseDate: closeDate } : {}),
        ...(shipMonth ? { expectedShipMonth: shipMonth } : {}),
        stage,
        policy: STAGE_POLICY,
      },
      at,
      known,
    );
  }

  move(to: string, at: Time, known?: Time): this {
    const from = this.stage;
    this.stage = to;
    return this.add(
      'DealStageChanged',
      { from, to, direction: 'forward', reentry: false, policy: STAGE_POLICY },
      at,
      known,
    );
  }

  reprice(minor: number, at: Time, known?: Time): this {
    const previous = this.amount;
    this.amount = minor;
    return this.add(
      'DealAmountChanged',
      {
        amount: this.money(minor),
        ...(previous === null ? {} : { previous: this.money(previous) }),
        cause: 'manual',
      },
      at,
      known,
    );
  }

  transfer(to: string, at: Time, known?: Time): this {
    const from = this.owner;
    this.owner = to;
    return this.add(
      'DealOwnerTransferred',
      { from, to, reason: 'handover', cause: { kind: 'person', id: 'u-mgr' } },
      at,
      known,
    );
  }

  closeBy(date: string, at: Time, known?: Time): this {
    return this.add('DealExpectedCloseDateChanged', { date }, at, known);
  }

  shipIn(month: string, at: Time, known?: Time): this {
    return this.add('DealExpectedShipMonthChanged', { month }, at, known);
  }

  /** Won for the deal's amount (0 when it has none). */
  win(at: Time, known?: Time): this {
    return this.winFor(this.amount ?? 0, at, known);
  }

  /** Won for `minor`: the order's amount, not always the deal's. */
  winFor(minor: number, at: Time, known?: Time): this {
    this.status = 'won';
    return this.add(
      'DealWon',
      {
        orderReference: `PO-${this.id}`,
        stage: this.stage,
        amount: this.money(minor),
        policy: STAGE_POLICY,
      },
      at,
      known,
    );
  }

  lose(at: Time, known?: Time): this {
    this.status = 'lost';
    return this.add(
      'DealLost',
      {
        reasonCode: 'price.too_high',
        reason: 'price',
        subReason: 'too_high',
        stage: this.stage,
        policy: STAGE_POLICY,
      },
      at,
      known,
    );
  }

  /** Back into the stage it was closed from: the same stage, entered again. */
  reopen(at: Time, known?: Time): this {
    const previousOutcome = this.status;
    this.status = 'open';
    return this.add('DealReopened', { stage: this.stage, previousOutcome, reason: 'x' }, at, known);
  }

  private money(minor: number) {
    return { minor, currency: this.currency };
  }
}
