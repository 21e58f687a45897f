/** The channels an inquiry arrives through. */
export const INQUIRY_CHANNELS = [
  'website_form',
  'alibaba',
  'made_in_china',
  'trade_show',
  'linkedin',
  'facebook',
  'email',
  'other',
] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

/**
 * Where an account or a deal came from: any inquiry channel, or a referral, which brings a customer
 * without an inquiry of its own.
 */
export const SOURCE_CHANNELS = [...INQUIRY_CHANNELS, 'referral'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];
