import type { Request, Response } from 'express';

export type ReportRow = Record<string, string | number | null>;

/** JSON by default; CSV when asked with ?format=csv or Accept: text/csv. */
export function sendReport(
  request: Request,
  response: Response,
  body: { report: string; rows: ReportRow[]; [extra: string]: unknown },
  format?: 'json' | 'csv',
): void {
  const wantsCsv =
    format === 'csv' ||
    (!format && request.accepts(['application/json', 'text/csv']) === 'text/csv');
  if (!wantsCsv) {
    response.json(body);
    return;
  }
  response
    .type('text/csv; charset=utf-8')
    .setHeader('Content-Disposition', `attachment; filename="${body.report}.csv"`);
  response.send(toCsv(body.rows));
}

export function toCsv(rows: ReportRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(row[column] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, and a leading quote on text a spreadsheet would run as a formula. */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
