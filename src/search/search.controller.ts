import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SEARCH_INDEX } from '../../projections/search-index.projection';
import { currentRequestContext } from '../http/request-context';
import { Allow, SALES } from '../identity/access.decorators';
import { DirectoryFeed } from '../identity/directory-feed';
import { Principal } from '../identity/identity-events';
import { ReadModels } from '../projection-runner/read-models';
import { SearchQueryDto } from './search-query.dto';
import { SearchResults, SearchScope, searchRecords } from './search.query';

@ApiTags('search')
@Allow(...SALES, 'analyst', 'admin')
@Controller('api/search')
export class SearchController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Find accounts, contacts, leads and deals',
    description:
      'By name (prefix, and misspellings), email, phone in any format, web or email domain, and ' +
      'the text of activities and inquiries. Only records in the caller’s scope: a rep’s own ' +
      '(and unassigned leads they entered), a team lead’s team’s (and unassigned leads), everything for others.',
  })
  search(@Query() query: SearchQueryDto): Promise<SearchResults> {
    return searchRecords(
      this.readModels.store,
      (logical) => this.readModels.collection(SEARCH_INDEX, logical),
      query.q,
      {
        scope: this.scopeOf(currentRequestContext()?.principal),
        kind: query.kind,
        limit: query.limit,
      },
    );
  }

  /** RecordAccess's rule, as filters: records a rep holds, those a team lead's team holds. */
  private scopeOf(principal: Principal | undefined): SearchScope {
    if (!principal) return { kind: 'all' };
    if (principal.role === 'rep') return { kind: 'own', userId: principal.userId };
    if (principal.role === 'team_lead') {
      const team = principal.teamId ? this.feed.directory.teamMembers(principal.teamId) : [];
      return { kind: 'team', teamId: principal.teamId, memberIds: [principal.userId, ...team] };
    }
    return { kind: 'all' };
  }
}
