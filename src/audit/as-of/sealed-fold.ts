import { RecordedEvent } from '../../event-store/event-store.port';

type Data = Record<string, unknown>;
export type OpenData = (data: Data) => Promise<Data>;
export type Evolve<State> = (state: State, event: RecordedEvent) => State;

/**
 * Where PersonalDataCipher keeps an event's sealed personal fields: one envelope per data subject,
 * naming the dot paths it removed from the data. Part of the stored event format, so stable.
 */
const ENVELOPES = '$personal';
interface EnvelopePaths {
  paths: string[];
}

/**
 * Folds a stream read straight from the store, opening (decrypting) the personal fields of only
 * the events whose personal fields the fold reads or keeps. Each sealed event is first folded as a
 * guarded view: its personal fields are getters that note the read and answer undefined. Events
 * read that way, or whose guarded objects survive into the state, are opened, and the fold runs
 * again, until a fold reads no guarded field: the state is then the one a fold of the fully
 * opened stream gives, because nothing left sealed was looked at. A deal keeps no personal data
 * in its state, so its activity notes are never decrypted; a lead opens only its inquiry.
 */
export class SealedFold {
  private readonly opened = new Map<number, RecordedEvent>();
  private readonly guarded = new Map<number, RecordedEvent>();
  /** Objects holding guarded getters, and the event they belong to. */
  private readonly holders = new WeakMap<object, number>();
  private reads = new Set<number>();

  constructor(
    private readonly events: RecordedEvent[],
    private readonly open: OpenData,
  ) {}

  /** How many events had to be decrypted so far. */
  get openedCount(): number {
    return this.opened.size;
  }

  /** The fold of the events at these indexes (all by default), in their order. */
  async fold<State>(
    evolve: Evolve<State>,
    initial: State,
    indexes: readonly number[] = this.events.map((_, index) => index),
  ): Promise<State> {
    const [state] = await this.folds(evolve, initial, [indexes.length], indexes);
    return state;
  }

  /**
   * In one pass over the stream, the folds of its first `counts[i]` events, i.e. the states after
   * each of those prefixes (ascending counts).
   */
  async prefixFolds<State>(
    evolve: Evolve<State>,
    initial: State,
    counts: number[],
  ): Promise<State[]> {
    const indexes = this.events.map((_, index) => index).slice(0, Math.max(0, ...counts));
    return this.folds(evolve, initial, counts, indexes);
  }

  private async folds<State>(
    evolve: Evolve<State>,
    initial: State,
    counts: number[],
    indexes: readonly number[],
  ): Promise<State[]> {
    for (;;) {
      this.reads = new Set();
      const states: State[] = [];
      let state = initial;
      let folded = 0;
      for (const count of counts) {
        for (; folded < count; folded++) state = evolve(state, this.eventAt(indexes[folded]));
        states.push(state);
      }
      for (const kept of states) this.noteSurvivors(kept);
      const missing = [...this.reads].filter((index) => !this.opened.has(index));
      if (missing.length === 0) return states;
      await Promise.all(
        missing.map(async (index) => {
          const event = this.events[index];
          this.opened.set(index, { ...event, data: await this.open(event.data) });
        }),
      );
    }
  }

  private eventAt(index: number): RecordedEvent {
    const opened = this.opened.get(index);
    if (opened) return opened;
    const event = this.events[index];
    const envelopes = event.data[ENVELOPES] as EnvelopePaths[] | undefined;
    if (!envelopes) return event;
    let view = this.guarded.get(index);
    if (!view) {
      view = { ...event, data: this.guard(index, event.data, envelopes) };
      this.guarded.set(index, view);
    }
    return view;
  }

  /** A copy of the data without envelopes, with a guarded getter at every personal path. */
  private guard(index: number, data: Data, envelopes: EnvelopePaths[]): Data {
    const { [ENVELOPES]: _sealed, ...rest } = data;
    const copied = new Set<object>([rest]);
    for (const path of envelopes.flatMap((envelope) => envelope.paths)) {
      const keys = path.split('.');
      let node: Data = rest;
      for (const key of keys.slice(0, -1)) {
        const child = node[key];
        // Copy each container on the way down once, so the stored event is never changed.
        let next: Data;
        if (child !== null && typeof child === 'object') {
          next = copied.has(child) ? (child as Data) : copyOf(child as Data);
        } else next = {};
        copied.add(next);
        node[key] = next;
        node = next;
      }
      const leaf = keys[keys.length - 1];
      Object.defineProperty(node, leaf, {
        enumerable: true,
        configurable: true,
        get: () => {
          this.reads.add(index);
          return undefined;
        },
      });
      this.holders.set(node, index);
    }
    return rest;
  }

  /** Guarded objects the state kept would show undefined later: their events must be opened. */
  private noteSurvivors(state: unknown): void {
    const seen = new Set<object>();
    const visit = (node: unknown): void => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      const holder = this.holders.get(node);
      if (holder !== undefined) {
        this.reads.add(holder);
        return;
      }
      for (const value of Array.isArray(node) ? node : Object.values(node)) visit(value);
    };
    visit(state);
  }
}

const copyOf = (node: Data): Data =>
  Array.isArray(node) ? ([...node] as unknown as Data) : { ...node };
