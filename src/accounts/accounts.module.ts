import { Module } from '@nestjs/common';
import { AccountContactsController } from './account-contacts.controller';
import { AccountMergesController } from './account-merges.controller';
import { AccountsController } from './accounts.controller';
import { MergeAccountsHandler } from './merge-accounts.handler';
import { UnmergeAccountHandler } from './unmerge-account.handler';

@Module({
  controllers: [AccountMergesController, AccountsController, AccountContactsController],
  providers: [MergeAccountsHandler, UnmergeAccountHandler],
})
export class AccountsModule {}
