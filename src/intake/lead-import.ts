import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error';
import { InquiryChannel } from '../../domain/shared/channels';
import { CommandOutcome } from '../commands/command-envelope';
import { ExecuteDomainCommand } from '../commands/execute-domain-command';
import { CommandSender, deriveId } from '../http/command-sender';
import { KeyedHasher } from '../personal-data/keyed-hash';
import { IntakeProblem } from './intake-problem';
import { ColumnMap, mapColumns, RowValues, rowValues } from './lead-columns';
import { checkRow, inquiryBody, RowProblem } from './row-inquiry';
import { RowSource, SheetRow } from './sheet-rows';

export const MAX_ROWS = 10_000;
export const MAX_ROW_BYTES = 64 * 1024;

export interface ImportFile {
  sha256: string;
  format: 'csv' | 'xlsx';
  encoding?: string;
  channel: InquiryChannel;
}

export interface ImportReport {
  file: { sha256: string; format: string; encoding?: string };
  rowsRead: number;
  imported: number;
  /** Rows imported before, by an earlier import of the same rows: nothing was written again. */
  replayed: number;
  invalid: RowProblem[];
  /** One per imported or replayed row, in file order. */
  leadIds: string[];
  ignoredColumns: string[];
}

export const isBlank = (cells: string[]) => cells.every((cell) => !cell.trim());

/** Same rows, same key, whatever the column order, header language or file they came in. */
export const canonical = (values: Record<string, string | undefined>) =>
  JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * Imports a lead list: one ReceiveInquiry per valid row, each its own append, so a row is written
 * whole or not at all. The file is gone through twice: first for what makes it unusable as a
 * whole (no header, missing columns, broken quoting, too many rows), so such a file writes
 * nothing; then row by row, awaiting each command, so memory stays flat.
 */
@Injectable()
export class LeadImport {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sender: CommandSender,
    private readonly hasher: KeyedHasher,
  ) {}

  async run(rows: RowSource, file: ImportFile): Promise<ImportReport> {
    const columns = await surveyRows(rows, mapColumns);
    const report: ImportReport = {
      file: { sha256: file.sha256, format: file.format, encoding: file.encoding },
      rowsRead: 0,
      imported: 0,
      replayed: 0,
      invalid: [],
      leadIds: [],
      ignoredColumns: columns.ignored,
    };
    const firstSeen = new Map<string, number>();
    for await (const sheetRow of rows()) {
      if (sheetRow.row === 1 || isBlank(sheetRow.cells)) continue;
      report.rowsRead += 1;
      const problems = await this.problems(sheetRow, columns, file);
      if (problems.length > 0) {
        report.invalid.push(...problems);
        continue;
      }
      const values = rowValues(sheetRow.cells, columns);
      // Keyed by content rather than by file and row, so a corrected file re-imported after a
      // partial import adds only the rows it did not have before.
      const commandId = `import:${this.hasher.hash('import-row', canonical(values))}`;
      const earlier = firstSeen.get(commandId);
      if (earlier !== undefined) {
        report.invalid.push({
          row: sheetRow.row,
          field: 'row',
          code: 'import.duplicate_row',
          reason: `Same as row ${earlier}, which is imported once`,
        });
        continue;
      }
      firstSeen.set(commandId, sheetRow.row);
      await this.importRow(sheetRow, values, commandId, file, report);
    }
    return report;
  }

  private async problems(
    sheetRow: SheetRow,
    columns: ColumnMap,
    file: ImportFile,
  ): Promise<RowProblem[]> {
    const shape = rowShapeProblem(sheetRow, columns.width, file.format);
    if (shape) return [shape];
    const values = rowValues(sheetRow.cells, columns);
    return checkRow(sheetRow.row, values, inquiryBody(values, file.channel), columns);
  }

  private async importRow(
    { row, cells }: SheetRow,
    values: RowValues,
    commandId: string,
    file: ImportFile,
    report: ImportReport,
  ): Promise<void> {
    const body = inquiryBody(values, file.channel) as {
      channel: InquiryChannel;
      sourceRef?: string;
      inquirer: Record<string, string>;
      occurredAt?: string;
    };
    const leadId = deriveId(commandId, 'lead');
    const envelope = {
      ...this.sender.envelope(commandId, { occurredAt: body.occurredAt }, {}),
      cause: { kind: 'import' as const, id: `sha256:${file.sha256}` },
      reason: `Imported from row ${row}`,
      // The id is derived from the row, not chosen by the client: the request does not identify it.
      requestFingerprint: undefined,
    };
    const command = {
      type: 'ReceiveInquiry',
      data: {
        leadId,
        channel: body.channel,
        ...(body.sourceRef !== undefined && { sourceRef: body.sourceRef }),
        payloadHash: this.hasher.hash('inquiry-payload', JSON.stringify(cells)),
        inquirer: body.inquirer,
        attachments: [],
        // Imports start no first-response clock.
        live: false,
      },
    };
    try {
      const outcome: CommandOutcome = await this.commandBus.execute(
        new ExecuteDomainCommand('lead', leadId, command, envelope),
      );
      if (outcome.replayed) report.replayed += 1;
      else report.imported += 1;
      report.leadIds.push(leadId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      report.invalid.push(refusal(row, error));
    }
  }
}

/** A row the domain refused, as the report lists it. */
export function refusal(row: number, error: DomainError): RowProblem {
  if (error.code === 'command.idempotency_key_reused') {
    return {
      row,
      field: 'row',
      code: 'import.already_imported',
      reason: 'This row was imported before by another user or intake source',
    };
  }
  return { row, field: error.field ?? 'row', code: error.code, reason: error.message };
}

/**
 * First pass over a list: what makes it unusable as a whole (no header, too many rows), so such a
 * file writes nothing. `readHeader` maps row 1 and throws when a required column is missing.
 */
export async function surveyRows<Columns>(
  rows: RowSource,
  readHeader: (header: string[]) => Columns,
): Promise<Columns> {
  let columns: Columns | undefined;
  let count = 0;
  for await (const { row, cells } of rows()) {
    if (columns === undefined) {
      if (row !== 1 || isBlank(cells)) {
        throw new IntakeProblem('import.header_missing', 'Row 1 must be the header row', 'file', {
          row: 1,
        });
      }
      columns = readHeader(cells);
    } else if (!isBlank(cells) && ++count > MAX_ROWS) {
      throw new IntakeProblem(
        'import.too_many_rows',
        `A file may hold at most ${MAX_ROWS} rows; split it`,
        'file',
        { row, maxRows: MAX_ROWS },
      );
    }
  }
  if (columns === undefined) {
    throw new IntakeProblem('import.file_empty', 'The file has no rows', 'file');
  }
  return columns;
}

/** A row too large, or (CSV) with another number of fields than the header: nothing else is read. */
export function rowShapeProblem(
  { row, cells, bytes }: SheetRow,
  width: number,
  format: ImportFile['format'],
): RowProblem | undefined {
  if (bytes > MAX_ROW_BYTES) {
    return {
      row,
      field: 'row',
      code: 'import.row_too_large',
      reason: `The row is ${bytes} bytes; at most ${MAX_ROW_BYTES} are accepted`,
    };
  }
  const extra = cells.slice(width).some((cell) => cell.trim());
  if (format === 'csv' && (cells.length < width || extra)) {
    return {
      row,
      field: 'row',
      code: 'import.column_count',
      reason: `The row has ${cells.length} fields; the header has ${width}`,
    };
  }
  return undefined;
}
