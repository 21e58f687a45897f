import {
  applyDecorators,
  ArgumentMetadata,
  CallHandler,
  ExecutionContext,
  HttpCode,
  HttpStatus,
  Injectable,
  NestInterceptor,
  PipeTransform,
} from '@nestjs/common';
import { ApiHeader, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { validate as isUuid } from 'uuid';
import { InputProblem } from '../http/problem-details';

/** A write route: its status, its summary, and the two headers every deal write honours. */
export const DealWrite = (summary: string, status = HttpStatus.OK) =>
  applyDecorators(
    HttpCode(status),
    ApiOperation({ summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retry-safe: the same key returns the first result with replayed: true',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The revision (ETag) last read; 409 with currentRevision when the deal moved on',
    }),
  );

/** Every answer that carries a revision also carries it as the ETag, ready for the next If-Match. */
@Injectable()
export class RevisionEtag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body) => {
        const revision = (body as { revision?: unknown } | undefined)?.revision;
        if (typeof revision === 'number' && revision >= 0) {
          response.setHeader('ETag', `"${revision}"`);
        }
      }),
    );
  }
}

/** Like RecordIdPipe, but the 400 names the route parameter it guards (quoteId, not id). */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, { data }: ArgumentMetadata): string {
    const field = data ?? 'id';
    if (!isUuid(value)) {
      throw new InputProblem([
        { field, code: 'validation.is_uuid', reason: `${field} must be a UUID` },
      ]);
    }
    return value.toLowerCase();
  }
}
