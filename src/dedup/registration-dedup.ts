import { Injectable } from '@nestjs/common';
import { ExactKeySource } from '../../domain/dedup/exact-keys';
import { CommandPipeline } from '../commands/command-pipeline';
import { AccountKeys, KeyOrigin } from './account-keys';
import { DuplicateAccountError } from './dedup-errors';

/** A new account claims its keys before its first event; a key another account holds refuses it. */
@Injectable()
export class RegistrationDedup {
  constructor(
    private readonly keys: AccountKeys,
    private readonly pipeline: CommandPipeline,
  ) {}

  async register<Result>(
    accountId: string,
    source: ExactKeySource,
    origin: KeyOrigin,
    write: () => Promise<Result>,
  ): Promise<Result> {
    const claim = await this.keys.claim(accountId, this.keys.keysOf(source), origin);
    if (claim.conflict) {
      throw new DuplicateAccountError(claim.conflict.key.field, claim.conflict.accountId);
    }
    try {
      return await write();
    } catch (error) {
      const written = (await this.pipeline.history(`account-${accountId}`)).length > 0;
      if (!written) await this.keys.release(accountId, claim.reserved, origin);
      throw error;
    }
  }
}
