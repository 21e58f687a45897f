import { DisqualifyReason } from '../../../domain/lead/lead.commands';
import { DAY, HOUR } from './business-hours';
import { Arrival } from './customer-story';
import { LeadRecord } from './lead-record';
import { OutOfTime, Story } from './plan';
import { World } from './world';

export type LeadOutcome = 'disqualify' | 'nurture' | 'open' | 'unanswered';

const JUNK: Partial<Record<DisqualifyReason, { text: string; note?: string }>> = {
  spam: {
    text: 'We can put your website on the first page of Google. Reply for a free SEO audit.',
  },
  out_of_scope: {
    text: 'Do you supply PVC pipes and fittings 20–110 mm? Need a container.',
    note: 'Asked for PVC pipes; not our range',
  },
  competitor: {
    text: 'Please send your full price list and cost breakdown for all models.',
    note: 'Sender works for a competing factory',
  },
  no_real_need: {
    text: 'Hello, I need one free sample for my university project.',
    note: 'Student project',
  },
};

/** An inquiry that never becomes a deal: junk, a buyer to nurture, or one still being worked. */
export function leadOnlyStory(
  world: World,
  index: number,
  start: Arrival,
  outcome?: LeadOutcome,
): void {
  const random = world.random;
  const recent = world.until - start.at < 30 * DAY;
  const kind =
    outcome ??
    (recent
      ? random.weighted<LeadOutcome>([
          ['open', 6],
          ['disqualify', 2],
          ['unanswered', 1],
        ])
      : random.weighted<LeadOutcome>([
          ['disqualify', 55],
          ['nurture', 40],
          ['unanswered', 5],
        ]));
  const story = new Story(
    world.plan,
    `gen:${world.plan.runKey}:lead-${index}`,
    start.at,
    world.until,
  );
  try {
    play(world, story, start, kind);
  } catch (error) {
    if (!(error instanceof OutOfTime)) throw error;
  }
  story.finish();
}

function play(world: World, story: Story, start: Arrival, kind: LeadOutcome): void {
  const random = world.random;
  const reason =
    kind === 'disqualify'
      ? random.weighted<DisqualifyReason>([
          ['spam', 10],
          ['duplicate', 10],
          ['no_real_need', 25],
          ['unreachable', 20],
          ['out_of_scope', 15],
          ['competitor', 10],
          ['other', 10],
        ])
      : undefined;
  const lead = LeadRecord.receive(world, story, start.prospect, start.channel, {
    show: start.show,
    text: reason ? JUNK[reason]?.text : undefined,
  });
  if (kind === 'unanswered') return;
  if (reason === 'spam') return lead.disqualify('spam');
  lead.firstResponse(random.chance(0.25) ? 'slow' : 'prompt');
  switch (kind) {
    case 'open':
      if (random.chance(0.6))
        lead.buyerReplies('Buyer answered the first questions; waiting for drawings');
      if (random.chance(0.4)) lead.qualify('Looks real; waiting for the drawings to quote');
      return;
    case 'nurture':
      lead.buyerReplies(
        random.pick([
          'Project delayed to next year; please keep us informed',
          'Only collecting offers for the next tender',
          'Budget not approved yet',
        ]),
      );
      lead.score('low');
      lead.nurture('No budget before next year; quarterly check-in');
      if (random.chance(0.5)) {
        story.advance(story.now + random.int(80, 100) * DAY);
        lead.respond(
          'outbound',
          'email',
          story.now - random.int(1, 5) * HOUR,
          'Quarterly check-in with new catalogue',
        );
        if (random.chance(0.4)) {
          story.advance(story.now + random.int(30, 90) * DAY);
          lead.disqualify('unreachable', 'No reply to three check-ins');
        }
      }
      return;
    case 'disqualify':
      switch (reason) {
        case 'unreachable':
          story.advance(story.now + random.int(4, 10) * DAY);
          lead.respond(
            'outbound',
            'phone',
            story.now - random.int(1, 3) * HOUR,
            'Called twice: number not reachable',
          );
          return lead.disqualify('unreachable', 'Email bounced and phone not reachable');
        case 'duplicate':
          return lead.disqualify(
            'duplicate',
            'Same buyer already talks to us through another channel',
          );
        case 'other':
          return lead.disqualify('other', 'Sanctions screening hit; compliance declined');
        default:
          lead.buyerReplies('Buyer clarified the request');
          return lead.disqualify(reason!, JUNK[reason!]?.note);
      }
  }
}
