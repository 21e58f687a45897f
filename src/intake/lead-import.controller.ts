import { Controller, HttpCode, Post, Query, Req, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { Allow, SALES } from '../identity/access.decorators';
import { csvRows } from './csv-rows';
import { ImportQueryDto } from './import-query.dto';
import { IntakeProblemFilter } from './intake-problem';
import { ImportReport, LeadImport } from './lead-import';
import { declaredCharset, readBody } from './request-body';
import { checkDecodedText, decodeText, TEXT_ENCODINGS, TextEncoding } from './text-encoding';
import { RowSource } from './sheet-rows';
import { xlsxRows } from './xlsx-rows';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Read whole before parsing; an XLSX is a zip and cannot be parsed from its start alone. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

const isZip = (bytes: Buffer) => bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'));

@ApiTags('intake')
@Controller('api/inquiries')
@UseFilters(IntakeProblemFilter)
export class LeadImportController {
  constructor(private readonly leads: LeadImport) {}

  @Post('import')
  @HttpCode(200)
  @Allow(...SALES, 'intake')
  @ApiConsumes('text/csv', XLSX_TYPE, 'application/octet-stream')
  @ApiOperation({
    summary: 'Import a CSV or XLSX lead list; valid rows become inquiries, the rest are reported',
    description:
      'Imports start no SLA clock. A re-import of the same rows writes nothing again. ' +
      '400 only when the file as a whole is unusable.',
  })
  async import(@Req() request: Request, @Query() query: ImportQueryDto): Promise<ImportReport> {
    const { rows, ...file } = await readSheet(request, query);
    return this.leads.run(rows, { ...file, channel: query.channel ?? 'trade_show' });
  }
}

/** The uploaded list as rows: XLSX by type or by its zip signature, else CSV in its encoding. */
export async function readSheet(
  request: Request,
  query: Pick<ImportQueryDto, 'format' | 'encoding'>,
): Promise<{ rows: RowSource; sha256: string; format: 'csv' | 'xlsx'; encoding?: string }> {
  const body = await readBody(request, MAX_FILE_BYTES);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format =
    query.format ??
    (request.is(XLSX_TYPE) || (Buffer.isBuffer(body) && isZip(body)) ? 'xlsx' : 'csv');
  if (format === 'xlsx') return { rows: xlsxRows(bytes), sha256, format };
  const charset = declaredCharset(request);
  const decoded =
    typeof body === 'string'
      ? checkDecodedText(body, charset)
      : decodeText(body, query.encoding ?? encodingNamed(charset));
  return { rows: csvRows(decoded.text), sha256, format, encoding: decoded.encoding };
}

const encodingNamed = (charset: string | undefined): TextEncoding => {
  const name = charset === 'utf8' ? 'utf-8' : charset;
  return (TEXT_ENCODINGS as readonly string[]).includes(name ?? '')
    ? (name as TextEncoding)
    : 'auto';
};
