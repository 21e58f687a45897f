import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { User } from '../../domain/identity/user.state';
import { WriteHeaders, WriteResult } from '../http/command-sender';
import { InputProblem } from '../http/problem-details';
import { Write } from '../http/write-headers.decorator';
import { Allow } from '../identity/access.decorators';
import { AuthService } from '../identity/auth.service';
import { BookOfBusiness, HELD_KINDS, HeldKind } from '../identity/book-of-business';
import { DirectoryFeed } from '../identity/directory-feed';
import { RecordReader, RecordView } from '../records/record-reader';
import { requireEmailFree, requireTeam } from './directory-checks';
import { ListUsersQueryDto, RegisterUserDto, UpdateUserDto } from './dto/user-commands.dto';
import { HandlePipe } from './handle';
import { currentPrincipal, IdentityStep, IdentityWrites } from './identity-writes';
import { assertMayView, mayView, STAFF } from './user-visibility';

export type BookView = { userId: string } & Record<`${HeldKind}s`, string[]>;

const byName = (a: User, b: User) =>
  a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId);

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly writes: IdentityWrites,
    private readonly records: RecordReader,
    private readonly feed: DirectoryFeed,
    private readonly auth: AuthService,
    private readonly book: BookOfBusiness,
  ) {}

  @Post()
  @Allow('admin')
  @ApiOperation({
    summary: 'Register a user and set their password; retry-safe with Idempotency-Key',
  })
  async register(
    @Body() body: RegisterUserDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { password, ...profile } = body;
    const commandId = this.writes.commandId(headers);
    const userId = profile.userId ?? this.writes.newId(headers, commandId, 'user');
    const { directory } = this.feed;
    if (profile.teamId !== undefined) requireTeam(directory, profile.teamId, 'teamId');
    requireEmailFree(directory, profile.email, userId);
    const result = await this.writes.send(
      'user',
      userId,
      { type: 'RegisterUser', data: { ...profile, userId } },
      {},
      headers,
      commandId,
    );
    // A retry sets the password only when the first attempt stopped before it.
    if (!result.replayed || !directory.passwordHash(userId)) {
      const { userId: actorId, role } = currentPrincipal();
      await this.auth.setPassword(userId, password, { userId: actorId, role });
    }
    return result;
  }

  @Get()
  @Allow('admin', 'manager', 'team_lead')
  @ApiOperation({ summary: 'Users, by name; a team lead sees their own team' })
  list(@Query() query: ListUsersQueryDto): User[] {
    const me = currentPrincipal();
    return this.feed.directory
      .allUsers()
      .filter(
        (user) =>
          mayView(me, user) &&
          (query.teamId === undefined || user.teamId === query.teamId) &&
          (query.role === undefined || user.role === query.role) &&
          (query.active === undefined || String(user.active) === query.active),
      )
      .sort(byName);
  }

  @Get(':id')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'A user; everyone may read themselves. ETag is the revision' })
  async user(
    @Param('id', HandlePipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView<User>> {
    const view = await this.records.read<User>('user', id);
    assertMayView(currentPrincipal(), view.state);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get(':id/book')
  @Allow('admin', 'manager', 'team_lead')
  @ApiOperation({ summary: 'The open accounts, leads, deals and tasks the user holds' })
  async bookOf(@Param('id', HandlePipe) id: string): Promise<BookView> {
    const { state } = await this.records.read<User>('user', id);
    assertMayView(currentPrincipal(), state);
    const held = await this.book.openRecordsOf(id);
    const ids = (kind: HeldKind) => held.filter((record) => record.kind === kind).map((r) => r.id);
    return {
      userId: id,
      ...(Object.fromEntries(HELD_KINDS.map((kind) => [`${kind}s`, ids(kind)])) as Omit<
        BookView,
        'userId'
      >),
    };
  }

  @Patch(':id')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Change the name (admins or the user) or the email (admins)' })
  async update(
    @Param('id', HandlePipe) id: string,
    @Body() body: UpdateUserDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const { state } = await this.records.read<User>('user', id);
    // The email first: only an admin may change it, so a refusal comes before anything is written.
    const steps: Array<IdentityStep & { unchanged: boolean }> = [];
    if (body.email !== undefined) {
      // Only admins reach the decider's yes; checking for others would tell them whose email it is.
      if (currentPrincipal().role === 'admin')
        requireEmailFree(this.feed.directory, body.email, id);
      steps.push({
        step: 'email',
        command: { type: 'ChangeUserEmail', data: { userId: id, email: body.email } },
        unchanged: body.email.trim().toLowerCase() === state.email,
      });
    }
    if (body.name !== undefined) {
      steps.push({
        step: 'name',
        command: { type: 'RenameUser', data: { userId: id, name: body.name } },
        unchanged: body.name.trim() === state.name,
      });
    }
    if (steps.length === 0) {
      throw new InputProblem([
        {
          field: 'name',
          code: 'validation.nothing_to_change',
          reason: 'Send a name, an email or both',
        },
      ]);
    }
    // Fields already so are left out; if all are, the decider says so.
    const changing = steps.filter((step) => !step.unchanged);
    return this.writes.sendInOrder(
      'user',
      id,
      changing.length > 0 ? changing : steps.slice(0, 1),
      body,
      headers,
    );
  }
}
