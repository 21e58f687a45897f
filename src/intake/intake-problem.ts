import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemType } from '../http/problem-details';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
};

/**
 * A file or message intake cannot use at all. It carries its own status because the app-wide
 * filter derives 400 or 422 from the code's wording, and these codes are fixed by the intake API.
 */
export class IntakeProblem extends Error {
  constructor(
    readonly code: string,
    detail: string,
    readonly field?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly status = 400,
  ) {
    super(detail);
    this.name = 'IntakeProblem';
  }
}

@Catch(IntakeProblem)
export class IntakeProblemFilter implements ExceptionFilter {
  catch(problem: IntakeProblem, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const body = {
      type: problemType(problem.code),
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.message,
      code: problem.code,
      ...(problem.field ? { field: problem.field } : {}),
      ...problem.extensions,
      instance: request.originalUrl.split('?')[0],
    };
    http
      .getResponse<Response>()
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(body));
  }
}
