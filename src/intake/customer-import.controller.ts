import { Controller, HttpCode, Post, Query, Req, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags, PickType } from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow } from '../identity/access.decorators';
import { CustomerImport, CustomerImportReport } from './customer-import';
import { ImportQueryDto } from './import-query.dto';
import { IntakeProblemFilter } from './intake-problem';
import { readSheet, XLSX_TYPE } from './lead-import.controller';

export class CustomerImportQueryDto extends PickType(ImportQueryDto, [
  'format',
  'encoding',
] as const) {}

@ApiTags('accounts')
@Controller('api/accounts')
@UseFilters(IntakeProblemFilter)
export class CustomerImportController {
  constructor(private readonly customers: CustomerImport) {}

  @Post('import')
  @HttpCode(200)
  // Registering accounts in bulk for others is a lead's or a manager's job.
  @Allow('manager', 'team_lead')
  @ApiConsumes('text/csv', XLSX_TYPE, 'application/octet-stream')
  @ApiOperation({
    summary: 'Import existing customers (CSV or XLSX): one account per row, with a primary contact',
    description:
      'Same guarantees as the lead import: UTF-8 (BOM or not) or GBK, a per-row report, valid rows ' +
      'imported, a row written whole or completed on re-import, nothing written twice. A row whose ' +
      'website or contact email an account holds is reported import.account_exists, not added. ' +
      '400 only when the file as a whole is unusable.',
  })
  async import(
    @Req() request: Request,
    @Query() query: CustomerImportQueryDto,
  ): Promise<CustomerImportReport> {
    const { rows, ...file } = await readSheet(request, query);
    return this.customers.run(rows, file);
  }
}
