import { Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow, SALES } from '../identity/access.decorators';
import { IntakeProblemFilter } from './intake-problem';
import { MailIngest, MailOutcome } from './mail-ingest';
import { readBody } from './request-body';

const MAX_MAIL_BYTES = 25 * 1024 * 1024;

@ApiTags('intake')
@Controller('api/inquiries')
@UseFilters(IntakeProblemFilter)
export class MailIngestController {
  constructor(private readonly mail: MailIngest) {}

  @Post('email')
  @HttpCode(200)
  @Allow(...SALES, 'intake')
  @ApiConsumes('message/rfc822')
  @ApiOperation({
    summary: 'File an .eml: a new inquiry, a reply to a lead, or an activity on a deal',
    description: 'Idempotent by Message-ID. 422 when the mail cannot be filed automatically.',
  })
  async ingest(@Req() request: Request): Promise<MailOutcome> {
    const body = await readBody(request, MAX_MAIL_BYTES);
    return this.mail.ingest(typeof body === 'string' ? Buffer.from(body) : body);
  }
}
