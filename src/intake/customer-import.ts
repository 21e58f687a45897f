import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error';
import { RegisterAccountDto } from '../accounts/dto/account-commands.dto';
import { ContactDetailsDto } from '../accounts/dto/contact.dto';
import { CommandEnvelope, CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { DuplicateAccountError } from '../dedup/dedup-errors';
import { RegistrationDedup } from '../dedup/registration-dedup';
import { CommandSender, deriveId } from '../http/command-sender';
import { InputProblem } from '../http/problem-details';
import { inputValidationPipe } from '../http/validation.pipe';
import { SALES } from '../identity/access.decorators';
import { DirectoryFeed } from '../identity/directory-feed';
import { KeyedHasher } from '../personal-data/keyed-hash';
import {
  CustomerColumns,
  CustomerField,
  CustomerValues,
  mapCustomerColumns,
} from './customer-columns';
import { rowValues } from './lead-columns';
import {
  canonical,
  ImportFile,
  isBlank,
  refusal,
  rowShapeProblem,
  surveyRows,
} from './lead-import';
import { domainOf, phoneE164, RowProblem } from './row-inquiry';
import { RowSource } from './sheet-rows';

export interface CustomerRowProblem extends RowProblem {
  /** For `import.account_exists`: the account that already holds the website or email. */
  accountId?: string;
}

export interface CustomerImportReport {
  file: { sha256: string; format: string; encoding?: string };
  rowsRead: number;
  /** Rows that wrote something: their account, or the contact a crashed earlier import left out. */
  imported: number;
  /** Rows imported whole before, by an earlier import of the same rows: nothing was written again. */
  replayed: number;
  invalid: CustomerRowProblem[];
  /** One per imported or replayed row, in file order. */
  accountIds: string[];
  ignoredColumns: string[];
}

type AccountBody = Record<string, unknown> & { website?: string };
type ContactBody = Record<string, unknown> & { email?: string };

/** "ball valves; gate valves" / "FOB，CIF" → a list; lists in one cell are written by hand. */
const list = (value: string | undefined, tidy: (item: string) => string = (item) => item) =>
  value
    ?.split(/[;,，；、\n]+/)
    .map((item) => tidy(item.trim()))
    .filter(Boolean);
const lower = (value: string | undefined) => value?.toLowerCase();
const upper = (value: string | undefined) => value?.toUpperCase();
const defined = <Body extends Record<string, unknown>>(body: Body): Body =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as Body;

/** DTO and domain field names → the list column they came from. */
const ACCOUNT_FIELD: Record<string, CustomerField> = {
  name: 'company',
  ownerId: 'owner',
  to: 'owner',
};
const CONTACT_FIELD: Record<string, CustomerField> = {
  name: 'contactName',
  email: 'contactEmail',
  phone: 'contactPhone',
  role: 'contactRole',
  title: 'contactTitle',
};

/**
 * Imports a customer list (accounts already won before the CRM): per valid row, RegisterAccount
 * and, when the row names one, AddContact for its primary contact. Both steps have command ids
 * derived from the row's values, so a re-import replays what was written and completes a row an
 * earlier import left half-way (crash between the two steps). The account claims its exact dedup
 * keys (website domain, contact email) first: a row whose key another account holds writes
 * nothing and is reported `import.account_exists` with that account's id; it is not attached to
 * the existing account, which may be someone else's, to change by hand.
 */
@Injectable()
export class CustomerImport {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sender: CommandSender,
    private readonly hasher: KeyedHasher,
    private readonly dedup: RegistrationDedup,
    private readonly feed: DirectoryFeed,
  ) {}

  async run(rows: RowSource, file: Omit<ImportFile, 'channel'>): Promise<CustomerImportReport> {
    const columns = await surveyRows(rows, mapCustomerColumns);
    const report: CustomerImportReport = {
      file: { sha256: file.sha256, format: file.format, encoding: file.encoding },
      rowsRead: 0,
      imported: 0,
      replayed: 0,
      invalid: [],
      accountIds: [],
      ignoredColumns: columns.ignored,
    };
    const firstSeen = new Map<string, number>();
    for await (const sheetRow of rows()) {
      if (sheetRow.row === 1 || isBlank(sheetRow.cells)) continue;
      report.rowsRead += 1;
      const shape = rowShapeProblem(sheetRow, columns.width, file.format);
      if (shape) {
        report.invalid.push(shape);
        continue;
      }
      const { row } = sheetRow;
      const values = rowValues(sheetRow.cells, columns);
      const { problems, account, contact } = await this.check(row, values, columns);
      if (problems.length > 0) {
        report.invalid.push(...problems);
        continue;
      }
      const rowKey = `customer-import:${this.hasher.hash('customer-import-row', canonical(values))}`;
      const earlier = firstSeen.get(rowKey);
      if (earlier !== undefined) {
        report.invalid.push({
          row,
          field: 'row',
          code: 'import.duplicate_row',
          reason: `Same as row ${earlier}, which is imported once`,
        });
        continue;
      }
      firstSeen.set(rowKey, row);
      await this.importRow(row, rowKey, account, contact, columns, file, report);
    }
    return report;
  }

  /**
   * The row under the same rules (and the same tidying) as POST /api/accounts and
   * POST /api/accounts/:id/contacts, plus an owner that exists.
   */
  private async check(
    row: number,
    values: CustomerValues,
    columns: CustomerColumns,
  ): Promise<{ problems: CustomerRowProblem[]; account: AccountBody; contact?: ContactBody }> {
    const at = (field: CustomerField) => ({ row, field, column: columns.headers.get(field) });
    const problems: CustomerRowProblem[] = [];
    const validated = async <Body extends Record<string, unknown>>(
      body: Body,
      metatype: typeof RegisterAccountDto | typeof ContactDetailsDto,
      fields: Record<string, CustomerField>,
    ): Promise<Body> => {
      try {
        const dto: unknown = await inputValidationPipe.transform(body, { type: 'body', metatype });
        return JSON.parse(JSON.stringify(dto)) as Body;
      } catch (error) {
        if (!(error instanceof InputProblem)) throw error;
        for (const { field, code, reason } of error.errors) {
          const name = field.split('.')[0];
          problems.push({ ...at(fields[name] ?? (name as CustomerField)), code, reason });
        }
        return body;
      }
    };
    const account = await validated(accountBody(values), RegisterAccountDto, ACCOUNT_FIELD);
    const asked = contactBody(values);
    const contact = asked && (await validated(asked, ContactDetailsDto, CONTACT_FIELD));
    if (values.owner !== undefined) {
      const user = this.feed.directory.user(values.owner);
      if (!user || !user.active || !SALES.includes(user.role)) {
        problems.push({
          ...at('owner'),
          code: 'import.owner_unknown',
          reason: `There is no active sales user ${values.owner} to own the account`,
        });
      }
    }
    return { problems: problems.map((problem) => defined({ ...problem })), account, contact };
  }

  private async importRow(
    row: number,
    rowKey: string,
    account: AccountBody,
    contact: ContactBody | undefined,
    columns: CustomerColumns,
    file: Omit<ImportFile, 'channel'>,
    report: CustomerImportReport,
  ): Promise<void> {
    const accountId = deriveId(rowKey, 'account');
    const envelope = (step: string): CommandEnvelope => ({
      ...this.sender.envelope(
        `${rowKey}:${step}`,
        { occurredAt: account.occurredAt as string | undefined },
        {},
      ),
      cause: { kind: 'import', id: `sha256:${file.sha256}` },
      reason: `Imported from row ${row}`,
      // The id is derived from the row, not chosen by the client: the request does not identify it.
      requestFingerprint: undefined,
    });
    const { ownerId, lifecycle, ...profile } = account;
    delete profile.occurredAt;
    const registerEnvelope = envelope('account');
    let step: 'account' | 'contact' = 'account';
    try {
      const registered = await this.dedup.register(
        accountId,
        { website: profile.website, email: contact?.email },
        registerEnvelope,
        () =>
          this.execute(accountId, registerEnvelope, {
            type: 'RegisterAccount',
            data: {
              ...profile,
              accountId,
              ownerId: ownerId ?? this.sender.personCause().id,
              ...(lifecycle !== undefined && { lifecycle }),
            },
          }),
      );
      let wrote = !registered.replayed;
      if (contact) {
        step = 'contact';
        const contactId = deriveId(rowKey, `contact:${accountId}`);
        const added = await this.execute(accountId, envelope('contact'), {
          type: 'AddContact',
          data: { ...contact, accountId, contactId },
        });
        wrote ||= !added.replayed;
      }
      if (wrote) report.imported += 1;
      else report.replayed += 1;
      report.accountIds.push(accountId);
    } catch (error) {
      if (error instanceof DuplicateAccountError) {
        const field = error.field === 'email' ? 'contactEmail' : 'website';
        report.invalid.push({
          row,
          field,
          column: columns.headers.get(field),
          code: 'import.account_exists',
          reason: `${error.message} (account ${String(error.details?.accountId)})`,
          accountId: error.details?.accountId as string,
        });
        return;
      }
      if (!(error instanceof DomainError)) throw error;
      const problem = refusal(row, error);
      const field = (step === 'account' ? ACCOUNT_FIELD : CONTACT_FIELD)[problem.field];
      report.invalid.push(
        defined({ ...problem, field: field ?? problem.field, column: columns.headers.get(field) }),
      );
    }
  }

  private execute(
    accountId: string,
    envelope: CommandEnvelope,
    command: { type: string; data: Record<string, unknown> },
  ): Promise<CommandOutcome> {
    return this.commandBus.execute(
      new ExecuteDomainCommand('account', accountId, command, envelope),
    );
  }
}

