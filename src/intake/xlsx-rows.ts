import ExcelJS from 'exceljs';
import { IntakeProblem } from './intake-problem';
import { RowSource, SheetRow } from './sheet-rows';

type Cell = ExcelJS.CellValue;

/** A lead list is small; a workbook that unpacks to more than this is refused before it is. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const unreadable = (reason: string) => new IntakeProblem('import.xlsx_unreadable', reason, 'file');

/**
 * What the zip's central directory says its entries unpack to; undefined when it cannot be read
 * (then exceljs will refuse the file anyway) or uses zip64, which no lead list needs.
 */
function declaredUnpackedSize(zip: Buffer): number | undefined {
  const end = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (end < 0 || end + 22 > zip.length) return undefined;
  let at = zip.readUInt32LE(end + 16);
  let total = 0;
  for (let entry = zip.readUInt16LE(end + 10); entry > 0; entry--) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return undefined;
    const size = zip.readUInt32LE(at + 24);
    if (size === 0xffffffff) return undefined;
    total += size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}

/** The text a person sees in the cell (dates as ISO instants). */
function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellText(value.result as Cell);
  if ('text' in value) return cellText(value.text as Cell);
  return '';
}

async function firstSheet(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const unpacked = declaredUnpackedSize(bytes);
  if (unpacked !== undefined && unpacked > MAX_UNPACKED_BYTES) {
    throw unreadable(`The workbook unpacks to ${unpacked} bytes; at most ${MAX_UNPACKED_BYTES}`);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw unreadable(`The file is not a readable .xlsx workbook: ${(error as Error).message}`);
  }
  return workbook.worksheets[0] ?? Promise.reject(unreadable('The workbook has no worksheet'));
}

/**
 * Rows of the workbook's first sheet. Loaded in memory: exceljs's streaming reader spools
 * worksheets to plaintext temporary files when, as in files Excel writes, they come before the
 * shared strings, and personal data must not land on disk unencrypted.
 */
export function xlsxRows(bytes: Buffer): RowSource {
  let loading: Promise<ExcelJS.Worksheet> | undefined;
  return () => ({
    async *[Symbol.asyncIterator](): AsyncGenerator<SheetRow> {
      const sheet = await (loading ??= firstSheet(bytes));
      for (let number = 1; number <= sheet.rowCount; number++) {
        const row = sheet.findRow(number);
        if (!row) continue;
        const cells = Array.from((row.values as Cell[]).slice(1), (value) => cellText(value));
        yield { row: number, cells, bytes: Buffer.byteLength(cells.join(',')) };
      }
    },
  });
}
