import { AsyncLocalStorage } from 'node:async_hooks';
import { EventActor } from '../event-store/event-store.port';
import { Principal } from '../identity/identity-events';

/** Filled in two steps: the middleware sets the correlation id, the auth guard the principal. */
export interface RequestContext {
  correlationId: string;
  actor: EventActor;
  principal?: Principal;
  /** Whether this caller may set a back-dated occurredAt (imports and integrations). */
  mayBackdate: boolean;
  /** Method, path and body of the request, for Idempotency-Key reuse checks; computed on first use. */
  readonly requestFingerprint: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runInRequestContext = <T>(context: RequestContext, work: () => T): T =>
  storage.run(context, work);

export const currentRequestContext = (): RequestContext | undefined => storage.getStore();
