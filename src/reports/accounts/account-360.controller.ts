import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../domain/shared/domain-error';
import { ACCOUNT_360 } from '../../../projections/account-360.projection';
import { InputProblem } from '../../http/problem-details';
import { RecordIdPipe } from '../../http/record-id.pipe';
import { currentRequestContext } from '../../http/request-context';
import { Allow, SALES } from '../../identity/access.decorators';
import { RecordAccess } from '../../identity/record-access';
import { ReadModels } from '../../projection-runner/read-models';
import { Account360QueryDto } from './account-360-query.dto';
import { Account360, account360, parseTimelineCursor, TimelineCursor } from './account-360.query';

/**
 * `/api/accounts/:id/360`, from the account-360 read model. Register this controller before
 * AccountsModule's `/:id` routes, so that Nest matches the longer path first.
 */
@ApiTags('accounts')
@Allow(...SALES)
@Controller('api/accounts')
export class Account360Controller {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: RecordAccess,
  ) {}

  @Get(':id/360')
  @ApiOperation({
    summary: 'The account with its contacts (and roles), deals and activity timeline',
    description:
      'Includes the deals and timeline of accounts merged into it. The timeline is paged newest ' +
      'first: pass `timeline.next` as `timelineBefore` for the next page.',
  })
  async view(
    @Param('id', RecordIdPipe) id: string,
    @Query() query: Account360QueryDto,
  ): Promise<Account360> {
    let before: TimelineCursor | undefined;
    if (query.timelineBefore !== undefined) {
      before = parseTimelineCursor(query.timelineBefore);
      if (!before) {
        throw new InputProblem([
          {
            field: 'timelineBefore',
            code: 'validation.timeline_cursor',
            reason: 'timelineBefore must be an ISO time, or timeline.next of a previous page',
          },
        ]);
      }
    }
    const name = (logical: string) => this.readModels.collection(ACCOUNT_360, logical);
    const view = await account360(this.readModels.store, name, id, {
      timelineLimit: query.timelineLimit,
      timelineBefore: before,
    });
    if (!view) throw new DomainError('account.not_found', `No account with id ${id}`, 'id', { id });
    const principal = currentRequestContext()?.principal;
    if (principal) {
      this.access.assertMaySee(
        principal,
        'account',
        { ownerId: view.account.ownerId },
        view.account.createdBy ?? undefined,
      );
    }
    return view;
  }
}
