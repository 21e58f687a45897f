import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '../../domain/shared/domain-error';
import { Role } from '../../domain/shared/roles';
import { CommandPipeline } from '../commands/command-pipeline';
import { AGGREGATES } from '../commands/aggregates';
import { EVENT_STORE, EventActor, EventStore } from '../event-store/event-store.port';
import { APP_SETTINGS, AppSettings } from '../settings/app-settings';
import { CLOCK, Clock } from '../shared/clock';
import { mintToken, parseToken, secretMatches, TokenKind } from './access-tokens';
import { DirectoryFeed } from './directory-feed';
import { Principal, TokenIssued } from './identity-events';
import { hashPassword, PASSWORD_RULE, passwordAcceptable, verifyPassword } from './passwords';

export class AuthenticationError extends Error {
  readonly code = 'auth.unauthenticated';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

const SYSTEM: EventActor = { userId: 'system', role: 'system' };
const STAND_IN_HASH = hashPassword(randomBytes(16).toString('hex'));
const HOUR = 3600_000;

export interface IssuedToken {
  tokenId: string;
  token: string;
  kind: TokenKind;
  expiresAt: string;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly feed: DirectoryFeed,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  private get directory() {
    return this.feed.directory;
  }

  /** Resolves a bearer token to the principal acting, or explains why not. */
  authenticate(bearer: string | undefined): Principal {
    if (!bearer)
      throw new AuthenticationError('No bearer token: sign in at POST /api/auth/sign-in');
    const parsed = parseToken(bearer);
    const record = parsed && this.directory.token(parsed.tokenId);
    if (!parsed || !record || !secretMatches(parsed.secretPart, record.secretHash)) {
      throw new AuthenticationError('The token is not valid');
    }
    if (record.revokedAt) throw new AuthenticationError('The token was revoked');
    if (Date.parse(record.expiresAt) <= this.clock.now().getTime()) {
      throw new AuthenticationError('The token has expired');
    }
    if (record.kind === 'intake') {
      return {
        kind: 'intake',
        tokenId: record.tokenId,
        userId: `intake:${record.source}`,
        role: 'intake',
        teamId: null,
        source: record.source,
      };
    }
    const user = record.userId ? this.directory.user(record.userId) : undefined;
    if (!user) throw new AuthenticationError('The token belongs to no user');
    if (!user.active) throw new AuthenticationError('The user was deactivated');
    return {
      kind: record.kind,
      tokenId: record.tokenId,
      userId: user.userId,
      role: user.role,
      teamId: user.teamId,
    };
  }

  async signIn(
    email: string,
    password: string,
  ): Promise<IssuedToken & { userId: string; role: Role }> {
    const user = this.directory.userByEmail(email);
    const hash = user && this.directory.passwordHash(user.userId);
    // Same answer, and the same scrypt work, for an unknown email and a wrong password, so
    // sign-in reveals neither which accounts exist nor, by its timing, which emails are known.
    const matches = await verifyPassword(password, hash ?? (await STAND_IN_HASH));
    if (!user || !hash || !matches || !user.active) {
      throw new AuthenticationError('Email or password is wrong, or the user is deactivated');
    }
    const issued = await this.issue(
      'session',
      { userId: user.userId, label: 'sign-in', ttlMs: this.settings.sessionHours * HOUR },
      { userId: user.userId, role: user.role },
    );
    return { ...issued, userId: user.userId, role: user.role };
  }

  async issue(
    kind: TokenKind,
    subject: { userId?: string; source?: string; label: string; ttlMs: number },
    issuedBy: EventActor,
  ): Promise<IssuedToken> {
    const minted = mintToken(kind);
    const expiresAt = new Date(this.clock.now().getTime() + subject.ttlMs).toISOString();
    const data: TokenIssued = {
      tokenId: minted.tokenId,
      kind,
      ...(subject.userId ? { userId: subject.userId } : {}),
      ...(subject.source ? { source: subject.source } : {}),
      secretHash: minted.secretHash,
      label: subject.label,
      expiresAt,
      issuedBy: issuedBy.userId,
    };
    await this.write(
      `token-${minted.tokenId}`,
      'TokenIssued',
      data as unknown as Record<string, unknown>,
      issuedBy,
      'no_stream',
    );
    return { tokenId: minted.tokenId, token: minted.secret, kind, expiresAt };
  }

