import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainError } from '../../domain/shared/domain-error';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { InputProblem } from '../http/problem-details';
import { ProjectionRunner } from './projection-runner';

/** Positions are opaque tokens; this only keeps junk out. */
const POSITION = /^[0-9A-Za-z:/_.-]{1,80}$/;

/**
 * Read-your-writes: a read with ?minPosition= (the position a write answered with) waits until the
 * read models hold that position, for a bounded time, then answers 503 rather than stale data.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly timeoutMs: number,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    // Express 5 parses req.query anew on every access: writes never need it here.
    if (request.method !== 'GET') return next.handle();
    const { minPosition, ...rest } = request.query as Record<string, unknown>;
    if (minPosition === undefined) return next.handle();
    if (typeof minPosition !== 'string' || !POSITION.test(minPosition)) {
      throw new InputProblem([
        {
          field: 'minPosition',
          code: 'validation.min_position',
          reason: 'minPosition must be a position returned by a write',
        },
      ]);
    }
    // Express 5 recomputes req.query on each access; replace it so DTO validation does not see minPosition.
    Object.defineProperty(request, 'query', { value: rest, configurable: true, writable: true });
    if (!(await this.runner.waitFor(minPosition, this.timeoutMs))) {
      throw new DomainError(
        'projection.min_position_timeout',
        `The read models did not reach position ${minPosition} within ${this.timeoutMs} ms; retry shortly`,
        'minPosition',
      );
    }
    return next.handle();
  }
}
