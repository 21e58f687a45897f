import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Account } from '../../domain/account/account.state';
import { CommandOptionsDto } from '../http/command-options.dto';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { RecordReader, RecordView } from '../records/record-reader';
import { changedFields, writeOptions } from './account-writes';
import {
  ChangeGradeDto,
  ChangeLifecycleDto,
  RegisterAccountDto,
  TransferOwnershipDto,
  UpdateAccountProfileDto,
} from './dto/account-commands.dto';
import { Allow, SALES } from '../identity/access.decorators';
import { DedupConflictFilter } from '../dedup/dedup-conflict.filter';
import { RegistrationDedup } from '../dedup/registration-dedup';
import { AsOfQueryDto } from '../audit/as-of/as-of-query.dto';
import { AsOfReader, AsOfView } from '../audit/as-of/as-of-reader';
import { timePointOf } from '../audit/as-of/time-point';
import { DescribedHistoryEntry, RecordHistory } from '../audit/history/record-history';

@ApiTags('accounts')
@Allow(...SALES)
@Controller('api/accounts')
export class AccountsController {
  constructor(
    private readonly sender: CommandSender,
    private readonly records: RecordReader,
    private readonly dedup: RegistrationDedup,
    private readonly asOf: AsOfReader,
    private readonly histories: RecordHistory,
  ) {}

  @Post()
  @UseFilters(DedupConflictFilter)
  @ApiOperation({
    summary: 'Register a customer company; retry-safe with Idempotency-Key',
    description: 'A website already on an account answers 409 account.duplicate with its id.',
  })
  register(@Body() body: RegisterAccountDto, @Write() headers: WriteHeaders): Promise<WriteResult> {
    const commandId = this.sender.commandId(headers);
    const accountId = this.sender.newId(headers, commandId, 'account');
    const { occurredAt, expectedRevision, ownerId, ...profile } = body;
    const options = { occurredAt, expectedRevision };
    const origin = this.sender.envelope(commandId, options, headers);
    return this.dedup.register(accountId, { website: profile.website }, origin, () =>
      this.sender.send(
        'account',
        accountId,
        {
          type: 'RegisterAccount',
          data: {
            ...JSON.parse(JSON.stringify(profile)),
            accountId,
            ownerId: ownerId ?? this.sender.personCause().id,
          },
        },
        options,
        headers,
        commandId,
      ),
    );
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'The account as it stands, or as of a past date (asOf) as known at an instant (knownAt); ETag is the revision shown',
  })
  async account(
    @Param('id', RecordIdPipe) id: string,
    @Query() at: AsOfQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView<Account> | AsOfView<Account>> {
    const point = timePointOf(at);
    const view = point
      ? await this.asOf.read<Account>('account', id, point)
      : await this.records.read<Account>('account', id);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get(':id/history')
  @ApiOperation({
    summary:
      'Every change to the account in business language: who or what, when, why, and the chain it belongs to',
  })
  history(@Param('id', RecordIdPipe) id: string): Promise<DescribedHistoryEntry[]> {
    return this.histories.of('account', id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change profile fields; send only what changes, null clears' })
  updateProfile(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: UpdateAccountProfileDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.send(
      id,
      { type: 'UpdateAccountProfile', data: { accountId: id, changes: changedFields(body) } },
      body,
      headers,
    );
  }

  @Post(':id/grade')
  @HttpCode(200)
  @ApiOperation({ summary: 'Regrade the account (A/B/C), with the reason' })
  changeGrade(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ChangeGradeDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { grade, reason } = body;
    return this.send(
      id,
      { type: 'ChangeGrade', data: { accountId: id, grade, reason } },
      body,
      headers,
    );
  }

  @Post(':id/lifecycle')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the customer relationship on (active, won, repeat, dormant…)' })
  changeLifecycle(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ChangeLifecycleDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { to, reason } = body;
    const cause = this.sender.personCause();
    return this.send(
      id,
      { type: 'ChangeLifecycle', data: { accountId: id, to, reason, cause } },
      body,
      headers,
    );
  }

  @Post(':id/owner')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the account over to another owner' })
  async transferOwnership(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: TransferOwnershipDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const from = body.from ?? (await this.records.lookUp<Account>('account', id)).state.ownerId;
    const { to, reason } = body;
    const cause = this.sender.personCause();
    return this.send(
      id,
      { type: 'TransferAccountOwnership', data: { accountId: id, from, to, reason, cause } },
      body,
      headers,
    );
  }

  private send(
    id: string,
    command: { type: string; data: Record<string, unknown> },
    body: CommandOptionsDto & { reason?: string },
    headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.sender.send('account', id, command, writeOptions(body), headers);
  }
}
