import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CLOCK, Clock } from '../shared/clock';
import { LeadAssignment, ReceiptAssignment } from '../assignment/lead-assignment';
import { KeyedHasher } from '../personal-data/keyed-hash';
import { currentRequestContext } from '../http/request-context';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Lead } from '../../domain/lead/lead.state';
import { CommandOptionsDto } from '../http/command-options.dto';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { RecordReader, RecordView } from '../records/record-reader';
import { ConversionResult, ConvertLeadCommand } from './convert-lead.handler';
import {
  ChangeOwnerDto,
  ConvertLeadDto,
  DisqualifyLeadDto,
  NurtureLeadDto,
  QualifyLeadDto,
  RecordResponseDto,
  RecordScoreDto,
} from './dto/lead-commands.dto';
import { ReceiveInquiryDto } from './dto/receive-inquiry.dto';
import { Allow, SALES } from '../identity/access.decorators';
import { AccountKeys } from '../dedup/account-keys';
import { AsOfQueryDto } from '../audit/as-of/as-of-query.dto';
import { AsOfReader, AsOfView } from '../audit/as-of/as-of-reader';
import { timePointOf } from '../audit/as-of/time-point';
import { DescribedHistoryEntry, RecordHistory } from '../audit/history/record-history';

/** Back-dated by more than this, an inquiry is history being entered, not a live one: no SLA clock. */
const LIVE_WINDOW_MS = 60 * 60 * 1000;

const options = ({ occurredAt, expectedRevision }: CommandOptionsDto): CommandOptionsDto => ({
  occurredAt,
  expectedRevision,
});

@ApiTags('leads')
@Allow(...SALES)
@Controller('api')
export class LeadsController {
  constructor(
    private readonly sender: CommandSender,
    private readonly records: RecordReader,
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly assignment: LeadAssignment,
    private readonly hasher: KeyedHasher,
    private readonly accountKeys: AccountKeys,
    private readonly asOf: AsOfReader,
    private readonly histories: RecordHistory,
  ) {}

