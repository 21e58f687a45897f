import lossReasonsDefault from '../../config/policies/loss-reasons.default.json';
import stagesDefault from '../../config/policies/stages.default.json';
import { DealCommand, DraftQuote, OpenDeal } from '../../domain/deal/deal.commands';
import { dealDecider, DealPolicies } from '../../domain/deal/deal.decider';
import { DealEvent, DealOpened, QuoteDrafted } from '../../domain/deal/deal.events';
import { Deal } from '../../domain/deal/deal.state';
import { LossReasonPolicy } from '../../domain/policies/loss-reason-policy';
import { StagePolicy } from '../../domain/policies/stage-policy';
import { fold } from '../../domain/shared/decider';
import { Role } from '../../domain/shared/roles';
import { specify } from './decider-spec';

const policies: DealPolicies = {
  stages: stagesDefault as StagePolicy,
  lossReasons: lossReasonsDefault as LossReasonPolicy,
};
const STAGES = { id: 'stages.default', version: 1 };
const LOSS_REASONS = { id: 'loss-reasons.default', version: 1 };
const manager = { actor: { userId: 'u-mgr-1', role: 'manager' satisfies Role } };
const system = { actor: { userId: 'system', role: 'system' satisfies Role } };

const deal = specify(dealDecider, policies);
const usd = (minor: number) => ({ minor, currency: 'USD' });

// ---- history builders --------------------------------------------------------------------------

const opened = (data: Partial<DealOpened['data']> = {}): DealEvent => ({
  type: 'DealOpened',
  data: {
    dealId: 'd-1',
    accountId: 'a-1',
    title: '2,000 LED panels for Dubai',
    ownerId: 'u-rep-1',
    channel: 'alibaba',
    country: 'AE',
    productLine: 'led-panels',
    repeat: false,
    currency: 'USD',
    stage: 'initial_contact',
    policy: STAGES,
    ...data,
  },
});
const readyForProposal = (): DealEvent => opened({ amount: usd(4_000_000), incoterm: 'FOB' });
const movedTo = (
  from: string,
  to: string,
  direction: 'forward' | 'backward',
  reentry = false,
): DealEvent => ({
  type: 'DealStageChanged',
  data: { from, to, direction, reentry, policy: STAGES },
});
const drafted = (
  quoteId: string,
  version: number,
  extra: Partial<QuoteDrafted['data']> = {},
): DealEvent => ({
  type: 'QuoteDrafted',
  data: {
    quoteId,
    version,
    total: usd(3_800_000),
    incoterm: 'FOB',
    paymentTerm: { method: 'T/T', advancePercent: 30 },
    moq: 500,
    leadTimeDays: 35,
    validUntil: '2026-03-31',
    approval: { required: false, reasons: [] },
    ...extra,
  },
});
const needingApproval = (quoteId: string, version: number): DealEvent =>
  drafted(quoteId, version, {
    approval: { required: true, reasons: [{ offer: 'main', reason: 'below_floor_price' }] },
  });
const sent = (quoteId: string, version: number, total = usd(3_800_000)): DealEvent => ({
  type: 'QuoteSent',
  data: { quoteId, version, total, validUntil: '2026-03-31' },
});
const won = (amount = usd(4_000_000), stage = 'negotiation'): DealEvent => ({
  type: 'DealWon',
  data: { orderReference: 'PO-7781', stage, amount, policy: STAGES },
});
const lost = (stage = 'proposal'): DealEvent => ({
  type: 'DealLost',
  data: {
    reasonCode: 'price.competitor_cheaper',
    reason: 'price',
    subReason: 'competitor_cheaper',
    stage,
    policy: LOSS_REASONS,
  },
});
const paid = (
  paymentId: string,
  minor: number,
  receivedOn: string,
  totalMinor: number,
  dealMinor = 4_000_000,
): DealEvent => ({
  type: 'DealPaymentRecorded',
  data: {
    paymentId,
    amount: usd(minor),
    receivedOn,
    amountInDealCurrency: usd(minor),
    totalPaid: usd(totalMinor),
    outstanding: usd(dealMinor - totalMinor),
  },
});

// ---- command builders --------------------------------------------------------------------------

const openDeal = (data: Partial<OpenDeal['data']> = {}): DealCommand => ({
  type: 'OpenDeal',
  data: {
    dealId: 'd-1',
    accountId: 'a-1',
    title: '2,000 LED panels for Dubai',
    ownerId: 'u-rep-1',
    channel: 'alibaba',
    country: 'AE',
    productLine: 'led-panels',
    currency: 'USD',
    ...data,
  },
});
const draftQuote = (data: Partial<DraftQuote['data']> = {}): DealCommand => ({
  type: 'DraftQuote',
  data: {
    quoteId: 'q-1',
    currency: 'USD',
    lines: [
      {
        sku: 'LP-600',
        description: 'LED panel 600x600 40W',
        quantity: 2000,
        unit: 'pcs',
        unitPriceMinor: 1900,
        unitCostMinor: 1400,
      },
    ],
    incoterm: 'FOB',
    paymentTerm: { method: 'T/T', advancePercent: 30 },
    moq: 500,
    leadTimeDays: 35,
    validUntil: '2026-03-31',
    ...data,
  },
});

// ---- specifications ----------------------------------------------------------------------------

