import { Cause } from '../shared/cause';
import { SourceChannel } from '../shared/channels';
import { Money } from '../shared/money';
import { Incoterm, PaymentTerm, RiskLevel } from '../shared/trade-terms';

type Command<Type extends string, Data> = { type: Type; data: Data };

/** Fractions, e.g. { min: 0.18, max: 0.35 } for an 18–35 % gross margin target. */
export interface MarginBand {
  min: number;
  max: number;
}

export const DELIVERY_RISKS = ['custom_parts', 'long_lead_materials', 'certification'] as const;
export type DeliveryRisk = (typeof DELIVERY_RISKS)[number];

export const ACTIVITY_KINDS = ['email', 'call', 'im', 'meeting', 'visit'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ActivityDirection = (typeof ACTIVITY_DIRECTIONS)[number];

export interface QuoteLine {
  sku?: string;
  description: string;
  /** Whole units of `unit`; quote in kg rather than 0.5 t so line totals stay exact. */
  quantity: number;
  unit?: string;
  unitPriceMinor: number;
  unitCostMinor?: number;
}

/** Priced either line by line or as one total; cost (per line or in total) lets us compute margin. */
export interface QuoteOffer {
  lines?: QuoteLine[];
  totalMinor?: number;
  costMinor?: number;
}

export type QuoteTier = 'good' | 'better' | 'best';

export interface QuoteOption extends QuoteOffer {
  tier: QuoteTier;
  description: string;
}

export type OpenDeal = Command<
  'OpenDeal',
  {
    dealId: string;
    accountId: string;
    title: string;
    ownerId: string;
    channel: SourceChannel;
    /** ISO 3166-1 alpha-2. */
    country: string;
    productLine: string;
    originLeadId?: string;
    repeat?: boolean;
    currency: string;
    amount?: Money;
    incoterm?: Incoterm;
    paymentTerm?: PaymentTerm;
    /** 'YYYY-MM-DD'. */
    expectedCloseDate?: string;
    /** 'YYYY-MM'. */
    expectedShipMonth?: string;
    contactId?: string;
    /** Defaults to the first open stage. */
    firstStage?: string;
  }
>;

export type ChangeStage = Command<'ChangeStage', { to: string; note?: string }>;
export type ChangeDealAmount = Command<'ChangeDealAmount', { amount: Money }>;
export type ChangeExpectedCloseDate = Command<'ChangeExpectedCloseDate', { date: string }>;
export type ChangeExpectedShipMonth = Command<'ChangeExpectedShipMonth', { month: string }>;
export type ChangeIncoterm = Command<'ChangeIncoterm', { incoterm: Incoterm }>;
/** `risk` overrides the usual risk of the payment method. */
export type ChangePaymentTerm = Command<
  'ChangePaymentTerm',
  { paymentTerm: PaymentTerm; risk?: RiskLevel }
>;
export type ChangeDeliveryRisks = Command<'ChangeDeliveryRisks', { risks: DeliveryRisk[] }>;
export type ChangeDealContact = Command<'ChangeDealContact', { contactId: string }>;
/** null clears a target. */
export type SetMarginTargets = Command<
  'SetMarginTargets',
  { floorPrice?: Money | null; targetMargin?: MarginBand | null }
>;

export type DraftQuote = Command<
  'DraftQuote',
  QuoteOffer & {
    quoteId: string;
    currency: string;
    incoterm: Incoterm;
    paymentTerm: PaymentTerm;
    moq: number;
    leadTimeDays: number;
    /** 'YYYY-MM-DD', last day the prices hold. */
    validUntil: string;
    options?: QuoteOption[];
    /** Checked in addition to the deal's own margin targets. */
    floorPrice?: Money;
    targetMargin?: MarginBand;
  }
>;
export type RequestQuoteApproval = Command<
  'RequestQuoteApproval',
  { quoteId: string; note?: string }
>;
export type ApproveQuote = Command<'ApproveQuote', { quoteId: string; note?: string }>;
export type RejectQuote = Command<'RejectQuote', { quoteId: string; reason: string }>;
export type SendQuote = Command<'SendQuote', { quoteId: string }>;

export type LogActivity = Command<
  'LogActivity',
  {
    activityId: string;
    kind: ActivityKind;
    direction: ActivityDirection;
    summary: string;
    /** ISO timestamp of when it happened. */
    at: string;
    contactId?: string;
  }
>;

export type MarkWon = Command<'MarkWon', { orderReference: string }>;
/** reasonCode is '<reason>.<sub-reason>' from the loss-reason policy, e.g. 'price.competitor_cheaper'. */
export type MarkLost = Command<'MarkLost', { reasonCode: string; note?: string }>;
export type ReopenDeal = Command<'ReopenDeal', { reason: string }>;

export type RecordPayment = Command<
  'RecordPayment',
  {
    paymentId: string;
    amount: Money;
    /** 'YYYY-MM-DD'. */
    receivedOn: string;
    /** Required when `amount` is not in the deal currency: the amount the bank actually credited. */
    amountInDealCurrency?: Money;
  }
>;

/** Without a cause, the acting user is the cause. */
export type TransferDealOwner = Command<
  'TransferDealOwner',
  { to: string; reason: string; cause?: Cause }
>;

/** Why the stale flag comes off: the deal moved again, or it was closed. */
export const STALE_FLAG_CLEAR_REASONS = ['activity_resumed', 'deal_won', 'deal_lost'] as const;
export type StaleFlagClearReason = (typeof STALE_FLAG_CLEAR_REASONS)[number];

/**
 * Automation only (the stale-deals saga): the deal has had no activity since `idleSince` for the
 * stage's `staleAfterDays`; `taskId` names the "close as lost, with a reason?" task it raised.
 */
export type FlagDealStale = Command<
  'FlagDealStale',
  { idleSince: string; staleAfterDays: number; taskId?: string }
>;
export type ClearDealStaleFlag = Command<'ClearDealStaleFlag', { reason: StaleFlagClearReason }>;

export type DealCommand =
  | OpenDeal
  | ChangeStage
  | ChangeDealAmount
  | ChangeExpectedCloseDate
  | ChangeExpectedShipMonth
  | ChangeIncoterm
  | ChangePaymentTerm
  | ChangeDeliveryRisks
  | ChangeDealContact
  | SetMarginTargets
  | DraftQuote
  | RequestQuoteApproval
  | ApproveQuote
  | RejectQuote
  | SendQuote
  | LogActivity
  | MarkWon
  | MarkLost
  | ReopenDeal
  | RecordPayment
  | TransferDealOwner
  | FlagDealStale
  | ClearDealStaleFlag;
