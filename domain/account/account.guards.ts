import { isCause } from '../shared/cause';
import { isNonBlank, refuse } from '../shared/validation';
import { Account, AccountState } from './account.state';

export const existingAccount = (state: AccountState): Account =>
  state ?? refuse('account.not_found', 'This account does not exist.');

/** A merged account is read-only until it is unmerged: work happens on the survivor. */
export const workableAccount = (state: AccountState): Account => {
  const account = existingAccount(state);
  if (account.mergedInto) {
    refuse(
      'account.merged',
      `This account was merged into ${account.mergedInto.survivorId}; work on that account instead.`,
      undefined,
      { survivorId: account.mergedInto.survivorId },
    );
  }
  return account;
};

export const checkReason = (reason: unknown): void => {
  if (!isNonBlank(reason))
    refuse('account.reason_required', 'Give a reason for this change.', 'reason');
};

export const checkCause = (cause: unknown): void => {
  if (!isCause(cause)) {
    refuse(
      'account.cause_invalid',
      'Say who or what caused this: a person, a rule with its version, a saga, the system or an import.',
      'cause',
    );
  }
};
