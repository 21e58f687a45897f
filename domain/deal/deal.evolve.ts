import { DealEvent } from './deal.events';
import { Deal, DealState, QuoteState } from './deal.state';

const withQuote = (deal: Deal, quoteId: string, change: Partial<QuoteState>): Deal => ({
  ...deal,
  quotes: deal.quotes.map((quote) => (quote.quoteId === quoteId ? { ...quote, ...change } : quote)),
});

const evolveDeal = (deal: Deal, event: DealEvent): Deal => {
  switch (event.type) {
    case 'DealOpened':
      return deal;
    case 'DealStageChanged':
      return {
        ...deal,
        stage: event.data.to,
        stagesEntered: deal.stagesEntered.includes(event.data.to)
          ? deal.stagesEntered
          : [...deal.stagesEntered, event.data.to],
      };
    case 'DealAmountChanged':
      return { ...deal, amount: event.data.amount };
    case 'DealExpectedCloseDateChanged':
      return { ...deal, expectedCloseDate: event.data.date };
    case 'DealExpectedShipMonthChanged':
      return { ...deal, expectedShipMonth: event.data.month };
    case 'DealIncotermChanged':
      return { ...deal, incoterm: event.data.incoterm };
    case 'DealPaymentTermChanged':
      return { ...deal, paymentTerm: event.data.paymentTerm, paymentTermRisk: event.data.risk };
    case 'DealDeliveryRisksChanged':
      return { ...deal, deliveryRisks: event.data.risks };
    case 'DealContactChanged':
      return { ...deal, contactId: event.data.contactId };
    case 'DealMarginTargetsSet':
      return { ...deal, floorPrice: event.data.floorPrice, targetMargin: event.data.targetMargin };
    case 'QuoteDrafted':
      return {
        ...deal,
        quotes: [
          ...deal.quotes,
          {
            quoteId: event.data.quoteId,
            version: event.data.version,
            total: event.data.total,
            validUntil: event.data.validUntil,
            approval: event.data.approval.required ? 'required' : 'not_required',
            status: 'draft',
          },
        ],
      };
    case 'QuoteApprovalRequested':
      return withQuote(deal, event.data.quoteId, { approval: 'requested' });
    case 'QuoteApproved':
      return withQuote(deal, event.data.quoteId, { approval: 'approved' });
    case 'QuoteRejected':
      return withQuote(deal, event.data.quoteId, { approval: 'rejected' });
    case 'QuoteSent':
      return {
        ...withQuote(deal, event.data.quoteId, { status: 'sent' }),
        currentQuoteId: event.data.quoteId,
      };
    case 'QuoteSuperseded':
      return withQuote(deal, event.data.quoteId, { status: 'superseded' });
    case 'DealActivityLogged':
      return deal;
    case 'DealWon':
      return { ...deal, status: 'won' };
    case 'DealLost':
      return { ...deal, status: 'lost' };
    case 'DealReopened':
      return { ...deal, status: 'open', stage: event.data.stage };
    case 'DealPaymentRecorded':
      return {
        ...deal,
        paymentIds: [...deal.paymentIds, event.data.paymentId],
        totalPaid: event.data.totalPaid,
        latestPaymentOn:
          deal.latestPaymentOn && deal.latestPaymentOn > event.data.receivedOn
            ? deal.latestPaymentOn
            : event.data.receivedOn,
      };
    case 'DealPaidInFull':
      return { ...deal, paidInFull: true };
    case 'DealOwnerTransferred':
      return { ...deal, ownerId: event.data.to };
    case 'DealFlaggedStale':
      return { ...deal, staleFlag: { ...event.data } };
    case 'DealStaleFlagCleared': {
      const { staleFlag: _cleared, ...rest } = deal;
      return rest;
    }
  }
};

export const evolve = (state: DealState, event: DealEvent): DealState => {
  if (event.type === 'DealOpened') {
    const data = event.data;
    return {
      status: 'open',
      dealId: data.dealId,
      accountId: data.accountId,
      ownerId: data.ownerId,
      currency: data.currency,
      stage: data.stage,
      stagesEntered: [data.stage],
      amount: data.amount,
      incoterm: data.incoterm,
      paymentTerm: data.paymentTerm,
      paymentTermRisk: data.paymentTermRisk,
      expectedCloseDate: data.expectedCloseDate,
      expectedShipMonth: data.expectedShipMonth,
      contactId: data.contactId,
      deliveryRisks: [],
      floorPrice: null,
      targetMargin: null,
      quotes: [],
      paymentIds: [],
      totalPaid: { minor: 0, currency: data.currency },
      paidInFull: false,
    };
  }
  // Events for a deal that was never opened cannot come from this decider; ignore rather than invent one.
  return state.status === 'none' ? state : evolveDeal(state, event);
};