  @Post('inquiries')
  @Allow(...SALES, 'intake')
  @ApiOperation({
    summary: 'Receive an inquiry from any channel; creates a lead',
    description:
      'matchedAccountId names the account the inquiry belongs to by exact email or web domain.',
  })
  async receiveInquiry(
    @Body() body: ReceiveInquiryDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult & { matchedAccountId: string | null }> {
    const commandId = this.sender.commandId(headers);
    const leadId = this.sender.newId(headers, commandId, 'lead');
    const now = this.clock.now();
    const live =
      body.occurredAt === undefined ||
      now.getTime() - Date.parse(body.occurredAt) <= LIVE_WINDOW_MS;
    // Keyed, so the hash of a body with personal data cannot be confirmed against a guess.
    const payloadHash = this.hasher.hash('inquiry-payload', JSON.stringify(body));
    const receive = (assignment?: ReceiptAssignment) =>
      this.sender.send(
        'lead',
        leadId,
        {
          type: 'ReceiveInquiry',
          data: {
            leadId,
            channel: body.channel,
            sourceRef: body.sourceRef,
            payloadHash,
            inquirer: { ...body.inquirer },
            attachments: body.attachments?.map((attachment) => ({ ...attachment })) ?? [],
            live,
            ...(assignment && { assignTo: assignment.assignTo }),
          },
        },
        options(body),
        headers,
        commandId,
        assignment?.decidedBy,
      );
    const match = await this.accountKeys.match(body.inquirer);
    const matched = { matchedAccountId: match?.accountId ?? null };
    // Live inquiries arriving through an intake key are routed by the assignment rules, in the
    // same append that receives them; staff entering one keep it to triage or claim.
    const context = currentRequestContext();
    if (!live || context?.principal?.kind !== 'intake') return { ...(await receive()), ...matched };
    const facts = {
      leadId,
      channel: body.channel,
      country: body.inquirer.country,
      // The business time the pipeline will stamp on the inquiry: shifts and availability then.
      at:
        body.occurredAt === undefined ? now.toISOString() : new Date(body.occurredAt).toISOString(),
      accountOwnerId: match?.ownerId,
    };
    const origin = { commandId, correlationId: context.correlationId };
    const received = await this.assignment.assignOnReceipt(facts, origin, receive);
    if (received.replayed && !received.events.includes('LeadAssigned')) {
      // A retry of an inquiry received before assignment joined its append: complete an
      // assignment a crash cut off between the two.
      const { state } = await this.records.lookUp<Lead>('lead', leadId);
      const assigned = state.ownerId
        ? undefined
        : await this.assignment.assign({ ...facts, at: state.receivedAt }, origin);
      if (assigned) {
        return {
          ...received,
          revision: assigned.revision,
          position: assigned.position,
          events: [...received.events, ...assigned.events.map((event) => event.type)],
          ...matched,
        };
      }
    }
    return { ...received, ...matched };
  }

  @Get('leads/:id')
  @ApiOperation({
    summary: 'The lead as it stands, or as of a past date (asOf) as known at an instant (knownAt)',
  })
  async lead(
    @Param('id', RecordIdPipe) id: string,
    @Query() at: AsOfQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView<Lead> | AsOfView<Lead>> {
    const point = timePointOf(at);
    const view = point
      ? await this.asOf.read<Lead>('lead', id, point)
      : await this.records.read<Lead>('lead', id);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get('leads/:id/history')
  @ApiOperation({
    summary:
      'Every change to the lead in business language: who or what, when, why, and the chain it belongs to',
  })
  history(@Param('id', RecordIdPipe) id: string): Promise<DescribedHistoryEntry[]> {
    return this.histories.of('lead', id);
  }

  @Post('leads/:id/owner')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the lead, or hand it over to another owner' })
  async changeOwner(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ChangeOwnerDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { state } = await this.records.lookUp<Lead>('lead', id);
    const cause = this.sender.personCause();
    const command = state.ownerId
      ? {
          type: 'TransferLeadOwnership',
          data: {
            leadId: id,
            from: body.from ?? state.ownerId,
            to: body.to,
            reason: body.reason,
            cause,
          },
        }
      : { type: 'AssignLead', data: { leadId: id, to: body.to, reason: body.reason, cause } };
    return this.send(id, command, body, headers);
  }

  @Post('leads/:id/responses')
  @HttpCode(200)
  recordResponse(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: RecordResponseDto,
    @Write() headers: WriteHeaders,
  ) {
    const { direction, channel, at, summary } = body;
    return this.send(
      id,
      { type: 'RecordResponse', data: { leadId: id, direction, channel, at, summary } },
      body,
      headers,
    );
  }

  @Post('leads/:id/score')
  @HttpCode(200)
  recordScore(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: RecordScoreDto,
    @Write() headers: WriteHeaders,
  ) {
    return this.send(
      id,
      { type: 'RecordScore', data: { leadId: id, dimensions: { ...body.dimensions } } },
      body,
      headers,
    );
  }

  @Post('leads/:id/qualify')
  @HttpCode(200)
  qualify(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: QualifyLeadDto,
    @Write() headers: WriteHeaders,
  ) {
    return this.send(
      id,
      { type: 'QualifyLead', data: { leadId: id, note: body.note } },
      body,
      headers,
    );
  }

  @Post('leads/:id/nurture')
  @HttpCode(200)
  nurture(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: NurtureLeadDto,
    @Write() headers: WriteHeaders,
  ) {
    return this.send(
      id,
      { type: 'NurtureLead', data: { leadId: id, reason: body.reason } },
      body,
      headers,
    );
  }

  @Post('leads/:id/disqualify')
  @HttpCode(200)
  disqualify(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: DisqualifyLeadDto,
    @Write() headers: WriteHeaders,
  ) {
    return this.send(
      id,
      { type: 'DisqualifyLead', data: { leadId: id, reason: body.reason, note: body.note } },
      body,
      headers,
    );
  }

  @Post('leads/:id/convert')
  @ApiOperation({ summary: 'Convert to account + contact + deal; retry-safe with Idempotency-Key' })
  async convert(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ConvertLeadDto,
    @Write() headers: WriteHeaders,
  ): Promise<ConversionResult> {
    const commandId = this.sender.commandId(headers);
    const { occurredAt, expectedRevision, ...details } = body;
    return this.commandBus.execute(
      new ConvertLeadCommand(
        id,
        JSON.parse(JSON.stringify(details)),
        this.sender.envelope(commandId, { occurredAt, expectedRevision }, headers),
      ),
    );
  }

  private send(
    id: string,
    command: { type: string; data: Record<string, unknown> },
    body: CommandOptionsDto & { reason?: string },
    headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.sender.send(
      'lead',
      id,
      command,
      { ...options(body), ...(body.reason ? { reason: body.reason } : {}) } as CommandOptionsDto,
      headers,
    );
  }
}
