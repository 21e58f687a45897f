import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  LEDGER_AGGREGATES,
  LedgerAggregate,
  OWNERSHIP_LEDGER,
} from '../../../projections/ownership-ledger.projection';
import { InputProblem } from '../../http/problem-details';
import { RecordIdPipe } from '../../http/record-id.pipe';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { RecordReader } from '../../records/record-reader';
import { scopeOwners } from '../../reports/people/report-scope';
import { sendReport } from '../../reports/report-response';
import {
  LEDGER_DEFAULT_LIMIT,
  OwnershipBookQueryDto,
  OwnershipLedgerQueryDto,
  RecordLedgerQueryDto,
} from './ownership-query.dto';
import { auditInstant, bookAt, ownershipLedger, recordLedger } from './ownership-ledger.query';

/** Who sees every record's ownership: the people who settle commission and territory disputes. */
const AUDITORS = ['manager', 'admin'];

/**
 * The ownership ledger (issue #8 §2), from the ownership-ledger read model. Managers and admins
 * see everyone's; a team lead their team members' (as owner, the team as it is now); a rep their
 * own entries and book. Per record, a rep or team lead sees the ledger of records in their record
 * scope now, as for the record's other past states.
 */
@ApiTags('audit')
@Allow('rep', 'team_lead', 'manager', 'admin')
@Controller('api/audit/ownership')
export class OwnershipAuditController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    private readonly records: RecordReader,
  ) {}

  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Assignments and handovers of accounts, leads and deals, in business-time order',
    description:
      'One row per ownership event: the record, from (null for a first assignment) and to, ' +
      'occurredAt (business time) and recordedAt, the actor, the cause (person, rule with id and ' +
      'version, saga, deactivation, import, system) and reason, the correlation id (a ' +
      'deactivation’s handovers share the deactivation’s) and the event’s position. owner= gives ' +
      'the entries to or from that user; team= its members’. Period [from, to) on occurredAt. A ' +
      'rep gets their own entries, a team lead their team’s. JSON, or CSV with format=csv.',
  })
  async ledger(
    @Query() query: OwnershipLedgerQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const tz = query.tz ?? 'UTC';
    const from = query.from === undefined ? undefined : auditInstant(query.from, tz, 'from');
    const to = query.to === undefined ? undefined : auditInstant(query.to, tz, 'to');
    if (from !== undefined && to !== undefined && from >= to) {
      throw new InputProblem([
        { field: 'from', code: 'validation.period', reason: 'from must be before to' },
      ]);
    }
    const owners = this.owners(query.owner, query.team);
    const page = await ownershipLedger(this.readModels.store, this.names(), {
      owners,
      from,
      to,
      limit: query.limit ?? LEDGER_DEFAULT_LIMIT,
    });
    sendReport(
      request,
      response,
      {
        report: 'ownership-ledger',
        owners: owners ?? null,
        period: { from: from ?? null, to: to ?? null },
        truncated: page.truncated,
        rows: page.rows,
      },
      query.format,
    );
  }

  @Get('book')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'Who owned what at an instant: every record each owner held then',
    description:
      'For owner= (or each member of team=): the accounts, leads and deals they held at `at`, ' +
      'whatever the record’s state (status: open, converted, disqualified, won, lost, merged, at ' +
      'that instant), with since when and until when they held it, from whom, and why. A rep gets ' +
      'their own book, a team lead their team members’. In pages of `limit` rows by owner, ' +
      'record type, since and record: `next` (and the Link header, rel="next") gives the cursor ' +
      'for `after`; null on the last page.',
  })
  async book(
    @Query() query: OwnershipBookQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const at = auditInstant(query.at, query.tz ?? 'UTC', 'at');
    const owners = this.owners(query.owner, query.team);
    if (owners === undefined) {
      throw new InputProblem([
        {
          field: 'owner',
          code: 'validation.owner_required',
          reason: 'Name the owner (or team) whose book to show',
        },
      ]);
    }
    const page = await bookAt(this.readModels.store, this.names(), owners, at, {
      limit: query.limit ?? LEDGER_DEFAULT_LIMIT,
      after: query.after,
    });
    if (page.next !== null) {
      const next = new URL(request.originalUrl, 'http://self');
      next.searchParams.set('after', page.next);
      response.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    sendReport(
      request,
      response,
      { report: 'ownership-book', at, owners, next: page.next, rows: page.rows },
      query.format,
    );
  }

  @Get(':aggregate/:id')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'The ownership ledger of one account, lead or deal',
    description:
      'aggregate is account, lead or deal. Every assignment and handover of the record, in ' +
      'stream order, same rows as the ledger. A rep or team lead sees it for records in their ' +
      'record scope now.',
  })
  async record(
    @Param('aggregate') aggregate: string,
    @Param('id', RecordIdPipe) id: string,
    @Query() query: RecordLedgerQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!(LEDGER_AGGREGATES as readonly string[]).includes(aggregate)) {
      throw new InputProblem([
        {
          field: 'aggregate',
          code: 'validation.is_in',
          reason: `aggregate must be one of ${LEDGER_AGGREGATES.join(', ')}`,
        },
      ]);
    }
    const kind = aggregate as LedgerAggregate;
    // Existence (404) for everyone; the record scope (403) for reps and team leads.
    if (AUDITORS.includes(this.principal()?.role ?? '')) await this.records.lookUp(kind, id);
    else await this.records.read(kind, id);
    const rows = await recordLedger(this.readModels.store, this.names(), `${kind}-${id}`);
    sendReport(
      request,
      response,
      { report: 'ownership-ledger', aggregate: kind, recordId: id, rows },
      query.format,
    );
  }

  private owners(owner: string | undefined, team: string | undefined): string[] | undefined {
    return scopeOwners(this.principal(), owner, team, this.feed.directory);
  }

  private principal(): Principal | undefined {
    return currentRequestContext()?.principal;
  }

  private names(): (logical: string) => string {
    return (logical) => this.readModels.collection(OWNERSHIP_LEDGER, logical);
  }
}
