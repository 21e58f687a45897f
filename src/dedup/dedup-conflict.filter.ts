import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemType } from '../http/problem-details';
import { DedupConflict } from './dedup-errors';

/** Renders a dedup conflict as a 409 problem, in the shape of the global problem filter. */
@Catch(DedupConflict)
export class DedupConflictFilter implements ExceptionFilter {
  catch(error: DedupConflict, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = {
      type: problemType(error.code),
      title: 'Conflict',
      status: 409,
      detail: error.message,
      code: error.code,
      ...(error.field && { field: error.field }),
      ...(error.details && { details: error.details }),
      instance: request.originalUrl.split('?')[0],
    };
    http
      .getResponse<Response>()
      .status(409)
      .type('application/problem+json')
      .send(JSON.stringify(problem));
  }
}
