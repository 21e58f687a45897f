import { StageRequirement } from '../policies/stage-policy';
import { DomainError } from '../shared/domain-error';
import { hasRole } from '../shared/roles';
import { DealContext } from './deal.context';
import { Deal } from './deal.state';

export const assertOpen = (deal: Deal): void => {
  if (deal.status !== 'open')
    throw new DomainError(
      'deal.closed',
      `This deal is already ${deal.status}; reopen it before changing it`,
      undefined,
      { status: deal.status },
    );
};

export const assertManager = (context: DealContext, action: string, code: string): void => {
  if (!hasRole(context.actor, 'manager'))
    throw new DomainError(code, `Only a manager may ${action}`, undefined, {
      role: context.actor.role,
    });
};

const REQUIREMENT_WORDS: Record<StageRequirement, string> = {
  amount: 'amount',
  incoterm: 'Incoterm',
  payment_term: 'payment term',
  expected_close_date: 'expected close date',
  expected_ship_month: 'expected ship month',
  contact: 'buyer contact',
  sent_quote: 'a sent quote',
};

/** What the deal has (or, when opening, will have) that entry requirements look at. */
export type DealFacts = Partial<
  Pick<
    Deal,
    | 'amount'
    | 'incoterm'
    | 'paymentTerm'
    | 'expectedCloseDate'
    | 'expectedShipMonth'
    | 'contactId'
    | 'currentQuoteId'
  >
>;

const has = (requirement: StageRequirement, facts: DealFacts): boolean => {
  switch (requirement) {
    case 'amount':
      return facts.amount !== undefined;
    case 'incoterm':
      return facts.incoterm !== undefined;
    case 'payment_term':
      return facts.paymentTerm !== undefined;
    case 'expected_close_date':
      return facts.expectedCloseDate !== undefined;
    case 'expected_ship_month':
      return facts.expectedShipMonth !== undefined;
    case 'contact':
      return facts.contactId !== undefined;
    case 'sent_quote':
      return facts.currentQuoteId !== undefined;
    default:
      return false; // a requirement this code does not know can never be shown as met
  }
};

export const assertRequirementsMet = (
  requirements: readonly StageRequirement[],
  facts: DealFacts,
  target: { key: string; label: string },
): void => {
  const missing = requirements.filter((requirement) => !has(requirement, facts));
  if (missing.length === 0) return;
  const words = missing.map((requirement) => REQUIREMENT_WORDS[requirement] ?? requirement);
  throw new DomainError(
    'deal.stage.requirement_missing',
    `Before moving to ${target.label}, the deal needs: ${words.join(', ')}`,
    missing[0],
    { stage: target.key, missing },
  );
};
