import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { CommandSender, deriveId } from '../http/command-sender';
import { currentRequestContext, runInRequestContext } from '../http/request-context';
import { inputValidationPipe } from '../http/validation.pipe';
import { DirectoryFeed } from '../identity/directory-feed';
import { ReceiveInquiryDto } from '../leads/dto/receive-inquiry.dto';
import { KeyedHasher } from '../personal-data/keyed-hash';
import { CLOCK, Clock } from '../shared/clock';
import { AddressBook, ArchivedMail } from './address-book';
import { AttachmentStore } from './attachment-store';
import { InboundMail, readMail } from './inbound-mail';
import { IntakeProblem } from './intake-problem';

/** Mail dated more than this before it reaches us is history being filed: no SLA clock. */
const LIVE_WINDOW_MS = 60 * 60 * 1000;
const MAX_ATTACHMENTS = 50;

export interface MailOutcome {
  /** A new inquiry, a message on a lead, or an activity on a deal. */
  filedAs: 'inquiry' | 'lead_response' | 'deal_activity';
  direction: 'inbound' | 'outbound';
  aggregate: 'lead' | 'deal';
  id: string;
  events: string[];
  replayed: boolean;
  /** Attachments beyond the first 50 are neither listed nor kept. */
  attachmentsSkipped?: number;
}

type Direction = MailOutcome['direction'];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const FILED_AS: Record<string, MailOutcome['filedAs']> = {
  InquiryReceived: 'inquiry',
  LeadResponseRecorded: 'lead_response',
  DealActivityLogged: 'deal_activity',
};

/**
 * Files an .eml. From one of our users: the reply to a lead (its recorded response, which stops
 * the SLA clock: response times come from the mail, not from what the rep reports) or an outbound
 * activity on a contact's open deal. From a contact: an inbound activity on their open deal. From
 * an open lead's address: an inbound message on that lead. From anyone else: a new inquiry. The
 * Message-ID names the command, so the same mail filed twice is written once.
 */
@Injectable()
export class MailIngest {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sender: CommandSender,
    private readonly hasher: KeyedHasher,
    private readonly feed: DirectoryFeed,
    private readonly book: AddressBook,
    private readonly attachments: AttachmentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async ingest(bytes: Buffer): Promise<MailOutcome> {
    const mail = await readMail(bytes);
    const commandId = `email:${this.hasher.hash('email-message', mail.messageId ?? sha256(bytes))}`;
    await this.book.refresh();
    const archived = this.book.archivedAs(commandId);
    if (archived) return replayOf(archived);
    if (this.isOurs(mail.from.address)) return this.outbound(mail, commandId);
    return this.inbound(mail, commandId, bytes);
  }

  private isOurs(address: string): boolean {
    return this.feed.directory.userByEmail(address) !== undefined;
  }

  private async outbound(mail: InboundMail, commandId: string): Promise<MailOutcome> {
    const buyers = mail.recipients.filter((address) => !this.isOurs(address));
    for (const address of buyers) {
      const [leadId] = this.book.openLeadsOf(address);
      if (leadId) return this.onLead(leadId, 'outbound', mail, commandId);
    }
    for (const address of buyers) {
      if (this.book.contactsOf(address).length > 0) {
        return this.onDeal(address, 'outbound', mail, commandId);
      }
    }
    throw new IntakeProblem(
      'email.recipient_unknown',
      'The mail is from one of our users, but none of its recipients is a lead or a contact',
      'To',
      {},
      422,
    );
  }

  private async inbound(mail: InboundMail, commandId: string, raw: Buffer): Promise<MailOutcome> {
    const from = mail.from.address;
    const known = this.book.contactsOf(from).length > 0;
    const [leadId] = this.book.openLeadsOf(from);
    if (known && (!leadId || this.openDealsOfContact(from).length === 1)) {
      return this.onDeal(from, 'inbound', mail, commandId);
    }
    if (leadId) return this.onLead(leadId, 'inbound', mail, commandId);
    return this.newInquiry(mail, commandId, raw);
  }

  private openDealsOfContact(address: string): Array<{ dealId: string; contactId: string }> {
    const found = new Map<string, string>();
    for (const contact of this.book.contactsOf(address)) {
      for (const dealId of this.book.openDealsOf(contact.accountId)) {
        if (!found.has(dealId)) found.set(dealId, contact.contactId);
      }
    }
    return [...found].map(([dealId, contactId]) => ({ dealId, contactId }));
  }

  private async onLead(
    leadId: string,
    direction: Direction,
    mail: InboundMail,
    commandId: string,
  ): Promise<MailOutcome> {
    const data = {
      leadId,
      direction,
      channel: 'email',
      at: this.mailTime(mail).toISOString(),
      ...(mail.subject && { summary: mail.subject.slice(0, 5000) }),
    };
    const outcome = await this.execute('lead', leadId, { type: 'RecordResponse', data }, commandId);
    return result('lead_response', direction, 'lead', leadId, outcome);
  }

