import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { WriteHeaders } from '../../http/command-sender';
import { Write } from '../../http/write-headers.decorator';
import { Allow } from '../../identity/access.decorators';
import { EraseSubjectDto, erasureSubjectOf } from './erase-subject.dto';
import { ErasureOutcome, ErasureRecord, SubjectErasure } from './subject-erasure';

@ApiTags('admin')
@ApiBearerAuth()
@Allow('admin')
@Controller('api/admin/erasures')
export class ErasuresController {
  constructor(private readonly erasure: SubjectErasure) {}

  @Post()
  @ApiOperation({
    summary: 'Erase a data subject (a lead person or a contact) on request',
    description:
      'Destroys their data keys, records the erasure (who, when, request reference) and waits for ' +
      'the read models to show "[erased]". 201 when erased now, 200 when the same request was ' +
      'already carried out; 409 erasure.already_erased under another reference.',
  })
  async erase(
    @Body() body: EraseSubjectDto,
    @Write() headers: WriteHeaders,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ErasureOutcome> {
    const outcome = await this.erasure.erase(
      erasureSubjectOf(body.subject),
      body.requestRef,
      headers,
    );
    response.status(outcome.replayed ? 200 : 201);
    return outcome;
  }

  @Get()
  @ApiOperation({ summary: 'Every erasure carried out, oldest first; no personal data' })
  async list(): Promise<{ erasures: ErasureRecord[] }> {
    return { erasures: await this.erasure.list() };
  }
}
