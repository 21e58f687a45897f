import { createHash } from 'node:crypto';
import type { Projection } from '../../projections/projection';
import type { ReadStore } from '../read-store/read-store.port';

/**
 * A digest of a read model's documents in id order, by logical collection name, so two builds
 * (any generation, any instance) from the same events compare equal exactly when their documents do.
 */
export async function readModelChecksum(
  store: ReadStore,
  projection: Projection,
  physical: (logical: string) => string,
): Promise<string> {
  const hash = createHash('sha256');
  for (const spec of [...projection.collections].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`\u0000${spec.name}\u0000`);
    for (const document of await store.find(physical(spec.name), { sort: [['id', 'asc']] })) {
      hash.update(canonicalJson(document));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
