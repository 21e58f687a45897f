import { Body, Controller, HttpStatus, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { DealCommands } from './deal-commands';
import { DealWrite, RevisionEtag } from './deal-routes';
import { MarkLostDto, MarkWonDto, RecordPaymentDto, ReopenDealDto } from './dto/deal-commands.dto';
import { Allow, SALES } from '../identity/access.decorators';

/** Closing a deal as won or lost, reopening it, and the payments on a won deal. */
@ApiTags('deals')
@Allow(...SALES)
@Controller('api/deals/:id')
@UseInterceptors(RevisionEtag)
export class DealClosingController {
  constructor(private readonly deals: DealCommands) {}

  @Post('won')
  @DealWrite('Close as won against the buyer’s order; the amount at that moment is the won amount')
  markWon(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: MarkWonDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'MarkWon', data: { orderReference: body.orderReference } },
      body,
      headers,
    );
  }

  @Post('lost')
  @DealWrite('Close as lost with a reason and sub-reason from the loss-reason policy')
  markLost(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: MarkLostDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'MarkLost', data: { reasonCode: body.reasonCode, note: body.note } },
      body,
      headers,
      { reason: body.note ?? body.reasonCode },
    );
  }

  @Post('reopen')
  @DealWrite('Reopen a won or lost deal; it returns to the open stage it was closed from')
  reopen(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ReopenDealDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'ReopenDeal', data: { reason: body.reason } },
      body,
      headers,
      { reason: body.reason },
    );
  }

  @Post('payments')
  @DealWrite(
    'Record a payment received on a won deal; in another currency, also give what the bank credited in the deal currency',
    HttpStatus.CREATED,
  )
  async recordPayment(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: RecordPaymentDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult & { paymentId: string }> {
    const commandId = this.deals.commandId(headers);
    const paymentId = this.deals.newId(headers, commandId, 'payment');
    const { amount, receivedOn, amountInDealCurrency } = body;
    const result = await this.deals.send(
      id,
      { type: 'RecordPayment', data: { paymentId, amount, receivedOn, amountInDealCurrency } },
      body,
      headers,
      { commandId },
    );
    return { ...result, paymentId };
  }
}
