import { DomainError } from '../../domain/shared/domain-error';

/** A write refused because an exact dedup key belongs to someone else: a conflict, not bad input. */
export class DedupConflict extends DomainError {}

export class DuplicateAccountError extends DedupConflict {
  constructor(field: 'website' | 'email', accountId: string) {
    super(
      'account.duplicate',
      field === 'website'
        ? 'A company with this website is already an account; work on that account instead'
        : 'A contact with this email is already on an account; work on that account instead',
      field,
      { accountId },
    );
    this.name = 'DuplicateAccountError';
  }
}

/**
 * The key is claimed by an account that is still being written. Retrying shortly after gives the
 * real answer: the account, or the key freed because its writer gave up.
 */
export class KeyPendingError extends DedupConflict {
  constructor(field: 'website' | 'email') {
    super(
      'dedup.key_pending',
      'Another request is creating an account for this buyer right now; retry in a moment',
      field,
    );
    this.name = 'KeyPendingError';
  }
}
