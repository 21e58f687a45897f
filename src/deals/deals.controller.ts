import { Body, Controller, Get, HttpStatus, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Deal } from '../../domain/deal/deal.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { HistoryEntry, RecordReader, RecordView } from '../records/record-reader';
import { DealAccounts } from './deal-accounts';
import { DealCommands } from './deal-commands';
import { DealWrite, RevisionEtag } from './deal-routes';
import { ChangeStageDto, LogActivityDto, TransferDealOwnerDto } from './dto/deal-commands.dto';
import { OpenDealDto } from './dto/open-deal.dto';
import { Allow, SALES } from '../identity/access.decorators';

@ApiTags('deals')
@Allow(...SALES)
@Controller('api/deals')
@UseInterceptors(RevisionEtag)
export class DealsController {
  constructor(
    private readonly deals: DealCommands,
    private readonly accounts: DealAccounts,
    private readonly records: RecordReader,
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
  @ApiOperation({ summary: 'The deal as it stands; the ETag is its revision, for If-Match' })
  deal(@Param('id', RecordIdPipe) id: string): Promise<RecordView<Deal>> {
    return this.records.read<Deal>('deal', id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every change to the deal, with who made it, when and why' })
  history(@Param('id', RecordIdPipe) id: string): Promise<HistoryEntry[]> {
    return this.records.history('deal', id);
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
