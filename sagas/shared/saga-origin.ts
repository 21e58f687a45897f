import type { RecordedEvent } from '../../src/event-store/event-store.port';

/** Saga command ids are `<saga-name>:<record>:…`; ids from people and imports are UUIDs or hashes. */
const SAGA_COMMAND_ID = /^[a-z][a-z0-9-]*:[^:]+:/;

/**
 * Whether a saga caused the event: its cause is a saga, or (when the saga named the rule behind
 * its decision, which the dispatch records as the cause) the system acted on a saga command id.
 * Saga-made events are not customer or rep activity: a deal is not fresh because a saga touched it.
 */
export function isSagaGenerated(event: RecordedEvent): boolean {
  const { cause, actor, commandId } = event.metadata;
  if (cause?.kind === 'saga') return true;
  return (
    cause?.kind === 'rule' &&
    actor?.userId === 'system' &&
    typeof commandId === 'string' &&
    SAGA_COMMAND_ID.test(commandId)
  );
}
