import { Money } from '../shared/money';
import { Incoterm, PaymentTerm, RiskLevel } from '../shared/trade-terms';
import { DeliveryRisk, MarginBand } from './deal.commands';

export type QuoteApproval = 'not_required' | 'required' | 'requested' | 'approved' | 'rejected';

export interface QuoteState {
  quoteId: string;
  version: number;
  total: Money;
  validUntil: string;
  approval: QuoteApproval;
  status: 'draft' | 'sent' | 'superseded';
}

export interface Deal {
  status: 'open' | 'won' | 'lost';
  dealId: string;
  accountId: string;
  ownerId: string;
  currency: string;
  /** The current open stage; once closed, the open stage it was closed from (Reopen returns there). */
  stage: string;
  stagesEntered: string[];
  amount?: Money;
  incoterm?: Incoterm;
  paymentTerm?: PaymentTerm;
  paymentTermRisk?: RiskLevel;
  expectedCloseDate?: string;
  expectedShipMonth?: string;
  contactId?: string;
  deliveryRisks: DeliveryRisk[];
  floorPrice: Money | null;
  targetMargin: MarginBand | null;
  /** In version order. */
  quotes: QuoteState[];
  currentQuoteId?: string;
  paymentIds: string[];
  totalPaid: Money;
  latestPaymentOn?: string;
  paidInFull: boolean;
  /** Set by automation when the deal went idle for its stage's stale days; absent otherwise. */
  staleFlag?: StaleFlag;
}

export interface StaleFlag {
  idleSince: string;
  staleAfterDays: number;
  stage: string;
  taskId?: string;
}

export type DealState = { status: 'none' } | Deal;

export const initialDealState: DealState = { status: 'none' };
