import type { ProjectionSettings } from '../settings/app-settings';

/** The lane settings of the saga runner, from the projection settings the app was started with. */
export const sagaRunnerSettings = (settings: ProjectionSettings) => ({
  // Sagas act live: small windows, so effects follow their causes closely.
  batchSize: Math.min(settings.batchSize, 500),
  flushEvery: Math.min(settings.flushEvery, 500),
  cacheLimit: settings.cacheLimit,
  leaseTtlMs: settings.leaseTtlMs,
});
