import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../domain/shared/domain-error';
import { currentRequestContext } from '../http/request-context';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Allow, Public } from './access.decorators';
import { AuthService } from './auth.service';
import { DirectoryFeed } from './directory-feed';
import { IssueTokenDto, RevokeTokenDto, SetPasswordDto, SignInDto } from './dto/auth.dto';
import { Principal } from './identity-events';

const STAFF = ['rep', 'team_lead', 'manager', 'analyst', 'operations', 'admin'] as const;
const DAY = 86_400_000;

const principal = (): Principal => currentRequestContext()!.principal!;

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly feed: DirectoryFeed,
  ) {}

  @Public()
  @Post('auth/sign-in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password; returns a session token (shown once)',
  })
  signIn(@Body() body: SignInDto) {
    return this.auth.signIn(body.email, body.password);
  }

  @Allow(...STAFF)
  @Post('auth/sign-out')
  @HttpCode(200)
  async signOut(): Promise<{ revoked: string }> {
    const me = principal();
    await this.auth.revoke(me.tokenId, { userId: me.userId, role: me.role }, 'signed out');
    return { revoked: me.tokenId };
  }

  @Allow(...STAFF, 'intake')
  @Get('auth/me')
  me(): Principal {
    return principal();
  }

  @Allow(...STAFF)
  @Post('auth/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set your own password, or (admins) anyone’s' })
  async setPassword(@Body() body: SetPasswordDto): Promise<{ userId: string }> {
    const me = principal();
    const userId = body.userId ?? me.userId;
    if (userId !== me.userId && me.role !== 'admin') {
      throw new DomainError(
        'auth.password_forbidden',
        'Only an admin may set another user’s password',
        'userId',
      );
    }
    await this.auth.setPassword(userId, body.password, { userId: me.userId, role: me.role });
    return { userId };
  }

  @Allow('admin')
  @Post('tokens')
  @ApiOperation({
    summary: 'Issue a long-lived API token or an intake key; the secret is shown once',
  })
  async issue(@Body() body: IssueTokenDto) {
    const me = principal();
    if (body.kind === 'api') {
      if (!body.userId || !this.feed.directory.user(body.userId)) {
        throw new DomainError(
          'token.user_unknown',
          'An API token needs the id of an existing user',
          'userId',
        );
      }
    } else if (!body.source) {
      throw new DomainError(
        'token.source_required',
        'An intake key needs its source, e.g. website-form',
        'source',
      );
    }
    return this.auth.issue(
      body.kind,
      {
        userId: body.kind === 'api' ? body.userId : undefined,
        source: body.kind === 'intake' ? body.source : undefined,
        label: body.label,
        ttlMs: body.expiresInDays * DAY,
      },
      { userId: me.userId, role: me.role },
    );
  }

  @Allow('admin')
  @Get('tokens')
  list() {
    return this.feed.directory
      .allTokens()
      .map(({ secretHash: _hidden, ...token }) => token)
      .sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1));
  }

  @Allow('admin')
  @Post('tokens/:id/revoke')
  @HttpCode(200)
  async revoke(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: RevokeTokenDto,
  ): Promise<{ revoked: string }> {
    const me = principal();
    await this.auth.revoke(id, { userId: me.userId, role: me.role }, body.reason);
    return { revoked: id };
  }
}
