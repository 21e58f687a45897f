import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Account } from '../../domain/account/account.state';
import { ConvertLead } from '../../domain/lead/lead.commands';
import { LeadConverted } from '../../domain/lead/lead.events';
import { CommandEnvelope } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { CommandBus } from '@nestjs/cqrs';
import { RecordReader } from '../records/record-reader';
import { deriveId } from '../http/command-sender';

export class ConvertLeadCommand {
  constructor(
    readonly leadId: string,
    readonly details: Omit<ConvertLead, 'leadId' | 'accountId' | 'contactId' | 'dealId'>,
    readonly envelope: CommandEnvelope,
  ) {}
}

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
  ) {}

  async execute({ leadId, details, envelope }: ConvertLeadCommand): Promise<ConversionResult> {
    const { commandId } = envelope;
    const decided = await this.commandBus.execute(
      new ExecuteDomainCommand(
        'lead',
        leadId,
        {
          type: 'ConvertLead',
          data: {
            ...details,
            leadId,
            accountId: deriveId(commandId, 'account'),
            contactId: deriveId(commandId, 'contact'),
            dealId: deriveId(commandId, 'deal'),
          },
        },
        envelope,
      ),
    );
    const converted = decided.events.find(
      (event: { type: string }) => event.type === 'LeadConverted',
    )?.data as LeadConverted;
    // Later steps are new commands caused by the conversion, never pinned to the client's revision.
    const step = (suffix: string): CommandEnvelope => ({
      ...envelope,
      commandId: `${commandId}/${suffix}`,
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
