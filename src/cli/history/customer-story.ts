import {
  PURCHASE_CYCLES,
  PurchaseVolumeBand,
  SENSITIVITIES,
} from '../../../domain/account/account.commands';
import { NewAccountDetails } from '../../../domain/lead/lead.commands';
import { INQUIRY_CHANNELS, InquiryChannel } from '../../../domain/shared/channels';
import { AccountRecord } from './account-record';
import { DAY, HOUR, officeMoment, utcDay } from './business-hours';
import { CUSTOMER_PRODUCTS, COMPETITORS, PRODUCTS } from './catalogue';
import { COUNTRIES } from './countries';
import { DealRun, isPricedIn } from './deal-run';
import { Feature, playDeal } from './deal-script';
import { customerHours, LeadRecord } from './lead-record';
import { OutOfTime, Story } from './plan';
import { makePerson, makeProspect, Prospect, roundTo } from './prospects';
import { showBefore } from './trade-shows';
import { World } from './world';

const CHANNEL_WEIGHTS: Array<readonly [InquiryChannel, number]> = [
  ['website_form', 20],
  ['alibaba', 18],
  ['made_in_china', 10],
  ['trade_show', 12],
  ['linkedin', 8],
  ['facebook', 6],
  ['email', 20],
  ['other', 6],
];

export interface Arrival {
  at: number;
  channel: InquiryChannel;
  prospect: Prospect;
  show?: string;
}

/** Where and when an inquiry comes in; trade-show cards are entered in the days after the show. */
export function arrival(
  world: World,
  at: number,
  channel?: InquiryChannel,
  freeMailChance?: number,
): Arrival {
  const random = world.random;
  let chosen = channel ?? random.weighted(CHANNEL_WEIGHTS);
  const social = chosen === 'facebook' || chosen === 'linkedin' || chosen === 'alibaba';
  const prospect = makeProspect(random, (domain) => world.claimDomain(domain), {
    freeMailChance: freeMailChance ?? (social ? 0.4 : 0.15),
  });
  if (chosen === 'trade_show') {
    const show = showBefore(at, prospect.country.code, prospect.line);
    if (show)
      return {
        at: Math.min(at, show.closesAt + random.int(1, 10) * DAY),
        channel: chosen,
        prospect,
        show: show.name,
      };
    chosen = random.pick(INQUIRY_CHANNELS.filter((c) => c !== 'trade_show'));
  }
  // Most buyers write during their own working day; platforms and forms also fill up overnight.
  const when = random.chance(0.7)
    ? Math.min(officeMoment(at, customerHours(prospect), random), world.until - DAY)
    : at;
  return { at: when, channel: chosen, prospect };
}

function chooseCurrency(world: World, prospect: Prospect, at: number): string {
  const { currency, localCurrencyShare } = prospect.country;
  if (currency === 'USD' || !world.random.chance(localCurrencyShare)) return 'USD';
  return isPricedIn(world.policies.fx, currency, utcDay(at)) ? currency : 'USD';
}

const VOLUME_BANDS: Record<'A' | 'B' | 'C', PurchaseVolumeBand[]> = {
  A: ['1m_5m', '200k_1m', 'over_5m'],
  B: ['200k_1m', '50k_200k'],
  C: ['under_50k', '50k_200k'],
};

/** What the rep fills in about the company when converting the lead. */
function accountDetails(world: World, p: Prospect): NewAccountDetails {
  const random = world.random;
  const neighbours = COUNTRIES.filter(
    (c) => c.region === p.country.region && c.code !== p.country.code,
  );
  return {
    name: p.company,
    country: p.country.code,
    website: p.domain,
    mainProducts: random.pick(CUSTOMER_PRODUCTS[p.line]),
    customerType: p.customerType,
    grade: p.grade,
    purchaseVolumeBand: random.pick(VOLUME_BANDS[p.grade]),
    purchaseCycle: random.pick(PURCHASE_CYCLES),
    targetMarkets: [
      p.country.code,
      ...random.sample(neighbours, random.int(0, 2)).map((c) => c.code),
    ],
    certifications: [...new Set(p.country.certifications)] as NewAccountDetails['certifications'],
    competitorBrands: random.sample(COMPETITORS[p.line], random.int(1, 2)),
    priceSensitivity: random.pick(SENSITIVITIES),
    leadTimeSensitivity: random.pick(SENSITIVITIES),
    timeZone: p.country.zone,
    language: p.country.language,
    ports: [p.port],
    incoterms: [...new Set([p.incoterm, ...random.sample(p.country.incoterms, 1)])],
    paymentTerms: [...new Set(p.country.paymentTerms.map((term) => term.method))],
  };
}

