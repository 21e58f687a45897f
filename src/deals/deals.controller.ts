import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Deal } from '../../domain/deal/deal.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { RecordReader, RecordView } from '../records/record-reader';
import { DealAccounts } from './deal-accounts';
import { DealCommands } from './deal-commands';
import { DealWrite, RevisionEtag } from './deal-routes';
import { ChangeStageDto, LogActivityDto, TransferDealOwnerDto } from './dto/deal-commands.dto';
import { OpenDealDto } from './dto/open-deal.dto';
import { Allow, SALES } from '../identity/access.decorators';
import { AsOfQueryDto } from '../audit/as-of/as-of-query.dto';
import { AsOfReader, AsOfView } from '../audit/as-of/as-of-reader';
import { timePointOf } from '../audit/as-of/time-point';
import { DescribedHistoryEntry, RecordHistory } from '../audit/history/record-history';

@ApiTags('deals')
@Allow(...SALES)
@Controller('api/deals')
@UseInterceptors(RevisionEtag)
export class DealsController {
  constructor(
    private readonly deals: DealCommands,
    private readonly accounts: DealAccounts,
    private readonly records: RecordReader,
    private readonly asOf: AsOfReader,
    private readonly histories: RecordHistory,
  ) {}

  @Post()
  @DealWrite(
    "Open a deal on an account; owner, country and channel default to the caller's and the account's",
    HttpStatus.CREATED,
  )
  async open(@Body() body: OpenDealDto, @Write() headers: WriteHeaders): Promise<WriteResult> {
    const account = await this.accounts.forNewDeal(body.accountId);
    if (body.contactId) await this.accounts.assertContactOf(body.accountId, body.contactId);
    const commandId = this.deals.commandId(headers);
    const dealId = this.deals.newId(headers, commandId, 'deal');
    const { occurredAt: _at, expectedRevision: _revision, ...details } = body;
    return this.deals.send(
      dealId,
      {
        type: 'OpenDeal',
        data: {
          ...details,
          dealId,
          ownerId: body.ownerId ?? this.deals.actorId(),
          channel: body.channel ?? account.profile.sourceChannel,
          country: body.country ?? account.profile.country,
          repeat: account.hasOrdered,
        },
      },
      body,
      headers,
      { commandId },
    );
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'The deal as it stands, or as of a past date (asOf) as known at an instant (knownAt); the ETag is the revision shown',
  })
  deal(
    @Param('id', RecordIdPipe) id: string,
    @Query() at: AsOfQueryDto,
  ): Promise<RecordView<Deal> | AsOfView<Deal>> {
    const point = timePointOf(at);
    return point ? this.asOf.read<Deal>('deal', id, point) : this.records.read<Deal>('deal', id);
  }

  @Get(':id/history')
  @ApiOperation({
    summary:
      'Every change to the deal in business language: who or what, when, why, and the chain it belongs to',
  })
  history(@Param('id', RecordIdPipe) id: string): Promise<DescribedHistoryEntry[]> {
    return this.histories.of('deal', id);
  }

  @Post(':id/stage')
  @DealWrite("Move to another open stage; moving forward checks the stage's entry requirements")
  changeStage(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ChangeStageDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'ChangeStage', data: { to: body.to, note: body.note } },
      body,
      headers,
      { reason: body.note },
    );
  }

  @Post(':id/owner')
  @DealWrite('Hand the deal over to another owner; reps may hand over only their own deals')
  transferOwner(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: TransferDealOwnerDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      {
        type: 'TransferDealOwner',
        data: { to: body.to, reason: body.reason, cause: this.deals.personCause() },
      },
      body,
      headers,
      { reason: body.reason },
    );
  }

  @Post(':id/activities')
  @DealWrite('Log an email, call, IM, meeting or visit with the buyer', HttpStatus.CREATED)
  async logActivity(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: LogActivityDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult & { activityId: string }> {
    if (body.contactId) {
      const { state } = await this.records.read<Deal>('deal', id);
      await this.accounts.assertContactOf(state.accountId, body.contactId);
    }
    const commandId = this.deals.commandId(headers);
    const activityId = this.deals.newId(headers, commandId, 'activity');
    const { kind, direction, summary, at, contactId } = body;
    const result = await this.deals.send(
      id,
      { type: 'LogActivity', data: { activityId, kind, direction, summary, at, contactId } },
      body,
      headers,
      { commandId },
    );
    return { ...result, activityId };
  }
}
