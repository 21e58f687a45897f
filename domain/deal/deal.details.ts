import { Cause, isCause } from '../shared/cause';
import { DomainError } from '../shared/domain-error';
import { Money } from '../shared/money';
import { hasRole } from '../shared/roles';
import { INCOTERMS, RISK_LEVELS, usualPaymentTermRisk } from '../shared/trade-terms';
import { sameValue as same } from '../shared/validation';
import {
  ACTIVITY_DIRECTIONS,
  ACTIVITY_KINDS,
  ChangeDealAmount,
  ChangeDealContact,
  ChangeDeliveryRisks,
  ChangeExpectedCloseDate,
  ChangeExpectedShipMonth,
  ChangeIncoterm,
  ChangePaymentTerm,
  DELIVERY_RISKS,
  LogActivity,
  MarginBand,
  SetMarginTargets,
  TransferDealOwner,
} from './deal.commands';
import { DealContext } from './deal.context';
import { DealEvent } from './deal.events';
import { assertManager, assertOpen } from './deal.guards';
import {
  invalid,
  optionalText,
  requireDay,
  requireInstant,
  requireMarginBand,
  requireMoneyIn,
  requireMonth,
  requireOneOf,
  requirePaymentTerm,
  requireText,
} from './deal.input';
import { Deal } from './deal.state';

export const changeAmount = (command: ChangeDealAmount, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  const amount = requireMoneyIn(command.data.amount, deal.currency, 'amount', 'Amount');
  if (same(amount, deal.amount)) return [];
  return [
    {
      type: 'DealAmountChanged',
      data: { amount, ...(deal.amount ? { previous: deal.amount } : {}), cause: 'manual' },
    },
  ];
};

export const changeExpectedCloseDate = (
  command: ChangeExpectedCloseDate,
  deal: Deal,
): DealEvent[] => {
  assertOpen(deal);
  const date = requireDay(command.data.date, 'date', 'Expected close date');
  if (date === deal.expectedCloseDate) return [];
  const previous = deal.expectedCloseDate;
  return [
    { type: 'DealExpectedCloseDateChanged', data: { date, ...(previous ? { previous } : {}) } },
  ];
};

export const changeExpectedShipMonth = (
  command: ChangeExpectedShipMonth,
  deal: Deal,
): DealEvent[] => {
  assertOpen(deal);
  const month = requireMonth(command.data.month, 'month', 'Expected ship month');
  if (month === deal.expectedShipMonth) return [];
  const previous = deal.expectedShipMonth;
  return [
    { type: 'DealExpectedShipMonthChanged', data: { month, ...(previous ? { previous } : {}) } },
  ];
};

export const changeIncoterm = (command: ChangeIncoterm, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  const incoterm = requireOneOf(command.data.incoterm, INCOTERMS, 'incoterm', 'Incoterm');
  if (incoterm === deal.incoterm) return [];
  const previous = deal.incoterm;
  return [{ type: 'DealIncotermChanged', data: { incoterm, ...(previous ? { previous } : {}) } }];
};

export const changePaymentTerm = (command: ChangePaymentTerm, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  const paymentTerm = requirePaymentTerm(command.data.paymentTerm, 'paymentTerm');
  const risk =
    command.data.risk === undefined
      ? usualPaymentTermRisk(paymentTerm)
      : requireOneOf(command.data.risk, RISK_LEVELS, 'risk', 'Payment risk');
  if (same(paymentTerm, deal.paymentTerm) && risk === deal.paymentTermRisk) return [];
  const previous = deal.paymentTerm;
  return [
    {
      type: 'DealPaymentTermChanged',
      data: { paymentTerm, risk, ...(previous ? { previous } : {}) },
    },
  ];
};

