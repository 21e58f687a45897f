import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Team } from '../../domain/identity/team.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { Write } from '../http/write-headers.decorator';
import { Allow } from '../identity/access.decorators';
import { DirectoryFeed } from '../identity/directory-feed';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { RecordReader, RecordView } from '../records/record-reader';
import { requireActiveUser } from '../users/directory-checks';
import { HandlePipe } from '../users/handle';
import { IdentityStep, IdentityWriteOptions, IdentityWrites } from '../users/identity-writes';
import {
  ChangeCalendarDto,
  ChangeLeadDto,
  ChangeProductLinesDto,
  ChangeRegionDto,
  CreateTeamDto,
  RenameTeamDto,
} from './dto/team-commands.dto';
import { requireCalendar } from './team-calendars';

export interface TeamView extends RecordView<Team> {
  /** Active members, by user id. */
  members: string[];
}

/**
 * Teams: an admin creates them and sets name and calendar; managers also re-cut region, product
 * lines and lead. The decider refuses the same way, so both layers agree.
 */
@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/teams')
export class TeamsController {
  constructor(
    private readonly writes: IdentityWrites,
    private readonly records: RecordReader,
    private readonly feed: DirectoryFeed,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
  ) {}

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Create a team; retry-safe with Idempotency-Key' })
  create(@Body() body: CreateTeamDto, @Write() headers: WriteHeaders): Promise<WriteResult> {
    const commandId = this.writes.commandId(headers);
    const teamId = body.teamId ?? this.writes.newId(headers, commandId, 'team');
    requireCalendar(this.policies, body.calendarKey);
    if (body.leadId !== undefined) this.requireLead(body.leadId);
    const command = { type: 'CreateTeam', data: { ...body, teamId } };
    return this.writes.send('team', teamId, command, {}, headers, commandId);
  }

  @Get()
  @Allow('admin', 'manager', 'team_lead')
  list(): Team[] {
    return this.feed.directory
      .allTeams()
      .sort((a, b) => a.name.localeCompare(b.name) || a.teamId.localeCompare(b.teamId));
  }

  @Get(':id')
  @Allow('admin', 'manager', 'team_lead')
  @ApiOperation({ summary: 'A team and its active members; ETag is the revision' })
  async team(
    @Param('id', HandlePipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TeamView> {
    const view = await this.records.read<Team>('team', id);
    response.setHeader('ETag', `"${view.revision}"`);
    const { directory } = this.feed;
    const members = directory
      .teamMembers(id)
      .filter((userId) => directory.user(userId)?.active)
      .sort();
    return { ...view, members };
  }

  @Post(':id/name')
  @HttpCode(200)
  @Allow('admin')
  rename(
    @Param('id', HandlePipe) id: string,
    @Body() body: RenameTeamDto,
    @Write() headers: WriteHeaders,
  ) {
    return this.send(
      id,
      { type: 'RenameTeam', data: { teamId: id, name: body.name } },
      body,
      headers,
    );
  }

  @Post(':id/region')
  @HttpCode(200)
  @Allow('admin', 'manager')
  changeRegion(
    @Param('id', HandlePipe) id: string,
    @Body() body: ChangeRegionDto,
    @Write() headers: WriteHeaders,
  ) {
    const command = { type: 'ChangeTeamRegion', data: { teamId: id, region: body.region } };
    return this.send(id, command, body, headers);
  }

  @Post(':id/product-lines')
  @HttpCode(200)
  @Allow('admin', 'manager')
  changeProductLines(
    @Param('id', HandlePipe) id: string,
    @Body() body: ChangeProductLinesDto,
    @Write() headers: WriteHeaders,
  ) {
    const command = {
      type: 'ChangeTeamProductLines',
      data: { teamId: id, productLines: body.productLines },
    };
    return this.send(id, command, body, headers);
  }

  @Post(':id/lead')
  @HttpCode(200)
  @Allow('admin', 'manager')
  @ApiOperation({ summary: 'Change the team lead, or leave the team without one (leadId null)' })
  changeLead(
    @Param('id', HandlePipe) id: string,
    @Body() body: ChangeLeadDto,
    @Write() headers: WriteHeaders,
  ) {
    if (body.leadId !== null) this.requireLead(body.leadId);
    const command = { type: 'ChangeTeamLead', data: { teamId: id, leadId: body.leadId } };
    return this.send(id, command, body, headers);
  }

  @Post(':id/calendar')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Change the calendar SLA business time runs on for the whole team' })
  changeCalendar(
    @Param('id', HandlePipe) id: string,
    @Body() body: ChangeCalendarDto,
    @Write() headers: WriteHeaders,
  ) {
    requireCalendar(this.policies, body.calendarKey);
    const command = {
      type: 'ChangeTeamCalendar',
      data: { teamId: id, calendarKey: body.calendarKey },
    };
    return this.send(id, command, body, headers);
  }

  private requireLead(leadId: string): void {
    requireActiveUser(this.feed.directory, leadId, 'team.lead_unknown', 'leadId');
  }

  private send(
    id: string,
    command: IdentityStep['command'],
    options: IdentityWriteOptions,
    headers: WriteHeaders,
  ): Promise<WriteResult> {
    return this.writes.send('team', id, command, options, headers);
  }
}