  /**
   * The domain has activities on deals only, so a contact's mail is filed on their account's open
   * deal, and refused when there is none or more than one to choose from.
   */
  private async onDeal(
    address: string,
    direction: Direction,
    mail: InboundMail,
    commandId: string,
  ): Promise<MailOutcome> {
    const deals = this.openDealsOfContact(address);
    const accountIds = [...new Set(this.book.contactsOf(address).map((c) => c.accountId))];
    if (deals.length !== 1) {
      throw new IntakeProblem(
        deals.length === 0 ? 'email.no_open_deal' : 'email.deal_ambiguous',
        deals.length === 0
          ? 'The contact has no open deal to file the mail on; log it by hand'
          : `The contact has ${deals.length} open deals; log the mail on the right one by hand`,
        direction === 'inbound' ? 'From' : 'To',
        { accountIds, openDeals: deals.length },
        422,
      );
    }
    const [{ dealId, contactId }] = deals;
    const data = {
      activityId: deriveId(commandId, 'activity'),
      kind: 'email',
      direction,
      summary: (mail.subject ?? '(no subject)').slice(0, 5000),
      at: this.mailTime(mail).toISOString(),
      contactId,
    };
    const outcome = await this.execute('deal', dealId, { type: 'LogActivity', data }, commandId);
    return result('deal_activity', direction, 'deal', dealId, outcome);
  }

  private async newInquiry(
    mail: InboundMail,
    commandId: string,
    raw: Buffer,
  ): Promise<MailOutcome> {
    const leadId = deriveId(commandId, 'lead');
    const kept = mail.attachments.slice(0, MAX_ATTACHMENTS);
    const body = {
      channel: 'email',
      ...(mail.messageId && mail.messageId.length <= 300 && { sourceRef: mail.messageId }),
      inquirer: {
        email: mail.from.address,
        ...(mail.from.name && { name: mail.from.name.slice(0, 200) }),
        ...(mail.text && { message: mail.text.slice(0, 20_000) }),
      },
      attachments: kept.map((attachment, index) => ({
        sha256: sha256(attachment.content),
        filename: (attachment.filename || `attachment-${index + 1}`).slice(0, 255),
        mime: attachment.mime,
        size: attachment.content.length,
      })),
    };
    await inputValidationPipe.transform(body, { type: 'body', metatype: ReceiveInquiryDto });
    for (const attachment of kept) await this.attachments.put(`lead:${leadId}`, attachment.content);
    const now = this.clock.now();
    const date = mail.date;
    const mayBackdate = currentRequestContext()?.mayBackdate ?? false;
    const data = {
      ...body,
      leadId,
      payloadHash: this.hasher.hash('inquiry-payload', raw.toString('base64')),
      live: !date || now.getTime() - date.getTime() <= LIVE_WINDOW_MS,
    };
    const outcome = await this.execute(
      'lead',
      leadId,
      { type: 'ReceiveInquiry', data },
      commandId,
      // The clock runs from when the buyer sent it, for callers allowed to say so.
      mayBackdate && date && date < now ? date.toISOString() : undefined,
    );
    return {
      ...result('inquiry', 'inbound', 'lead', leadId, outcome),
      ...(mail.attachments.length > kept.length && {
        attachmentsSkipped: mail.attachments.length - kept.length,
      }),
    };
  }

  /** Sent or received then; a sender's clock running ahead is taken as now. */
  private mailTime(mail: InboundMail): Date {
    const now = this.clock.now();
    return mail.date && mail.date < now ? mail.date : now;
  }

  private execute(
    aggregate: 'lead' | 'deal',
    id: string,
    command: { type: string; data: unknown },
    commandId: string,
    occurredAt?: string,
  ): Promise<CommandOutcome> {
    const envelope = {
      ...this.sender.envelope(commandId, { occurredAt }, {}),
      // Named by the Message-ID, not by the client: the request does not identify the command.
      requestFingerprint: undefined,
    };
    const send = (): Promise<CommandOutcome> =>
      this.commandBus.execute(new ExecuteDomainCommand(aggregate, id, command, envelope));
    const context = currentRequestContext();
    // The mail gateway files mail on whichever rep's records its addresses name; staff who
    // upload mail stay within their record scope.
    if (context?.principal?.role === 'intake') {
      return runInRequestContext({ ...context, principal: undefined }, send);
    }
    return send();
  }
}

function result(
  filedAs: MailOutcome['filedAs'],
  direction: Direction,
  aggregate: MailOutcome['aggregate'],
  id: string,
  outcome: CommandOutcome,
): MailOutcome {
  return {
    filedAs,
    direction,
    aggregate,
    id,
    events: outcome.events.map((event) => event.type),
    replayed: outcome.replayed,
  };
}

const replayOf = (archived: ArchivedMail): MailOutcome => ({
  filedAs: FILED_AS[archived.type] ?? 'inquiry',
  direction: archived.direction,
  aggregate: archived.aggregate,
  id: archived.id,
  events: [],
  replayed: true,
});
