import { INQUIRY_CHANNELS } from '../../../domain/shared/channels';
import { DAY } from './business-hours';
import { arrival, customerStory } from './customer-story';
import { Feature, SCRIPT_STAGES } from './deal-script';
import { LeadOutcome, leadOnlyStory } from './lead-only-story';
import { staffStory } from './staff-story';
import { World } from './world';

/** Each of these is forced on one early story, so even a 30-deal run shows every kind of history. */
const FORCED: Feature[][] = [
  ['won'],
  ['lost'],
  ['backward'],
  ['handover'],
  ['approval', 'multi-quote'],
  ['won', 'repeat'],
];
const FORCED_LEADS: LeadOutcome[] = ['disqualify', 'nurture'];

/**
 * Plans every story of the run: about 0.85 first deals per requested deal (repeat orders make up
 * the rest) and 0.45 inquiries per deal that never become one, spread over the window in time
 * order; then more buyers until the requested number of deals is reached.
 */
export function planHistories(world: World): void {
  const stages = world.policies.stages.openStages.map((stage) => stage.key);
  if (SCRIPT_STAGES.some((key) => !stages.includes(key)) || stages.length !== SCRIPT_STAGES.length)
    throw new Error(
      `The generator plays the default stages (${SCRIPT_STAGES.join(', ')}); ${world.policies.stages.id} v${world.policies.stages.version} has ${stages.join(', ')}`,
    );
  staffStory(world);
  const random = world.random;
  const target = world.dealTarget;
  const last = world.until - 2 * DAY;
  const span = last - world.from;
  const customers = Math.max(1, Math.ceil(target * 0.85));
  const leadsOnly = Math.round(target * 0.45);
  const starts = [
    ...Array.from({ length: customers }, () => ({
      at: world.from + random.next() * span,
      customer: true,
    })),
    ...Array.from({ length: leadsOnly }, () => ({
      at: world.from + random.next() * span,
      customer: false,
    })),
  ].sort((a, b) => a.at - b.at);

  world.reservedDeals = customers;
  let customerIndex = 0;
  let leadIndex = 0;
  let forced = 0;
  for (const start of starts) {
    if (!start.customer) {
      leadOnlyStory(world, leadIndex, arrival(world, start.at), FORCED_LEADS[leadIndex]);
      leadIndex++;
      continue;
    }
    world.reservedDeals--;
    if (world.dealsPlanned >= target) continue;
    // Early enough for the forced history to finish before the clock.
    const features = new Set<Feature>(
      forced < FORCED.length && start.at < world.until - 240 * DAY ? FORCED[forced++] : [],
    );
    const channel =
      customerIndex < INQUIRY_CHANNELS.length ? INQUIRY_CHANNELS[customerIndex] : undefined;
    customerStory(world, customerIndex, arrival(world, start.at, channel), features);
    customerIndex++;
  }
  // Buyers whose deal was not opened before the clock leave room for more, from earlier in the window.
  for (let guard = 0; world.dealsPlanned < target && guard < target * 4; guard++) {
    const at = world.from + random.next() * Math.max(DAY, span - 120 * DAY);
    customerStory(world, customerIndex++, arrival(world, at), new Set());
  }
}
