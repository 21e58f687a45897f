// The stage policy's entry requirements, checked before a move is sent: the same facts the
// server's guard looks at (domain/deal/deal.guards.ts). The server still decides.
const FACTS = {
  amount: (deal) => deal.amount !== undefined,
  incoterm: (deal) => deal.incoterm !== undefined,
  payment_term: (deal) => deal.paymentTerm !== undefined,
  expected_close_date: (deal) => deal.expectedCloseDate !== undefined,
  expected_ship_month: (deal) => deal.expectedShipMonth !== undefined,
  contact: (deal) => deal.contactId !== undefined,
  sent_quote: (deal) => deal.currentQuoteId !== undefined,
};

/** What a forward move into `target` still lacks; a step back is never blocked. */
export function missingRequirements(stages, deal, target) {
  const index = (key) => stages.findIndex((stage) => stage.key === key);
  if (index(target) <= index(deal.stage)) return [];
  const requirements = stages[index(target)]?.entryRequirements ?? [];
  return requirements.filter((requirement) => !(FACTS[requirement]?.(deal) ?? false));
}
