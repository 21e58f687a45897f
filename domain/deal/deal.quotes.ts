import { DomainError } from '../shared/domain-error';
import { Money } from '../shared/money';
import { INCOTERMS } from '../shared/trade-terms';
import {
  ApproveQuote,
  DraftQuote,
  MarginBand,
  QuoteLine,
  QuoteOffer,
  RejectQuote,
  RequestQuoteApproval,
  SendQuote,
} from './deal.commands';
import { DealContext, today } from './deal.context';
import { ApprovalReason, DealEvent, PricedOffer, QuoteDrafted } from './deal.events';
import { assertManager, assertOpen } from './deal.guards';
import {
  invalid,
  optionalText,
  requireDay,
  requireMarginBand,
  requireMoneyIn,
  requireOneOf,
  requirePaymentTerm,
  requireText,
  requireWholeNumber,
} from './deal.input';
import { Deal, QuoteState } from './deal.state';

const safeSum = (values: number[], field: string): number => {
  const sum = values.reduce((total, value) => total + value, 0);
  if (!Number.isSafeInteger(sum)) throw invalid(field, 'The quote total is too large');
  return sum;
};

const requireLine = (line: QuoteLine, field: string): QuoteLine => {
  const checked: QuoteLine = {
    ...(line.sku ? { sku: requireText(line.sku, `${field}.sku`, 'SKU') } : {}),
    description: requireText(line.description, `${field}.description`, 'Line description'),
    quantity: requireWholeNumber(line.quantity, `${field}.quantity`, 'Quantity', 1),
    ...(line.unit ? { unit: requireText(line.unit, `${field}.unit`, 'Unit') } : {}),
    unitPriceMinor: requireWholeNumber(
      line.unitPriceMinor,
      `${field}.unitPriceMinor`,
      'Unit price',
      0,
    ),
  };
  if (line.unitCostMinor !== undefined)
    checked.unitCostMinor = requireWholeNumber(
      line.unitCostMinor,
      `${field}.unitCostMinor`,
      'Unit cost',
      0,
    );
  return checked;
};

/** Totals an offer from its lines (or takes its total) and works out the margin when cost is known. */
const priceOffer = (offer: QuoteOffer, currency: string, field: string): PricedOffer => {
  const hasLines = Array.isArray(offer.lines) && offer.lines.length > 0;
  if (!hasLines && offer.totalMinor === undefined)
    throw new DomainError(
      'deal.field.required',
      'A quote needs price lines or a total',
      `${field}lines`,
    );
  const lines = hasLines
    ? offer.lines!.map((line, i) => requireLine(line, `${field}lines[${i}]`))
    : undefined;
  const lineTotal =
    lines &&
    safeSum(
      lines.map((l) => l.quantity * l.unitPriceMinor),
      `${field}lines`,
    );
  if (offer.totalMinor !== undefined) {
    requireWholeNumber(offer.totalMinor, `${field}totalMinor`, 'Quote total', 1);
    if (lineTotal !== undefined && lineTotal !== offer.totalMinor)
      throw invalid(`${field}totalMinor`, 'The quote total does not match the sum of its lines');
  }
  const totalMinor = lineTotal ?? offer.totalMinor!;
  if (totalMinor <= 0) throw invalid(`${field}lines`, 'The quote total must be more than zero');
  const lineCosts = lines?.every((l) => l.unitCostMinor !== undefined)
    ? safeSum(
        lines.map((l) => l.quantity * l.unitCostMinor!),
        `${field}lines`,
      )
    : undefined;
  const costMinor =
    offer.costMinor !== undefined
      ? requireWholeNumber(offer.costMinor, `${field}costMinor`, 'Quote cost', 0)
      : lineCosts;
  const priced: PricedOffer = {
    ...(lines ? { lines } : {}),
    total: { minor: totalMinor, currency },
  };
  if (costMinor === undefined) return priced;
  const margin = Math.round(((totalMinor - costMinor) / totalMinor) * 10_000) / 10_000;
  return { ...priced, cost: { minor: costMinor, currency }, margin };
};

interface MarginTargets {
  floorPrice?: Money | null;
  targetMargin?: MarginBand | null;
}

