import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Lead } from '../../domain/lead/lead.state';
import { currentRequestContext } from '../http/request-context';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Allow, SALES } from '../identity/access.decorators';
import { DirectoryFeed } from '../identity/directory-feed';
import { Principal } from '../identity/identity-events';
import { RecordReader } from '../records/record-reader';
import { NURTURE_QUEUE_DEFAULT_LIMIT, NurtureQueueQueryDto } from './dto/nurture-queue-query.dto';
import { LeadScoreRecord, LeadScores, ScoreEntry } from './lead-scores';

export interface LeadScoreHistory {
  leadId: string;
  status: LeadScoreRecord['status'];
  /** Oldest first. */
  scores: ScoreEntry[];
}

export interface NurtureQueueItem {
  leadId: string;
  ownerId: string | null;
  status: LeadScoreRecord['status'];
  latestScore: ScoreEntry | null;
  /** The latest score's time, or when the lead was nurtured if it has no score. */
  since: string | null;
}

const CLOSED = ['qualified', 'disqualified', 'converted'];

const inNurtureQueue = (lead: LeadScoreRecord): boolean =>
  lead.status === 'nurturing' ||
  (!CLOSED.includes(lead.status) && lead.scores.at(-1)?.recommendation === 'nurture');

@ApiTags('leads')
@Allow(...SALES)
@Controller('api')
export class ScoringController {
  constructor(
    private readonly records: RecordReader,
    private readonly scores: LeadScores,
    private readonly feed: DirectoryFeed,
  ) {}

  // Registered before LeadsModule (see feature-modules.ts), so GET /api/leads/:id does not take it.
  @Get('leads/nurture-queue')
  @ApiOperation({
    summary: 'Leads in the nurture queue, newest score first',
    description:
      'Leads being nurtured, or whose latest recommendation is nurture and that are not yet ' +
      'qualified, disqualified or converted. A rep sees their own, a team lead their team, a ' +
      'manager everyone (owner= narrows it).',
  })
  async nurtureQueue(@Query() query: NurtureQueueQueryDto): Promise<NurtureQueueItem[]> {
    const principal = currentRequestContext()?.principal;
    const mayList = this.scopeOf(principal, query.owner);
    return (await this.scores.all())
      .filter((lead) => inNurtureQueue(lead) && mayList(lead))
      .map((lead): NurtureQueueItem => {
        const latestScore = lead.scores.at(-1) ?? null;
        return {
          leadId: lead.leadId,
          ownerId: lead.ownerId ?? null,
          status: lead.status,
          latestScore,
          since: latestScore?.at ?? lead.nurturedAt ?? null,
        };
      })
      .sort(
        (a, b) => (b.since ?? '').localeCompare(a.since ?? '') || a.leadId.localeCompare(b.leadId),
      )
      .slice(0, query.limit ?? NURTURE_QUEUE_DEFAULT_LIMIT);
  }

  @Get('leads/:id/scores')
  @ApiOperation({ summary: "The lead's score history, oldest first" })
  async history(@Param('id', RecordIdPipe) id: string): Promise<LeadScoreHistory> {
    // Read through the record scope first: a 404 for an unknown lead, a 403 outside the caller's.
    const { state } = await this.records.read<Lead>('lead', id);
    const record = await this.scores.lead(id);
    return { leadId: id, status: state.status, scores: record?.scores ?? [] };
  }

  /** The same reach as the record scope: own leads, the team's (team leads), everyone's (managers). */
  private scopeOf(
    principal: Principal | undefined,
    owner: string | undefined,
  ): (lead: LeadScoreRecord) => boolean {
    const ownedBy = (lead: LeadScoreRecord) => owner === undefined || lead.ownerId === owner;
    if (!principal) return () => false;
    if (principal.role === 'manager' || principal.role === 'system') return ownedBy;
    if (principal.role === 'team_lead') {
      const inTeam = (userId: string) =>
        userId === principal.userId ||
        (!!principal.teamId && this.feed.directory.user(userId)?.teamId === principal.teamId);
      // As for reads, a team lead also sees the leads nobody holds yet, to triage them.
      return (lead) => ownedBy(lead) && (lead.ownerId === undefined || inTeam(lead.ownerId));
    }
    if (principal.role === 'rep') {
      return (lead) =>
        lead.ownerId === principal.userId ||
        (lead.ownerId === undefined && lead.createdBy === principal.userId);
    }
    return () => false;
  }
}
