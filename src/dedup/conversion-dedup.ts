import { Injectable } from '@nestjs/common';
import { ConvertLead } from '../../domain/lead/lead.commands';
import { convertLead } from '../../domain/lead/lead.convert';
import { Lead } from '../../domain/lead/lead.state';
import { CommandEnvelope } from '../commands/command-envelope';
import { RecordReader } from '../records/record-reader';
import { AccountKeys, DedupKey } from './account-keys';
import { KeyPendingError } from './dedup-errors';

type Details = Omit<ConvertLead, 'leadId' | 'accountId' | 'contactId' | 'dealId'>;
type Targets = Pick<ConvertLead, 'accountId' | 'contactId' | 'dealId'>;

export interface ConversionPlan {
  /** What the lead decides: the request, or the request turned onto the account holding a key. */
  details: Details;
  /** Keys this conversion claimed, given back if its decision is never recorded. */
  claimed: { accountId: string; keys: DedupKey[] };
}

/**
 * A conversion that would register a new account first claims its keys (the buyer's email, the
 * company's domain). When another account holds one, the conversion attaches to that account,
 * and to its contact with the same email: two conversions of one buyer end with one account.
 */
@Injectable()
export class ConversionDedup {
  constructor(
    private readonly keys: AccountKeys,
    private readonly records: RecordReader,
  ) {}

  async plan(
    leadId: string,
    details: Details,
    targets: Targets,
    envelope: CommandEnvelope,
  ): Promise<ConversionPlan> {
    const unchanged = { details, claimed: { accountId: targets.accountId, keys: [] } };
    // A back-dated conversion enters history as it happened: attaching it to an account could
    // place it before that account's own history.
    if (!details.newAccount || envelope.occurredAt !== undefined) return unchanged;
    const { state: lead } = await this.records.read<Lead>('lead', leadId);
    // Refused before any key is claimed for an account this lead would never create.
    convertLead({ ...details, leadId, ...targets }, lead);
    const email = details.existingContactId === undefined ? lead.inquirer.email : undefined;
    const keys = this.keys.keysOf({ website: details.newAccount.website, email });
    const claim = await this.keys.claim(targets.accountId, keys, envelope);
    if (!claim.conflict)
      return { details, claimed: { accountId: targets.accountId, keys: claim.reserved } };

    const { accountId } = claim.conflict;
    const emailKey = keys.find((key) => key.kind === 'email');
    // The email is claimed for the account before its contact is looked for: of two conversions
    // attaching the same buyer, one claims it and adds the contact, the other waits for that contact.
    const emailClaim = emailKey
      ? await this.keys.claim(accountId, [emailKey], envelope).catch((error) => {
          // Another account being written holds the email; this contact is still new here.
          if (error instanceof KeyPendingError) return { reserved: [] };
          throw error;
        })
      : { reserved: [] };
    const contactId =
      email && emailKey
        ? await this.keys.contactFor(accountId, email, emailKey, envelope)
        : undefined;
    const { newAccount: _newAccount, ...rest } = details;
    return {
      details: {
        ...rest,
        existingAccountId: accountId,
        ...(contactId && { existingContactId: contactId }),
      },
      claimed: { accountId, keys: emailClaim.reserved },
    };
  }

  release(plan: ConversionPlan, envelope: CommandEnvelope): Promise<void> {
    return this.keys.release(plan.claimed.accountId, plan.claimed.keys, envelope);
  }
}
