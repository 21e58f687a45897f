import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** config/policies beside the sources, whether running from src/ (ts) or dist/src/ (compiled). */
export function defaultSeedDirectory(): string {
  const candidates = [
    join(__dirname, '../../config/policies'),
    join(__dirname, '../../../config/policies'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new Error(`No config/policies folder found (looked in ${candidates.join(', ')})`);
  return found;
}
