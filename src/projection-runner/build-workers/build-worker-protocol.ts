import type { EventStoreSettings, ReadStoreSettings } from '../../settings/app-settings';
import type { LaneFailure, LaneState } from '../projection-lane';

/** What a build worker opens: the same stores as the app, on connections of its own. */
export interface BuildWorkerStores {
  eventStore: EventStoreSettings;
  readStore: ReadStoreSettings;
  /** Subject keys, when the events are not in the embedded store. */
  keysFile: string;
  /** Base64. */
  masterKey: string;
}

/** A module and the name of its export that lists the projections (ALL_PROJECTIONS by default). */
export interface ProjectionSource {
  module: string;
  exportName: string;
}

/** The lane settings a build runs with: the same as on the main thread. */
export interface BuildLaneSettings {
  holder: string;
  batchSize: number;
  flushEvery: number;
  cacheLimit: number;
  leaseTtlMs: number;
}

export interface BuildOrder {
  name: string;
  version: number;
  generation: number;
  lane: BuildLaneSettings;
}

export interface BuildWorkerData {
  stores: BuildWorkerStores;
  projections: ProjectionSource;
  builds: BuildOrder[];
}

export interface BuildProgress {
  state: LaneState;
  checkpoint?: string;
  seenUpTo?: string;
}

export type BuildOutcome =
  { kind: 'caught-up' } | { kind: 'stopped' } | { kind: 'failed'; failure: LaneFailure };

export type FromBuildWorker =
  | { kind: 'ready' }
  | { kind: 'progress'; name: string; generation: number; progress: BuildProgress }
  | { kind: 'done'; name: string; generation: number; outcome: BuildOutcome }
  | { kind: 'log'; entry: Record<string, unknown> };

export type ToBuildWorker = { kind: 'stop'; name: string; generation: number };
