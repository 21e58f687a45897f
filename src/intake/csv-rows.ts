import { CsvError, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { IntakeProblem } from './intake-problem';
import { RowSource, SheetRow } from './sheet-rows';

const CHUNK = 64 * 1024;

function* chunks(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += CHUNK) yield text.slice(at, at + CHUNK);
}

/** Excel writes `;` where the decimal mark is a comma; the header line tells which one a file uses. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

interface ParsedRecord {
  record: string[];
  raw: string;
}

/**
 * Rows of CSV text, parsed as a stream so that only the rows in flight are held. Quoting the
 * parser cannot make sense of ends the file with `import.csv_malformed` and the row it is in.
 */
export const csvRows =
  (text: string): RowSource =>
  () => ({
    async *[Symbol.asyncIterator](): AsyncGenerator<SheetRow> {
      const parser = Readable.from(chunks(text)).pipe(
        parse({ delimiter: delimiterOf(text), relax_column_count: true, raw: true }),
      );
      let row = 0;
      try {
        for await (const { record, raw } of parser as AsyncIterable<ParsedRecord>) {
          row += 1;
          yield { row, cells: record, bytes: Buffer.byteLength(raw) };
        }
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        const context = error as CsvError & { records?: number; lines?: number };
        throw new IntakeProblem(
          'import.csv_malformed',
          `Row ${(context.records ?? row) + 1} cannot be read: ${error.message}`,
          'file',
          { row: (context.records ?? row) + 1, line: context.lines, parserCode: error.code },
        );
      } finally {
        parser.destroy();
      }
    },
  });
