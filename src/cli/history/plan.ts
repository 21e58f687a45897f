import { AggregateName } from '../../commands/aggregates';
import { CommandEnvelope } from '../../commands/command-envelope';
import { EventActor, EventCause } from '../../event-store/event-store.port';
import { ConvertLeadCommand } from '../../leads/convert-lead.handler';
import { iso } from './business-hours';
import { Random } from './random';

export type ConvertDetails = ConvertLeadCommand['details'];

export type StepTarget =
  | {
      kind: 'domain';
      aggregate: AggregateName;
      id: string;
      command: { type: string; data: Record<string, unknown> };
    }
  | { kind: 'convert'; leadId: string; details: ConvertDetails };

/** One command of the history, with the business time and the people it belongs to. */
export interface PlannedStep {
  at: number;
  /** Order of planning: breaks ties between equal times. */
  seq: number;
  commandId: string;
  correlationId: string;
  actor: EventActor;
  cause?: EventCause;
  reason?: string;
  /** Events of the step decided by someone else: a rule's assignment in the inquiry's append. */
  decidedBy?: CommandEnvelope['decidedBy'];
  target: StepTarget;
}

export interface StepMeta {
  actor: EventActor;
  cause?: EventCause;
  reason?: string;
  decidedBy?: CommandEnvelope['decidedBy'];
}

/** All steps of a run. Ids and command ids come from their own generator, so they repeat per seed. */
export class Plan {
  readonly steps: PlannedStep[] = [];
  private commands = 0;

  constructor(
    readonly runKey: string,
    private readonly ids: Random,
  ) {}

  newId(at: number): string {
    return this.ids.uuidv7(at);
  }

  add(at: number, correlationId: string, target: StepTarget, meta: StepMeta): string {
    const commandId = `gen:${this.runKey}:${++this.commands}`;
    this.steps.push({ at, seq: this.steps.length, commandId, correlationId, ...meta, target });
    return commandId;
  }

  /** Business-time order; planning order within the same millisecond. */
  ordered(): PlannedStep[] {
    return [...this.steps].sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
}

/** The story ran past the run's clock: what is not done yet stays undone. */
export class OutOfTime extends Error {
  constructor() {
    super('out of time');
    this.name = 'OutOfTime';
  }
}

interface Scheduled {
  at: number;
  order: number;
  key?: string;
  run: () => void;
}

/**
 * One causal thread (a buyer's inquiries, account and deals), written in business-time order. Its
 * cursor only moves forward, so every stream it touches gets increasing occurredAt. Work that
 * happens "meanwhile" (task completions, a rep leaving) is scheduled and runs when the story's
 * time passes it.
 */
export class Story {
  private cursor: number;
  private readonly scheduled: Scheduled[] = [];
  private order = 0;

  constructor(
    private readonly plan: Plan,
    readonly correlationId: string,
    start: number,
    readonly until: number,
  ) {
    this.cursor = start;
  }

  get now(): number {
    return this.cursor;
  }

  /** Moves to `at` (at least a second on), running scheduled work on the way; past the clock, stops the story. */
  advance(at: number): number {
    const target = Math.max(at, this.cursor + 1000);
    this.runScheduled(Math.min(target, this.until));
    if (target > this.until) throw new OutOfTime();
    this.cursor = Math.max(this.cursor, target);
    return this.cursor;
  }

  /** Records a command at the story's current time. */
  emit(target: StepTarget, meta: StepMeta): string {
    const commandId = this.plan.add(this.cursor, this.correlationId, target, meta);
    this.cursor += 1000;
    return commandId;
  }

  domain(
    aggregate: AggregateName,
    id: string,
    type: string,
    data: Record<string, unknown>,
    meta: StepMeta,
  ): string {
    return this.emit({ kind: 'domain', aggregate, id, command: { type, data } }, meta);
  }

  /** `key` lets the work be called off again (a task that will not be completed after all). */
  schedule(at: number, run: () => void, key?: string): void {
    this.scheduled.push({ at, order: this.order++, key, run });
  }

  unschedule(key: string): void {
    for (let i = this.scheduled.length - 1; i >= 0; i--)
      if (this.scheduled[i].key === key) this.scheduled.splice(i, 1);
  }

  /** Runs what is still scheduled up to the run's clock. */
  finish(): void {
    this.runScheduled(this.until);
  }

  newId(): string {
    return this.plan.newId(this.cursor);
  }

  isoNow(): string {
    return iso(this.cursor);
  }

  private runScheduled(upTo: number): void {
    for (;;) {
      let next: Scheduled | undefined;
      for (const item of this.scheduled)
        if (
          item.at <= upTo &&
          (!next || item.at < next.at || (item.at === next.at && item.order < next.order))
        )
          next = item;
      if (!next) return;
      this.scheduled.splice(this.scheduled.indexOf(next), 1);
      this.cursor = Math.max(this.cursor, next.at);
      next.run();
    }
  }
}
