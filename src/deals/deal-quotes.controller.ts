import { Body, Controller, HttpStatus, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommandOptionsDto } from '../http/command-options.dto';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { DealCommands } from './deal-commands';
import { DealWrite, RevisionEtag, UuidParam } from './deal-routes';
import { DraftQuoteDto, QuoteNoteDto, RejectQuoteDto } from './dto/quote.dto';
import { Allow, SALES } from '../identity/access.decorators';

/** Quote versions: draft, approval below the floor or outside the margin band, send. */
@ApiTags('deals')
@Allow(...SALES)
@Controller('api/deals/:id/quotes')
@UseInterceptors(RevisionEtag)
export class DealQuotesController {
  constructor(private readonly deals: DealCommands) {}

  @Post()
  @DealWrite(
    'Draft the next quote version; the answer says whether it needs a manager’s approval',
    HttpStatus.CREATED,
  )
  async draft(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: DraftQuoteDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult & { quoteId: string }> {
    const commandId = this.deals.commandId(headers);
    const quoteId = this.deals.newId(headers, commandId, 'quote');
    const { occurredAt: _at, expectedRevision: _revision, ...offer } = body;
    const result = await this.deals.send(
      id,
      { type: 'DraftQuote', data: { ...offer, quoteId } },
      body,
      headers,
      { commandId },
    );
    return { ...result, quoteId };
  }

  @Post(':quoteId/approval-request')
  @DealWrite('Ask a manager to approve a quote version that needs approval')
  requestApproval(
    @Param('id', RecordIdPipe) id: string,
    @Param('quoteId', UuidParam) quoteId: string,
    @Body() body: QuoteNoteDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'RequestQuoteApproval', data: { quoteId, note: body.note } },
      body,
      headers,
    );
  }

  @Post(':quoteId/approve')
  @DealWrite('Manager only: approve a quote version so it can be sent')
  approve(
    @Param('id', RecordIdPipe) id: string,
    @Param('quoteId', UuidParam) quoteId: string,
    @Body() body: QuoteNoteDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'ApproveQuote', data: { quoteId, note: body.note } },
      body,
      headers,
      { reason: body.note },
    );
  }

  @Post(':quoteId/reject')
  @DealWrite('Manager only: reject a quote version, with the reason')
  reject(
    @Param('id', RecordIdPipe) id: string,
    @Param('quoteId', UuidParam) quoteId: string,
    @Body() body: RejectQuoteDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(
      id,
      { type: 'RejectQuote', data: { quoteId, reason: body.reason } },
      body,
      headers,
      { reason: body.reason },
    );
  }

  @Post(':quoteId/send')
  @DealWrite(
    'Record the quote version as sent to the buyer: it supersedes the previous one and sets the deal amount',
  )
  send(
    @Param('id', RecordIdPipe) id: string,
    @Param('quoteId', UuidParam) quoteId: string,
    @Body() body: CommandOptionsDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.deals.send(id, { type: 'SendQuote', data: { quoteId } }, body, headers);
  }
}
