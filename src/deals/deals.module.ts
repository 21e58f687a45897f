import { Module } from '@nestjs/common';
import { DealAccounts } from './deal-accounts';
import { DealClosingController } from './deal-closing.controller';
import { DealCommands } from './deal-commands';
import { DealQuotesController } from './deal-quotes.controller';
import { DealTermsController } from './deal-terms.controller';
import { DealsController } from './deals.controller';

@Module({
  controllers: [DealsController, DealTermsController, DealQuotesController, DealClosingController],
  providers: [DealCommands, DealAccounts],
})
export class DealsModule {}
