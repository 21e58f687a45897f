import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;

const INSTALLED = Symbol.for('tradeflow.validationMetadataCache');

/**
 * class-validator looks up a class's rules on every validation, testing the class against every
 * decorated class of the app for inherited rules: a cost per request body that grows with the
 * number of DTOs. The rules are fixed once the classes are defined, so the answer is remembered
 * per class and options, and forgotten whenever a rule is added (a class loaded later).
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [INSTALLED]?: true };
  if (patched[INSTALLED]) return;
  patched[INSTALLED] = true;
  let cache = new WeakMap<object, Map<string, TargetMetadatas>>();
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    cache = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) {
      byOptions = new Map();
      cache.set(target, byOptions);
    }
    let metadatas = byOptions.get(key);
    if (!metadatas) {
      metadatas = lookUp(target, schema, always, strictGroups, groups);
      byOptions.set(key, metadatas);
    }
    return metadatas;
  };
}
