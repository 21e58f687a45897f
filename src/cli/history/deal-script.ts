import { DELIVERY_RISKS } from '../../../domain/deal/deal.commands';
import { findLossReason } from '../../../domain/policies/loss-reason-policy';
import { findOpenStage } from '../../../domain/policies/stage-policy';
import { DAY, HOUR, MINUTE, officeMoment, OfficeHours } from './business-hours';
import { COMPETITORS } from './catalogue';
import { DealRun } from './deal-run';
import { roundTo } from './prospects';
import { actorOf, employed, repById } from './team';

/** Things a story must show, so that even a small run covers every kind of history. */
export type Feature =
  'won' | 'lost' | 'backward' | 'handover' | 'approval' | 'multi-quote' | 'repeat';

/** The open stages the script is written for: the defaults of stages.default. */
export const SCRIPT_STAGES = ['initial_contact', 'proposal', 'sample', 'negotiation'] as const;

const ROUTES: Array<readonly [string[], number]> = [
  [['proposal', 'sample', 'negotiation'], 35],
  [['proposal', 'negotiation'], 30],
  // Straight into sampling, then back to the skipped quotation stage (a step back, not a re-entry).
  [['sample', 'proposal', 'negotiation'], 10],
  [['proposal', 'sample', 'proposal', 'negotiation'], 10],
  [['proposal', 'negotiation', 'proposal', 'negotiation'], 8],
  [['negotiation'], 7],
];
const BACKWARD_ROUTES = ROUTES.filter(([route]) => route.length > new Set(route).size).map(
  ([route]) => route,
);

const LOSS_REASONS: Record<string, Array<readonly [string, string]>> = {
  initial_contact: [
    ['price.budget_insufficient', 'Budget is half our price level; buyer will source locally'],
    ['external.project_cancelled', "The end client's project was put on hold"],
    [
      'process.slow_response',
      'Buyer said our first answer came too late; already ordered elsewhere',
    ],
    ['trust.credentials_insufficient', 'Buyer wanted a local agent and references in the region'],
  ],
  proposal: [
    ['price.competitor_cheaper', 'Competitor quoted about 12 % below us'],
    ['price.value_not_proven', 'Buyer did not see why our price is above the Alibaba average'],
    ['lead_time.project_deadline_tight', 'Needed delivery in three weeks; our lead time is five'],
    [
      'process.quote_versions_confused',
      'Buyer used the old quote version and the numbers did not match',
    ],
    ['trust.references_insufficient', 'No reference project in their country'],
  ],
  sample: [
    ['specification.test_failed', 'Sample failed the 1.5× pressure test at the buyer'],
    ['specification.technical_mismatch', 'Flange standard does not match their piping'],
    ['specification.certification_missing', 'They need a national certification we do not have'],
    ['lead_time.communication_delay', 'Test feedback took five weeks; the buyer moved on'],
  ],
  negotiation: [
    [
      'price.competitor_cheaper',
      'Lost on the last round: competitor matched our terms at a lower price',
    ],
    [
      'external.fx_or_payment_restriction',
      'Buyer could not get the letter of credit opened in time',
    ],
    ['external.policy_change', 'New import duty made the order uneconomic'],
    ['lead_time.capacity_short', 'We could not commit to their shipment month'],
    [
      'trust.communication_unprofessional',
      'Buyer complained about unanswered questions during negotiation',
    ],
  ],
};

const bankHours: OfficeHours = {
  zone: 'Asia/Shanghai',
  weekend: [6, 7],
  startHour: 9,
  endHour: 17,
};