  async revoke(tokenId: string, revokedBy: EventActor, reason: string): Promise<void> {
    const record = this.directory.token(tokenId);
    if (!record) throw new DomainError('token.not_found', `No token with id ${tokenId}`, 'tokenId');
    if (record.revokedAt)
      throw new DomainError('token.already_revoked', 'The token was already revoked', 'tokenId');
    await this.write(
      `token-${tokenId}`,
      'TokenRevoked',
      { tokenId, revokedBy: revokedBy.userId, reason },
      revokedBy,
      0,
    );
  }

  async setPassword(userId: string, password: string, setBy: EventActor): Promise<void> {
    if (!this.directory.user(userId))
      throw new DomainError('user.not_found', `No user with id ${userId}`, 'userId');
    if (!passwordAcceptable(password)) {
      throw new DomainError(
        'user.password_weak',
        `The password must have ${PASSWORD_RULE}`,
        'password',
      );
    }
    const stream = `credential-${userId}`;
    const revision = (
      await this.store.readStream(stream, { direction: 'backward', maxCount: 1 })
    )[0]?.revision;
    await this.write(
      stream,
      'PasswordSet',
      { userId, passwordHash: await hashPassword(password), setBy: setBy.userId },
      setBy,
      revision ?? 'no_stream',
    );
  }

  /**
   * The first admin: from TRADEFLOW_ADMIN_EMAIL / TRADEFLOW_ADMIN_PASSWORD, or generated and
   * printed once. Nothing happens once any admin exists.
   */
  async ensureFirstAdmin(): Promise<void> {
    const signInAble = (user: { userId: string; role: string; active: boolean }) =>
      user.role === 'admin' &&
      user.active &&
      this.directory.passwordHash(user.userId) !== undefined;
    if (this.directory.allUsers().some(signInAble)) return;
    const userId = 'admin';
    const existing = this.directory.user(userId);
    if (existing && existing.role !== 'admin') {
      // Never reset the password of whoever holds the id now.
      throw new Error(
        `No active admin can sign in, and user "${userId}" is a ${existing.role}: restore an admin by hand`,
      );
    }
    const email = existing?.email ?? this.settings.firstAdmin.email ?? 'admin@tradeflow.local';
    const password = this.settings.firstAdmin.password ?? randomBytes(12).toString('base64url');
    if (!existing) {
      await this.pipeline.execute(
        AGGREGATES.user.kind,
        userId,
        {
          type: 'RegisterUser',
          data: { userId, name: 'Administrator', email, role: 'admin' },
        } as never,
        { commandId: 'first-admin', actor: SYSTEM, cause: { kind: 'system', id: 'first-start' } },
        undefined,
      );
      await this.feed.applyWritten(`user-${userId}`);
    }
    // Also completes a first start that stopped between registering the admin and its password.
    await this.setPassword(userId, password, SYSTEM);
    if (!this.settings.firstAdmin.password) {
      // Printed once: the next start finds an admin who can sign in and prints nothing.
      process.stdout.write(
        `\nFirst admin created. Sign in with email ${email} and password ${password} , then change the password.\n\n`,
      );
    }
    this.logger.log({ msg: 'first admin ready', userId });
  }

  private async write(
    stream: string,
    type: string,
    data: Record<string, unknown>,
    actor: EventActor,
    expectedRevision: number | 'no_stream',
  ): Promise<void> {
    const commandId = uuidv7();
    await this.store.append(
      stream,
      [
        {
          type,
          data,
          metadata: {
            occurredAt: this.clock.now().toISOString(),
            $correlationId: commandId,
            $causationId: commandId,
            commandId,
            actor,
            cause:
              actor.role === 'system'
                ? { kind: 'system', id: 'identity' }
                : { kind: 'person', id: actor.userId },
          },
        },
      ],
      { expectedRevision },
    );
    await this.feed.applyWritten(stream);
  }
}
