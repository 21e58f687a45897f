import { Global, Module } from '@nestjs/common';
import { AccountKeys } from './account-keys';
import { ConversionDedup } from './conversion-dedup';
import { RegistrationDedup } from './registration-dedup';

/** Exact-key dedup; global, as the account and lead slices that create accounts all use it. */
@Global()
@Module({
  providers: [AccountKeys, ConversionDedup, RegistrationDedup],
  exports: [AccountKeys, ConversionDedup, RegistrationDedup],
})
export class DedupModule {}
