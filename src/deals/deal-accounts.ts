import { Injectable } from '@nestjs/common';
import { Account, AccountState } from '../../domain/account/account.state';
import { DomainError } from '../../domain/shared/domain-error';
import { RecordNotFoundError } from '../commands/command-errors';
import { RecordReader } from '../records/record-reader';

/** The account side of a deal: which account it may be opened on, which contacts it may name. */
@Injectable()
export class DealAccounts {
  constructor(private readonly records: RecordReader) {}

  /** A deal is opened on a live account, never on one merged into another. */
  async forNewDeal(accountId: string): Promise<Account> {
    const account = await this.find(accountId);
    if (account.mergedInto) {
      const { survivorId } = account.mergedInto;
      throw new DomainError(
        'deal.account_merged',
        `Account ${accountId} was merged into ${survivorId}; open the deal on that account`,
        'accountId',
        { survivorId },
      );
    }
    return account;
  }

  /** The buyer contact must belong to the deal's account, or to the account it was merged into. */
  async assertContactOf(accountId: string, contactId: string): Promise<void> {
    // The deal's owner may name a contact even after the account moved to another owner.
    const account = await this.find(accountId, false);
    if (account.contacts[contactId]) return;
    if (account.mergedInto) {
      const survivor = await this.find(account.mergedInto.survivorId, false);
      if (survivor.contacts[contactId]) return;
    }
    throw new DomainError(
      'deal.contact_unknown',
      `Contact ${contactId} is not a contact of this deal's account`,
      'contactId',
      { accountId },
    );
  }

  private async find(accountId: string, scoped = true): Promise<Account> {
    try {
      const { state } = scoped
        ? await this.records.read<AccountState>('account', accountId)
        : await this.records.lookUp<AccountState>('account', accountId);
      if (state) return state;
    } catch (error) {
      if (!(error instanceof RecordNotFoundError)) throw error;
    }
    throw new DomainError('deal.account_unknown', `There is no account ${accountId}`, 'accountId', {
      accountId,
    });
  }
}