describe('Deal', () => {
  describe('OpenDeal', () => {
    it('opens in the first open stage, naming the stage policy', () => {
      deal.given([]).when(openDeal()).then([opened()]);
    });

    it('keeps the trade facts given, the repeat flag and the originating lead', () => {
      deal
        .given([])
        .when(
          openDeal({
            originLeadId: 'l-9',
            repeat: true,
            amount: usd(4_000_000),
            incoterm: 'FOB',
            paymentTerm: { method: 'L/C' },
            expectedCloseDate: '2026-04-30',
            expectedShipMonth: '2026-06',
            contactId: 'c-1',
            firstStage: 'proposal',
          }),
        )
        .then([
          opened({
            originLeadId: 'l-9',
            repeat: true,
            amount: usd(4_000_000),
            incoterm: 'FOB',
            paymentTerm: { method: 'L/C' },
            paymentTermRisk: 'low',
            expectedCloseDate: '2026-04-30',
            expectedShipMonth: '2026-06',
            contactId: 'c-1',
            stage: 'proposal',
          }),
        ]);
    });

    it('takes any source channel, including a referral that came without an inquiry', () => {
      deal
        .given([])
        .when(openDeal({ channel: 'referral', repeat: true }))
        .then([opened({ channel: 'referral', repeat: true })]);
    });

    it('refuses to open the same deal twice', () => {
      deal
        .given([opened()])
        .when(openDeal())
        .thenThrows('deal.already_opened', /already been opened/);
    });

    it('refuses a first stage the policy does not have', () => {
      const error = deal
        .given([])
        .when(openDeal({ firstStage: 'samples' }))
        .thenThrows('deal.stage.unknown', /samples/);
      expect(error.field).toBe('firstStage');
    });

    it('applies the first stage’s entry requirements', () => {
      const error = deal
        .given([])
        .when(openDeal({ firstStage: 'proposal', amount: usd(100_00) }))
        .thenThrows('deal.stage.requirement_missing', /Incoterm/);
      expect(error.field).toBe('incoterm');
    });

    it.each([
      [{ title: ' ' }, 'deal.field.required', 'title', /Deal title/],
      [{ ownerId: undefined as unknown as string }, 'deal.field.required', 'ownerId', /Owner/],
      [{ currency: 'DOLLAR' }, 'deal.field.invalid', 'currency', /ISO 4217/],
      [{ country: 'UAE' }, 'deal.field.invalid', 'country', /two-letter/],
      [{ amount: { minor: 100, currency: 'EUR' } }, 'deal.currency_mismatch', 'amount', /EUR.*USD/],
      [{ amount: usd(0) }, 'deal.field.invalid', 'amount', /more than zero/],
      [{ incoterm: 'FOX' as never }, 'deal.field.invalid', 'incoterm', /FOB/],
      [{ expectedCloseDate: '2026-02-30' }, 'deal.field.invalid', 'expectedCloseDate', /date like/],
      [{ expectedShipMonth: '2026-13' }, 'deal.field.invalid', 'expectedShipMonth', /month like/],
      [
        { paymentTerm: { method: 'cash' as never } },
        'deal.field.invalid',
        'paymentTerm.method',
        /T\/T/,
      ],
      [
        { paymentTerm: { method: 'TT' as never } },
        'deal.field.invalid',
        'paymentTerm.method',
        /T\/T, L\/C, OA, D\/P, D\/A/,
      ],
      [{ channel: 'fax' as never }, 'deal.field.invalid', 'channel', /alibaba.*referral/],
      [{ channel: '' as never }, 'deal.field.required', 'channel', /Channel/],
    ])('refuses invalid input %j', (data, code, field, message) => {
      expect(deal.given([]).when(openDeal(data)).thenThrows(code, message).field).toBe(field);
    });

    it('refuses any other command before the deal is opened', () => {
      deal
        .given([])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .thenThrows('deal.not_found', /not been opened/);
    });
  });

  describe('ChangeStage', () => {
    it('moves forward, skipping stages whose requirements do not apply', () => {
      deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'sample', note: 'Buyer wants 5 samples' } })
        .then([
          {
            type: 'DealStageChanged',
            data: {
              from: 'initial_contact',
              to: 'sample',
              direction: 'forward',
              reentry: false,
              note: 'Buyer wants 5 samples',
              policy: STAGES,
            },
          },
        ]);
    });

    it('refuses entering Proposal without amount and Incoterm, naming them', () => {
      const error = deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .thenThrows('deal.stage.requirement_missing', /Proposal.*amount, Incoterm/);
      expect(error.field).toBe('amount');
      expect(error.details).toEqual({ stage: 'proposal', missing: ['amount', 'incoterm'] });
    });

    it('names the Incoterm as the missing field when only it is missing', () => {
      const error = deal
        .given([opened({ amount: usd(4_000_000) })])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .thenThrows('deal.stage.requirement_missing', /Incoterm/);
      expect(error.field).toBe('incoterm');
    });

    it('enters Proposal once amount and Incoterm are known', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .then([movedTo('initial_contact', 'proposal', 'forward')]);
    });

    it('only checks the target’s requirements when skipping: Negotiation needs a sent quote', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeStage', data: { to: 'negotiation' } })
        .thenThrows('deal.stage.requirement_missing', /a sent quote/);
      deal
        .given([readyForProposal(), drafted('q-1', 1), sent('q-1', 1)])
        .when({ type: 'ChangeStage', data: { to: 'negotiation' } })
        .then([movedTo('initial_contact', 'negotiation', 'forward')]);
    });

    it('moves backward as a re-entry, without checking requirements', () => {
      deal
        .given([opened(), movedTo('initial_contact', 'sample', 'forward')])
        .when({ type: 'ChangeStage', data: { to: 'initial_contact' } })
        .then([movedTo('sample', 'initial_contact', 'backward', true)]);
      deal
        .given([opened({ stage: 'negotiation' })])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .then([movedTo('negotiation', 'proposal', 'backward', false)]);
    });

    it('marks a forward move into a stage visited before as a re-entry', () => {
      deal
        .given([
          opened(),
          movedTo('initial_contact', 'sample', 'forward'),
          movedTo('sample', 'initial_contact', 'backward', true),
        ])
        .when({ type: 'ChangeStage', data: { to: 'sample' } })
        .then([movedTo('initial_contact', 'sample', 'forward', true)]);
    });

    it('refuses the stage the deal is already in', () => {
      deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'initial_contact' } })
        .thenThrows('deal.stage.unchanged', /already in Initial contact/);
    });

    it('refuses an unknown stage, pointing outcomes to Mark won / Mark lost', () => {
      deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'quoting' } })
        .thenThrows('deal.stage.unknown', /"quoting" is not an open stage/);
      deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'won' } })
        .thenThrows('deal.stage.unknown', /Mark won/);
    });

    it('refuses to move a closed deal', () => {
      deal
        .given([readyForProposal(), won(usd(4_000_000), 'initial_contact')])
        .when({ type: 'ChangeStage', data: { to: 'sample' } })
        .thenThrows('deal.closed', /already won; reopen/);
    });
  });

  describe('deal details', () => {
    it('changes the amount, remembering the previous one', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeDealAmount', data: { amount: usd(4_500_000) } })
        .then([
          {
            type: 'DealAmountChanged',
            data: { amount: usd(4_500_000), previous: usd(4_000_000), cause: 'manual' },
          },
        ]);
      deal
        .given([opened()])
        .when({ type: 'ChangeDealAmount', data: { amount: usd(1) } })
        .then([{ type: 'DealAmountChanged', data: { amount: usd(1), cause: 'manual' } }]);
    });

    it('records nothing when a value is resubmitted unchanged', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeDealAmount', data: { amount: usd(4_000_000) } })
        .then([]);
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeIncoterm', data: { incoterm: 'FOB' } })
        .then([]);
    });

    it('refuses an amount in another currency or not above zero', () => {
      deal
        .given([opened()])
        .when({ type: 'ChangeDealAmount', data: { amount: { minor: 5, currency: 'EUR' } } })
        .thenThrows('deal.currency_mismatch', /EUR/);
      deal
        .given([opened()])
        .when({ type: 'ChangeDealAmount', data: { amount: usd(-5) } })
        .thenThrows('deal.field.invalid', /more than zero/);
      deal
        .given([opened()])
        .when({ type: 'ChangeDealAmount', data: { amount: { minor: 1.5, currency: 'USD' } } })
        .thenThrows('deal.field.invalid', /whole number/);
    });

    it('changes the expected close date and ship month', () => {
      deal
        .given([opened({ expectedCloseDate: '2026-04-30' })])
        .when({ type: 'ChangeExpectedCloseDate', data: { date: '2026-05-15' } })
        .then([
          {
            type: 'DealExpectedCloseDateChanged',
            data: { date: '2026-05-15', previous: '2026-04-30' },
          },
        ]);
      deal
        .given([opened()])
        .when({ type: 'ChangeExpectedShipMonth', data: { month: '2026-07' } })
        .then([{ type: 'DealExpectedShipMonthChanged', data: { month: '2026-07' } }]);
    });

    it('refuses dates and months that do not exist', () => {
      deal
        .given([opened()])
        .when({ type: 'ChangeExpectedCloseDate', data: { date: '31/05/2026' } })
        .thenThrows('deal.field.invalid', /Expected close date/);
      deal
        .given([opened()])
        .when({ type: 'ChangeExpectedShipMonth', data: { month: '2026-7' } })
        .thenThrows('deal.field.invalid', /Expected ship month/);
    });

    it('changes the Incoterm', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'ChangeIncoterm', data: { incoterm: 'CIF' } })
        .then([{ type: 'DealIncotermChanged', data: { incoterm: 'CIF', previous: 'FOB' } }]);
      deal
        .given([opened()])
        .when({ type: 'ChangeIncoterm', data: { incoterm: 'FOBB' as never } })
        .thenThrows('deal.field.invalid', /Incoterm must be one of/);
    });

    it('changes the payment term with its usual risk unless a risk is stated', () => {
      deal
        .given([opened()])
        .when({
          type: 'ChangePaymentTerm',
          data: { paymentTerm: { method: 'OA', creditDays: 60 } },
        })
        .then([
          {
            type: 'DealPaymentTermChanged',
            data: { paymentTerm: { method: 'OA', creditDays: 60 }, risk: 'high' },
          },
        ]);
      deal
        .given([opened({ paymentTerm: { method: 'L/C' }, paymentTermRisk: 'low' })])
        .when({
          type: 'ChangePaymentTerm',
          data: { paymentTerm: { method: 'T/T', advancePercent: 30 } },
        })
        .then([
          {
            type: 'DealPaymentTermChanged',
            data: {
              paymentTerm: { method: 'T/T', advancePercent: 30 },
              risk: 'medium',
              previous: { method: 'L/C' },
            },
          },
        ]);
      deal
        .given([opened()])
        .when({
          type: 'ChangePaymentTerm',
          data: { paymentTerm: { method: 'D/A', creditDays: 90 }, risk: 'medium' },
        })
        .then([
          {
            type: 'DealPaymentTermChanged',
            data: { paymentTerm: { method: 'D/A', creditDays: 90 }, risk: 'medium' },
          },
        ]);
    });

    it('refuses a payment term it cannot read', () => {
      deal
        .given([opened()])
        .when({
          type: 'ChangePaymentTerm',
          data: { paymentTerm: { method: 'T/T', advancePercent: 130 } },
        })
        .thenThrows('deal.field.invalid', /between 0 and 100/);
      deal
        .given([opened()])
        .when({
          type: 'ChangePaymentTerm',
          data: { paymentTerm: { method: 'T/T' }, risk: 'extreme' as never },
        })
        .thenThrows('deal.field.invalid', /Payment risk/);
    });

    it('flags delivery risks in a fixed order, without repeats', () => {
      deal
        .given([opened()])
        .when({
          type: 'ChangeDeliveryRisks',
          data: { risks: ['certification', 'custom_parts', 'certification'] },
        })
        .then([
          {
            type: 'DealDeliveryRisksChanged',
            data: { risks: ['custom_parts', 'certification'], previous: [] },
          },
        ]);
      deal
        .given([opened()])
        .when({ type: 'ChangeDeliveryRisks', data: { risks: ['weather' as never] } })
        .thenThrows('deal.field.invalid', /long_lead_materials/);
    });

    it('changes the buyer contact', () => {
      deal
        .given([opened({ contactId: 'c-1' })])
        .when({ type: 'ChangeDealContact', data: { contactId: 'c-2' } })
        .then([{ type: 'DealContactChanged', data: { contactId: 'c-2', previous: 'c-1' } }]);
      deal
        .given([opened()])
        .when({ type: 'ChangeDealContact', data: { contactId: '' } })
        .thenThrows('deal.field.required', /Buyer contact/);
    });

    it('lets a manager set and clear the floor price and target margin', () => {
      deal
        .given([opened()])
        .when(
          {
            type: 'SetMarginTargets',
            data: { floorPrice: usd(3_600_000), targetMargin: { min: 0.2, max: 0.4 } },
          },
          manager,
        )
        .then([
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: usd(3_600_000), targetMargin: { min: 0.2, max: 0.4 } },
          },
        ]);
      deal
        .given([
          opened(),
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: usd(3_600_000), targetMargin: { min: 0.2, max: 0.4 } },
          },
        ])
        .when({ type: 'SetMarginTargets', data: { floorPrice: null } }, manager)
        .then([
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: null, targetMargin: { min: 0.2, max: 0.4 } },
          },
        ]);
    });

    it('refuses margin targets from a rep, or ones that make no sense', () => {
      deal
        .given([opened()])
        .when({ type: 'SetMarginTargets', data: { floorPrice: usd(1) } })
        .thenThrows('deal.margin_targets.forbidden', /Only a manager/);
      deal
        .given([opened()])
        .when({ type: 'SetMarginTargets', data: { targetMargin: { min: 0.4, max: 0.2 } } }, manager)
        .thenThrows('deal.field.invalid', /min must not be above/);
      deal
        .given([opened()])
        .when({ type: 'SetMarginTargets', data: { targetMargin: { min: 18, max: 35 } } }, manager)
        .thenThrows('deal.field.invalid', /between 0 and 1/);
    });

    it('refuses detail changes on a closed deal', () => {
      for (const command of [
        { type: 'ChangeDealAmount', data: { amount: usd(1) } },
        { type: 'ChangeExpectedCloseDate', data: { date: '2026-05-01' } },
        { type: 'ChangeExpectedShipMonth', data: { month: '2026-05' } },
        { type: 'ChangeIncoterm', data: { incoterm: 'CIF' } },
        { type: 'ChangePaymentTerm', data: { paymentTerm: { method: 'L/C' } } },
        { type: 'ChangeDeliveryRisks', data: { risks: [] } },
        { type: 'ChangeDealContact', data: { contactId: 'c-2' } },
        { type: 'SetMarginTargets', data: { floorPrice: usd(1) } },
      ] as DealCommand[])
        deal
          .given([opened(), lost('initial_contact')])
          .when(command, manager)
          .thenThrows('deal.closed', /already lost/);
    });
  });

  describe('DraftQuote', () => {
    it('drafts version 1, totalling the lines and working out the margin', () => {
      deal
        .given([readyForProposal()])
        .when(draftQuote())
        .then([
          {
            type: 'QuoteDrafted',
            data: {
              quoteId: 'q-1',
              version: 1,
              lines: [
                {
                  sku: 'LP-600',
                  description: 'LED panel 600x600 40W',
                  quantity: 2000,
                  unit: 'pcs',
                  unitPriceMinor: 1900,
                  unitCostMinor: 1400,
                },
              ],
              total: usd(3_800_000),
              cost: usd(2_800_000),
              margin: 0.2632,
              incoterm: 'FOB',
              paymentTerm: { method: 'T/T', advancePercent: 30 },
              moq: 500,
              leadTimeDays: 35,
              validUntil: '2026-03-31',
              approval: { required: false, reasons: [] },
            },
          },
        ]);
    });

    it('numbers versions in the order they are drafted', () => {
      const [event] = deal
        .given([readyForProposal(), drafted('q-1', 1), drafted('q-2', 2)])
        .when(draftQuote({ quoteId: 'q-3' }))
        .events();
      expect(event).toMatchObject({ type: 'QuoteDrafted', data: { quoteId: 'q-3', version: 3 } });
    });

    it('accepts a quote priced as one total', () => {
      const [event] = deal
        .given([readyForProposal()])
        .when(draftQuote({ lines: undefined, totalMinor: 3_750_000, costMinor: 3_000_000 }))
        .events();
      expect(event.data).toMatchObject({
        total: usd(3_750_000),
        cost: usd(3_000_000),
        margin: 0.2,
      });
      expect(event.data).not.toHaveProperty('lines');
    });

    it('needs approval below the deal’s floor price', () => {
      const [event] = deal
        .given([
          readyForProposal(),
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: usd(3_900_000), targetMargin: null },
          },
        ])
        .when(draftQuote())
        .events();
      expect((event as QuoteDrafted).data.approval).toEqual({
        required: true,
        reasons: [{ offer: 'main', reason: 'below_floor_price' }],
      });
    });

    it('needs approval outside the target margin band given with the draft', () => {
      const approvalFor = (
        targetMargin: { min: number; max: number },
        extra: Partial<DraftQuote['data']> = {},
      ) =>
        (
          deal
            .given([readyForProposal()])
            .when(draftQuote({ targetMargin, ...extra }))
            .events()[0] as QuoteDrafted
        ).data.approval;
      expect(approvalFor({ min: 0.3, max: 0.45 })).toEqual({
        required: true,
        reasons: [{ offer: 'main', reason: 'below_target_margin' }],
      });
      expect(approvalFor({ min: 0.1, max: 0.25 })).toEqual({
        required: true,
        reasons: [{ offer: 'main', reason: 'above_target_margin' }],
      });
      expect(approvalFor({ min: 0.2, max: 0.3 })).toEqual({ required: false, reasons: [] });
      expect(
        approvalFor(
          { min: 0.2, max: 0.3 },
          { lines: [{ description: 'Panel', quantity: 10, unitPriceMinor: 1900 }] },
        ),
      ).toEqual({
        required: true,
        reasons: [{ offer: 'main', reason: 'margin_unknown' }],
      });
    });

    it('checks both the deal’s targets and the draft’s own', () => {
      const [event] = deal
        .given([
          readyForProposal(),
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: null, targetMargin: { min: 0.3, max: 0.5 } },
          },
        ])
        .when(draftQuote({ floorPrice: usd(4_000_000), targetMargin: { min: 0.1, max: 0.4 } }))
        .events();
      expect((event as QuoteDrafted).data.approval.reasons).toEqual([
        { offer: 'main', reason: 'below_target_margin' },
        { offer: 'main', reason: 'below_floor_price' },
      ]);
    });

    it('prices good/better/best options and checks their margin, not the floor', () => {
      const [event] = deal
        .given([
          readyForProposal(),
          {
            type: 'DealMarginTargetsSet',
            data: { floorPrice: usd(3_000_000), targetMargin: { min: 0.2, max: 0.4 } },
          },
        ])
        .when(
          draftQuote({
            options: [
              {
                tier: 'good',
                description: '30W panel',
                totalMinor: 2_600_000,
                costMinor: 2_000_000,
              },
              {
                tier: 'best',
                description: '40W panel with DALI driver',
                lines: [
                  {
                    description: 'DALI panel',
                    quantity: 2000,
                    unitPriceMinor: 2400,
                    unitCostMinor: 2100,
                  },
                ],
              },
            ],
          }),
        )
        .events();
      const data = (event as QuoteDrafted).data;
      expect(data.options).toEqual([
        {
          tier: 'good',
          description: '30W panel',
          total: usd(2_600_000),
          cost: usd(2_000_000),
          margin: 0.2308,
        },
        {
          tier: 'best',
          description: '40W panel with DALI driver',
          lines: [
            {
              description: 'DALI panel',
              quantity: 2000,
              unitPriceMinor: 2400,
              unitCostMinor: 2100,
            },
          ],
          total: usd(4_800_000),
          cost: usd(4_200_000),
          margin: 0.125,
        },
      ]);
      expect(data.approval).toEqual({
        required: true,
        reasons: [{ offer: 'best', reason: 'below_target_margin' }],
      });
    });

    it.each([
      [{ quoteId: 'q-0' }, 'deal.quote.duplicate', 'quoteId', /already exists/],
      [{ currency: 'EUR' }, 'deal.currency_mismatch', 'currency', /EUR.*USD/],
      [{ validUntil: '2026-02-28' }, 'deal.quote.expired', 'validUntil', /already passed/],
      [{ lines: [] }, 'deal.field.required', 'lines', /lines or a total/],
      [{ totalMinor: 100 }, 'deal.field.invalid', 'totalMinor', /does not match the sum/],
      [
        { lines: [{ description: 'Panel', quantity: 0.5, unitPriceMinor: 100 }] },
        'deal.field.invalid',
        'lines[0].quantity',
        /whole number/,
      ],
      [{ moq: 0 }, 'deal.field.invalid', 'moq', /MOQ/],
      [{ paymentTerm: undefined as never }, 'deal.field.required', 'paymentTerm', /Payment term/],
      [
        {
          options: [
            { tier: 'good', description: 'a', totalMinor: 1 },
            { tier: 'good', description: 'b', totalMinor: 2 },
          ],
        },
        'deal.field.invalid',
        'options',
        /only once/,
      ],
    ])('refuses %j', (data, code, field, message) => {
      const error = deal
        .given([readyForProposal(), drafted('q-0', 1)])
        .when(draftQuote(data as Partial<DraftQuote['data']>))
        .thenThrows(code, message);
      expect(error.field).toBe(field);
    });

    it('refuses quoting on a closed deal', () => {
      deal
        .given([readyForProposal(), lost('initial_contact')])
        .when(draftQuote())
        .thenThrows('deal.closed', /reopen/);
    });
  });

  describe('quote approval', () => {
    it('lets a rep ask for approval', () => {
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({
          type: 'RequestQuoteApproval',
          data: { quoteId: 'q-1', note: 'Competitor at 18.50' },
        })
        .then([
          {
            type: 'QuoteApprovalRequested',
            data: { quoteId: 'q-1', version: 1, note: 'Competitor at 18.50' },
          },
        ]);
    });

    it('refuses to ask twice, or for a quote that needs no approval or does not exist', () => {
      deal
        .given([
          readyForProposal(),
          needingApproval('q-1', 1),
          { type: 'QuoteApprovalRequested', data: { quoteId: 'q-1', version: 1 } },
        ])
        .when({ type: 'RequestQuoteApproval', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_already_requested', /already been requested/);
      deal
        .given([readyForProposal(), drafted('q-1', 1)])
        .when({ type: 'RequestQuoteApproval', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_not_required', /needs no approval/);
      deal
        .given([readyForProposal()])
        .when({ type: 'RequestQuoteApproval', data: { quoteId: 'q-9' } })
        .thenThrows('deal.quote.unknown', /no quote q-9/);
    });

    it('lets a manager approve, with or without a request', () => {
      deal
        .given([
          readyForProposal(),
          needingApproval('q-1', 1),
          { type: 'QuoteApprovalRequested', data: { quoteId: 'q-1', version: 1 } },
        ])
        .when(
          { type: 'ApproveQuote', data: { quoteId: 'q-1', note: 'Strategic account' } },
          manager,
        )
        .then([
          {
            type: 'QuoteApproved',
            data: { quoteId: 'q-1', version: 1, approvedBy: 'u-mgr-1', note: 'Strategic account' },
          },
        ]);
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({ type: 'ApproveQuote', data: { quoteId: 'q-1' } }, manager)
        .then([
          { type: 'QuoteApproved', data: { quoteId: 'q-1', version: 1, approvedBy: 'u-mgr-1' } },
        ]);
    });

    it('lets only a manager approve or reject', () => {
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({ type: 'ApproveQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_forbidden', /Only a manager may approve/);
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({ type: 'RejectQuote', data: { quoteId: 'q-1', reason: 'Too cheap' } })
        .thenThrows('deal.quote.approval_forbidden', /Only a manager may reject/);
    });

    it('lets a manager reject with a reason', () => {
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when(
          { type: 'RejectQuote', data: { quoteId: 'q-1', reason: 'Below cost after freight' } },
          manager,
        )
        .then([
          {
            type: 'QuoteRejected',
            data: {
              quoteId: 'q-1',
              version: 1,
              rejectedBy: 'u-mgr-1',
              reason: 'Below cost after freight',
            },
          },
        ]);
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({ type: 'RejectQuote', data: { quoteId: 'q-1', reason: '' } }, manager)
        .thenThrows('deal.field.required', /Reason/);
    });

    it('refuses to decide twice or to approve what needs no approval', () => {
      const approved: DealEvent = {
        type: 'QuoteApproved',
        data: { quoteId: 'q-1', version: 1, approvedBy: 'u-mgr-1' },
      };
      deal
        .given([readyForProposal(), needingApproval('q-1', 1), approved])
        .when({ type: 'RejectQuote', data: { quoteId: 'q-1', reason: 'x' } }, manager)
        .thenThrows('deal.quote.approval_already_decided', /already been approved/);
      deal
        .given([readyForProposal(), needingApproval('q-1', 1), approved])
        .when({ type: 'RequestQuoteApproval', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_already_decided', /approved/);
      deal
        .given([readyForProposal(), drafted('q-1', 1)])
        .when({ type: 'ApproveQuote', data: { quoteId: 'q-1' } }, manager)
        .thenThrows('deal.quote.approval_not_required', /needs no approval/);
    });
  });

  describe('SendQuote', () => {
    it('sends the quote and sets the deal amount to its total', () => {
      deal
        .given([readyForProposal(), drafted('q-1', 1)])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .then([
          sent('q-1', 1),
          {
            type: 'DealAmountChanged',
            data: {
              amount: usd(3_800_000),
              previous: usd(4_000_000),
              cause: 'quote',
              quoteId: 'q-1',
            },
          },
        ]);
    });

    it('supersedes the version sent before', () => {
      deal
        .given([
          readyForProposal(),
          drafted('q-1', 1),
          sent('q-1', 1),
          {
            type: 'DealAmountChanged',
            data: { amount: usd(3_800_000), cause: 'quote', quoteId: 'q-1' },
          },
          drafted('q-2', 2, { total: usd(3_700_000) }),
        ])
        .when({ type: 'SendQuote', data: { quoteId: 'q-2' } })
        .then([
          sent('q-2', 2, usd(3_700_000)),
          {
            type: 'QuoteSuperseded',
            data: { quoteId: 'q-1', version: 1, supersededBy: { quoteId: 'q-2', version: 2 } },
          },
          {
            type: 'DealAmountChanged',
            data: {
              amount: usd(3_700_000),
              previous: usd(3_800_000),
              cause: 'quote',
              quoteId: 'q-2',
            },
          },
        ]);
    });

    it('leaves the amount alone when it already equals the quote total', () => {
      deal
        .given([opened({ amount: usd(3_800_000), incoterm: 'FOB' }), drafted('q-1', 1)])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .then([sent('q-1', 1)]);
    });

    it('sends an approved quote', () => {
      const [event] = deal
        .given([
          readyForProposal(),
          needingApproval('q-1', 1),
          { type: 'QuoteApproved', data: { quoteId: 'q-1', version: 1, approvedBy: 'u-mgr-1' } },
        ])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .events();
      expect(event).toEqual(sent('q-1', 1));
    });

    it('refuses a quote that needs approval, requested or not', () => {
      deal
        .given([readyForProposal(), needingApproval('q-1', 1)])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_required', /manager's approval/);
      deal
        .given([
          readyForProposal(),
          needingApproval('q-1', 1),
          { type: 'QuoteApprovalRequested', data: { quoteId: 'q-1', version: 1 } },
        ])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.approval_required', /approval/);
    });

    it('refuses a rejected quote', () => {
      deal
        .given([
          readyForProposal(),
          needingApproval('q-1', 1),
          {
            type: 'QuoteRejected',
            data: { quoteId: 'q-1', version: 1, rejectedBy: 'u-mgr-1', reason: 'No' },
          },
        ])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.rejected', /rejected/);
    });

    it('refuses an expired quote', () => {
      deal
        .given([readyForProposal(), drafted('q-1', 1, { validUntil: '2026-02-28' })])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.expired', /valid until 2026-02-28/);
      deal
        .given([readyForProposal(), drafted('q-1', 1, { validUntil: '2026-03-01' })])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .events();
    });

    it('refuses sending the same version twice', () => {
      deal
        .given([readyForProposal(), drafted('q-1', 1), sent('q-1', 1)])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.already_sent', /already been sent/);
    });

    it('never lets an old version become current again', () => {
      const history = [
        readyForProposal(),
        drafted('q-1', 1),
        drafted('q-2', 2),
        sent('q-1', 1),
        sent('q-2', 2),
        {
          type: 'QuoteSuperseded',
          data: { quoteId: 'q-1', version: 1, supersededBy: { quoteId: 'q-2', version: 2 } },
        },
        drafted('q-3', 3),
      ] as DealEvent[];
      deal
        .given(history)
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.superseded', /version 1 is older than version 2/);
      deal
        .given([readyForProposal(), drafted('q-1', 1), drafted('q-2', 2), sent('q-2', 2)])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.superseded', /older/);
    });

    it('refuses an unknown quote and a closed deal', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.quote.unknown', /no quote q-1/);
      deal
        .given([readyForProposal(), drafted('q-1', 1), lost('initial_contact')])
        .when({ type: 'SendQuote', data: { quoteId: 'q-1' } })
        .thenThrows('deal.closed', /lost/);
    });
  });

  describe('LogActivity', () => {
    const call = {
      activityId: 'act-1',
      kind: 'call',
      direction: 'outbound',
      summary: 'Buyer confirmed 2,000 pcs, asked for CIF Jebel Ali',
      at: '2026-03-01T08:30:00+01:00',
    } as const;

    it('logs an activity at the time it happened, in UTC', () => {
      deal
        .given([opened()])
        .when({ type: 'LogActivity', data: { ...call, contactId: 'c-1' } })
        .then([
          {
            type: 'DealActivityLogged',
            data: { ...call, at: '2026-03-01T07:30:00.000Z', contactId: 'c-1' },
          },
        ]);
    });

    it('logs after-sales contact on a closed deal too', () => {
      deal
        .given([readyForProposal(), won(usd(4_000_000), 'initial_contact')])
        .when({ type: 'LogActivity', data: call })
        .events();
    });

    it.each([
      [{ at: '2026-03-01T09:00:01Z' }, 'deal.activity.in_future', /future/],
      [{ at: 'this morning' }, 'deal.field.invalid', /date and time/],
      [{ kind: 'fax' }, 'deal.field.invalid', /Activity type/],
      [{ direction: 'sideways' }, 'deal.field.invalid', /Direction/],
      [{ summary: '  ' }, 'deal.field.required', /Summary/],
    ])('refuses %j', (data, code, message) => {
      deal
        .given([opened()])
        .when({ type: 'LogActivity', data: { ...call, ...data } as never })
        .thenThrows(code, message);
    });
  });

  describe('MarkWon', () => {
    it('wins from any open stage with the order reference', () => {
      deal
        .given([readyForProposal()])
        .when({ type: 'MarkWon', data: { orderReference: 'PO-7781' } })
        .then([won(usd(4_000_000), 'initial_contact')]);
    });

    it('refuses without an order reference or an amount', () => {
      const error = deal
        .given([readyForProposal()])
        .when({ type: 'MarkWon', data: { orderReference: '' } })
        .thenThrows('deal.field.required', /Order reference/);
      expect(error.field).toBe('orderReference');
      deal
        .given([opened()])
        .when({ type: 'MarkWon', data: { orderReference: 'PO-1' } })
        .thenThrows('deal.stage.requirement_missing', /Won \/ order.*amount/);
    });

    it('refuses a deal already closed', () => {
      deal
        .given([readyForProposal(), won()])
        .when({ type: 'MarkWon', data: { orderReference: 'PO-2' } })
        .thenThrows('deal.closed', /won/);
      deal
        .given([readyForProposal(), lost()])
        .when({ type: 'MarkWon', data: { orderReference: 'PO-2' } })
        .thenThrows('deal.closed', /lost/);
    });
  });

  describe('MarkLost', () => {
    it('loses from any open stage with a structured reason and a note', () => {
      deal
        .given([opened(), movedTo('initial_contact', 'sample', 'forward')])
        .when({
          type: 'MarkLost',
          data: { reasonCode: 'specification.test_failed', note: 'Flicker at 10 % dimming' },
        })
        .then([
          {
            type: 'DealLost',
            data: {
              reasonCode: 'specification.test_failed',
              reason: 'specification',
              subReason: 'test_failed',
              note: 'Flicker at 10 % dimming',
              stage: 'sample',
              policy: LOSS_REASONS,
            },
          },
        ]);
    });

    it.each(['price', 'price.too_high', 'weather.storm', 'price.competitor_cheaper.extra'])(
      'refuses the reason code %s',
      (reasonCode) => {
        const error = deal
          .given([opened()])
          .when({ type: 'MarkLost', data: { reasonCode } })
          .thenThrows('deal.loss_reason.unknown', /price.competitor_cheaper/);
        expect(error.field).toBe('reasonCode');
      },
    );

    it('refuses a missing reason and a closed deal', () => {
      deal
        .given([opened()])
        .when({ type: 'MarkLost', data: { reasonCode: '' } })
        .thenThrows('deal.field.required', /Loss reason/);
      deal
        .given([opened(), lost()])
        .when({ type: 'MarkLost', data: { reasonCode: 'price.competitor_cheaper' } })
        .thenThrows('deal.closed', /lost/);
    });
  });

  describe('ReopenDeal', () => {
    it('returns a lost deal to the open stage it was last in', () => {
      deal
        .given([opened(), movedTo('initial_contact', 'sample', 'forward'), lost('sample')])
        .when({
          type: 'ReopenDeal',
          data: { reason: 'Buyer came back after the competitor failed' },
        })
        .then([
          {
            type: 'DealReopened',
            data: {
              stage: 'sample',
              previousOutcome: 'lost',
              reason: 'Buyer came back after the competitor failed',
            },
          },
        ]);
    });

    it('returns a won deal too, and the deal can move on from there', () => {
      const history = [
        readyForProposal(),
        movedTo('initial_contact', 'proposal', 'forward'),
        won(usd(4_000_000), 'proposal'),
      ];
      deal
        .given(history)
        .when({ type: 'ReopenDeal', data: { reason: 'Order cancelled' } })
        .then([
          {
            type: 'DealReopened',
            data: { stage: 'proposal', previousOutcome: 'won', reason: 'Order cancelled' },
          },
        ]);
      const reopened: DealEvent = {
        type: 'DealReopened',
        data: { stage: 'proposal', previousOutcome: 'won', reason: 'Order cancelled' },
      };
      deal
        .given([...history, reopened])
        .when({ type: 'ChangeStage', data: { to: 'sample' } })
        .then([movedTo('proposal', 'sample', 'forward')]);
    });

    it('refuses an open deal and a missing reason', () => {
      deal
        .given([opened()])
        .when({ type: 'ReopenDeal', data: { reason: 'x' } })
        .thenThrows('deal.not_closed', /still open/);
      deal
        .given([opened(), lost('initial_contact')])
        .when({ type: 'ReopenDeal', data: { reason: '' } })
        .thenThrows('deal.field.required', /Reason/);
    });
  });

  describe('RecordPayment', () => {
    const wonDeal = [readyForProposal(), won()];

    it('records a deposit and what is still outstanding', () => {
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(1_200_000), receivedOn: '2026-02-27' },
        })
        .then([paid('p-1', 1_200_000, '2026-02-27', 1_200_000)]);
    });

    it('declares the deal paid in full when the payments reach the amount, dated by the latest payment', () => {
      deal
        .given([...wonDeal, paid('p-1', 1_200_000, '2026-03-01', 1_200_000)])
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-2', amount: usd(2_800_000), receivedOn: '2026-02-28' },
        })
        .then([
          paid('p-2', 2_800_000, '2026-02-28', 4_000_000),
          { type: 'DealPaidInFull', data: { totalPaid: usd(4_000_000), paidOn: '2026-03-01' } },
        ]);
    });

    it('takes a payment in another currency at the amount credited in the deal currency', () => {
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: {
            paymentId: 'p-1',
            amount: { minor: 1_000_000, currency: 'EUR' },
            receivedOn: '2026-02-27',
            amountInDealCurrency: usd(1_168_000),
          },
        })
        .then([
          {
            type: 'DealPaymentRecorded',
            data: {
              paymentId: 'p-1',
              amount: { minor: 1_000_000, currency: 'EUR' },
              receivedOn: '2026-02-27',
              amountInDealCurrency: usd(1_168_000),
              totalPaid: usd(1_168_000),
              outstanding: usd(2_832_000),
            },
          },
        ]);
    });

    it('refuses a payment in another currency without the credited amount', () => {
      const error = deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: {
            paymentId: 'p-1',
            amount: { minor: 1_000_000, currency: 'EUR' },
            receivedOn: '2026-02-27',
          },
        })
        .thenThrows('deal.payment.conversion_required', /in EUR.*in USD/);
      expect(error.field).toBe('amountInDealCurrency');
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: {
            paymentId: 'p-1',
            amount: { minor: 1_000_000, currency: 'EUR' },
            receivedOn: '2026-02-27',
            amountInDealCurrency: { minor: 1, currency: 'GBP' },
          },
        })
        .thenThrows('deal.currency_mismatch', /GBP/);
    });

    it('refuses a payment before the deal is won', () => {
      deal
        .given([readyForProposal()])
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(1), receivedOn: '2026-02-27' },
        })
        .thenThrows('deal.payment.not_won', /won deal/);
      deal
        .given([readyForProposal(), lost('initial_contact')])
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(1), receivedOn: '2026-02-27' },
        })
        .thenThrows('deal.payment.not_won', /won deal/);
    });

    it('refuses the same payment twice and payments beyond the amount', () => {
      deal
        .given([...wonDeal, paid('p-1', 1_200_000, '2026-02-27', 1_200_000)])
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(1_200_000), receivedOn: '2026-02-27' },
        })
        .thenThrows('deal.payment.duplicate', /already been recorded/);
      const error = deal
        .given([...wonDeal, paid('p-1', 1_200_000, '2026-02-27', 1_200_000)])
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-2', amount: usd(2_800_001), receivedOn: '2026-02-28' },
        })
        .thenThrows('deal.payment.overpayment', /above the deal amount/);
      expect(error.details).toEqual({ outstanding: usd(2_800_000) });
    });

    it('refuses a future receipt date and an amount that is not money', () => {
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(1), receivedOn: '2026-03-02' },
        })
        .thenThrows('deal.payment.in_future', /future/);
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: {
            paymentId: 'p-1',
            amount: { minor: 1, currency: 'XXY' },
            receivedOn: '2026-03-01',
          },
        })
        .thenThrows('deal.field.invalid', /ISO 4217/);
      deal
        .given(wonDeal)
        .when({
          type: 'RecordPayment',
          data: { paymentId: 'p-1', amount: usd(0), receivedOn: '2026-03-01' },
        })
        .thenThrows('deal.field.invalid', /more than zero/);
    });
  });

  describe('TransferDealOwner', () => {
    it('lets the owner hand the deal over; the acting person is the cause', () => {
      deal
        .given([opened()])
        .when({
          type: 'TransferDealOwner',
          data: { to: 'u-rep-2', reason: 'Moving to the Europe team' },
        })
        .then([
          {
            type: 'DealOwnerTransferred',
            data: {
              from: 'u-rep-1',
              to: 'u-rep-2',
              reason: 'Moving to the Europe team',
              cause: { kind: 'person', id: 'u-rep-1' },
            },
          },
        ]);
    });

    it('records a rule with its version, a saga, the system or an import as the cause', () => {
      const rule = { kind: 'rule', id: 'assignment.gulf', version: 3 } as const;
      deal
        .given([opened()])
        .when(
          {
            type: 'TransferDealOwner',
            data: { to: 'u-rep-3', reason: 'Round robin', cause: rule },
          },
          system,
        )
        .then([
          {
            type: 'DealOwnerTransferred',
            data: { from: 'u-rep-1', to: 'u-rep-3', reason: 'Round robin', cause: rule },
          },
        ]);
      deal
        .given([opened()])
        .when(
          {
            type: 'TransferDealOwner',
            data: {
              to: 'u-rep-3',
              reason: 'SLA breach',
              cause: { kind: 'saga', id: 'sla-escalation' },
            },
          },
          system,
        )
        .then([
          {
            type: 'DealOwnerTransferred',
            data: {
              from: 'u-rep-1',
              to: 'u-rep-3',
              reason: 'SLA breach',
              cause: { kind: 'saga', id: 'sla-escalation' },
            },
          },
        ]);
      for (const cause of [
        { kind: 'system', id: 'rebalancer' },
        { kind: 'import', id: 'crm-migration-2026' },
      ] as const) {
        const [event] = deal
          .given([opened()])
          .when({ type: 'TransferDealOwner', data: { to: 'u-rep-3', reason: 'x', cause } }, system)
          .events();
        expect(event.data).toMatchObject({ cause });
      }
    });

    it('keeps only the cause’s own fields', () => {
      const [event] = deal
        .given([opened()])
        .when({
          type: 'TransferDealOwner',
          data: {
            to: 'u-rep-2',
            reason: 'x',
            cause: { kind: 'person', id: 'u-rep-1', note: 'stray' } as never,
          },
        })
        .events();
      expect(event.data).toMatchObject({ cause: { kind: 'person', id: 'u-rep-1' } });
      expect((event.data as { cause: object }).cause).not.toHaveProperty('note');
    });

    it('lets a manager move someone else’s deal, even a closed one', () => {
      deal
        .given([opened({ ownerId: 'u-rep-9' }), lost('initial_contact')])
        .when(
          { type: 'TransferDealOwner', data: { to: 'u-rep-2', reason: 'Rep left the company' } },
          manager,
        )
        .then([
          {
            type: 'DealOwnerTransferred',
            data: {
              from: 'u-rep-9',
              to: 'u-rep-2',
              reason: 'Rep left the company',
              cause: { kind: 'person', id: 'u-mgr-1' },
            },
          },
        ]);
    });

    it('refuses a rep taking someone else’s deal', () => {
      deal
        .given([opened({ ownerId: 'u-rep-9' })])
        .when({ type: 'TransferDealOwner', data: { to: 'u-rep-1', reason: 'Mine now' } })
        .thenThrows('deal.owner.transfer_forbidden', /ask a manager/);
    });

    it('refuses the current owner, a missing reason and an unreadable cause', () => {
      deal
        .given([opened()])
        .when({ type: 'TransferDealOwner', data: { to: 'u-rep-1', reason: 'x' } })
        .thenThrows('deal.owner.unchanged', /already belongs/);
      deal
        .given([opened()])
        .when({ type: 'TransferDealOwner', data: { to: 'u-rep-2', reason: ' ' } })
        .thenThrows('deal.field.required', /Reason/);
      deal
        .given([opened()])
        .when(
          {
            type: 'TransferDealOwner',
            data: {
              to: 'u-rep-2',
              reason: 'x',
              cause: { kind: 'rule', id: 'assignment.gulf' } as never,
            },
          },
          manager,
        )
        .thenThrows('deal.field.invalid', /rule with its version/);
      for (const cause of [
        { kind: 'person', userId: 'u-mgr-1' },
        { kind: 'rule', rule: { id: 'assignment.gulf', version: 3 } },
        { kind: 'rule', id: 'assignment.gulf', version: 0 },
        { kind: 'robot', id: 'r2' },
      ]) {
        const error = deal
          .given([opened()])
          .when(
            {
              type: 'TransferDealOwner',
              data: { to: 'u-rep-2', reason: 'x', cause: cause as never },
            },
            manager,
          )
          .thenThrows('deal.field.invalid');
        expect(error.field).toBe('cause');
      }
    });
  });

  describe('entry requirements from a custom stage policy', () => {
    const tenderPolicy: DealPolicies = {
      ...policies,
      stages: {
        ...policies.stages,
        id: 'stages.tender',
        version: 4,
        openStages: [
          ...policies.stages.openStages,
          {
            key: 'tender',
            label: { en: 'Tender submitted', zh: '已投标' },
            probability: 0.8,
            entryRequirements: [
              'payment_term',
              'expected_close_date',
              'expected_ship_month',
              'contact',
            ],
            taskTemplates: [],
            staleAfterDays: 30,
          },
        ],
      },
    };

    it('names every missing fact in words a rep knows', () => {
      const error = deal
        .given([opened()])
        .when({ type: 'ChangeStage', data: { to: 'tender' } }, { policies: tenderPolicy })
        .thenThrows(
          'deal.stage.requirement_missing',
          /Tender submitted, the deal needs: payment term, expected close date, expected ship month, buyer contact/,
        );
      expect(error.field).toBe('payment_term');
    });

    it('counts facts recorded after opening, and names the policy that allowed the move', () => {
      deal
        .given([
          opened(),
          { type: 'DealPaymentTermChanged', data: { paymentTerm: { method: 'L/C' }, risk: 'low' } },
          { type: 'DealExpectedCloseDateChanged', data: { date: '2026-04-30' } },
          { type: 'DealExpectedShipMonthChanged', data: { month: '2026-06' } },
          { type: 'DealContactChanged', data: { contactId: 'c-1' } },
        ])
        .when({ type: 'ChangeStage', data: { to: 'tender' } }, { policies: tenderPolicy })
        .then([
          {
            type: 'DealStageChanged',
            data: {
              from: 'initial_contact',
              to: 'tender',
              direction: 'forward',
              reentry: false,
              policy: { id: 'stages.tender', version: 4 },
            },
          },
        ]);
    });

    it('counts an amount and Incoterm recorded after opening', () => {
      deal
        .given([
          opened(),
          { type: 'DealAmountChanged', data: { amount: usd(100_000), cause: 'manual' } },
          { type: 'DealIncotermChanged', data: { incoterm: 'CIF' } },
        ])
        .when({ type: 'ChangeStage', data: { to: 'proposal' } })
        .then([movedTo('initial_contact', 'proposal', 'forward')]);
    });
  });

  describe('state', () => {
    it('remembers the stage a closed deal was in, the current quote and the money paid', () => {
      const state = fold(dealDecider, [
        readyForProposal(),
        movedTo('initial_contact', 'proposal', 'forward'),
        drafted('q-1', 1),
        sent('q-1', 1),
        won(usd(3_800_000), 'proposal'),
        paid('p-1', 1_000_000, '2026-03-01', 1_000_000, 3_800_000),
      ]) as Deal;
      expect(state).toMatchObject({
        status: 'won',
        stage: 'proposal',
        stagesEntered: ['initial_contact', 'proposal'],
        currentQuoteId: 'q-1',
        quotes: [{ quoteId: 'q-1', version: 1, status: 'sent', approval: 'not_required' }],
        totalPaid: usd(1_000_000),
        paidInFull: false,
      });
    });

    it('follows handovers, risk flags, margin targets, full payment and reopening', () => {
      const state = fold(dealDecider, [
        readyForProposal(),
        { type: 'DealDeliveryRisksChanged', data: { risks: ['custom_parts'], previous: [] } },
        {
          type: 'DealMarginTargetsSet',
          data: { floorPrice: usd(3_000_000), targetMargin: { min: 0.2, max: 0.4 } },
        },
        {
          type: 'DealOwnerTransferred',
          data: {
            from: 'u-rep-1',
            to: 'u-rep-2',
            reason: 'Holiday cover',
            cause: { kind: 'person', id: 'u-mgr-1' },
          },
        },
        won(),
        paid('p-1', 4_000_000, '2026-03-01', 4_000_000),
        { type: 'DealPaidInFull', data: { totalPaid: usd(4_000_000), paidOn: '2026-03-01' } },
        {
          type: 'DealReopened',
          data: { stage: 'initial_contact', previousOutcome: 'won', reason: 'Wrong deal' },
        },
      ]) as Deal;
      expect(state).toMatchObject({
        status: 'open',
        ownerId: 'u-rep-2',
        deliveryRisks: ['custom_parts'],
        floorPrice: usd(3_000_000),
        targetMargin: { min: 0.2, max: 0.4 },
        paymentIds: ['p-1'],
        latestPaymentOn: '2026-03-01',
        paidInFull: true,
      });
    });

    it('ignores deal events for a deal that was never opened', () => {
      expect(fold(dealDecider, [won()])).toEqual({ status: 'none' });
    });
  });
});

