import { Cause } from '../shared/cause';
import { SourceChannel } from '../shared/channels';
import { Incoterm, PaymentMethod } from '../shared/trade-terms';

export const CUSTOMER_TYPES = ['manufacturer', 'trader', 'distributor'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const GRADES = ['A', 'B', 'C'] as const;
export type Grade = (typeof GRADES)[number];

/** Annual purchase volume, in USD equivalent. */
export const PURCHASE_VOLUME_BANDS = [
  'under_50k',
  '50k_200k',
  '200k_1m',
  '1m_5m',
  'over_5m',
] as const;
export type PurchaseVolumeBand = (typeof PURCHASE_VOLUME_BANDS)[number];

export const PURCHASE_CYCLES = [
  'one_off',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'project_based',
] as const;
export type PurchaseCycle = (typeof PURCHASE_CYCLES)[number];

export const CERTIFICATIONS = [
  'CE',
  'UL',
  'RoHS',
  'REACH',
  'FCC',
  'ETL',
  'CB',
  'UKCA',
  'CCC',
  'SAA',
  'ISO9001',
  'other',
] as const;
export type Certification = (typeof CERTIFICATIONS)[number];

export const SENSITIVITIES = ['low', 'medium', 'high'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const CONTACT_ROLES = ['purchasing', 'engineering', 'quality', 'finance', 'owner'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const LIFECYCLE_STAGES = [
  'potential',
  'active',
  'won',
  'repeat',
  'dormant',
  'lost',
] as const;
export type Lifecycle = (typeof LIFECYCLE_STAGES)[number];

/** What a sales team records about a customer company. Owner, grade and lifecycle have their own commands. */
export interface AccountProfile {
  name: string;
  country: string;
  website: string;
  mainProducts: string[];
  customerType: CustomerType;
  sourceChannel: SourceChannel;
  purchaseVolumeBand?: PurchaseVolumeBand;
  purchaseCycle?: PurchaseCycle;
  /** ISO 3166-1 alpha-2 codes of the countries the customer sells into. */
  targetMarkets?: string[];
  certifications?: Certification[];
  competitorBrands?: string[];
  priceSensitivity?: Sensitivity;
  leadTimeSensitivity?: Sensitivity;
  timeZone?: string;
  /** BCP 47 tag of the language the customer prefers. */
  language?: string;
  ports?: string[];
  incoterms?: Incoterm[];
  /** The payment methods the customer accepts. */
  paymentTerms?: PaymentMethod[];
}

export type RequiredProfileField =
  'name' | 'country' | 'website' | 'mainProducts' | 'customerType' | 'sourceChannel';

/** Changed fields only; null clears an optional field. Required fields can be changed, never cleared. */
export type AccountProfileChanges = Partial<Pick<AccountProfile, RequiredProfileField>> & {
  [K in Exclude<keyof AccountProfile, RequiredProfileField>]?: AccountProfile[K] | null;
};

export interface RegisterAccount extends AccountProfile {
  accountId: string;
  ownerId: string;
  grade: Grade;
  /** Defaults to potential; imports of existing customers may start further along. */
  lifecycle?: Lifecycle;
}

export interface UpdateAccountProfile {
  accountId: string;
  changes: AccountProfileChanges;
}

export interface ChangeGrade {
  accountId: string;
  grade: Grade;
  reason: string;
}

export interface ChangeLifecycle {
  accountId: string;
  to: Lifecycle;
  reason: string;
  cause: Cause;
}

export interface ContactDetails {
  name: string;
  email?: string;
  /** E.164. */
  phone?: string;
  role: ContactRole;
  title?: string;
}

export interface AddContact extends ContactDetails {
  accountId: string;
  contactId: string;
}

export interface UpdateContact {
  accountId: string;
  contactId: string;
  /** Changed fields only; null clears email, phone or title. */
  changes: Partial<Pick<ContactDetails, 'name' | 'role'>> & {
    email?: string | null;
    phone?: string | null;
    title?: string | null;
  };
}

export interface RemoveContact {
  accountId: string;
  contactId: string;
  reason: string;
}

export interface TransferAccountOwnership {
  accountId: string;
  /** The owner the requester saw; a mismatch means someone else moved it meanwhile. */
  from: string;
  to: string;
  reason: string;
  cause: Cause;
}

/** Sent to the account being absorbed. mergeId is derived from the command id by the application. */
export interface MergeAccountInto {
  accountId: string;
  survivorId: string;
  mergeId: string;
  reason: string;
  cause: Cause;
}

/** Second step of a merge, sent to the survivor with what AccountMergedInto recorded. */
export interface AbsorbAccount {
  accountId: string;
  mergedId: string;
  mergeId: string;
  contacts: Contact[];
}

/**
 * Sent to the merged account. `returnedContacts` are the moved contacts still on the survivor, with
 * their current details, read from the survivor by the application.
 */
export interface UnmergeAccount {
  accountId: string;
  reason: string;
  cause: Cause;
  returnedContacts: Contact[];
}

/** Second step of an unmerge, sent to the survivor with what AccountUnmerged recorded. */
export interface ReleaseMergedAccount {
  accountId: string;
  mergedId: string;
  mergeId: string;
  contactIds: string[];
}

export interface Contact extends ContactDetails {
  contactId: string;
}

export type AccountCommand =
  | { type: 'RegisterAccount'; data: RegisterAccount }
  | { type: 'UpdateAccountProfile'; data: UpdateAccountProfile }
  | { type: 'ChangeGrade'; data: ChangeGrade }
  | { type: 'ChangeLifecycle'; data: ChangeLifecycle }
  | { type: 'AddContact'; data: AddContact }
  | { type: 'UpdateContact'; data: UpdateContact }
  | { type: 'RemoveContact'; data: RemoveContact }
  | { type: 'TransferAccountOwnership'; data: TransferAccountOwnership }
  | { type: 'MergeAccountInto'; data: MergeAccountInto }
  | { type: 'AbsorbAccount'; data: AbsorbAccount }
  | { type: 'UnmergeAccount'; data: UnmergeAccount }
  | { type: 'ReleaseMergedAccount'; data: ReleaseMergedAccount };
