import { RecordedEvent } from '../event-store.port';

/** Turns an event of `type` at `fromVersion` into the shape of `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>, event: RecordedEvent): Record<string, unknown>;
  /** When the step also renames the event. */
  toType?: string;
}

export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();
  private readonly latest = new Map<string, number>();

  register(...upcasters: Upcaster[]): this {
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.steps.has(key)) throw new Error(`An upcaster for ${key} is already registered`);
      this.steps.set(key, upcaster);
      const target = upcaster.toType ?? upcaster.type;
      this.latest.set(target, Math.max(this.latest.get(target) ?? 1, upcaster.fromVersion + 1));
    }
    return this;
  }

  /** The schema version new events of this type are written with. */
  currentVersion(type: string): number {
    return this.latest.get(type) ?? 1;
  }

  /** Applies every registered step from the event's version on; an event already current is returned as is. */
  upcast(event: RecordedEvent): RecordedEvent {
    let current = event;
    for (;;) {
      const version = current.metadata.schemaVersion ?? 1;
      const step = this.steps.get(`${current.type}@${version}`);
      if (!step) return current;
      current = {
        ...current,
        type: step.toType ?? current.type,
        data: step.upcast(current.data, current),
        metadata: { ...current.metadata, schemaVersion: version + 1 },
      };
    }
  }
}
