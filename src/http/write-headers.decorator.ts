import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { WriteHeaders } from './command-sender';

/** Idempotency-Key and If-Match of a write request. */
export const Write = createParamDecorator(
  (_data: unknown, context: ExecutionContext): WriteHeaders => {
    const request = context.switchToHttp().getRequest<Request>();
    return {
      idempotencyKey: request.header('idempotency-key') ?? undefined,
      ifMatch: request.header('if-match') ?? undefined,
    };
  },
);