const dealTitle = (p: Prospect, quantity: number, repeat: boolean): string =>
  `${repeat ? 'Repeat order: ' : ''}${quantity.toLocaleString('en-US')} ${p.product.unit} ${p.product.short}`;

/**
 * A buyer from first inquiry to account and deals: the first deal through lead conversion, later
 * ones as repeat orders (a new inquiry from the customer, or a deal the owner opens directly).
 */
export function customerStory(
  world: World,
  index: number,
  start: Arrival,
  features: Set<Feature>,
): void {
  const story = new Story(
    world.plan,
    `gen:${world.plan.runKey}:customer-${index}`,
    start.at,
    world.until,
  );
  try {
    playCustomer(world, story, start, features);
  } catch (error) {
    if (!(error instanceof OutOfTime)) throw error;
  }
  story.finish();
}

function playCustomer(world: World, story: Story, start: Arrival, features: Set<Feature>): void {
  const random = world.random;
  const velocity = features.size > 0 ? 0.6 : random.between(0.6, 1.5);
  const prospect = start.prospect;
  const lead = LeadRecord.receive(world, story, prospect, start.channel, { show: start.show });
  // Some live inquiries are complete RFQs (drawings, quantity, port): quoted within the day, as the
  // SLA's proposal clock asks.
  const rfq = world.isLive(start.at) && random.chance(0.35);
  if (random.chance(0.6)) lead.handOverForLanguage();
  lead.firstResponse(!rfq && random.chance(0.15) ? 'slow' : 'prompt');
  if (!rfq && random.chance(0.7))
    lead.buyerReplies('Buyer sent drawings and confirmed the quantity');
  if (!rfq && random.chance(0.1)) {
    lead.nurture('Project budget approved only next quarter; keep in touch');
    story.advance(story.now + random.int(30, 120) * DAY);
    lead.buyerReplies('Buyer is back: project funded, asks for an updated offer');
  }
  lead.score('high');
  lead.qualify('Real project, quantity and destination confirmed');
  const currency = chooseCurrency(world, prospect, story.now);
  const details = accountDetails(world, prospect);
  const ids = lead.convert({
    newAccount: details,
    newContact: { role: prospect.person.role, title: prospect.person.title },
    deal: {
      title: dealTitle(prospect, prospect.quantity, false),
      productLine: prospect.line,
      currency,
    },
  });
  world.accountsPlanned++;
  const owner = lead.ownerId!;
  const account = new AccountRecord(world, story, ids.accountId, prospect, owner, start.channel, {
    ...prospect.person,
    contactId: ids.contactId,
  });
  account.certifications = [...(details.certifications ?? [])];
  const departure = world.team.departure;
  if (departure && departure.at > story.now)
    story.schedule(departure.at, () => {
      if (account.ownerId !== departure.leaver.id) return;
      account.transferOwner(
        departure.successor.id,
        `${departure.leaver.name} left the company; accounts handed to ${departure.successor.name}`,
        world.team.managerActor,
      );
    });
  story.advance(story.now + random.int(1, 30) * 60_000);
  account.moveLifecycle('active', 'First deal opened after qualification');
  let deal = new DealRun(
    world,
    story,
    ids.dealId,
    account,
    owner,
    currency,
    prospect.product,
    ids.contactId,
  );
  playDeal(deal, features, velocity, rfq);

  for (let repeat = 0; repeat < 3; repeat++) {
    const comeBack =
      deal.status === 'won'
        ? features.has('repeat') || random.chance(0.45)
        : deal.status === 'lost' && random.chance(0.12);
    if (!comeBack || !world.mayAddDeal()) break;
    story.advance(story.now + random.int(30, deal.status === 'won' ? 150 : 200) * DAY);
    features = new Set([...features].filter((f) => f === 'won'));
    deal = nextDeal(world, story, account, deal.status === 'won');
    playDeal(deal, features, velocity);
  }
  if (account.hasOrdered) {
    // The quarterly review marks customers without an order or reply for half a year.
    story.advance(story.now + random.int(180, 240) * DAY);
    account.moveLifecycle(
      'dormant',
      'No order or reply for six months (quarterly account review)',
      world.team.managerActor,
    );
  }
}

