import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../../domain/shared/domain-error';
import { Role } from '../../domain/shared/roles';
import { currentRequestContext } from '../http/request-context';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access.decorators';
import { AuthService } from './auth.service';

/** Roles that may back-date occurredAt: imports and integrations. */
const MAY_BACKDATE: readonly Role[] = ['admin', 'intake'];

/**
 * Authenticates every route that is not @Public, then checks the route's @Allow roles. A route
 * without @Allow is closed: forgetting to declare access fails safe.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.header('authorization');
    const bearer = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length).trim()
      : undefined;
    const principal = this.auth.authenticate(bearer);
    const requestContext = currentRequestContext();
    if (requestContext) {
      requestContext.principal = principal;
      requestContext.actor = { userId: principal.userId, role: principal.role };
      requestContext.mayBackdate = MAY_BACKDATE.includes(principal.role);
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ALLOWED_ROLES, targets) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new DomainError(
        'auth.forbidden',
        `A ${principal.role} may not use this route`,
        undefined,
        { role: principal.role, allowedRoles: allowed },
      );
    }
    return true;
  }
}
