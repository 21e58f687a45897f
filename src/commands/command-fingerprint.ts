import { createHash } from 'node:crypto';

/**
 * The fingerprint is stored with the events: a fast hash over a password would let anyone who
 * reads the log try passwords against it, so secrets are left out.
 */
const SECRET_FIELDS = new Set(['password']);

/** JSON with keys sorted at every level, so equal bodies hash equally whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !SECRET_FIELDS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Identifies the request behind a command (method, path, body), recorded with the events it wrote:
 * a retry under the same Idempotency-Key must be the same request, or it is refused rather than
 * answered with another request's result. Taken from the request, not the command, because a
 * command's data may be derived from state that the first attempt itself changed.
 */
export const requestFingerprint = (method: string, path: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${path}\u0000`)
    .update(canonical(body ?? null))
    .digest('base64url');
