import { MarginBand, QuoteLine } from '../../../domain/deal/deal.commands';
import { findOpenStage } from '../../../domain/policies/stage-policy';
import { convert, Money, rateInForce } from '../../../domain/shared/money';
import { Incoterm, PaymentTerm } from '../../../domain/shared/trade-terms';
import { EventActor } from '../../event-store/event-store.port';
import { AccountRecord, ContactRecord } from './account-record';
import { DAY, HOUR, iso, MINUTE, officeMoment, utcDay, utcMonth } from './business-hours';
import { Product, productsOf } from './catalogue';
import { customerHours, managerHours, repHours } from './lead-record';
import { Story } from './plan';
import { Prospect } from './prospects';
import { employed, repById } from './team';
import { TaskBook } from './task-book';
import { World } from './world';

interface QuoteRecord {
  quoteId: string;
  version: number;
  status: 'draft' | 'sent' | 'superseded';
  totalMinor: number;
}

/** The product line's standard margin band, stated on every quote. */
const QUOTE_BAND: MarginBand = { min: 0.15, max: 0.6 };

export type ActivityKind = 'email' | 'call' | 'im' | 'meeting' | 'visit';

/** A deal as the generator tracks it, and the commands that move it. */
export class DealRun {
  status: 'open' | 'won' | 'lost' = 'open';
  stage: string;
  readonly entered = new Set<string>();
  amountMinor?: number;
  incoterm?: Incoterm;
  paymentTerm?: PaymentTerm;
  closeDate?: string;
  shipMonth?: string;
  contactId?: string;
  floorMinor?: number;
  band?: MarginBand;
  quantity: number;
  discount = 0;
  readonly quotes: QuoteRecord[] = [];
  current?: QuoteRecord;
  wonAt?: number;
  orderReference?: string;
  paidMinor = 0;
  readonly tasks: TaskBook;
  /** A second product the buyer also takes, on every version of the quote. */
  private readonly companion?: Product;

  constructor(
    readonly world: World,
    readonly story: Story,
    readonly dealId: string,
    readonly account: AccountRecord,
    public ownerId: string,
    readonly currency: string,
    readonly product: Product,
    contactId: string,
  ) {
    const stages = world.policies.stages;
    this.stage = stages.openStages[0].key;
    this.entered.add(this.stage);
    this.quantity = account.prospect.quantity;
    this.contactId = contactId;
    this.tasks = new TaskBook(world, story, dealId);
    this.companion = world.random.chance(0.3)
      ? productsOf(product.line).find((p) => p.sku !== product.sku)
      : undefined;
    const departure = world.team.departure;
    if (departure && departure.at > story.now)
      story.schedule(departure.at, () => this.onDeparture());
  }

  get prospect(): Prospect {
    return this.account.prospect;
  }

  get random() {
    return this.world.random;
  }

  owner(): EventActor {
    return { userId: this.ownerId, role: 'rep' };
  }

  private asOwner(reason?: string) {
    return {
      actor: this.owner(),
      cause: { kind: 'person' as const, id: this.ownerId },
      ...(reason && { reason }),
    };
  }

  command(type: string, data: Record<string, unknown>, meta = this.asOwner()): void {
    this.story.domain('deal', this.dealId, type, data, meta);
  }

  // ---- time ------------------------------------------------------------------------------

  /** Waits `days` (scaled by nothing: scripts scale), landing in the owner's office hours. */
  waitDays(min: number, max: number): void {
    const target = this.story.now + this.random.between(min, max) * DAY;
    this.story.advance(
      officeMoment(target, repHours(repById(this.world.team, this.ownerId)), this.random),
    );
  }

  /** A moment in the buyer's office hours, `hours` on from now. */
  buyerMoment(minHours: number, maxHours: number): number {
    return officeMoment(
      this.story.now + this.random.between(minHours, maxHours) * HOUR,
      customerHours(this.prospect),
      this.random,
    );
  }