/** Plays one deal from opening to its outcome (or to the run's clock). */
export function playDeal(
  deal: DealRun,
  features: Set<Feature>,
  velocity: number,
  /** A complete RFQ: the first quote goes out the same day, before the first calls. */
  rfq = false,
): void {
  const random = deal.random;
  const wait = (min: number, max: number) => deal.waitDays(min * velocity, max * velocity);
  const fate = features.has('won')
    ? 'won'
    : features.has('lost')
      ? 'lost'
      : random.weighted<'won' | 'lost' | 'stall'>([
          ['won', 38],
          ['lost', 47],
          ['stall', 15],
        ]);
  const route = features.has('backward') ? random.pick(BACKWARD_ROUTES) : random.weighted(ROUTES);
  // Some buyers accept the first quotation outright: won straight from the proposal stage.
  const quick = fate === 'won' && route[0] === 'proposal' && random.chance(0.15);
  // Lost deals go at some point along the route; a stalled one just stops answering.
  const stopAt = quick
    ? 1
    : fate === 'won'
      ? route.length
      : random.int(fate === 'lost' ? 0 : 1, route.length);
  const handoverAt = random.chance(0.12) ? random.int(1, route.length) : -1;

  if (rfq && route[0] === 'proposal' && !features.has('backward')) {
    deal.meetRequirements('proposal');
    if (!deal.current) deal.quoteRound({ discount: random.between(0, 0.05), soon: true });
    deal.moveTo('proposal', 'Complete RFQ: quoted the same day');
  }
  initialContact(deal, features);
  wait(2, 10);
  if (features.has('handover')) handOver(deal);
  for (let i = 0; i < stopAt; i++) {
    if (i === handoverAt) handOver(deal);
    const stage = route[i];
    const previous = SCRIPT_STAGES.indexOf(deal.stage as (typeof SCRIPT_STAGES)[number]);
    const backward = SCRIPT_STAGES.indexOf(stage as (typeof SCRIPT_STAGES)[number]) < previous;
    if (deal.stage !== stage)
      deal.moveTo(stage, backward ? backNote(deal.stage, stage) : undefined);
    const visits = route.slice(0, i + 1).filter((s) => s === stage).length;
    work(deal, stage, visits, features);
    wait(3, 14);
  }
  if (fate === 'won') {
    wait(1, 7);
    return win(deal, velocity);
  }
  if (fate === 'stall') {
    const stale = findOpenStage(deal.world.policies.stages, deal.stage)?.staleAfterDays ?? 21;
    deal.waitDays(stale * 1.5, stale * 3);
    deal.activity('email', 'outbound', 'Last follow-up before closing: no reply for weeks');
    deal.waitDays(3, 10);
    deal.markLost(
      lossCode(deal, 'process.follow_up_interrupted'),
      'Buyer went silent; closed after the stale-deal prompt',
    );
  } else {
    const [code, note] = random.pick(LOSS_REASONS[deal.stage] ?? LOSS_REASONS.proposal);
    deal.markLost(lossCode(deal, code), note);
  }
  if (deal.account.lifecycle !== 'lost' && !deal.account.hasOrdered)
    deal.account.moveLifecycle('lost', `Only deal lost (${deal.stage})`);
  if (random.chance(0.07)) {
    deal.waitDays(15, 60);
    if (deal.account.lifecycle === 'lost')
      deal.account.moveLifecycle('active', 'Buyer came back to the lost deal');
    deal.reopen('Buyer came back: the chosen supplier missed the delivery date');
    if (deal.stage !== 'negotiation') deal.moveTo('negotiation', 'Reopened straight into terms');
    work(deal, 'negotiation', 2, features);
    wait(2, 10);
    if (random.chance(0.7)) return win(deal, velocity);
    deal.markLost(
      lossCode(deal, 'price.competitor_cheaper'),
      'Second attempt lost on price as well',
    );
    if (!deal.account.hasOrdered) deal.account.moveLifecycle('lost', 'Reopened deal lost again');
  }
}

function initialContact(deal: DealRun, features: Set<Feature>): void {
  const random = deal.random;
  deal.tasks.createFor(
    deal.stage,
    deal.world.policies.stages.openStages[0].taskTemplates,
    deal.ownerId,
  );
  deal.activity('email', 'outbound', 'Sent company profile, catalogue and test certificates');
  deal.activity(
    random.pick(['call', 'im'] as const),
    'inbound',
    random.pick([
      'Call with purchasing: confirmed quantity, destination port and target delivery',
      'WhatsApp: buyer shared the application and working pressure',
      'Buyer asked about MOQ and whether we can print their logo',
    ]),
  );
  if (random.chance(0.3)) {
    const engineer = deal.account.addContact(random.pick(['engineering', 'quality'] as const));
    deal.activity(
      'meeting',
      'outbound',
      'Video call with their engineer to review drawings and specs',
      engineer,
    );
    if (random.chance(0.4)) deal.setContact(engineer);
  }
  deal.setCloseDate(deal.story.now + random.int(45, 150) * DAY);
  if (random.chance(0.25))
    deal.command('ChangeDeliveryRisks', {
      risks: random.sample([...DELIVERY_RISKS], random.int(1, 2)),
    });
  const usd = deal.quantity * deal.product.listUsdCents;
  if (features.has('approval') || (usd >= 4_000_000 && random.chance(0.6))) deal.setMarginTargets();
}

