import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ROLES, Role } from '../../domain/shared/roles';
import { requestFingerprint } from '../commands/command-fingerprint';
import { runInRequestContext } from './request-context';

/** Roles that may back-date occurredAt: imports and integrations. */
const MAY_BACKDATE: readonly Role[] = ['admin', 'intake'];
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Until the identity issue lands, the actor is taken from X-Actor-Id / X-Actor-Role. This is NOT
 * authentication: it lets the write path carry an actor end to end, and is replaced by the
 * authenticated principal there.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const header = request.header('x-correlation-id');
    const correlationId = header && CORRELATION_ID.test(header) ? header : randomUUID();
    response.setHeader('X-Correlation-Id', correlationId);
    const role = request.header('x-actor-role');
    const actorRole: Role =
      role && (ROLES as readonly string[]).includes(role) ? (role as Role) : 'rep';
    const userId = request.header('x-actor-id')?.slice(0, 100) || 'anonymous';
    runInRequestContext(
      {
        correlationId,
        actor: { userId, role: actorRole },
        mayBackdate: MAY_BACKDATE.includes(actorRole),
        requestFingerprint: requestFingerprint(
          request.method,
          request.originalUrl.split('?')[0],
          request.body,
        ),
      },
      next,
    );
  }
}