  // ---- money -----------------------------------------------------------------------------

  /** A US-cent price in the deal currency, at the rate in force on the day. */
  priceIn(usdCents: number, day = utcDay(this.story.now)): number {
    return convert({ minor: usdCents, currency: 'USD' }, this.currency, day, this.world.policies.fx)
      .minor;
  }

  money(minor: number): Money {
    return { minor, currency: this.currency };
  }

  listTotal(): number {
    return this.quantity * this.priceIn(this.product.listUsdCents);
  }

  // ---- facts -----------------------------------------------------------------------------

  activity(
    kind: ActivityKind,
    direction: 'inbound' | 'outbound',
    summary: string,
    contact?: ContactRecord,
  ): void {
    const random = this.random;
    const at =
      kind === 'email' && direction === 'outbound'
        ? officeMoment(
            this.story.now + random.between(1, 30) * HOUR,
            repHours(repById(this.world.team, this.ownerId)),
            this.random,
          )
        : this.buyerMoment(2, 72);
    this.story.advance(at + random.int(5, 180) * MINUTE);
    const person = contact ?? this.account.contacts.find((c) => c.contactId === this.contactId);
    this.command('LogActivity', {
      activityId: this.story.newId(),
      kind,
      direction,
      summary,
      at: iso(at),
      ...(person && random.chance(0.8) && { contactId: person.contactId }),
    });
  }

  estimateAmount(): void {
    const estimate = Math.round(this.listTotal() * this.random.between(0.9, 1.05));
    if (estimate === this.amountMinor) return;
    this.command('ChangeDealAmount', { amount: this.money(estimate) });
    this.amountMinor = estimate;
  }

  setIncoterm(incoterm: Incoterm): void {
    if (incoterm === this.incoterm) return;
    this.command('ChangeIncoterm', { incoterm });
    this.incoterm = incoterm;
  }

  setPaymentTerm(term: PaymentTerm): void {
    if (JSON.stringify(term) === JSON.stringify(this.paymentTerm)) return;
    this.command('ChangePaymentTerm', { paymentTerm: term });
    this.paymentTerm = term;
  }

  setCloseDate(at: number): void {
    const date = utcDay(at);
    if (date === this.closeDate) return;
    this.command('ChangeExpectedCloseDate', { date });
    this.closeDate = date;
  }

  setShipMonth(at: number): void {
    const month = utcMonth(at);
    if (month === this.shipMonth) return;
    this.command('ChangeExpectedShipMonth', { month });
    this.shipMonth = month;
  }

  setContact(contact: ContactRecord): void {
    if (contact.contactId === this.contactId) return;
    this.command('ChangeDealContact', { contactId: contact.contactId });
    this.contactId = contact.contactId;
  }

  /** The manager sets a floor and a margin band on a big deal; quotes below them need approval. */
  setMarginTargets(reason = 'Large order: floor price and target margin set'): void {
    const floor = Math.round(this.listTotal() * 0.88);
    const band = { min: 0.18, max: 0.5 };
    this.command(
      'SetMarginTargets',
      { floorPrice: this.money(floor), targetMargin: band },
      {
        actor: this.world.team.managerActor,
        cause: { kind: 'person', id: this.world.team.managerActor.userId },
        reason,
      },
    );
    this.floorMinor = floor;
    this.band = band;
  }

