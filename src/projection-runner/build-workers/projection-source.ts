import { join } from 'node:path';
import type { Projection } from '../../../projections/projection';
import type { ProjectionSource } from './build-worker-protocol';

/** The app's projections, as a worker thread loads them. */
export const ALL_PROJECTIONS_SOURCE: ProjectionSource = {
  module: join(__dirname, '../../../projections/all-projections'),
  exportName: 'ALL_PROJECTIONS',
};

export function loadProjections(source: ProjectionSource): Projection[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = (require(source.module) as Record<string, unknown>)[source.exportName];
  if (!Array.isArray(exported)) {
    throw new Error(`${source.module} exports no projection list named ${source.exportName}`);
  }
  return exported as Projection[];
}
