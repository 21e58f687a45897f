import type Database from 'better-sqlite3';
import { CollectionSpec, FieldValue, ReadDocument } from '../read-store.port';
import { assertIndexedScalars, indexedPaths } from '../query-plan';
import { FTS_OPTIONS, searchableTexts } from './sqlite-search';
import { fieldExpression, quoteIdentifier } from './sqlite-where';

// Brackets cannot appear in collection names, so these never collide with each other, with FTS5's
// shadow tables ("fts[x]_data") or with the store's own tables.
export const docsTable = (name: string): string => quoteIdentifier(`docs[${name}]`);
export const ftsTable = (name: string): string => quoteIdentifier(`fts[${name}]`);

/** The documents table alone: a deferred collection has nothing else until its indexes are built. */
export function installTable(db: Database.Database, name: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${docsTable(name)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
}

/** One declared index, unless it exists. */
export function installIndex(db: Database.Database, name: string, index: string[]): void {
  // Ending every index in id makes ties ordered by the index itself (see planQuery).
  const columns = index[index.length - 1] === 'id' ? index : [...index, 'id'];
  db.exec(
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`docs[${name}](${index.join(',')})`)} ` +
      `ON ${docsTable(name)} (${columns.map(fieldExpression).join(', ')})`,
  );
}

/** Creates what `spec` declares and `previous` lacked: table, indexes, and the FTS table. */
export function installCollection(
  db: Database.Database,
  spec: CollectionSpec,
  previous?: CollectionSpec,
): void {
  installTable(db, spec.name);
  const docs = docsTable(spec.name);
  for (const index of spec.indexes ?? []) installIndex(db, spec.name, index);
  const textFields = spec.textFields ?? [];
  if (textFields.length === (previous?.textFields ?? []).length) return;
  const fts = ftsTable(spec.name);
  db.exec(`DROP TABLE IF EXISTS ${fts}`);
  // Contentless: the text lives in the documents already; contentless_delete keeps deletes cheap.
  const columns = textFields.map((_, at) => `c${at}`);
  db.exec(
    `CREATE VIRTUAL TABLE ${fts} USING fts5(${columns.join(', ')}, ` +
      `content = '', contentless_delete = 1, ${FTS_OPTIONS})`,
  );
  const collection = new SqliteCollection(db, spec);
  // In pages by rowid: a statement cannot write while another one's rows are being iterated.
  const page = db.prepare(
    `SELECT rowid, doc FROM ${docs} WHERE rowid > ? ORDER BY rowid LIMIT 2000`,
  );
  for (let after = 0; ;) {
    const rows = page.all(after) as Array<{ rowid: number; doc: string }>;
    for (const row of rows) collection.index(row.rowid, JSON.parse(row.doc));
    if (rows.length === 0) break;
    after = rows[rows.length - 1].rowid;
  }
}

export function uninstallCollection(db: Database.Database, name: string): void {
  db.exec(`DROP TABLE IF EXISTS ${docsTable(name)}`);
  db.exec(`DROP TABLE IF EXISTS ${ftsTable(name)}`);
}

/** Statements that keep the FTS table in step; FTS rows share the document row's rowid. */
interface SearchStatements {
  selectRowid: Database.Statement<[string], { rowid: number }>;
  insertRow: Database.Statement<[string, string]>;
  updateRow: Database.Statement<[string, number]>;
  removeReturning: Database.Statement<[string], { rowid: number }>;
  ftsInsert: Database.Statement;
  ftsDelete: Database.Statement<[number]>;
}

/** One collection's prepared statements and its writes. */
export class SqliteCollection {
  readonly table: string;
  readonly fts: string;
  private readonly selectOne: Database.Statement<[string], { doc: string }>;
  private readonly selectMany: Database.Statement<[string], { doc: string }>;
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly search?: SearchStatements;
  /** Dotted paths of the indexed fields: they must hold scalars (see sqlite-where.ts). */
  private readonly indexedPaths: string[][];

  constructor(
    db: Database.Database,
    readonly spec: CollectionSpec,
    /** Indexes and text index not built yet: writes keep none of them up. */
    readonly deferred = false,
  ) {
    this.indexedPaths = indexedPaths(spec);
    const table = (this.table = docsTable(spec.name));
    const fts = (this.fts = ftsTable(spec.name));
    this.selectOne = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`);
    // CROSS JOIN keeps json_each as the outer loop: one primary-key lookup per id, in the ids' order.
    this.selectMany = db.prepare(
      `SELECT d.doc AS doc FROM json_each(?) j CROSS JOIN ${table} d ON d.id = j.value ORDER BY j.key`,
    );
    this.upsert = db.prepare(
      `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
    );
    this.remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
    const textFields = spec.textFields ?? [];
    if (textFields.length === 0 || deferred) return;
    const columns = textFields.map((_, at) => `c${at}`);
    this.search = {
      selectRowid: db.prepare(`SELECT rowid FROM ${table} WHERE id = ?`),
      insertRow: db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`),
      updateRow: db.prepare(`UPDATE ${table} SET doc = ? WHERE rowid = ?`),
      removeReturning: db.prepare(`DELETE FROM ${table} WHERE id = ? RETURNING rowid`),
      ftsInsert: db.prepare(
        `INSERT INTO ${fts} (rowid, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
      ),
      ftsDelete: db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`),
    };
  }

  get searchable(): boolean {
    return this.search !== undefined;
  }

  get(id: string): ReadDocument | undefined {
    const row = this.selectOne.get(id);
    return row ? JSON.parse(row.doc) : undefined;
  }

  getMany(ids: string[]): ReadDocument[] {
    return this.selectMany.all(JSON.stringify(ids)).map((row) => JSON.parse(row.doc));
  }

  put(document: ReadDocument): void {
    if (
      document === null ||
      typeof document !== 'object' ||
      typeof document.id !== 'string' ||
      !document.id
    ) {
      throw new Error(`Put to ${this.spec.name}: the document needs a non-empty string id`);
    }
    assertIndexedScalars(this.spec.name, this.indexedPaths, document);
    const json = JSON.stringify(document);
    if (!this.search) {
      this.upsert.run(document.id, json);
      return;
    }
    // Deleting from a contentless FTS table costs a tombstone, so only rows that existed pay for one.
    const existing = this.search.selectRowid.get(document.id);
    if (existing) {
      this.search.updateRow.run(json, existing.rowid);
      this.search.ftsDelete.run(existing.rowid);
    }
    const rowid =
      existing?.rowid ?? Number(this.search.insertRow.run(document.id, json).lastInsertRowid);
    this.index(rowid, document);
  }

  delete(id: string): void {
    if (!this.search) {
      this.remove.run(id);
      return;
    }
    const row = this.search.removeReturning.get(id);
    if (row) this.search.ftsDelete.run(row.rowid);
  }

  /** A missing field counts as 0, as with MongoDB's $inc; anything else but a number is refused. */
  increment(
    id: string,
    amounts: Record<string, number>,
    fields: Record<string, FieldValue> = {},
  ): void {
    const document: ReadDocument = { ...(this.get(id) ?? { id }), ...fields, id };
    for (const [field, amount] of Object.entries(amounts)) {
      if (!/^[A-Za-z0-9_]+$/.test(field)) {
        throw new Error(
          `Increment on ${this.spec.name}/${id}: ${JSON.stringify(field)} is not a top-level field name`,
        );
      }
      if (typeof amount !== 'number' || !Number.isFinite(amount)) {
        throw new Error(
          `Increment on ${this.spec.name}/${id}.${field}: ${String(amount)} is not a finite number`,
        );
      }
      const current = document[field] === undefined ? 0 : document[field];
      if (typeof current !== 'number') {
        throw new Error(
          `Increment on ${this.spec.name}/${id}.${field}: the field holds ${JSON.stringify(current)}, not a number`,
        );
      }
      document[field] = current + amount;
    }
    this.put(document);
  }

  index(rowid: number, document: ReadDocument): void {
    this.search!.ftsInsert.run(rowid, ...searchableTexts(document, this.spec.textFields ?? []));
  }
}
