import type { Projection } from './projection';

/** Every read model the runner keeps; a projection not listed here is never built. */
export const ALL_PROJECTIONS: Projection[] = [];
