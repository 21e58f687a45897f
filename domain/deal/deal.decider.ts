import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { DealCommand } from './deal.commands';
import { DealContext, DealPolicies } from './deal.context';
import {
  changeAmount,
  changeContact,
  changeDeliveryRisks,
  changeExpectedCloseDate,
  changeExpectedShipMonth,
  changeIncoterm,
  changePaymentTerm,
  logActivity,
  setMarginTargets,
  transferOwner,
} from './deal.details';
import { DealEvent } from './deal.events';
import { evolve } from './deal.evolve';
import { recordPayment } from './deal.payments';
import { clearStaleFlag, flagStale } from './deal.stale';
import { changeStage, markLost, markWon, openDeal, reopenDeal } from './deal.pipeline';
import {
  approveQuote,
  draftQuote,
  rejectQuote,
  requestQuoteApproval,
  sendQuote,
} from './deal.quotes';
import { DealState, initialDealState } from './deal.state';

export type { DealPolicies } from './deal.context';

export const decide = (
  command: DealCommand,
  state: DealState,
  context: DealContext,
): DealEvent[] => {
  if (command.type === 'OpenDeal') return openDeal(command, state, context);
  if (state.status === 'none')
    throw new DomainError('deal.not_found', 'This deal has not been opened yet', 'dealId');
  switch (command.type) {
    case 'ChangeStage':
      return changeStage(command, state, context);
    case 'ChangeDealAmount':
      return changeAmount(command, state);
    case 'ChangeExpectedCloseDate':
      return changeExpectedCloseDate(command, state);
    case 'ChangeExpectedShipMonth':
      return changeExpectedShipMonth(command, state);
    case 'ChangeIncoterm':
      return changeIncoterm(command, state);
    case 'ChangePaymentTerm':
      return changePaymentTerm(command, state);
    case 'ChangeDeliveryRisks':
      return changeDeliveryRisks(command, state);
    case 'ChangeDealContact':
      return changeContact(command, state);
    case 'SetMarginTargets':
      return setMarginTargets(command, state, context);
    case 'DraftQuote':
      return draftQuote(command, state, context);
    case 'RequestQuoteApproval':
      return requestQuoteApproval(command, state);
    case 'ApproveQuote':
      return approveQuote(command, state, context);
    case 'RejectQuote':
      return rejectQuote(command, state, context);
    case 'SendQuote':
      return sendQuote(command, state, context);
    case 'LogActivity':
      return logActivity(command, context);
    case 'MarkWon':
      return markWon(command, state, context);
    case 'MarkLost':
      return markLost(command, state, context);
    case 'ReopenDeal':
      return reopenDeal(command, state);
    case 'RecordPayment':
      return recordPayment(command, state, context);
    case 'TransferDealOwner':
      return transferOwner(command, state, context);
    case 'FlagDealStale':
      return flagStale(command, state, context);
    case 'ClearDealStaleFlag':
      return clearStaleFlag(command, state, context);
  }
};

export const dealDecider: Decider<DealCommand, DealEvent, DealState, DealPolicies> = {
  initialState: initialDealState,
  decide,
  evolve,
};

export { evolve, initialDealState };
