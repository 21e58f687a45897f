import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requestFingerprint } from '../commands/command-fingerprint';
import { runInRequestContext } from './request-context';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Opens the request's context: its correlation id (the caller's X-Correlation-Id when well formed)
 * and the fingerprint for Idempotency-Key checks. The actor is anonymous until the auth guard
 * puts the authenticated principal there.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const header = request.header('x-correlation-id');
    const correlationId = header && CORRELATION_ID.test(header) ? header : randomUUID();
    response.setHeader('X-Correlation-Id', correlationId);
    let fingerprint: string | undefined;
    runInRequestContext(
      {
        correlationId,
        actor: { userId: 'anonymous', role: 'anonymous' },
        mayBackdate: false,
        // Only writes need it; reads and health checks never pay for hashing the body.
        get requestFingerprint() {
          return (fingerprint ??= requestFingerprint(
            request.method,
            request.originalUrl.split('?')[0],
            request.body,
          ));
        },
      },
      next,
    );
  }
}
