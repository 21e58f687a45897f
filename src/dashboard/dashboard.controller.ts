import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../../domain/shared/domain-error';
import { ProblemDetails, problemType } from '../http/problem-details';
import { Public } from '../identity/access.decorators';
import { dashboardRoot, vendorFiles } from './dashboard-files';

const PREFIX = '/app/';
const VENDOR = 'vendor/';
/** The pages only talk to this origin: scripts, styles and API calls are all same-origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The web dashboard: static pages that use the public HTTP API like any other client. The files
 * need no token (they hold no data); every API call they make still does.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  private readonly root = dashboardRoot();
  private readonly vendor = vendorFiles();

  @Get()
  home(@Res() response: Response): void {
    response.redirect(302, PREFIX);
  }

  @Get('app')
  index(@Res() response: Response): void {
    this.send(response, 'index.html', this.root, 'no-cache');
  }

  @Get('app/*path')
  file(@Req() request: Request, @Res() response: Response): void {
    const path = decodeURIComponent(request.path.slice(PREFIX.length));
    if (path.startsWith(VENDOR)) {
      const file = this.vendor[path.slice(VENDOR.length)];
      if (!file) throw notFound();
      this.send(response, file, undefined, 'public, max-age=86400');
      return;
    }
    this.send(response, path, this.root, 'no-cache');
  }

  private send(response: Response, file: string, root: string | undefined, cache: string): void {
    response.setHeader('Cache-Control', cache);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    // `root` confines the path: send refuses "..", and dotfiles are not served.
    response.sendFile(file, { root, dotfiles: 'deny' }, (error) => {
      if (!error || response.headersSent) return;
      const problem: ProblemDetails = {
        type: problemType('dashboard.file_not_found'),
        title: 'Not Found',
        status: 404,
        detail: 'No such dashboard file',
        code: 'dashboard.file_not_found',
      };
      response.status(404).type('application/problem+json').send(JSON.stringify(problem));
    });
  }
}

const notFound = () =>
  new DomainError('dashboard.file_not_found', 'No such dashboard file', 'path');