describe('Default stage and loss-reason policies', () => {
  it('have the stages, probabilities and requirements of the design', () => {
    expect(policies.stages.openStages.map((s) => [s.key, s.probability])).toEqual([
      ['initial_contact', 0.1],
      ['proposal', 0.3],
      ['sample', 0.5],
      ['negotiation', 0.7],
    ]);
    expect(policies.stages.openStages[1].entryRequirements).toEqual(['amount', 'incoterm']);
    expect(policies.stages.outcomes.won.probability).toBe(1);
    expect(policies.stages.outcomes.lost.probability).toBe(0);
    for (const stage of policies.stages.openStages) {
      expect(stage.taskTemplates.length).toBeGreaterThan(0);
      expect(stage.staleAfterDays).toBeGreaterThan(0);
    }
  });

  it('have six loss reasons with three sub-reasons each, labelled in English and Chinese', () => {
    expect(policies.lossReasons.reasons.map((r) => r.key)).toEqual([
      'price',
      'lead_time',
      'specification',
      'trust',
      'process',
      'external',
    ]);
    for (const reason of policies.lossReasons.reasons) {
      expect(reason.subReasons).toHaveLength(3);
      for (const sub of reason.subReasons) expect(sub.label.en && sub.label.zh).toBeTruthy();
    }
  });
});

