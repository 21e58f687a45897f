import { FieldCondition, FieldValue, FindQuery } from '../read-store.port';
import { conditionKind, QueryPlan } from '../query-plan';

export interface SqlFragment {
  sql: string;
  params: Array<string | number>;
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Must be spelled exactly like the index definitions: SQLite matches expression indexes textually.
 * Field names are validated (letters, digits, _ and dots), so inlining the path is safe.
 */
export const fieldExpression = (field: string): string =>
  field === 'id' ? 'id' : `json_extract(doc, '$.${field}')`;

/**
 * json_extract turns true/false into 1/0, so a bare comparison would let `true` match `1`. A
 * condition on a number or a boolean also checks the JSON type of the value it compares with (a
 * residual filter on the rows the index already found), so values only match values of their own
 * type, as on MongoDB. A string needs no such check, which would read every matching row and make
 * a count over an index cost a table lookup per row: SQLite never finds a number or NULL equal to
 * text, every number sorts below every text (an upper bound alone gets `>= ''` added), and indexed
 * fields never hold arrays or objects, whose JSON text would compare (SqliteCollection.put refuses
 * them).
 */
const JSON_TYPES: Record<string, string> = {
  string: `'text'`,
  number: `'integer', 'real'`,
  boolean: `'true', 'false'`,
};

const bind = (value: string | number | boolean): string | number =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

export function whereSql(collection: string, where: FindQuery['where'] = {}): SqlFragment {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  for (const [field, condition] of Object.entries(where)) {
    const clause = conditionSql(collection, field, condition);
    clauses.push(clause.sql);
    params.push(...clause.params);
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

export function orderBySql(plan: QueryPlan): string {
  if (plan.orderBy.length === 0) return '';
  const terms = plan.orderBy.map(
    ([field, direction]) => `${fieldExpression(field)} ${direction.toUpperCase()}`,
  );
  return ` ORDER BY ${terms.join(', ')}`;
}

function conditionSql(collection: string, field: string, condition: FieldCondition): SqlFragment {
  const expression = fieldExpression(field);
  const kind = conditionKind(collection, field, condition);
  if (kind === 'equal') {
    const value = checkValue(collection, field, condition as FieldValue);
    if (value === null) return { sql: `${expression} IS NULL`, params: [] };
    return typed(field, typeof value, { sql: `${expression} = ?`, params: [bind(value)] });
  }
  if (kind === 'in') {
    const values = (condition as { in: FieldValue[] }).in.map((value) =>
      checkValue(collection, field, value),
    );
    const alternatives: SqlFragment[] = [];
    if (values.includes(null)) alternatives.push({ sql: `${expression} IS NULL`, params: [] });
    for (const family of Object.keys(JSON_TYPES)) {
      const members = values.filter((value) => value !== null && typeof value === family) as Array<
        string | number | boolean
      >;
      if (members.length === 0) continue;
      const placeholders = members.map(() => '?').join(', ');
      alternatives.push(
        typed(field, family, {
          sql: `${expression} IN (${placeholders})`,
          params: members.map(bind),
        }),
      );
    }
    if (alternatives.length === 0) return { sql: '0', params: [] };
    if (alternatives.length === 1) return alternatives[0];
    return {
      sql: `(${alternatives.map((alternative) => `(${alternative.sql})`).join(' OR ')})`,
      params: alternatives.flatMap((alternative) => alternative.params),
    };
  }
  const bounds = Object.entries(condition as Record<string, FieldValue>).filter(
    ([, value]) => value !== undefined,
  );
  const families = new Set(
    bounds.map(([, value]) => checkValue(collection, field, value)).map((value) => typeof value),
  );
  if (families.has('object') || families.size !== 1) {
    throw new Error(`Range on ${collection}.${field}: bounds must be non-null values of one type`);
  }
  const operators: Record<string, string> = { gte: '>=', gt: '>', lte: '<=', lt: '<' };
  const family = [...families][0];
  const terms = bounds.map(([bound]) => `${expression} ${operators[bound]} ?`);
  const params = bounds.map(([, value]) => bind(value as string | number | boolean));
  // Numbers and NULL sort below every text: an upper bound alone would let them in.
  if (family === 'string' && field !== 'id' && !bounds.some(([bound]) => bound.startsWith('g'))) {
    terms.push(`${expression} >= ?`);
    params.push('');
  }
  return typed(field, family, { sql: terms.join(' AND '), params });
}

function typed(field: string, family: string, fragment: SqlFragment): SqlFragment {
  if (field === 'id' || family === 'string') return fragment;
  return {
    ...fragment,
    sql: `${fragment.sql} AND json_type(doc, '$.${field}') IN (${JSON_TYPES[family]})`,
  };
}

function checkValue(collection: string, field: string, value: FieldValue): FieldValue {
  const valid =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!valid) {
    throw new Error(
      `Condition on ${collection}.${field}: ${String(value)} is not a string, finite number, boolean or null`,
    );
  }
  if (field === 'id' && typeof value !== 'string') {
    throw new Error(`Condition on ${collection}.id: ids are strings, got ${String(value)}`);
  }
  return value;
}
