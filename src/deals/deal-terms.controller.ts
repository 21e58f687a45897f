import { Body, Controller, Param, Patch, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Deal } from '../../domain/deal/deal.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { InputProblem } from '../http/problem-details';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { RecordReader } from '../records/record-reader';
import { DealAccounts } from './deal-accounts';
import { DealCommands, DealStep } from './deal-commands';
import { DealWrite, RevisionEtag } from './deal-routes';
import { ChangeDealTermsDto, SetMarginTargetsDto } from './dto/deal-terms.dto';
import { Allow, SALES } from '../identity/access.decorators';

/** The commercial terms of a deal: amount, trade terms, dates, risks, buyer contact, margin targets. */
@ApiTags('deals')
@Allow(...SALES)
@Controller('api/deals')
@UseInterceptors(RevisionEtag)
export class DealTermsController {
  constructor(
    private readonly deals: DealCommands,
    private readonly accounts: DealAccounts,
    private readonly records: RecordReader,
  ) {}

  @Patch(':id')
  @DealWrite(
    'Change any of amount, Incoterm, payment term, expected close date, expected ship month, ' +
      'delivery risks and buyer contact; fields left out stay as they are. Each change is its own ' +
      'event, applied in that order; the answer lists every event and the final revision. If-Match ' +
      'is checked on the first change; a retry with the same Idempotency-Key completes the rest.',
  )
  async changeTerms(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ChangeDealTermsDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const steps = termSteps(body);
    if (steps.length === 0) {
      throw new InputProblem([
        {
          field: 'body',
          code: 'validation.no_changes',
          reason: 'Send at least one term to change',
        },
      ]);
    }
    if (body.contactId) {
      const { state } = await this.records.read<Deal>('deal', id);
      await this.accounts.assertContactOf(state.accountId, body.contactId);
    }
    return this.deals.sendInOrder(id, steps, body, headers);
  }

  @Post(':id/margin-targets')
  @DealWrite(
    'Manager only: set or clear (null) the floor price and target margin band that quotes are checked against',
  )
  setMarginTargets(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: SetMarginTargetsDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { floorPrice, targetMargin } = body;
    return this.deals.send(
      id,
      { type: 'SetMarginTargets', data: { floorPrice, targetMargin } },
      body,
      headers,
    );
  }
}

/** The amount goes first: it is the one change the domain may still refuse (another currency). */
function termSteps(body: ChangeDealTermsDto): DealStep[] {
  const { amount, incoterm, paymentTerm, paymentTermRisk: risk, deliveryRisks: risks } = body;
  const { expectedCloseDate: date, expectedShipMonth: month, contactId } = body;
  const steps: Array<DealStep | false> = [
    !!amount && { step: 'amount', command: { type: 'ChangeDealAmount', data: { amount } } },
    !!incoterm && { step: 'incoterm', command: { type: 'ChangeIncoterm', data: { incoterm } } },
    !!paymentTerm && {
      step: 'payment-term',
      command: { type: 'ChangePaymentTerm', data: { paymentTerm, risk } },
    },
    !!date && { step: 'close-date', command: { type: 'ChangeExpectedCloseDate', data: { date } } },
    !!month && {
      step: 'ship-month',
      command: { type: 'ChangeExpectedShipMonth', data: { month } },
    },
    !!risks && {
      step: 'delivery-risks',
      command: { type: 'ChangeDeliveryRisks', data: { risks } },
    },
    !!contactId && { step: 'contact', command: { type: 'ChangeDealContact', data: { contactId } } },
  ];
  return steps.filter((step): step is DealStep => step !== false);
}