/** Why an offer needs a manager's approval under every set of targets given (all must be met). */
const approvalReasons = (
  offer: PricedOffer,
  targets: MarginTargets[],
  checkFloor: boolean,
): ApprovalReason[] => {
  const reasons = new Set<ApprovalReason>();
  for (const { floorPrice, targetMargin } of targets) {
    if (checkFloor && floorPrice && offer.total.minor < floorPrice.minor)
      reasons.add('below_floor_price');
    if (!targetMargin) continue;
    const { cost, total } = offer;
    if (!cost) reasons.add('margin_unknown');
    else if (total.minor - cost.minor < targetMargin.min * total.minor)
      reasons.add('below_target_margin');
    else if (total.minor - cost.minor > targetMargin.max * total.minor)
      reasons.add('above_target_margin');
  }
  return [...reasons];
};

export const draftQuote = (command: DraftQuote, deal: Deal, context: DealContext): DealEvent[] => {
  assertOpen(deal);
  const data = command.data;
  const quoteId = requireText(data.quoteId, 'quoteId', 'Quote id');
  if (deal.quotes.some((quote) => quote.quoteId === quoteId))
    throw new DomainError(
      'deal.quote.duplicate',
      `Quote ${quoteId} already exists on this deal`,
      'quoteId',
    );
  const currency = requireText(data.currency, 'currency', 'Quote currency');
  if (currency !== deal.currency)
    throw new DomainError(
      'deal.currency_mismatch',
      `The quote is in ${currency} but this deal is in ${deal.currency}`,
      'currency',
    );
  const validUntil = requireDay(data.validUntil, 'validUntil', 'Valid until');
  if (validUntil < today(context))
    throw new DomainError(
      'deal.quote.expired',
      'The quote validity date has already passed',
      'validUntil',
    );
  const main = priceOffer(data, currency, '');
  const options = data.options?.map((option, i) => ({
    tier: requireOneOf(
      option.tier,
      ['good', 'better', 'best'] as const,
      `options[${i}].tier`,
      'Option tier',
    ),
    description: requireText(option.description, `options[${i}].description`, 'Option description'),
    ...priceOffer(option, currency, `options[${i}].`),
  }));
  if (options && new Set(options.map((option) => option.tier)).size !== options.length)
    throw invalid('options', 'Each of good, better and best may be offered only once');
  const targets: MarginTargets[] = [
    { floorPrice: deal.floorPrice, targetMargin: deal.targetMargin },
    {
      floorPrice:
        data.floorPrice && requireMoneyIn(data.floorPrice, currency, 'floorPrice', 'Floor price'),
      targetMargin: data.targetMargin && requireMarginBand(data.targetMargin, 'targetMargin'),
    },
  ];
  // The floor price is for the main offer; cheaper alternatives are expected to sit below it.
  const reasons: QuoteDrafted['data']['approval']['reasons'] = [
    ...approvalReasons(main, targets, true).map((reason) => ({ offer: 'main' as const, reason })),
    ...(options ?? []).flatMap((option) =>
      approvalReasons(option, targets, false).map((reason) => ({ offer: option.tier, reason })),
    ),
  ];
  return [
    {
      type: 'QuoteDrafted',
      data: {
        quoteId,
        version: deal.quotes.length + 1,
        ...main,
        incoterm: requireOneOf(data.incoterm, INCOTERMS, 'incoterm', 'Incoterm'),
        paymentTerm: requirePaymentTerm(data.paymentTerm, 'paymentTerm'),
        moq: requireWholeNumber(data.moq, 'moq', 'MOQ', 1),
        leadTimeDays: requireWholeNumber(data.leadTimeDays, 'leadTimeDays', 'Lead time (days)', 0),
        validUntil,
        ...(options && options.length > 0 ? { options } : {}),
        approval: { required: reasons.length > 0, reasons },
      },
    },
  ];
};

const findQuote = (deal: Deal, quoteId: unknown): QuoteState => {
  const id = requireText(quoteId, 'quoteId', 'Quote id');
  const quote = deal.quotes.find((candidate) => candidate.quoteId === id);
  if (!quote)
    throw new DomainError('deal.quote.unknown', `There is no quote ${id} on this deal`, 'quoteId');
  return quote;
};

