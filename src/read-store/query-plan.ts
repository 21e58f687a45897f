import {
  CollectionSpec,
  FieldCondition,
  FieldValue,
  FindQuery,
  IndexSpec,
  UnindexedQueryError,
} from './read-store.port';

// Both adapters follow these: the rule for which finds an index serves, and the shape of names.

const COLLECTION_NAME = /^[A-Za-z0-9_.-]+$/;
const FIELD_NAME = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

export function assertCollectionName(name: string): void {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new Error(
      `Invalid read-store collection name ${JSON.stringify(name)}: use only letters, digits, _ . -`,
    );
  }
}

/** Dots reach into nested objects, as on MongoDB. */
export function assertFieldName(collection: string, field: string): void {
  if (typeof field !== 'string' || !FIELD_NAME.test(field)) {
    throw new Error(
      `Invalid field name ${JSON.stringify(field)} on ${collection}: use letters, digits and _, ` +
        'with dots between nested names',
    );
  }
}

export function assertCollectionSpec(spec: CollectionSpec): void {
  assertCollectionName(spec.name);
  for (const index of spec.indexes ?? []) {
    if (!Array.isArray(index) || index.length === 0) {
      throw new Error(`Collection ${spec.name}: an index must list at least one field`);
    }
    if (new Set(index).size !== index.length) {
      throw new Error(`Collection ${spec.name}: index ${index.join(', ')} repeats a field`);
    }
    index.forEach((field) => assertFieldName(spec.name, field));
  }
  (spec.textFields ?? []).forEach((field) => assertFieldName(spec.name, field));
}

/** Specs only grow: an index or text field declared once stays until the collection is dropped. */
export function mergeSpecs(
  stored: CollectionSpec | undefined,
  declared: CollectionSpec,
): CollectionSpec {
  const indexes = [...(stored?.indexes ?? [])];
  for (const index of declared.indexes ?? []) {
    if (!indexes.some((known) => known.join('\u0000') === index.join('\u0000')))
      indexes.push(index);
  }
  const textFields = [...(stored?.textFields ?? [])];
  for (const field of declared.textFields ?? []) {
    if (!textFields.includes(field)) textFields.push(field);
  }
  return { name: declared.name, indexes, textFields };
}

export type ConditionKind = 'equal' | 'in' | 'range';

export function conditionKind(
  collection: string,
  field: string,
  condition: FieldCondition,
): ConditionKind {
  if (condition === null || typeof condition !== 'object') return 'equal';
  if ('in' in condition) {
    if (!Array.isArray(condition.in) || Object.keys(condition).length !== 1) {
      throw new Error(`Condition on ${collection}.${field}: "in" takes an array and nothing else`);
    }
    return 'in';
  }
  const keys = Object.keys(condition);
  const bad = keys.filter((key) => !['gte', 'gt', 'lte', 'lt'].includes(key));
  if (keys.length === 0 || bad.length > 0) {
    throw new Error(
      `Condition on ${collection}.${field}: expected a value, {in: [...]} or bounds gte/gt/lte/lt` +
        (bad.length ? `, got ${bad.join(', ')}` : ''),
    );
  }
  return 'range';
}

export interface QueryPlan {
  /** The sort to apply: the query's own, then the serving index's remaining fields and id. */
  orderBy: Array<[field: string, direction: 'asc' | 'desc']>;
}

/**
 * The rule: `id` ends every index and is an index of its own. An index serves a query when
 * - its first fields are exactly the fields with an equality or `in` condition (in any order),
 * - then come, in order, the sort fields that are not among those (a range field, if there is one —
 *   at most one — must be the first of them, or stand alone when there is no sort).
 * So a find never scans more than the index range it names, plus sorting an `in` result.
 * Sorting an equality field is a no-op and always allowed.
 */
export function planQuery(spec: CollectionSpec, query: FindQuery = {}): QueryPlan {
  const where = query.where ?? {};
  const sort = query.sort ?? [];
  const pinned: string[] = [];
  const ranges: string[] = [];
  for (const [field, condition] of Object.entries(where)) {
    assertFieldName(spec.name, field);
    (conditionKind(spec.name, field, condition) === 'range' ? ranges : pinned).push(field);
  }
  for (const [field, direction] of sort) {
    assertFieldName(spec.name, field);
    if (direction !== 'asc' && direction !== 'desc') {
      throw new Error(`Sort on ${spec.name}.${field}: direction must be asc or desc`);
    }
  }
  const sortFields = sort.map(([field]) => field).filter((field) => !pinned.includes(field));
  const tail = ranges.length === 1 && sortFields.length === 0 ? ranges : sortFields;
  const refuse = () =>
    new UnindexedQueryError(spec.name, [...new Set([...Object.keys(where), ...sortFields])]);
  if (ranges.length > 1 || (ranges.length === 1 && tail[0] !== ranges[0])) throw refuse();

  const index = candidateIndexes(spec).find(
    (fields) =>
      fields.length >= pinned.length + tail.length &&
      fields.slice(0, pinned.length).every((field) => pinned.includes(field)) &&
      tail.every((field, at) => fields[pinned.length + at] === field),
  );
  if (!index) throw refuse();
  if (sort.length === 0) return { orderBy: [] };
  // Ties are broken by the rest of the index, so results are deterministic at no extra cost.
  const direction = sort[sort.length - 1][1];
  const rest = index.slice(pinned.length + tail.length).filter((field) => !pinned.includes(field));
  return {
    orderBy: [...sort, ...rest.map((field): [string, 'asc' | 'desc'] => [field, direction])],
  };
}

export function candidateIndexes(spec: CollectionSpec): IndexSpec[] {
  const declared = (spec.indexes ?? []).map((index) =>
    index[index.length - 1] === 'id' ? index : [...index, 'id'],
  );
  return [...declared, ['id']];
}

/** Search filters narrow on equality, so each field must belong to a declared index (or be id). */
export function assertFilterIndexed(
  spec: CollectionSpec,
  filter: Record<string, FieldValue>,
): void {
  const fields = Object.keys(filter);
  fields.forEach((field) => assertFieldName(spec.name, field));
  const indexed = new Set(candidateIndexes(spec).flat());
  const missing = fields.filter((field) => !indexed.has(field));
  if (missing.length > 0) throw new UnindexedQueryError(spec.name, missing);
}

/** Dotted paths of the fields a collection indexes (id aside): they must hold scalars. */
export function indexedPaths(spec: CollectionSpec): string[][] {
  return [...new Set((spec.indexes ?? []).flat())]
    .filter((field) => field !== 'id')
    .map((field) => field.split('.'));
}

/**
 * Indexed fields hold strings, numbers, booleans or null: an array or object there would be
 * compared differently by the two adapters' indexes (MongoDB indexes each array element), so a
 * put with one is refused, naming the field.
 */
export function assertIndexedScalars(
  collection: string,
  paths: string[][],
  document: { id: string },
): void {
  for (const path of paths) {
    let value: unknown = document;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value !== null && typeof value === 'object') {
      throw new Error(
        `Put to ${collection}/${document.id}: the indexed field ${path.join('.')} holds ` +
          `${Array.isArray(value) ? 'an array' : 'an object'}; indexed fields hold strings, numbers, booleans or null`,
      );
    }
  }
}
