import type { SagaContext } from '../saga';

/**
 * Hands a fact to documents the event could not name. `reads(event)` sees only the event, so a
 * deal event cannot name its account's document (the account id is in the deal's document); a
 * timer due now can, through `readsForTimer`, from the data it carries. It fires at the same saga
 * instant, after the event (and any other event of that instant), before anything later.
 */
export function relay(
  context: SagaContext,
  id: string,
  kind: string,
  data: Record<string, unknown>,
): void {
  context.schedule({ id, dueAt: context.now, kind, data });
}