/** The row as the body POST /api/accounts takes, with typed-by-hand values tidied. */
function accountBody(values: CustomerValues): AccountBody {
  return defined({
    name: values.company,
    country: upper(values.country),
    website: values.website && domainOf(values.website).toLowerCase(),
    mainProducts: list(values.mainProducts),
    customerType: lower(values.customerType),
    grade: upper(values.grade),
    sourceChannel: lower(values.sourceChannel) ?? 'other',
    ownerId: values.owner,
    lifecycle: lower(values.lifecycle),
    timeZone: values.timeZone,
    language: values.language,
    incoterms: list(values.incoterms, (item) => item.toUpperCase()),
    paymentTerms: list(values.paymentTerms, (item) => item.toUpperCase()),
    purchaseVolumeBand: lower(values.purchaseVolumeBand),
    purchaseCycle: lower(values.purchaseCycle),
    targetMarkets: list(values.targetMarkets, (item) => item.toUpperCase()),
    certifications: list(values.certifications),
    competitorBrands: list(values.competitorBrands),
    priceSensitivity: lower(values.priceSensitivity),
    leadTimeSensitivity: lower(values.leadTimeSensitivity),
    ports: list(values.ports),
    occurredAt: values.occurredAt,
  });
}

/** The primary contact, when the row names one; the buyer's purchasing contact unless a role says. */
function contactBody(values: CustomerValues): ContactBody | undefined {
  const { contactName, contactEmail, contactPhone, contactRole, contactTitle } = values;
  if (![contactName, contactEmail, contactPhone, contactRole, contactTitle].some(Boolean)) {
    return undefined;
  }
  return defined({
    name: contactName,
    email: contactEmail,
    phone: contactPhone && phoneE164(contactPhone, upper(values.country)),
    role: lower(contactRole) ?? 'purchasing',
    title: contactTitle,
  });
}
