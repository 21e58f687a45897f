import { Cause } from '../shared/cause';
import { SourceChannel } from '../shared/channels';
import { DomainEvent, PolicyRef } from '../shared/decider';
import { Money } from '../shared/money';
import { Incoterm, PaymentTerm, RiskLevel } from '../shared/trade-terms';
import {
  ActivityDirection,
  ActivityKind,
  DeliveryRisk,
  MarginBand,
  StaleFlagClearReason,
  QuoteLine,
  QuoteTier,
} from './deal.commands';

export type DealOpened = DomainEvent<
  'DealOpened',
  {
    dealId: string;
    accountId: string;
    title: string;
    ownerId: string;
    channel: SourceChannel;
    country: string;
    productLine: string;
    originLeadId?: string;
    repeat: boolean;
    currency: string;
    amount?: Money;
    incoterm?: Incoterm;
    paymentTerm?: PaymentTerm;
    paymentTermRisk?: RiskLevel;
    expectedCloseDate?: string;
    expectedShipMonth?: string;
    contactId?: string;
    stage: string;
    policy: PolicyRef;
  }
>;

/** `reentry` is true when the deal had been in the target stage before; a step back into a skipped stage is not one. */
export type DealStageChanged = DomainEvent<
  'DealStageChanged',
  {
    from: string;
    to: string;
    direction: 'forward' | 'backward';
    reentry: boolean;
    note?: string;
    policy: PolicyRef;
  }
>;

export type DealAmountChanged = DomainEvent<
  'DealAmountChanged',
  { amount: Money; previous?: Money; cause: 'manual' | 'quote'; quoteId?: string }
>;
export type DealExpectedCloseDateChanged = DomainEvent<
  'DealExpectedCloseDateChanged',
  { date: string; previous?: string }
>;
export type DealExpectedShipMonthChanged = DomainEvent<
  'DealExpectedShipMonthChanged',
  { month: string; previous?: string }
>;
export type DealIncotermChanged = DomainEvent<
  'DealIncotermChanged',
  { incoterm: Incoterm; previous?: Incoterm }
>;
export type DealPaymentTermChanged = DomainEvent<
  'DealPaymentTermChanged',
  { paymentTerm: PaymentTerm; risk: RiskLevel; previous?: PaymentTerm }
>;
export type DealDeliveryRisksChanged = DomainEvent<
  'DealDeliveryRisksChanged',
  { risks: DeliveryRisk[]; previous: DeliveryRisk[] }
>;
export type DealContactChanged = DomainEvent<
  'DealContactChanged',
  { contactId: string; previous?: string }
>;
/** The targets in force after the change; null means none. */
export type DealMarginTargetsSet = DomainEvent<
  'DealMarginTargetsSet',
  { floorPrice: Money | null; targetMargin: MarginBand | null }
>;

export type ApprovalReason =
  'below_floor_price' | 'below_target_margin' | 'above_target_margin' | 'margin_unknown';

export interface PricedOffer {
  lines?: QuoteLine[];
  total: Money;
  cost?: Money;
  /** Gross margin as a fraction of the total, rounded to 4 places. */
  margin?: number;
}

export interface PricedOption extends PricedOffer {
  tier: QuoteTier;
  description: string;
}

export type QuoteDrafted = DomainEvent<
  'QuoteDrafted',
  PricedOffer & {
    quoteId: string;
    version: number;
    incoterm: Incoterm;
    paymentTerm: PaymentTerm;
    moq: number;
    leadTimeDays: number;
    validUntil: string;
    options?: PricedOption[];
    approval: {
      required: boolean;
      reasons: { offer: 'main' | QuoteTier; reason: ApprovalReason }[];
    };
  }
>;
export type QuoteApprovalRequested = DomainEvent<
  'QuoteApprovalRequested',
  { quoteId: string; version: number; note?: string }
>;
export type QuoteApproved = DomainEvent<
  'QuoteApproved',
  { quoteId: string; version: number; approvedBy: string; note?: string }
>;
export type QuoteRejected = DomainEvent<
  'QuoteRejected',
  { quoteId: string; version: number; rejectedBy: string; reason: string }
>;
export type QuoteSent = DomainEvent<
  'QuoteSent',
  { quoteId: string; version: number; total: Money; validUntil: string }
>;
export type QuoteSuperseded = DomainEvent<
  'QuoteSuperseded',
  { quoteId: string; version: number; supersededBy: { quoteId: string; version: number } }
>;

export type DealActivityLogged = DomainEvent<
  'DealActivityLogged',
  {
    activityId: string;
    kind: ActivityKind;
    direction: ActivityDirection;
    summary: string;
    at: string;
    contactId?: string;
  }
>;

export type DealWon = DomainEvent<
  'DealWon',
  { orderReference: string; stage: string; amount: Money; policy: PolicyRef }
>;
export type DealLost = DomainEvent<
  'DealLost',
  {
    reasonCode: string;
    reason: string;
    subReason: string;
    note?: string;
    stage: string;
    policy: PolicyRef;
  }
>;
export type DealReopened = DomainEvent<
  'DealReopened',
  { stage: string; previousOutcome: 'won' | 'lost'; reason: string }
>;

export type DealPaymentRecorded = DomainEvent<
  'DealPaymentRecorded',
  {
    paymentId: string;
    amount: Money;
    receivedOn: string;
    amountInDealCurrency: Money;
    totalPaid: Money;
    outstanding: Money;
  }
>;
/** paidOn is the latest receivedOn among the payments. */
export type DealPaidInFull = DomainEvent<'DealPaidInFull', { totalPaid: Money; paidOn: string }>;

export type DealOwnerTransferred = DomainEvent<
  'DealOwnerTransferred',
  { from: string; to: string; reason: string; cause: Cause }
>;

/** Raised by automation; `stage` is the open stage the deal sat in. */
export type DealFlaggedStale = DomainEvent<
  'DealFlaggedStale',
  { idleSince: string; staleAfterDays: number; stage: string; taskId?: string }
>;
export type DealStaleFlagCleared = DomainEvent<
  'DealStaleFlagCleared',
  { idleSince: string; reason: StaleFlagClearReason }
>;

export type DealEvent =
  | DealOpened
  | DealStageChanged
  | DealAmountChanged
  | DealExpectedCloseDateChanged
  | DealExpectedShipMonthChanged
  | DealIncotermChanged
  | DealPaymentTermChanged
  | DealDeliveryRisksChanged
  | DealContactChanged
  | DealMarginTargetsSet
  | QuoteDrafted
  | QuoteApprovalRequested
  | QuoteApproved
  | QuoteRejected
  | QuoteSent
  | QuoteSuperseded
  | DealActivityLogged
  | DealWon
  | DealLost
  | DealReopened
  | DealPaymentRecorded
  | DealPaidInFull
  | DealOwnerTransferred
  | DealFlaggedStale
  | DealStaleFlagCleared;