  /** Brings the deal up to what the stage policy requires before entering `stage`. */
  meetRequirements(stage: string): void {
    const policyStage = findOpenStage(this.world.policies.stages, stage);
    const requirements =
      policyStage?.entryRequirements ?? this.world.policies.stages.outcomes.won.entryRequirements;
    for (const requirement of requirements) {
      switch (requirement) {
        case 'amount':
          if (this.amountMinor === undefined) this.estimateAmount();
          break;
        case 'incoterm':
          if (!this.incoterm) this.setIncoterm(this.prospect.incoterm);
          break;
        case 'payment_term':
          if (!this.paymentTerm)
            this.setPaymentTerm(this.random.pick(this.prospect.country.paymentTerms));
          break;
        case 'expected_close_date':
          if (!this.closeDate) this.setCloseDate(this.story.now + this.random.int(20, 90) * DAY);
          break;
        case 'expected_ship_month':
          if (!this.shipMonth) this.setShipMonth(this.story.now + this.random.int(45, 120) * DAY);
          break;
        case 'contact':
          if (!this.contactId) this.setContact(this.account.primary);
          break;
        case 'sent_quote':
          if (!this.current) this.quoteRound({ discount: this.discount });
          break;
        default:
          throw new Error(
            `The generator does not know how to meet stage requirement "${requirement}"`,
          );
      }
    }
  }

  // ---- stages ----------------------------------------------------------------------------

  moveTo(stage: string, note?: string): void {
    const stages = this.world.policies.stages;
    const from = stages.openStages.findIndex((s) => s.key === this.stage);
    const to = stages.openStages.findIndex((s) => s.key === stage);
    if (to < 0) throw new Error(`Stage ${stage} is not in ${stages.id} v${stages.version}`);
    if (to > from) this.meetRequirements(stage);
    this.story.advance(this.story.now + this.random.int(5, 120) * MINUTE);
    this.command('ChangeStage', { to: stage, ...(note && { note }) });
    const first = !this.entered.has(stage);
    this.stage = stage;
    this.entered.add(stage);
    if (first) this.tasks.createFor(stage, stages.openStages[to].taskTemplates, this.ownerId);
  }

  // ---- quotes ----------------------------------------------------------------------------

  /** Why the decider will want a manager's approval, or undefined: its rule, mirrored. */
  private approvalReason(
    totalMinor: number,
    costMinor: number,
    checkFloor: boolean,
  ): string | undefined {
    for (const { floor, band } of [
      { floor: this.floorMinor, band: this.band },
      { floor: undefined, band: QUOTE_BAND },
    ]) {
      if (checkFloor && floor !== undefined && totalMinor < floor) return 'below the floor price';
      if (!band) continue;
      if (totalMinor - costMinor < band.min * totalMinor) return 'margin below the target band';
      if (totalMinor - costMinor > band.max * totalMinor) return 'margin above the target band';
    }
    return undefined;
  }

  /**
   * Drafts the next version, goes through approval when it is below the targets, and sends it.
   * A rejected version is redrafted nearer list price.
   */
  quoteRound(options: {
    discount: number;
    withOptions?: boolean;
    note?: string;
    rejectFirst?: boolean;
    /** Drafted within a few hours, not when the rep gets round to it. */
    soon?: boolean;
  }): void {
    const random = this.random;
    let discount = options.discount;
    let rejectNext = options.rejectFirst ?? random.chance(0.25);
    for (let attempt = 0; ; attempt++) {
      const draft = this.draft(discount, options.withOptions ?? false, options.soon ?? false);
      if (draft.approval) {
        this.story.advance(this.story.now + random.int(5, 90) * MINUTE);
        this.command('RequestQuoteApproval', {
          quoteId: draft.quote.quoteId,
          note: `${options.note ?? `Buyer's target price needs ${Math.round(discount * 100)} % off list`} (${draft.approval})`,
        });
        this.story.advance(
          officeMoment(this.story.now + random.int(1, 20) * HOUR, managerHours, this.random),
        );
        const manager = this.world.team.managerActor;
        const meta = { actor: manager, cause: { kind: 'person' as const, id: manager.userId } };
        if (rejectNext && attempt === 0) {
          this.command(
            'RejectQuote',
            {
              quoteId: draft.quote.quoteId,
              reason: 'Margin too thin for this volume; offer at most half that discount',
            },
            meta,
          );
          rejectNext = false;
          discount = Math.max(0, discount / 2);
          continue;
        }
        this.command(
          'ApproveQuote',
          { quoteId: draft.quote.quoteId, note: 'Approved to win the volume' },
          meta,
        );
      }
      this.story.advance(this.story.now + random.int(10, 240) * MINUTE);
      this.command('SendQuote', { quoteId: draft.quote.quoteId });
      if (this.current) this.current.status = 'superseded';
      draft.quote.status = 'sent';
      this.current = draft.quote;
      this.amountMinor = draft.quote.totalMinor;
      this.discount = discount;
      return;
    }
  }