const assertAwaitingDecision = (quote: QuoteState): void => {
  if (quote.approval === 'not_required')
    throw new DomainError(
      'deal.quote.approval_not_required',
      `Quote version ${quote.version} is within the price and margin targets and needs no approval`,
      'quoteId',
    );
  if (quote.approval === 'approved' || quote.approval === 'rejected')
    throw new DomainError(
      'deal.quote.approval_already_decided',
      `Quote version ${quote.version} has already been ${quote.approval}`,
      'quoteId',
    );
};

export const requestQuoteApproval = (command: RequestQuoteApproval, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  const quote = findQuote(deal, command.data.quoteId);
  assertAwaitingDecision(quote);
  if (quote.approval === 'requested')
    throw new DomainError(
      'deal.quote.approval_already_requested',
      `Approval for quote version ${quote.version} has already been requested`,
      'quoteId',
    );
  const note = optionalText(command.data.note, 'note', 'Note');
  return [
    {
      type: 'QuoteApprovalRequested',
      data: { quoteId: quote.quoteId, version: quote.version, ...(note ? { note } : {}) },
    },
  ];
};

export const approveQuote = (
  command: ApproveQuote,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertOpen(deal);
  const quote = findQuote(deal, command.data.quoteId);
  assertManager(context, 'approve a quote', 'deal.quote.approval_forbidden');
  assertAwaitingDecision(quote);
  const note = optionalText(command.data.note, 'note', 'Note');
  return [
    {
      type: 'QuoteApproved',
      data: {
        quoteId: quote.quoteId,
        version: quote.version,
        approvedBy: context.actor.userId,
        ...(note ? { note } : {}),
      },
    },
  ];
};

export const rejectQuote = (
  command: RejectQuote,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertOpen(deal);
  const quote = findQuote(deal, command.data.quoteId);
  assertManager(context, 'reject a quote', 'deal.quote.approval_forbidden');
  assertAwaitingDecision(quote);
  const reason = requireText(command.data.reason, 'reason', 'Reason for rejecting');
  return [
    {
      type: 'QuoteRejected',
      data: {
        quoteId: quote.quoteId,
        version: quote.version,
        rejectedBy: context.actor.userId,
        reason,
      },
    },
  ];
};

export const sendQuote = (command: SendQuote, deal: Deal, context: DealContext): DealEvent[] => {
  assertOpen(deal);
  const quote = findQuote(deal, command.data.quoteId);
  const current = deal.quotes.find((candidate) => candidate.quoteId === deal.currentQuoteId);
  if (quote.status === 'sent')
    throw new DomainError(
      'deal.quote.already_sent',
      `Quote version ${quote.version} has already been sent`,
      'quoteId',
    );
  // Once a later version has gone out, an older one must never become the buyer's current price.
  if (quote.status === 'superseded' || (current && current.version > quote.version))
    throw new DomainError(
      'deal.quote.superseded',
      `Quote version ${quote.version} is older than version ${current?.version ?? quote.version} already sent`,
      'quoteId',
    );
  if (quote.approval === 'rejected')
    throw new DomainError(
      'deal.quote.rejected',
      `Quote version ${quote.version} was rejected by a manager`,
      'quoteId',
    );
  if (quote.approval === 'required' || quote.approval === 'requested')
    throw new DomainError(
      'deal.quote.approval_required',
      `Quote version ${quote.version} is below the floor price or outside the target margin and needs a manager's approval`,
      'quoteId',
    );
  if (quote.validUntil < today(context))
    throw new DomainError(
      'deal.quote.expired',
      `Quote version ${quote.version} was valid until ${quote.validUntil}; draft a new version`,
      'quoteId',
    );
  const events: DealEvent[] = [
    {
      type: 'QuoteSent',
      data: {
        quoteId: quote.quoteId,
        version: quote.version,
        total: quote.total,
        validUntil: quote.validUntil,
      },
    },
  ];
  if (current)
    events.push({
      type: 'QuoteSuperseded',
      data: {
        quoteId: current.quoteId,
        version: current.version,
        supersededBy: { quoteId: quote.quoteId, version: quote.version },
      },
    });
  if (deal.amount?.minor !== quote.total.minor)
    events.push({
      type: 'DealAmountChanged',
      data: {
        amount: quote.total,
        ...(deal.amount ? { previous: deal.amount } : {}),
        cause: 'quote',
        quoteId: quote.quoteId,
      },
    });
  return events;
};
