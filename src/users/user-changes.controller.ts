import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEFAULT_DEACTIVATION_REASON } from '../../domain/identity/user.deactivation';
import { User } from '../../domain/identity/user.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { Write } from '../http/write-headers.decorator';
import { Allow } from '../identity/access.decorators';
import { DirectoryFeed } from '../identity/directory-feed';
import { RecordReader } from '../records/record-reader';
import { DeactivateUserCommand, DeactivationResult } from './deactivate-user.handler';
import { requireTeam } from './directory-checks';
import {
  ChangeRoleDto,
  DeactivateUserDto,
  MoveToTeamDto,
  ReactivateUserDto,
  SetAvailabilityDto,
} from './dto/user-commands.dto';
import { HandlePipe } from './handle';
import { currentPrincipal, IdentityWrites } from './identity-writes';
import { assertMayCoverAbsence, STAFF } from './user-visibility';

/** Role, team, availability and the lifecycle of a user account. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users/:id')
export class UserChangesController {
  constructor(
    private readonly writes: IdentityWrites,
    private readonly records: RecordReader,
    private readonly feed: DirectoryFeed,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('role')
  @HttpCode(200)
  @Allow('admin')
  changeRole(
    @Param('id', HandlePipe) id: string,
    @Body() body: ChangeRoleDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const command = { type: 'ChangeUserRole', data: { userId: id, role: body.role } };
    return this.writes.send('user', id, command, body, headers);
  }

  @Post('team')
  @HttpCode(200)
  @Allow('admin', 'manager')
  @ApiOperation({ summary: 'Move the user to another team, or out of any (teamId null)' })
  moveToTeam(
    @Param('id', HandlePipe) id: string,
    @Body() body: MoveToTeamDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    if (body.teamId !== null) requireTeam(this.feed.directory, body.teamId, 'teamId');
    const command = { type: 'MoveUserToTeam', data: { userId: id, teamId: body.teamId } };
    return this.writes.send('user', id, command, body, headers);
  }

  @Post('availability')
  @HttpCode(200)
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Away or available: the user, their team lead, a manager or an admin' })
  async setAvailability(
    @Param('id', HandlePipe) id: string,
    @Body() body: SetAvailabilityDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { state } = await this.records.read<User>('user', id);
    assertMayCoverAbsence(currentPrincipal(), state);
    const { availability, until, reason } = body;
    const command = {
      type: 'SetAvailability',
      data: { userId: id, availability, until, reason },
    };
    return this.writes.send('user', id, command, body, headers);
  }

  @Post('deactivate')
  @HttpCode(200)
  @Allow('admin', 'manager')
  @ApiOperation({
    summary:
      'Deactivate a leaver: refuses their tokens and hands every open account, lead, deal and task to the successor, under one correlation id; retry-safe with Idempotency-Key',
  })
  async deactivate(
    @Param('id', HandlePipe) id: string,
    @Body() body: DeactivateUserDto,
    @Write() headers: WriteHeaders,
  ): Promise<DeactivationResult> {
    const commandId = this.writes.commandId(headers);
    const envelope = this.writes.envelope(
      commandId,
      {
        expectedRevision: body.expectedRevision,
        reason: body.reason ?? DEFAULT_DEACTIVATION_REASON,
      },
      headers,
    );
    return this.commandBus.execute(
      new DeactivateUserCommand(id, body.successorId, body.reason, envelope),
    );
  }

  @Post('reactivate')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Let a deactivated user sign in again; their records stay handed over' })
  reactivate(
    @Param('id', HandlePipe) id: string,
    @Body() body: ReactivateUserDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const command = { type: 'ReactivateUser', data: { userId: id, reason: body.reason } };
    return this.writes.send('user', id, command, body, headers);
  }
}
