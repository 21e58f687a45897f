import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { InquiryChannel } from '../../domain/shared/channels';
import { FieldProblem, InputProblem } from '../http/problem-details';
import { inputValidationPipe } from '../http/validation.pipe';
import { ReceiveInquiryDto } from '../leads/dto/receive-inquiry.dto';
import { ColumnMap, ImportField, RowValues } from './lead-columns';

export interface RowProblem {
  row: number;
  field: string;
  /** The header as written in the file, when the problem is in one column. */
  column?: string;
  code: string;
  reason: string;
}

/** Lists are typed by hand: "+49 30 1234567", "030 1234567" with country DE. */
export function phoneE164(raw: string, country: string | undefined): string {
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : raw;
}

/** "https://www.acme.de/en/" → "www.acme.de": the API takes a domain. */
export function domainOf(raw: string): string {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`).hostname;
  } catch {
    return raw;
  }
}

/** The row as the body POST /api/inquiries would take, with typed-by-hand values tidied. */
export function inquiryBody(values: RowValues, channel: InquiryChannel): Record<string, unknown> {
  const country = values.country?.toUpperCase();
  const inquirer = {
    company: values.company,
    name: values.name,
    email: values.email,
    phone: values.phone && phoneE164(values.phone, country),
    country,
    website: values.website && domainOf(values.website),
    message: values.message,
  };
  return {
    channel: values.channel?.toLowerCase() ?? channel,
    sourceRef: values.sourceRef ?? values.show,
    inquirer: Object.fromEntries(Object.entries(inquirer).filter(([, v]) => v !== undefined)),
    ...(values.occurredAt !== undefined && { occurredAt: values.occurredAt }),
  };
}

const FIELD_OF: Record<string, ImportField> = {
  sourceRef: 'sourceRef',
  channel: 'channel',
  occurredAt: 'occurredAt',
};

/** `inquirer.country` → the import column it came from. */
function importField(path: string, values: RowValues): ImportField | undefined {
  if (path.startsWith('inquirer.')) return path.slice('inquirer.'.length) as ImportField;
  if (path === 'sourceRef' && values.sourceRef === undefined) return 'show';
  return FIELD_OF[path];
}

/**
 * The row's problems under the same rules as POST /api/inquiries, plus what a list row needs:
 * a company, and a way to reach the buyer.
 */
export async function checkRow(
  row: number,
  values: RowValues,
  body: Record<string, unknown>,
  columns: ColumnMap,
): Promise<RowProblem[]> {
  const at = (field: ImportField) => ({ row, field, column: columns.headers.get(field) });
  const problems: RowProblem[] = [];
  if (!values.company) {
    problems.push({ ...at('company'), code: 'import.value_missing', reason: 'Company is empty' });
  }
  if (!values.email && !values.phone) {
    problems.push({
      ...at(columns.headers.has('email') ? 'email' : 'phone'),
      code: 'import.value_missing',
      reason: 'Give an email or a phone number to reach the buyer',
    });
  }
  try {
    await inputValidationPipe.transform(body, { type: 'body', metatype: ReceiveInquiryDto });
  } catch (error) {
    if (!(error instanceof InputProblem)) throw error;
    problems.push(...error.errors.map((problem) => rowProblem(row, problem, values, columns)));
  }
  return problems;
}

function rowProblem(
  row: number,
  problem: FieldProblem,
  values: RowValues,
  columns: ColumnMap,
): RowProblem {
  const field = importField(problem.field, values);
  const column = field && columns.headers.get(field);
  return {
    row,
    field: field ?? problem.field,
    ...(column ? { column } : {}),
    code: problem.code,
    reason: problem.reason,
  };
}