  private draft(
    discount: number,
    withOptions: boolean,
    soon: boolean,
  ): { quote: QuoteRecord; approval: string | undefined } {
    const random = this.random;
    this.story.advance(
      officeMoment(
        this.story.now + (soon ? random.int(20, 180) * MINUTE : random.int(1, 30) * HOUR),
        repHours(repById(this.world.team, this.ownerId)),
        this.random,
      ),
    );
    const unitPrice = Math.round(this.priceIn(this.product.listUsdCents) * (1 - discount));
    const unitCost = this.priceIn(this.product.costUsdCents);
    const lines: QuoteLine[] = [
      {
        sku: this.product.sku,
        description: this.product.description,
        quantity: this.quantity,
        unit: this.product.unit,
        unitPriceMinor: unitPrice,
        unitCostMinor: unitCost,
      },
    ];
    const companion = this.companion;
    if (companion) {
      lines.push({
        sku: companion.sku,
        description: companion.description,
        quantity: Math.max(
          companion.moq,
          Math.round(this.quantity / 5 / companion.step) * companion.step,
        ),
        unit: companion.unit,
        unitPriceMinor: Math.round(this.priceIn(companion.listUsdCents) * (1 - discount)),
        unitCostMinor: this.priceIn(companion.costUsdCents),
      });
    }
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
    const cost = lines.reduce((sum, line) => sum + line.quantity * line.unitCostMinor!, 0);
    const tiers = this.product.tiers;
    const options =
      withOptions && tiers
        ? [
            { tier: 'good', sku: tiers.good, label: 'Economy variant', price: 0.82, cost: 0.8 },
            {
              tier: 'better',
              sku: this.product.sku,
              label: 'Standard (as quoted)',
              price: 1,
              cost: 1,
            },
            { tier: 'best', sku: tiers.best, label: 'Premium variant', price: 1.28, cost: 1.22 },
          ].map((tier) => ({
            tier: tier.tier,
            description: `${tier.label}: ${tier.sku}`,
            lines: [
              {
                sku: tier.sku,
                description: `${this.product.description} (${tier.label.toLowerCase()})`,
                quantity: this.quantity,
                unit: this.product.unit,
                unitPriceMinor: Math.round(unitPrice * tier.price),
                unitCostMinor: Math.round(unitCost * tier.cost),
              },
            ],
          }))
        : undefined;
    let approval = this.approvalReason(total, cost, true);
    for (const option of options ?? []) {
      const line = option.lines[0];
      const optionTotal = line.quantity * line.unitPriceMinor;
      const reason = this.approvalReason(optionTotal, line.quantity * line.unitCostMinor, false);
      if (reason && !approval) approval = `${option.tier} option: ${reason}`;
    }
    const [minLead, maxLead] = this.product.leadTimeDays;
    const quote: QuoteRecord = {
      quoteId: `Q-${utcDay(this.story.now).slice(0, 4)}-${this.story.newId().slice(-6).toUpperCase()}`,
      version: this.quotes.length + 1,
      status: 'draft',
      totalMinor: total,
    };
    this.command('DraftQuote', {
      quoteId: quote.quoteId,
      currency: this.currency,
      lines,
      incoterm: this.incoterm ?? this.prospect.incoterm,
      paymentTerm: this.paymentTerm ?? random.pick(this.prospect.country.paymentTerms),
      moq: this.product.moq,
      leadTimeDays: random.int(minLead, maxLead),
      validUntil: utcDay(this.story.now + 30 * DAY),
      ...(options && { options }),
      targetMargin: QUOTE_BAND,
    });
    this.quotes.push(quote);
    return { quote, approval };
  }