/** A further deal on an existing account: a fresh inquiry from the customer, or opened by the owner. */
function nextDeal(world: World, story: Story, account: AccountRecord, reorder: boolean): DealRun {
  const random = world.random;
  const base = account.prospect;
  const product = random.chance(0.6)
    ? base.product
    : random.pick(PRODUCTS.filter((p) => p.sku !== base.product.sku));
  const [min, max] = product.quantity;
  const quantity = roundTo(min + (max - min) * random.next() ** 2, product.step);
  const prospect: Prospect = { ...base, product, line: product.line, quantity };
  if (account.lifecycle === 'lost' || account.lifecycle === 'dormant')
    account.moveLifecycle(
      'active',
      reorder ? 'Customer is ordering again' : 'Buyer came back with a new project',
    );
  const currency = chooseCurrency(world, prospect, story.now);
  const title = dealTitle(prospect, quantity, account.hasOrdered);
  if (random.chance(0.5)) {
    // The buyer writes in again; the lead goes to the account's owner and attaches to the account.
    const newPerson = random.chance(0.3);
    let person = account.primary as Prospect['person'];
    if (newPerson) {
      person = makePerson(
        random,
        base.country,
        base.domain,
        random.pick(['purchasing', 'engineering'] as const),
        false,
      );
      if (account.hasEmail(person.email)) person = { ...person, email: undefined };
    }
    const lead = LeadRecord.receive(
      world,
      story,
      { ...prospect, person, freeMail: false },
      random.pick(['email', 'email', 'website_form', 'alibaba'] as const),
      { existingOwner: { rep: account.ownerId, accountName: base.company } },
    );
    lead.firstResponse('prompt');
    lead.score('high');
    lead.qualify(reorder ? 'Existing customer: repeat order' : 'Existing account: new project');
    const ids = lead.convert({
      existingAccountId: account.accountId,
      ...(newPerson
        ? { newContact: { role: person.role, title: person.title } }
        : { existingContactId: account.primary.contactId }),
      deal: { title, productLine: prospect.line, currency },
    });
    if (newPerson) account.contacts.push({ ...person, contactId: ids.contactId });
    return new DealRun(
      world,
      story,
      ids.dealId,
      account,
      account.ownerId,
      currency,
      product,
      ids.contactId,
    );
  }
  story.advance(story.now + random.int(1, 48) * HOUR);
  const dealId = story.newId();
  const incoterm = random.pick(account.prospect.country.incoterms);
  story.domain(
    'deal',
    dealId,
    'OpenDeal',
    {
      dealId,
      accountId: account.accountId,
      title,
      ownerId: account.ownerId,
      channel: account.sourceChannel,
      country: base.country.code,
      productLine: prospect.line,
      repeat: account.hasOrdered,
      currency,
      incoterm,
      contactId: account.primary.contactId,
    },
    {
      actor: { userId: account.ownerId, role: 'rep' },
      cause: { kind: 'person', id: account.ownerId },
      reason: 'Customer called in a new order',
    },
  );
  world.dealsPlanned++;
  const deal = new DealRun(
    world,
    story,
    dealId,
    account,
    account.ownerId,
    currency,
    product,
    account.primary.contactId,
  );
  deal.incoterm = incoterm;
  return deal;
}
