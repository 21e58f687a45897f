/**
 * A refused command. `code` is stable and machine-readable (clients translate it); `field` names
 * the input that failed, when one did.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
