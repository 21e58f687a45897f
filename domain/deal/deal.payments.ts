import { DomainError } from '../shared/domain-error';
import { addMoney, moneyProblem, subtractMoney } from '../shared/money';
import { RecordPayment } from './deal.commands';
import { DealContext, today } from './deal.context';
import { DealEvent } from './deal.events';
import { invalid, requireDay, requireMoneyIn, requireText } from './deal.input';
import { Deal } from './deal.state';

export const recordPayment = (
  command: RecordPayment,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  if (deal.status !== 'won')
    throw new DomainError('deal.payment.not_won', 'Payments can only be recorded on a won deal');
  const data = command.data;
  const paymentId = requireText(data.paymentId, 'paymentId', 'Payment id');
  if (deal.paymentIds.includes(paymentId))
    throw new DomainError(
      'deal.payment.duplicate',
      `Payment ${paymentId} has already been recorded`,
      'paymentId',
    );
  const problem = moneyProblem(data.amount);
  if (problem) throw invalid('amount', `Payment amount: ${problem}`);
  const receivedOn = requireDay(data.receivedOn, 'receivedOn', 'Received on');
  if (receivedOn > today(context))
    throw new DomainError(
      'deal.payment.in_future',
      'A payment cannot be received in the future',
      'receivedOn',
    );
  // No FX rates are guessed here: a payment in another currency states what the bank credited in the deal currency.
  const inForeignCurrency = data.amount.currency !== deal.currency;
  if (inForeignCurrency && data.amountInDealCurrency === undefined)
    throw new DomainError(
      'deal.payment.conversion_required',
      `The payment is in ${data.amount.currency}; also give the amount received in ${deal.currency}`,
      'amountInDealCurrency',
    );
  const amount = requireMoneyIn(data.amount, data.amount.currency, 'amount', 'Payment amount');
  const credited = inForeignCurrency
    ? requireMoneyIn(
        data.amountInDealCurrency,
        deal.currency,
        'amountInDealCurrency',
        'Amount in deal currency',
      )
    : amount;
  const totalPaid = addMoney(deal.totalPaid, credited);
  const outstanding = subtractMoney(deal.amount!, totalPaid);
  if (outstanding.minor < 0)
    throw new DomainError(
      'deal.payment.overpayment',
      'This payment would take the total paid above the deal amount; check for a duplicate entry',
      'amount',
      { outstanding: subtractMoney(deal.amount!, deal.totalPaid) },
    );
  const events: DealEvent[] = [
    {
      type: 'DealPaymentRecorded',
      data: {
        paymentId,
        amount,
        receivedOn,
        amountInDealCurrency: credited,
        totalPaid,
        outstanding,
      },
    },
  ];
  if (outstanding.minor === 0 && !deal.paidInFull) {
    const paidOn =
      deal.latestPaymentOn && deal.latestPaymentOn > receivedOn ? deal.latestPaymentOn : receivedOn;
    events.push({ type: 'DealPaidInFull', data: { totalPaid, paidOn } });
  }
  return events;
};
