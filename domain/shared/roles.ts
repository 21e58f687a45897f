import { isOneOf } from './validation';

export const ROLES = [
  'rep',
  'team_lead',
  'manager',
  'analyst',
  'operations',
  'admin',
  'intake',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => isOneOf(ROLES, value);

/** The context carries the role as a plain string; taking a Role makes a misspelt role a type error. */
export const hasRole = (actor: { role: string }, role: Role): boolean => actor.role === role;
