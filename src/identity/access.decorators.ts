import { SetMetadata } from '@nestjs/common';
import { Role } from '../../domain/shared/roles';

export const ALLOWED_ROLES = 'tradeflow:allowed-roles';
export const PUBLIC_ROUTE = 'tradeflow:public-route';

/** The roles that may call a route at all; record scope is checked on top. No @Allow: nobody may. */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Reachable without a token: liveness, readiness and sign-in only. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Every staff role that works with sales records. */
export const SALES: Role[] = ['rep', 'team_lead', 'manager'];
