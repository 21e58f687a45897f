import { REPORT_READERS } from '../report-query.dto';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../../../domain/shared/domain-error';
import { PIPELINE_BOARD } from '../../../projections/pipeline-board.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { sendReport } from '../report-response';
import { PIPELINE_DEFAULT_LIMIT, pipelineBoard } from './pipeline-board.query';
import { PipelineQueryDto } from './pipeline-query.dto';
import { DEAL_TIMELINE } from '../../../projections/deal-timeline.projection';
import { timePointOf } from '../../audit/as-of/time-point';
import { pipelineBoardAsOf } from './pipeline-board-as-of.query';

@ApiTags('reports')
@Allow(...REPORT_READERS)
@Controller('api/reports')
export class PipelineReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
  ) {}

  @Get('pipeline')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary:
      'Pipeline board: open deals by stage and owner, with per-column counts and amounts per currency',
    description:
      'Columns in the stage policy’s order; per column the counters (count, amount per currency, ' +
      'cards without an amount) and the cards longest in the stage first. A rep sees their own ' +
      'deals, a team lead their team’s, a manager or analyst everyone’s. With asOf (and knownAt) ' +
      'the board as it stood then (as known then): the deals open then, with the stage, owner and ' +
      'amount they had then; scope is the deals the caller may see now, and `owner` filters by ' +
      'the owner then.',
  })
  async pipeline(
    @Query() query: PipelineQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const principal = currentRequestContext()?.principal;
    const point = timePointOf(query);
    if (point) {
      const board = await pipelineBoardAsOf(
        this.readModels.store,
        {
          timeline: (logical) => this.readModels.collection(DEAL_TIMELINE, logical),
          board: (logical) => this.readModels.collection(PIPELINE_BOARD, logical),
        },
        {
          point,
          scope: this.ownersFor(principal, undefined),
          owner: query.owner,
          stage: query.stage,
          limit: query.limit ?? PIPELINE_DEFAULT_LIMIT,
        },
      );
      sendReport(request, response, board, query.format);
      return;
    }
    const board = await pipelineBoard(
      this.readModels.store,
      (logical) => this.readModels.collection(PIPELINE_BOARD, logical),
      {
        owners: this.ownersFor(principal, query.owner),
        stage: query.stage,
        limit: query.limit ?? PIPELINE_DEFAULT_LIMIT,
      },
    );
    sendReport(request, response, board, query.format);
  }

  /** The same scope as RecordAccess: a deal is held by its owner. */
  private ownersFor(principal: Principal | undefined, owner: string | undefined): string[] | 'all' {
    const role = principal?.role;
    if (
      !principal ||
      role === 'manager' ||
      role === 'analyst' ||
      role === 'operations' ||
      role === 'system'
    ) {
      return owner === undefined ? 'all' : [owner];
    }
    if (role === 'team_lead') {
      const team = principal.teamId ? this.feed.directory.teamMembers(principal.teamId) : [];
      const members = [...new Set([principal.userId, ...team])];
      if (owner === undefined) return members;
      if (members.includes(owner)) return [owner];
    } else if (owner === undefined || owner === principal.userId) {
      return [principal.userId];
    }
    throw new DomainError(
      'auth.record_forbidden',
      "These deals are not in your scope: a rep sees their own, a team lead their team's",
      'owner',
    );
  }
}
