/** Incoterms 2020. */
export const INCOTERMS = [
  'EXW',
  'FCA',
  'FAS',
  'FOB',
  'CFR',
  'CIF',
  'CPT',
  'CIP',
  'DAP',
  'DPU',
  'DDP',
] as const;
export type Incoterm = (typeof INCOTERMS)[number];

/** Telegraphic transfer, letter of credit, open account, documents against payment or acceptance. */
export const PAYMENT_METHODS = ['T/T', 'L/C', 'OA', 'D/P', 'D/A'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** e.g. 30 % T/T in advance, balance against B/L copy: { method: 'T/T', advancePercent: 30 }. */
export interface PaymentTerm {
  method: PaymentMethod;
  advancePercent?: number;
  /** Days of credit after shipment or documents (OA 60 days, D/A 90 days). */
  creditDays?: number;
}

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * The usual exporter's view of collection risk, used when nobody states one: cash in advance or a
 * letter of credit is safe, documents against payment or a part deposit is a middle ground, and
 * shipping on credit (OA, D/A, T/T after shipment) is the risky end.
 */
export const usualPaymentTermRisk = (term: PaymentTerm): RiskLevel => {
  const advance = term.advancePercent ?? 0;
  if (advance >= 100 || term.method === 'L/C') return 'low';
  if (term.method === 'D/P' || (term.method === 'T/T' && advance >= 30)) return 'medium';
  return 'high';
};
