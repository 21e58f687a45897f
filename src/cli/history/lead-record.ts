import { addBusinessSeconds } from '../../../domain/calendar/business-time';
import { DisqualifyReason, ResponseChannel } from '../../../domain/lead/lead.commands';
import { SCORE_DIMENSIONS } from '../../../domain/policies/scoring-policy';
import { InquiryChannel } from '../../../domain/shared/channels';
import { conversionTargets } from '../../leads/convert-lead.handler';
import { EventActor } from '../../event-store/event-store.port';
import { HOUR, iso, MINUTE, officeMoment, OfficeHours } from './business-hours';
import { ConvertDetails, Story } from './plan';
import { makeInquiry, payloadHash, Prospect } from './prospects';
import { actorOf, employed, Rep, repById } from './team';
import { ASSIGNMENT_RULE, IMPORT_CAUSE, INTAKE, World } from './world';

/** An account's owner, who keeps the buyer's new inquiries. */
export interface ExistingOwner {
  rep: string;
  accountName: string;
}

const SYSTEM: EventActor = { userId: 'system', role: 'system' };
const SECOND = 1000;

/** The assignment rule: a rep of the buyer's region by round robin; an existing account keeps its owner. */
function routeInquiry(
  world: World,
  prospect: Prospect,
  at: number,
  existingOwner: ExistingOwner | undefined,
): { rep: Rep; reason: string } {
  return existingOwner
    ? {
        rep: repById(world.team, existingOwner.rep),
        reason: `Existing account ${existingOwner.accountName} keeps its owner`,
      }
    : world.assignByRegion(prospect.country.region, at);
}

export type LeadStatus = 'new' | 'qualified' | 'nurturing' | 'disqualified' | 'converted';

export const customerHours = (prospect: Prospect): OfficeHours => ({
  zone: prospect.country.zone,
  weekend: prospect.country.weekend,
  startHour: 9,
  endHour: 18,
});

export const repHours = (rep: Rep): OfficeHours => ({
  zone: rep.shiftZone,
  weekend: [6, 7],
  startHour: 9,
  endHour: 18,
});

export const managerHours: OfficeHours = {
  zone: 'Asia/Shanghai',
  weekend: [6, 7],
  startHour: 9,
  endHour: 18,
};

/** How a rep answers a buyer who came in through a channel. */
export const replyChannel = (
  world: World,
  channel: InquiryChannel,
  prospect: Prospect,
): ResponseChannel => {
  const random = world.random;
  if (channel === 'alibaba' || channel === 'made_in_china')
    return random.chance(0.7) ? 'b2b_platform' : 'email';
  if (channel === 'linkedin') return random.chance(0.7) ? 'linkedin' : 'email';
  if (channel === 'facebook') return random.chance(0.6) ? 'facebook' : 'whatsapp';
  if (channel === 'other') return 'phone';
  if (
    ['AE', 'SA', 'EG', 'IN', 'NG', 'BR', 'MX', 'TR'].includes(prospect.country.code) &&
    random.chance(0.3)
  )
    return 'whatsapp';
  if (prospect.country.code === 'VN' && random.chance(0.3)) return 'wechat';
  return 'email';
};

/** A lead as the generator tracks it, and the commands that move it. */
export class LeadRecord {
  status: LeadStatus = 'new';
  ownerId?: string;
  private responded = false;

  constructor(
    private readonly world: World,
    private readonly story: Story,
    readonly leadId: string,
    readonly channel: InquiryChannel,
    readonly prospect: Prospect,
    readonly receivedAt: number,
  ) {
    const departure = world.team.departure;
    if (departure && departure.at > story.now)
      story.schedule(departure.at, () => this.onDeparture());
  }

  /**
   * An inquiry comes in at the story's current time and the assignment rule routes it (an existing
   * account keeps its owner). Before go-live it is history the importer enters: not live, assigned
   * a few minutes later. In service it arrives live through the intake, routed in the same append
   * as the live intake does it, and starts the SLA clocks.
   */
  static receive(
    world: World,
    story: Story,
    prospect: Prospect,
    channel: InquiryChannel,
    options: { show?: string; text?: string; existingOwner?: ExistingOwner } = {},
  ): LeadRecord {
    const leadId = story.newId();
    const receivedAt = story.now;
    const content = makeInquiry(
      world.random,
      prospect,
      channel,
      receivedAt,
      () => world.nextFormNumber(),
      options.show,
      options.text,
    );
    const inquiry = {
      leadId,
      channel,
      ...(content.sourceRef && { sourceRef: content.sourceRef }),
      payloadHash: payloadHash(channel, content, receivedAt),
      inquirer: content.inquirer,
      attachments: content.attachments,
    };
    world.leadsPlanned++;
    if (!world.isLive(receivedAt)) {
      story.domain(
        'lead',
        leadId,
        'ReceiveInquiry',
        { ...inquiry, live: false },
        { actor: INTAKE, cause: IMPORT_CAUSE, reason: `Imported ${channel} inquiry` },
      );
      const lead = new LeadRecord(world, story, leadId, channel, prospect, receivedAt);
      lead.assign(options.existingOwner);
      return lead;
    }
    const { rep, reason } = routeInquiry(world, prospect, receivedAt, options.existingOwner);
    story.domain(
      'lead',
      leadId,
      'ReceiveInquiry',
      { ...inquiry, live: true, assignTo: { to: rep.id, reason, cause: ASSIGNMENT_RULE } },
      {
        actor: INTAKE,
        cause: { kind: 'person', id: INTAKE.userId },
        reason: `${channel} inquiry`,
        decidedBy: { LeadAssigned: { actor: SYSTEM, cause: ASSIGNMENT_RULE, reason } },
      },
    );
    const lead = new LeadRecord(world, story, leadId, channel, prospect, receivedAt);
    lead.ownerId = rep.id;
    return lead;
  }

