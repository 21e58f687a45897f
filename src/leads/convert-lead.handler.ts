import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Account } from '../../domain/account/account.state';
import { ConvertLead } from '../../domain/lead/lead.commands';
import { LeadConverted } from '../../domain/lead/lead.events';
import { DomainError } from '../../domain/shared/domain-error';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { CommandPipeline } from '../commands/command-pipeline';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { CommandBus } from '@nestjs/cqrs';
import { RecordReader } from '../records/record-reader';
import { deriveId } from '../http/command-sender';
import { ConversionDedup } from '../dedup/conversion-dedup';

export class ConvertLeadCommand {
  constructor(
    readonly leadId: string,
    readonly details: Omit<ConvertLead, 'leadId' | 'accountId' | 'contactId' | 'dealId'>,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** The records a conversion creates, derived from the lead and the command id: a retry names the same ones. */
export const conversionTargets = (leadId: string, commandId: string) => ({
  accountId: deriveId(`lead-${leadId}:${commandId}`, 'account'),
  contactId: deriveId(`lead-${leadId}:${commandId}`, 'contact'),
  dealId: deriveId(`lead-${leadId}:${commandId}`, 'deal'),
});

export interface ConversionResult {
  leadId: string;
  accountId: string;
  contactId: string;
  dealId: string;
  /** Position of the last event written by the chain, for read-your-writes. */
  position?: string;
  replayed: boolean;
}

/**
 * Lead → account + contact + deal across four streams. The lead records the decision first, with
 * target ids derived from the command id; each later step has its own derived command id, so a
 * retry (or a resume after a crash between appends) completes the chain and never duplicates it.
 */
@CommandHandler(ConvertLeadCommand)
export class ConvertLeadHandler implements ICommandHandler<ConvertLeadCommand, ConversionResult> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly records: RecordReader,
    private readonly pipeline: CommandPipeline,
    private readonly dedup: ConversionDedup,
  ) {}

  private async decisionRecorded(leadId: string, commandId: string): Promise<boolean> {
    const history = await this.pipeline.history(`lead-${leadId}`);
    return history.some((event) => event.metadata.commandId === commandId);
  }

  /**
   * The lead's decision is written first and cannot be taken back, so what a later step would
   * refuse (an account that is unknown, out of the caller's scope, merged away, or a contact not
   * on it) is checked before it — unless the decision is already recorded and this is a resume.
   * A dedup holder is checked too: it may be out of the caller's scope.
   */
  private async refuseEarly(details: ConvertLeadCommand['details']): Promise<void> {
    if (!details.existingAccountId) return;
    const { state: account } = await this.records.read<Account>(
      'account',
      details.existingAccountId,
    );
    if (account.mergedInto) {
      throw new DomainError(
        'lead.convert_account_merged',
        'That account was merged into another; convert into the surviving account',
        'existingAccountId',
        { survivorId: account.mergedInto.survivorId },
      );
    }
    if (details.existingContactId && !account.contacts[details.existingContactId]) {
      throw new DomainError(
        'lead.convert_contact_unknown',
        'That contact is not on the account',
        'existingContactId',
      );
    }
  }

  async execute({ leadId, details, envelope }: ConvertLeadCommand): Promise<ConversionResult> {
    const { commandId } = envelope;
    const targets = conversionTargets(leadId, commandId);
    // A resume completes the recorded decision; dedup already shaped it on the first attempt.
    const resuming = await this.decisionRecorded(leadId, commandId);
    if (!resuming) await this.refuseEarly(details);
    const plan = resuming
      ? { details, claimed: { accountId: targets.accountId, keys: [] } }
      : await this.dedup.plan(leadId, details, targets, envelope);
    let decided: CommandOutcome;
    try {
      if (plan.details !== details) await this.refuseEarly(plan.details);
      decided = await this.commandBus.execute(
        new ExecuteDomainCommand(
          'lead',
          leadId,
          { type: 'ConvertLead', data: { ...plan.details, leadId, ...targets } },
          envelope,
        ),
      );
    } catch (error) {
      // Keys claimed for a decision never recorded would hold the buyer for an account that never comes.
      if (!(await this.decisionRecorded(leadId, commandId)))
        await this.dedup.release(plan, envelope);
      throw error;
    }
    const converted = decided.events.find(
      (event: { type: string }) => event.type === 'LeadConverted',
    )?.data as unknown as LeadConverted;
    // Later steps are new commands caused by the conversion, never pinned to the client's revision.
    const step = (suffix: string): CommandEnvelope => ({
      ...envelope,
      // Scoped to the lead: one key reused on two leads must not collide on a shared account.
      commandId: `${commandId}/lead-${leadId}/${suffix}`,
      causationId: commandId,
      expectedRevision: undefined,
    });
    const positions: Array<string | undefined> = [decided.position];
    let replayed = decided.replayed as boolean;

    if (converted.newAccount) {
      const { grade, ...profile } = converted.newAccount;
      const registered = await this.commandBus.execute(
        new ExecuteDomainCommand(
          'account',
          converted.accountId,
          {
            type: 'RegisterAccount',
            data: {
              ...profile,
              sourceChannel: converted.channel,
              accountId: converted.accountId,
              ownerId: converted.ownerId,
              grade,
            },
          },
          step('account'),
        ),
      );
      positions.push(registered.position);
      replayed &&= registered.replayed;
    }
    if (converted.newContact) {
      const added = await this.commandBus.execute(
        new ExecuteDomainCommand(
          'account',
          converted.accountId,
          {
            type: 'AddContact',
            data: {
              ...converted.newContact,
              accountId: converted.accountId,
              contactId: converted.contactId,
            },
          },
          step('contact'),
        ),
      );
      positions.push(added.position);
      replayed &&= added.replayed;
    }
    const account = (await this.records.read<Account>('account', converted.accountId)).state;
    const opened = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'deal',
        converted.dealId,
        {
          type: 'OpenDeal',
          data: {
            dealId: converted.dealId,
            accountId: converted.accountId,
            title: converted.deal.title,
            ownerId: converted.ownerId,
            channel: converted.channel,
            country: account.profile.country,
            productLine: converted.deal.productLine,
            originLeadId: leadId,
            repeat: account.hasOrdered,
            currency: converted.deal.currency,
            contactId: converted.contactId,
          },
        },
        step('deal'),
      ),
    );
    positions.push(opened.position);
    replayed &&= opened.replayed;
    return {
      leadId,
      accountId: converted.accountId,
      contactId: converted.contactId,
      dealId: converted.dealId,
      position: positions
        .filter((p): p is string => p !== undefined)
        .sort()
        .pop(),
      replayed,
    };
  }
}
