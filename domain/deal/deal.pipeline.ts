import { DomainError } from '../shared/domain-error';
import { SOURCE_CHANNELS } from '../shared/channels';
import { isCurrencyCode } from '../shared/money';
import { INCOTERMS, usualPaymentTermRisk } from '../shared/trade-terms';
import { findLossReason } from '../policies/loss-reason-policy';
import { findOpenStage, OpenStage, openStageIndex, StagePolicy } from '../policies/stage-policy';
import { ChangeStage, MarkLost, MarkWon, OpenDeal, ReopenDeal } from './deal.commands';
import { DealContext, policyRef } from './deal.context';
import { DealEvent, DealOpened } from './deal.events';
import { assertOpen, assertRequirementsMet } from './deal.guards';
import {
  invalid,
  optionalText,
  requireDay,
  requireMoneyIn,
  requireMonth,
  requireOneOf,
  requirePaymentTerm,
  requireText,
} from './deal.input';
import { Deal, DealState } from './deal.state';

const openStageOrThrow = (policy: StagePolicy, key: string, field: string): OpenStage => {
  const stage = findOpenStage(policy, key);
  if (!stage)
    throw new DomainError(
      'deal.stage.unknown',
      `"${key}" is not an open stage; choose one of ${policy.openStages.map((s) => s.key).join(', ')}` +
        (key === 'won' || key === 'lost' ? ` (use Mark won / Mark lost to close a deal)` : ''),
      field,
      { stage: key },
    );
  return stage;
};

export const openDeal = (
  command: OpenDeal,
  state: DealState,
  context: DealContext,
): DealEvent[] => {
  if (state.status !== 'none')
    throw new DomainError('deal.already_opened', 'This deal has already been opened', 'dealId');
  const data = command.data;
  const policy = context.policies.stages;
  const currency = requireText(data.currency, 'currency', 'Currency');
  if (!isCurrencyCode(currency))
    throw invalid('currency', `${currency} is not an ISO 4217 currency`);
  const country = requireText(data.country, 'country', 'Country');
  if (!/^[A-Z]{2}$/.test(country))
    throw invalid('country', 'Country must be a two-letter ISO code like DE or AE');
  const first = data.firstStage ?? policy.openStages[0]?.key ?? '';
  const stage = openStageOrThrow(policy, first, 'firstStage');
  const opened: DealOpened['data'] = {
    dealId: requireText(data.dealId, 'dealId', 'Deal id'),
    accountId: requireText(data.accountId, 'accountId', 'Account'),
    title: requireText(data.title, 'title', 'Deal title'),
    ownerId: requireText(data.ownerId, 'ownerId', 'Owner'),
    channel: requireOneOf(data.channel, SOURCE_CHANNELS, 'channel', 'Channel'),
    country,
    productLine: requireText(data.productLine, 'productLine', 'Product line'),
    repeat: data.repeat === true,
    currency,
    stage: stage.key,
    policy: policyRef(policy),
  };
  const originLeadId = optionalText(data.originLeadId, 'originLeadId', 'Originating lead');
  if (originLeadId) opened.originLeadId = originLeadId;
  if (data.amount !== undefined)
    opened.amount = requireMoneyIn(data.amount, currency, 'amount', 'Amount');
  if (data.incoterm !== undefined)
    opened.incoterm = requireOneOf(data.incoterm, INCOTERMS, 'incoterm', 'Incoterm');
  if (data.paymentTerm !== undefined) {
    opened.paymentTerm = requirePaymentTerm(data.paymentTerm, 'paymentTerm');
    opened.paymentTermRisk = usualPaymentTermRisk(opened.paymentTerm);
  }
  if (data.expectedCloseDate !== undefined)
    opened.expectedCloseDate = requireDay(
      data.expectedCloseDate,
      'expectedCloseDate',
      'Expected close date',
    );
  if (data.expectedShipMonth !== undefined)
    opened.expectedShipMonth = requireMonth(
      data.expectedShipMonth,
      'expectedShipMonth',
      'Expected ship month',
    );
  const contactId = optionalText(data.contactId, 'contactId', 'Buyer contact');
  if (contactId) opened.contactId = contactId;
  assertRequirementsMet(stage.entryRequirements, opened, { key: stage.key, label: stage.label.en });
  return [{ type: 'DealOpened', data: opened }];
};

export const changeStage = (
  command: ChangeStage,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertOpen(deal);
  const policy = context.policies.stages;
  const target = openStageOrThrow(policy, requireText(command.data.to, 'to', 'Stage'), 'to');
  if (target.key === deal.stage)
    throw new DomainError(
      'deal.stage.unchanged',
      `The deal is already in ${target.label.en}`,
      'to',
    );
  const direction =
    openStageIndex(policy, target.key) > openStageIndex(policy, deal.stage)
      ? 'forward'
      : 'backward';
  // A step back records what really happened to the deal, so it is never blocked by requirements.
  if (direction === 'forward')
    assertRequirementsMet(target.entryRequirements, deal, {
      key: target.key,
      label: target.label.en,
    });
  const note = optionalText(command.data.note, 'note', 'Note');
  return [
    {
      type: 'DealStageChanged',
      data: {
        from: deal.stage,
        to: target.key,
        direction,
        reentry: deal.stagesEntered.includes(target.key),
        ...(note ? { note } : {}),
        policy: policyRef(policy),
      },
    },
  ];
};

export const markWon = (command: MarkWon, deal: Deal, context: DealContext): DealEvent[] => {
  assertOpen(deal);
  const policy = context.policies.stages;
  const orderReference = requireText(
    command.data.orderReference,
    'orderReference',
    'Order reference',
  );
  const won = policy.outcomes.won;
  // Payments are measured against the won amount, so it is needed whatever the policy says.
  const requirements = won.entryRequirements.includes('amount')
    ? won.entryRequirements
    : (['amount', ...won.entryRequirements] as const);
  assertRequirementsMet(requirements, deal, { key: 'won', label: won.label.en });
  return [
    {
      type: 'DealWon',
      data: { orderReference, stage: deal.stage, amount: deal.amount!, policy: policyRef(policy) },
    },
  ];
};

export const markLost = (command: MarkLost, deal: Deal, context: DealContext): DealEvent[] => {
  assertOpen(deal);
  const policy = context.policies.lossReasons;
  const reasonCode = requireText(command.data.reasonCode, 'reasonCode', 'Loss reason');
  const found = findLossReason(policy, reasonCode);
  if (!found)
    throw new DomainError(
      'deal.loss_reason.unknown',
      `"${reasonCode}" is not a loss reason; choose a reason and sub-reason such as price.competitor_cheaper`,
      'reasonCode',
    );
  const note = optionalText(command.data.note, 'note', 'Note');
  return [
    {
      type: 'DealLost',
      data: {
        reasonCode,
        reason: found.reason.key,
        subReason: found.subReason.key,
        ...(note ? { note } : {}),
        stage: deal.stage,
        policy: policyRef(policy),
      },
    },
  ];
};

export const reopenDeal = (command: ReopenDeal, deal: Deal): DealEvent[] => {
  if (deal.status === 'open')
    throw new DomainError(
      'deal.not_closed',
      'This deal is still open; only won or lost deals can be reopened',
    );
  const reason = requireText(command.data.reason, 'reason', 'Reason for reopening');
  return [
    { type: 'DealReopened', data: { stage: deal.stage, previousOutcome: deal.status, reason } },
  ];
};