  get open(): boolean {
    return this.status === 'new' || this.status === 'qualified' || this.status === 'nurturing';
  }

  get owner(): Rep {
    if (!this.ownerId) throw new Error(`Lead ${this.leadId} has no owner yet`);
    return repById(this.world.team, this.ownerId);
  }

  private asOwner(): { actor: EventActor; cause: { kind: 'person'; id: string } } {
    return { actor: actorOf(this.owner), cause: { kind: 'person', id: this.owner.id } };
  }

  /** The importer's assignment, a few minutes after the inquiry was entered. */
  private assign(existingOwner?: ExistingOwner): void {
    this.story.advance(this.story.now + this.world.random.int(1, 8) * MINUTE);
    const { rep, reason } = routeInquiry(this.world, this.prospect, this.story.now, existingOwner);
    this.story.domain(
      'lead',
      this.leadId,
      'AssignLead',
      { leadId: this.leadId, to: rep.id, reason, cause: ASSIGNMENT_RULE },
      { actor: INTAKE, cause: ASSIGNMENT_RULE, reason },
    );
    this.ownerId = rep.id;
  }

  /** The team lead hands a lead to a colleague who speaks the buyer's language. */
  handOverForLanguage(): boolean {
    const language = this.prospect.country.language.slice(0, 2);
    if (this.owner.languages.includes(language) || language === 'en') return false;
    const colleague = this.world.team.reps.find(
      (rep) =>
        rep.id !== this.ownerId &&
        rep.languages.includes(language) &&
        employed(rep, this.story.now),
    );
    if (!colleague) return false;
    this.story.advance(this.story.now + this.world.random.int(10, 90) * MINUTE);
    this.transfer(
      colleague.id,
      `Buyer writes in ${language}; ${colleague.name} speaks it`,
      this.world.team.teamLeadActor,
    );
    return true;
  }

  transfer(to: string, reason: string, actor: EventActor): void {
    const cause = { kind: 'person' as const, id: actor.userId };
    this.story.domain(
      'lead',
      this.leadId,
      'TransferLeadOwnership',
      { leadId: this.leadId, from: this.ownerId, to, reason, cause },
      { actor, cause, reason },
    );
    this.ownerId = to;
  }

  /**
   * The owner's first answer, in working minutes of the owner's team calendar from the inquiry:
   * mostly inside the 30-minute SLA, a fair share between 30 and 60 minutes, some later; slow
   * reps take hours. Live, the rep answers from the CRM, so it is logged within a minute or two.
   */
  firstResponse(pace: 'prompt' | 'slow' = 'prompt'): void {
    const random = this.world.random;
    const hours = repHours(this.owner);
    const minutes =
      pace === 'slow'
        ? random.int(3, 24) * 60
        : random.weighted([
            [random.int(3, 29), 55],
            [random.int(31, 59), 25],
            [random.int(61, 240), 20],
          ]);
    const calendar = this.world.calendarOf(this.owner);
    let sentAt = calendar
      ? Date.parse(
          addBusinessSeconds(calendar, iso(this.receivedAt), minutes * 60 + random.int(0, 59)),
        )
      : officeMoment(
          officeMoment(this.receivedAt, hours, random) + minutes * MINUTE,
          hours,
          random,
        );
    // A handover for language took its time: the new owner answers after it, in office hours.
    if (sentAt <= this.story.now)
      sentAt = officeMoment(this.story.now + random.int(2, 20) * MINUTE, hours, random);
    const channel = replyChannel(this.world, this.channel, this.prospect);
    // Reps on WhatsApp log the chat later; now and then the archived email turns out to be earlier.
    const archivedEarlier = channel === 'whatsapp' && random.chance(0.25);
    this.story.advance(
      sentAt +
        (this.world.isLive(sentAt) ? random.int(5, 90) * SECOND : random.int(2, 25) * MINUTE),
    );
    this.respond(
      'outbound',
      channel,
      sentAt,
      random.pick([
        'Thanks for your inquiry; sent catalogue and asked for quantity, destination port and certificates',
        'Acknowledged the RFQ; asked for drawings and the target delivery date',
        'Replied with datasheet and MOQ; asked about the application',
      ]),
    );
    if (archivedEarlier) {
      const emailedAt = Math.max(this.receivedAt + MINUTE, sentAt - random.int(5, 40) * MINUTE);
      this.story.advance(this.story.now + random.int(2, 20) * HOUR);
      this.story.domain(
        'lead',
        this.leadId,
        'RecordResponse',
        {
          leadId: this.leadId,
          direction: 'outbound',
          channel: 'email',
          at: iso(emailedAt),
          summary: 'Auto-acknowledgement email found in the archive',
        },
        {
          actor: INTAKE,
          cause: { kind: 'import', id: 'email-archive' },
          reason: 'Email archive sync',
        },
      );
    }
    this.responded = true;
  }