  // ---- outcomes --------------------------------------------------------------------------

  markWon(): string {
    this.meetRequirements('won');
    this.story.advance(this.story.now + this.random.int(10, 300) * MINUTE);
    const year = utcDay(this.story.now).slice(0, 4);
    const orderReference = `SC-${year}-${this.world.nextOrderNumber()} / PO ${this.random.digits(8)}`;
    this.command('MarkWon', { orderReference });
    this.status = 'won';
    this.wonAt = this.story.now;
    this.orderReference = orderReference;
    this.tasks.completeOpen('Settled with the order');
    this.tasks.createFor(
      'won',
      this.world.policies.stages.outcomes.won.taskTemplates,
      this.ownerId,
    );
    return orderReference;
  }

  markLost(reasonCode: string, note: string): void {
    this.story.advance(this.story.now + this.random.int(10, 300) * MINUTE);
    this.command('MarkLost', { reasonCode, note });
    this.status = 'lost';
    this.tasks.cancelOpen('Deal lost', this.owner());
  }

  reopen(reason: string): void {
    this.command('ReopenDeal', { reason });
    this.status = 'open';
  }

  /** A payment the bank credited on the day; in USD now and then for a deal in another currency. */
  recordPayment(minor: number): void {
    const day = utcDay(this.story.now);
    const { fx } = this.world.policies;
    const outstanding = this.amountMinor! - this.paidMinor;
    let amount = this.money(Math.min(minor, outstanding));
    let credited: Money | undefined;
    if (this.currency !== 'USD' && this.random.chance(0.25) && hasRate(fx, 'USD', day)) {
      const usd = convert(amount, 'USD', day, fx);
      const back = convert(usd, this.currency, day, fx);
      credited = this.money(Math.min(back.minor, outstanding));
      amount = usd;
    }
    if ((credited ?? amount).minor <= 0) return;
    this.command('RecordPayment', {
      paymentId: `BANK-${day.replace(/-/g, '')}-${this.random.digits(6)}`,
      amount,
      receivedOn: day,
      ...(credited && { amountInDealCurrency: credited }),
    });
    this.paidMinor += (credited ?? amount).minor;
  }

  /** Hands the deal (and its open tasks) to a colleague. */
  transfer(to: string, reason: string, actor: EventActor): void {
    const from = this.ownerId;
    this.command(
      'TransferDealOwner',
      { to, reason, cause: { kind: 'person', id: actor.userId } },
      { actor, cause: { kind: 'person', id: actor.userId }, reason },
    );
    this.ownerId = to;
    this.tasks.reassignOpen(from, to, reason, actor);
  }

  colleague(): string | undefined {
    const owner = repById(this.world.team, this.ownerId);
    const team = this.world.team.reps.filter(
      (rep) => rep.id !== owner.id && rep.region === owner.region && employed(rep, this.story.now),
    );
    return team.length > 0 ? this.random.pick(team).id : undefined;
  }

  private onDeparture(): void {
    const departure = this.world.team.departure!;
    if (this.ownerId !== departure.leaver.id) return;
    const unpaid = this.status === 'won' && this.paidMinor < (this.amountMinor ?? 0);
    if (this.status !== 'open' && !unpaid) return;
    this.transfer(
      departure.successor.id,
      `${departure.leaver.name} left the company; ${unpaid ? 'open receivable' : 'open deal'} handed to ${departure.successor.name}`,
      this.world.team.managerActor,
    );
  }
}

const hasRate = (fx: World['policies']['fx'], currency: string, day: string): boolean => {
  try {
    rateInForce(fx, currency, day);
    return true;
  } catch {
    return false;
  }
};

export const isPricedIn = hasRate;