const backNote = (from: string, to: string): string =>
  from === 'sample'
    ? 'Test feedback: buyer needs a different material; back to quotation'
    : from === 'negotiation' && to === 'proposal'
      ? 'Buyer changed the quantities; back to quotation'
      : `Back to ${to}`;

function work(deal: DealRun, stage: string, visit: number, features: Set<Feature>): void {
  const random = deal.random;
  const competitor = random.pick(COMPETITORS[deal.product.line]);
  switch (stage) {
    case 'proposal': {
      if (visit > 1) {
        deal.quantity = roundTo(deal.quantity * random.between(0.6, 1.5), deal.product.step);
        if (deal.floorMinor !== undefined)
          deal.setMarginTargets('Quantity revised: floor price reset');
        deal.quoteRound({
          discount: Math.min(0.08, deal.discount + 0.02),
          note: 'Revised specification',
        });
      } else if (!deal.current) {
        deal.quoteRound({ discount: random.between(0, 0.05), withOptions: random.chance(0.3) });
      }
      quoteFollowUps(deal, competitor);
      if (features.has('multi-quote') || random.chance(0.35)) {
        deal.activity(
          'email',
          'inbound',
          `Buyer asks for a better price; ${competitor} offered lower`,
        );
        deal.quoteRound({ discount: Math.min(0.08, deal.discount + random.between(0.02, 0.04)) });
        quoteFollowUps(deal, competitor);
      }
      break;
    }
    case 'sample': {
      deal.activity(
        'email',
        'outbound',
        'Sample invoice sent: sample fee refundable against the first order',
      );
      deal.waitDays(2, 5);
      deal.activity('email', 'outbound', `Samples dispatched by DHL, AWB ${random.digits(10)}`);
      deal.waitDays(5, 12);
      deal.activity('email', 'inbound', 'Samples received; testing started');
      deal.waitDays(7, 25);
      deal.activity(
        random.pick(['call', 'meeting'] as const),
        'inbound',
        random.pick([
          'Test report OK: pressure and leak test passed',
          'Test passed with remarks: marking on the body to be improved',
          'Lab test passed; buyer wants the certificate copies',
        ]),
      );
      if (random.chance(0.2)) deal.account.addCertifications(['ISO9001', 'RoHS']);
      break;
    }
    case 'negotiation': {
      deal.setPaymentTerm(random.pick(deal.prospect.country.paymentTerms));
      if (random.chance(0.2)) deal.setIncoterm(deal.incoterm === 'FOB' ? 'CIF' : 'FOB');
      deal.activity(
        random.pick(['meeting', 'visit', 'call'] as const),
        random.pick(['inbound', 'outbound'] as const),
        random.pick([
          'Negotiated payment terms and packaging',
          'Buyer visited our factory in Ningbo; production line and QC tour',
          `Visited the buyer in ${deal.prospect.country.name}; agreed warranty and claim terms`,
          'Call on the final price and the shipment schedule',
        ]),
      );
      if (features.has('approval') || random.chance(0.2)) {
        if (!deal.floorMinor && random.chance(0.5)) deal.setMarginTargets();
        deal.quoteRound({
          discount: random.between(0.125, 0.17),
          note: `${competitor} is about 15 % lower; need approval to match`,
          rejectFirst: random.chance(0.3),
        });
      } else if (visit > 1 || random.chance(0.4)) {
        deal.quoteRound({ discount: Math.min(0.08, deal.discount + 0.02) });
      }
      const [minLead, maxLead] = deal.product.leadTimeDays;
      deal.setShipMonth(deal.story.now + random.int(minLead, maxLead + 30) * DAY);
      if (!deal.closeDate || Date.parse(deal.closeDate) < deal.story.now + 5 * DAY)
        deal.setCloseDate(deal.story.now + random.int(10, 45) * DAY);
      break;
    }
  }
}

/** The day-3 and day-7 follow-ups after a quote goes out, in the buyer's working week. */
function quoteFollowUps(deal: DealRun, competitor: string): void {
  const random = deal.random;
  const version = deal.current?.version ?? 1;
  deal.waitDays(3, 3.2);
  deal.activity('email', 'outbound', `Follow-up on quote v${version} (day 3)`);
  if (random.chance(0.5)) {
    deal.activity(
      'email',
      'inbound',
      random.pick([
        `Buyer is comparing with ${competitor}`,
        'Buyer asks for the lead time in writing and a proforma',
        'Buyer will discuss the offer with their end client',
      ]),
    );
    return;
  }
  deal.waitDays(3.5, 4);
  deal.activity('call', 'outbound', `Follow-up call on quote v${version} (day 7)`);
}