export const changeDeliveryRisks = (command: ChangeDeliveryRisks, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  if (!Array.isArray(command.data.risks)) throw invalid('risks', 'Delivery risks must be a list');
  const given = command.data.risks.map((risk) =>
    requireOneOf(risk, DELIVERY_RISKS, 'risks', 'Delivery risk'),
  );
  const risks = DELIVERY_RISKS.filter((risk) => given.includes(risk));
  if (same(risks, deal.deliveryRisks)) return [];
  return [{ type: 'DealDeliveryRisksChanged', data: { risks, previous: deal.deliveryRisks } }];
};

export const changeContact = (command: ChangeDealContact, deal: Deal): DealEvent[] => {
  assertOpen(deal);
  const contactId = requireText(command.data.contactId, 'contactId', 'Buyer contact');
  if (contactId === deal.contactId) return [];
  const previous = deal.contactId;
  return [{ type: 'DealContactChanged', data: { contactId, ...(previous ? { previous } : {}) } }];
};

export const setMarginTargets = (
  command: SetMarginTargets,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertOpen(deal);
  // A rep who could lower the floor could skip the approval it exists to force.
  assertManager(context, 'set the floor price or target margin', 'deal.margin_targets.forbidden');
  const { floorPrice, targetMargin } = command.data;
  const nextFloor: Money | null =
    floorPrice === undefined
      ? deal.floorPrice
      : floorPrice && requireMoneyIn(floorPrice, deal.currency, 'floorPrice', 'Floor price');
  const nextBand: MarginBand | null =
    targetMargin === undefined
      ? deal.targetMargin
      : targetMargin && requireMarginBand(targetMargin, 'targetMargin');
  if (same(nextFloor, deal.floorPrice) && same(nextBand, deal.targetMargin)) return [];
  return [
    { type: 'DealMarginTargetsSet', data: { floorPrice: nextFloor, targetMargin: nextBand } },
  ];
};

export const logActivity = (command: LogActivity, context: DealContext): DealEvent[] => {
  const data = command.data;
  const at = requireInstant(data.at, 'at', 'Activity time');
  if (at > new Date(context.now).toISOString())
    throw new DomainError(
      'deal.activity.in_future',
      'An activity cannot be logged for a time in the future',
      'at',
    );
  const contactId = optionalText(data.contactId, 'contactId', 'Contact');
  return [
    {
      type: 'DealActivityLogged',
      data: {
        activityId: requireText(data.activityId, 'activityId', 'Activity id'),
        kind: requireOneOf(data.kind, ACTIVITY_KINDS, 'kind', 'Activity type'),
        direction: requireOneOf(data.direction, ACTIVITY_DIRECTIONS, 'direction', 'Direction'),
        summary: requireText(data.summary, 'summary', 'Summary'),
        at,
        ...(contactId ? { contactId } : {}),
      },
    },
  ];
};

const requireCause = (cause: Cause | undefined, context: DealContext): Cause => {
  if (cause === undefined) return { kind: 'person', id: context.actor.userId };
  if (!isCause(cause))
    throw invalid(
      'cause',
      'The cause must be a person, a rule with its version, a saga, the system or an import',
    );
  // Copied field by field so stray input never reaches the event.
  const { kind, id, version } = cause;
  return version === undefined ? ({ kind, id } as Cause) : ({ kind, id, version } as Cause);
};

export const transferOwner = (
  command: TransferDealOwner,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  const to = requireText(command.data.to, 'to', 'New owner');
  if (to === deal.ownerId)
    throw new DomainError('deal.owner.unchanged', 'The deal already belongs to this owner', 'to');
  // Reps hand over their own deals; taking someone else's is a manager's or a rule's call.
  if (hasRole(context.actor, 'rep') && context.actor.userId !== deal.ownerId)
    throw new DomainError(
      'deal.owner.transfer_forbidden',
      'A rep may only hand over deals they own; ask a manager',
    );
  const reason = requireText(command.data.reason, 'reason', 'Reason for the handover');
  const cause = requireCause(command.data.cause, context);
  return [{ type: 'DealOwnerTransferred', data: { from: deal.ownerId, to, reason, cause } }];
};
