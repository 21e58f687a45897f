import { IntakeProblem } from './intake-problem';

export const IMPORT_FIELDS = [
  'company',
  'name',
  'email',
  'phone',
  'country',
  'website',
  'message',
  'show',
  'channel',
  'sourceRef',
  'occurredAt',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header spellings seen in exported lead lists, compared after {@link headerKey}. */
const ALIASES: Record<ImportField, string[]> = {
  company: ['company', 'companyname', 'organization', 'organisation', '公司', '公司名称', '单位'],
  name: ['name', 'contact', 'contactname', 'fullname', '姓名', '联系人', '名字'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件'],
  phone: ['phone', 'tel', 'telephone', 'mobile', 'phonenumber', '电话', '手机', '联系电话'],
  country: ['country', 'countrycode', '国家', '国家地区', '国别'],
  website: ['website', 'web', 'domain', 'url', 'homepage', '网站', '网址', '官网'],
  message: ['message', 'inquiry', 'enquiry', 'notes', 'note', 'remarks', '留言', '备注', '需求'],
  show: ['show', 'tradeshow', 'exhibition', 'event', 'fair', '展会', '展会名称'],
  channel: ['channel', '渠道'],
  sourceRef: ['sourceref', 'reference', 'ref', 'inquiryid', '编号', '询盘编号'],
  occurredAt: ['occurredat', 'receivedat', 'date', 'received', '日期', '时间', '询盘时间'],
};

const headerKey = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-./:()（）：、]+/g, '');

export interface ColumnMap<Field extends string = ImportField> {
  /** Column index → field. */
  fields: Map<number, Field>;
  /** The header as written in the file, per field, for reports. */
  headers: Map<Field, string>;
  width: number;
  ignored: string[];
}

/** Reads a header row against any list's header spellings; throws when a field appears twice. */
export function mapHeader<Field extends string>(
  header: string[],
  aliases: Record<Field, string[]>,
): ColumnMap<Field> {
  const byKey = new Map<string, Field>(
    (Object.keys(aliases) as Field[]).flatMap((field) =>
      aliases[field].map((alias) => [alias, field] as const),
    ),
  );
  const fields = new Map<number, Field>();
  const headers = new Map<Field, string>();
  const ignored: string[] = [];
  header.forEach((written, index) => {
    const field = byKey.get(headerKey(written));
    if (!field) {
      if (written.trim()) ignored.push(written.trim());
      return;
    }
    if (headers.has(field)) {
      throw new IntakeProblem(
        'import.column_duplicate',
        `Columns "${headers.get(field)}" and "${written.trim()}" both hold ${field}`,
        field,
        { row: 1 },
      );
    }
    fields.set(index, field);
    headers.set(field, written.trim());
  });
  return { fields, headers, width: header.length, ignored };
}

/** Reads the header row of a lead list; throws when a required column is missing. */
export function mapColumns(header: string[]): ColumnMap {
  const columns = mapHeader(header, ALIASES);
  const { headers } = columns;
  if (!headers.has('company')) throw missing('company', 'a company column (company / 公司)');
  if (!headers.has('email') && !headers.has('phone')) {
    throw missing('email', 'an email or a phone column (email / 邮箱, phone / 电话)');
  }
  return columns;
}

export const missing = (field: string, what: string) =>
  new IntakeProblem('import.column_missing', `The header row needs ${what}`, field, {
    row: 1,
    column: field,
  });

export type RowValues = Partial<Record<ImportField, string>>;

/** The row's non-blank cells by field, trimmed. */
export function rowValues<Field extends string = ImportField>(
  cells: string[],
  columns: ColumnMap<Field>,
): Partial<Record<Field, string>> {
  const values: Partial<Record<Field, string>> = {};
  for (const [index, field] of columns.fields) {
    const value = cells[index]?.trim();
    if (value) values[field] = value;
  }
  return values;
}