function handOver(deal: DealRun): void {
  const random = deal.random;
  const colleague = deal.colleague();
  if (!colleague) return;
  const original = deal.ownerId;
  deal.story.advance(deal.story.now + random.int(1, 48) * HOUR);
  if (random.chance(0.5)) {
    const away = random.int(10, 21);
    deal.transfer(
      colleague,
      `Annual leave for ${away} days; ${repById(deal.world.team, colleague).name} covers the deal`,
      actorOf(repById(deal.world.team, original)),
    );
    deal.story.schedule(deal.story.now + away * DAY, () => {
      const departure = deal.world.team.departure;
      const back = departure?.leaver.id === original ? departure.successor.id : original;
      if (deal.status !== 'open' || deal.ownerId !== colleague || back === colleague) return;
      if (!employed(repById(deal.world.team, back), deal.story.now)) return;
      deal.transfer(
        back,
        'Back from annual leave; deal handed back',
        actorOf(repById(deal.world.team, colleague)),
      );
    });
  } else {
    deal.transfer(
      colleague,
      random.pick([
        'Workload balancing across the team',
        'Key account: moved to a senior rep',
        'Buyer asked for a rep in a closer time zone',
      ]),
      deal.world.team.managerActor,
    );
  }
}

/** The policy's code when it has it, else the first sub-reason of the same reason. */
function lossCode(deal: DealRun, code: string): string {
  const policy = deal.world.policies.lossReasons;
  if (findLossReason(policy, code)) return code;
  const reason = policy.reasons.find((r) => r.key === code.split('.')[0]) ?? policy.reasons[0];
  return `${reason.key}.${reason.subReasons[0].key}`;
}

function win(deal: DealRun, velocity: number): void {
  const random = deal.random;
  const orderReference = deal.markWon();
  deal.account.recordOrder(orderReference);
  const usd = deal.quantity * deal.product.listUsdCents;
  if (usd >= 8_000_000 && deal.account.grade !== 'A')
    deal.account.changeGrade('A', `Order ${orderReference} confirmed volume above USD 80,000`);
  else if (deal.account.grade === 'C')
    deal.account.changeGrade('B', `First order ${orderReference} placed`);
  const term = deal.paymentTerm ?? { method: 'T/T' as const, advancePercent: 30 };
  const [minLead, maxLead] = deal.product.leadTimeDays;
  const shipAfter = random.int(minLead, maxLead);
  const parts: Array<[number, number]> = [];
  if (term.method === 'T/T') {
    const advance = (term.advancePercent ?? 30) / 100;
    if (advance >= 1) parts.push([random.between(2, 7), 1]);
    else {
      parts.push([random.between(2, 10), advance]);
      if (random.chance(0.25)) {
        parts.push([shipAfter + random.between(2, 8), (1 - advance) / 2]);
        parts.push([shipAfter + random.between(15, 35), (1 - advance) / 2]);
      } else parts.push([shipAfter + random.between(3, 12), 1 - advance]);
    }
  } else if (term.method === 'L/C') parts.push([shipAfter + random.between(12, 25), 1]);
  else if (term.method === 'D/P') parts.push([shipAfter + random.between(20, 40), 1]);
  else {
    const credit = term.creditDays ?? 60;
    if (random.chance(0.3)) {
      parts.push([shipAfter + credit + random.between(15, 30), 0.5]);
      parts.push([shipAfter + credit + random.between(40, 60), 0.5]);
    } else parts.push([shipAfter + credit + random.between(15, 35), 1]);
  }
  const wonAt = deal.wonAt!;
  const amount = deal.amountMinor!;
  let shipped = false;
  parts.forEach(([afterDays, share], index) => {
    const due = wonAt + afterDays * DAY * Math.max(0.8, velocity);
    if (!shipped && afterDays >= shipAfter) {
      deal.story.advance(wonAt + shipAfter * DAY);
      deal.activity('email', 'outbound', `Shipment booked: ETD Ningbo, B/L copy sent to the buyer`);
      shipped = true;
    }
    if (index === parts.length - 1 && parts.length > 1 && random.chance(0.2)) {
      deal.story.advance(due - 5 * DAY);
      deal.activity('email', 'outbound', 'Payment reminder: balance due against the B/L copy');
    }
    deal.story.advance(
      officeMoment(Math.max(due, deal.story.now + MINUTE), bankHours, deal.random),
    );
    const minor = index === parts.length - 1 ? amount - deal.paidMinor : Math.round(amount * share);
    deal.recordPayment(minor);
  });
}