describe('Deal stale flag (automation)', () => {
  const idleSince = '2026-02-10T09:00:00.000Z';
  const flagged = (since = idleSince): DealEvent => ({
    type: 'DealFlaggedStale',
    data: { idleSince: since, staleAfterDays: 14, stage: 'initial_contact', taskId: 't-9' },
  });
  const flag = (
    data: Partial<{ idleSince: string; staleAfterDays: number; taskId: string }> = {},
  ) =>
    ({
      type: 'FlagDealStale',
      data: { idleSince, staleAfterDays: 14, taskId: 't-9', ...data },
    }) as DealCommand;
  const clear = (reason = 'activity_resumed') =>
    ({ type: 'ClearDealStaleFlag', data: { reason } }) as DealCommand;

  it('flags an open deal with its idle period, its threshold and the stage it sits in', () => {
    deal
      .given([opened(), movedTo('initial_contact', 'sample', 'forward')])
      .when(flag({ idleSince: '2026-02-10T10:00:00+01:00' }), system)
      .then([
        {
          type: 'DealFlaggedStale',
          data: {
            idleSince: '2026-02-10T09:00:00.000Z',
            staleAfterDays: 14,
            stage: 'sample',
            taskId: 't-9',
          },
        },
      ]);
  });

  it('flags the same idle period once; a later idle period flags again', () => {
    deal.given([opened(), flagged()]).when(flag(), system).then([]);
    deal
      .given([opened(), flagged()])
      .when(flag({ idleSince: '2026-02-20T09:00:00.000Z' }), system)
      .then([flagged('2026-02-20T09:00:00.000Z')]);
  });

  it('is automation’s: a person may neither flag nor clear', () => {
    deal.given([opened()]).when(flag(), manager).thenThrows('deal.stale_flag.forbidden');
    deal.given([opened(), flagged()]).when(clear()).thenThrows('deal.stale_flag.forbidden');
  });

  it.each([
    [{ idleSince: 'last week' }, 'deal.field.invalid', 'idleSince'],
    [{ idleSince: '2026-03-02T09:00:00Z' }, 'deal.field.invalid', 'idleSince'],
    [{ staleAfterDays: 0 }, 'deal.field.invalid', 'staleAfterDays'],
  ])('refuses %j, naming the field', (data, code, field) => {
    const error = deal.given([opened()]).when(flag(data), system).thenThrows(code);
    expect(error.field).toBe(field);
  });

  it('refuses to flag a closed deal', () => {
    deal.given([readyForProposal(), lost()]).when(flag(), system).thenThrows('deal.closed');
  });

  it('clears the flag with the reason, also on a deal closed since; nothing to clear is a no-op', () => {
    deal
      .given([opened(), flagged()])
      .when(clear(), system)
      .then([{ type: 'DealStaleFlagCleared', data: { idleSince, reason: 'activity_resumed' } }]);
    deal
      .given([opened(), flagged(), lost('initial_contact')])
      .when(clear('deal_lost'), system)
      .then([{ type: 'DealStaleFlagCleared', data: { idleSince, reason: 'deal_lost' } }]);
    deal.given([opened()]).when(clear(), system).then([]);
    deal
      .given([opened(), flagged()])
      .when(clear('bored'), system)
      .thenThrows('deal.field.invalid', /Reason/);
  });

  it('folds the flag in and out of the state', () => {
    const raised = fold(dealDecider, [opened(), flagged()]) as Deal;
    expect(raised.staleFlag).toEqual({
      idleSince,
      staleAfterDays: 14,
      stage: 'initial_contact',
      taskId: 't-9',
    });
    const cleared = fold(dealDecider, [
      opened(),
      flagged(),
      { type: 'DealStaleFlagCleared', data: { idleSince, reason: 'activity_resumed' } },
    ]) as Deal;
    expect(cleared).not.toHaveProperty('staleFlag');
  });
});
