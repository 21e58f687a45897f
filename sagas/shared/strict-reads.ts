import type { DocumentRef } from '../../projections/projection';
import type { Saga, SagaContext } from '../saga';

/**
 * Wraps a saga so that reading a document it did not name in `reads`/`readsForTimer` (and did not
 * write in the same call) throws, as the durable runner does. `replaySaga` does not check this;
 * specification tests wrap the saga so a missing declaration fails there, not in production.
 */
export function strictReads(saga: Saga): Saga {
  const preloaded = new Set(saga.collections.filter((c) => c.preload).map((c) => c.name));
  const key = (collection: string, id: string) => `${collection}\u0000${id}`;
  const guard = (context: SagaContext, refs: DocumentRef[], what: string): SagaContext => {
    const named = new Set(refs.map((ref) => key(ref.collection, ref.id)));
    return {
      get now() {
        return context.now;
      },
      get: (collection, id) => {
        if (!preloaded.has(collection) && !named.has(key(collection, id))) {
          throw new Error(`${saga.name} read ${collection}/${id} for ${what} without naming it`);
        }
        return context.get(collection, id);
      },
      put: (collection, document) => {
        named.add(key(collection, document.id));
        context.put(collection, document);
      },
      delete: (collection, id) => {
        named.add(key(collection, id));
        context.delete(collection, id);
      },
      increment: (collection, id, amounts, fields) =>
        context.increment(collection, id, amounts, fields),
      schedule: (timer) => context.schedule(timer),
      cancel: (timerId) => context.cancel(timerId),
      send: (command) => context.send(command),
    };
  };
  return {
    ...saga,
    handle: (event, context) =>
      saga.handle(event, guard(context, saga.reads?.(event) ?? [], event.type)),
    fire: (timer, context) =>
      saga.fire(timer, guard(context, saga.readsForTimer?.(timer) ?? [], `timer ${timer.id}`)),
  };
}