  /** A message in either direction, logged by the owner at the story's time. */
  respond(direction: 'inbound' | 'outbound', channel: string, at: number, summary: string): void {
    this.story.domain(
      'lead',
      this.leadId,
      'RecordResponse',
      { leadId: this.leadId, direction, channel, at: iso(at), summary },
      this.asOwner(),
    );
  }

  /** The buyer writes back within a few days, in their own office hours. */
  buyerReplies(summary: string): void {
    const random = this.world.random;
    const at = officeMoment(
      this.story.now + random.int(2, 72) * HOUR,
      customerHours(this.prospect),
      this.world.random,
    );
    this.story.advance(at + random.int(10, 240) * MINUTE);
    this.respond('inbound', replyChannel(this.world, this.channel, this.prospect), at, summary);
  }

  /** Five dimensions rated 0–5, only when a scoring policy is in force. */
  score(quality: 'high' | 'medium' | 'low'): void {
    if (!this.world.policies.scoring) return;
    const random = this.world.random;
    const [min, max] = quality === 'high' ? [3, 5] : quality === 'medium' ? [2, 4] : [0, 2];
    const dimensions = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, random.int(min, max)]));
    this.story.advance(this.story.now + random.int(5, 60) * MINUTE);
    this.story.domain(
      'lead',
      this.leadId,
      'RecordScore',
      { leadId: this.leadId, dimensions },
      this.asOwner(),
    );
  }

  qualify(note: string): void {
    this.story.advance(this.story.now + this.world.random.int(10, 240) * MINUTE);
    this.story.domain(
      'lead',
      this.leadId,
      'QualifyLead',
      { leadId: this.leadId, note },
      this.asOwner(),
    );
    this.status = 'qualified';
  }

  nurture(reason: string): void {
    this.story.advance(this.story.now + this.world.random.int(1, 48) * HOUR);
    this.story.domain(
      'lead',
      this.leadId,
      'NurtureLead',
      { leadId: this.leadId, reason },
      this.asOwner(),
    );
    this.status = 'nurturing';
  }

  disqualify(reason: DisqualifyReason, note?: string): void {
    this.story.advance(this.story.now + this.world.random.int(10, 24 * 60) * MINUTE);
    this.story.domain(
      'lead',
      this.leadId,
      'DisqualifyLead',
      { leadId: this.leadId, reason, ...(note && { note }) },
      this.asOwner(),
    );
    this.status = 'disqualified';
  }

  /**
   * Lead → account + contact + deal through ConvertLeadCommand. The ids are derived from the
   * command id exactly as the handler derives them.
   */
  convert(details: ConvertDetails): { accountId: string; contactId: string; dealId: string } {
    this.story.advance(this.story.now + this.world.random.int(15, 180) * MINUTE);
    const commandId = this.story.emit(
      { kind: 'convert', leadId: this.leadId, details },
      { ...this.asOwner(), reason: 'Qualified: converted to a deal' },
    );
    this.status = 'converted';
    this.world.dealsPlanned++;
    const derived = conversionTargets(this.leadId, commandId);
    return {
      accountId: details.existingAccountId ?? derived.accountId,
      contactId: details.existingContactId ?? derived.contactId,
      dealId: derived.dealId,
    };
  }

  get hasResponse(): boolean {
    return this.responded;
  }

  private onDeparture(): void {
    const departure = this.world.team.departure!;
    if (!this.open || this.ownerId !== departure.leaver.id) return;
    this.transfer(
      departure.successor.id,
      `${departure.leaver.name} left the company; open leads handed to ${departure.successor.name}`,
      this.world.team.managerActor,
    );
  }
}
