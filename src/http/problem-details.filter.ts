import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../domain/shared/domain-error';
import {
  InvalidAppendError,
  InvalidPositionError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store/event-store.errors';
import { InvalidPolicyError } from '../policies/policy-validation';
import { UnknownPolicyError } from '../policies/policy-registry';
import { AuthenticationError } from '../identity/auth.service';
import { InputProblem, ProblemDetails, problemType } from './problem-details';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Input errors are 400; a business rule refusing a well-formed command is 422. */
function domainStatus(code: string): number {
  if (/[._]not_found$/.test(code)) return 404;
  // The read models are behind or still building: a retry soon succeeds.
  if (code === 'projection.min_position_timeout' || code === 'projection.not_ready') return 503;
  if (code === 'projection.rebuild_in_progress') return 409;
  if (code.startsWith('report.')) return 400;
  // Another record holds the same exact dedup key, or is being created with it right now.
  if (code === 'account.duplicate' || code === 'dedup.key_pending') return 409;
  // The subject was already erased under another request reference.
  if (code === 'erasure.already_erased') return 409;
  if (
    code.startsWith('auth.') ||
    code.endsWith('forbidden') ||
    code === 'command.backdating_not_allowed'
  )
    return 403;
  // A transition the rules forbid is a well-formed request refused, not bad input.
  if (code.endsWith('_transition_invalid')) return 422;
  if (/(\.field\.(required|invalid)|\.invalid|^money\.|_invalid$|in_future$)/.test(code))
    return 400;
  return 422;
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = { ...this.toProblem(error), instance: request.originalUrl.split('?')[0] };
    if (problem.status >= 500) {
      this.logger.error(
        { msg: 'request failed', code: problem.code, error: (error as Error)?.message },
        (error as Error)?.stack,
      );
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): ProblemDetails {
    if (error instanceof AuthenticationError) {
      return make(401, error.code, error.reason, 'Authorization');
    }
    if (error instanceof InputProblem) {
      return make(400, 'validation.failed', error.message, error.errors[0]?.field, {
        errors: error.errors,
      });
    }
    if (error instanceof WrongExpectedRevisionError) {
      return make(409, 'concurrency.conflict', error.message, 'expectedRevision', {
        currentRevision: error.actualRevision,
      });
    }
    if (error instanceof DomainError) {
      return make(
        domainStatus(error.code),
        error.code,
        error.message,
        error.field,
        error.details ? { details: error.details } : {},
      );
    }
    if (error instanceof InvalidPolicyError) {
      return make(400, error.code, error.message, error.problems[0]?.key, {
        errors: error.problems.map(({ key, problem }) => ({
          field: key,
          code: 'policy.invalid',
          reason: problem,
        })),
      });
    }
    if (error instanceof UnknownPolicyError) return make(404, error.code, error.message, 'id');
    if (error instanceof InvalidAppendError || error instanceof InvalidPositionError) {
      return make(400, error.code, error.message, error.field);
    }
    if (error instanceof StoreUnavailableError) return make(503, error.code, error.message);
    const bodyParser = error as { type?: string; status?: number };
    if (bodyParser?.type === 'entity.too.large') {
      return make(413, 'request.too_large', 'The request body is larger than the limit');
    }
    if (bodyParser?.type === 'entity.parse.failed') {
      return make(400, 'request.malformed_json', 'The request body is not valid JSON');
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      // Nest turns body-parser's SyntaxError into a plain 400 before filters see it.
      const code =
        status === 404
          ? 'route.not_found'
          : status === 400 && /JSON/i.test(error.message)
            ? 'request.malformed_json'
            : `http.${status}`;
      return make(status, code, error.message);
    }
    return make(
      500,
      'internal',
      'Something went wrong on our side; the correlation id identifies it in the logs',
    );
  }
}

function make(
  status: number,
  code: string,
  detail: string,
  field?: string,
  extensions: Record<string, unknown> = {},
): ProblemDetails {
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(field ? { field } : {}),
    ...extensions,
  };
}
