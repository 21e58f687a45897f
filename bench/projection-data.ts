/**
 * Bench stores for `npm run bench:projections`: many deals, fast.
 *
 * Writing histories through the command pipeline runs at under 1,000 events/s, so this generates one
 * realistic sample once (`generate()`, cached under the OS temp folder by seed and size) and clones
 * it K times into a new SQLite event store:
 *  - every row is copied verbatim (the store's own encoding: JSON data and metadata, occurred_ms,
 *    recorded_at), in the sample's global order, the K copies of each event side by side. The log
 *    then reads like one company K times larger over the same period, and every cross-stream order
 *    the projections rely on (the stage policy before the moves, the account before its deal, the
 *    team before its reps' leads) holds inside each copy;
 *  - every UUID in stream names, event ids, data and metadata is mapped per copy, so the copies
 *    are distinct leads, accounts, contacts, deals and tasks. The mapping XORs the UUID with a mask
 *    of the copy (a uuid v5 of the copy index), keeping the version and variant bits: a bijection
 *    per copy, distinct across copies, and ~50× cheaper than one SHA-1 per occurrence (tens of
 *    millions of them at 100k deals);
 *  - staff, teams, credentials, tokens and policies (SHARED_STREAM_PREFIXES) are written once and
 *    their ids never mapped, so all copies share one team structure and one set of policies;
 *  - subject keys (the per-subject data keys that open the `$personal` envelopes) are copied with
 *    their subject ids mapped. The wrapping (AES-256-GCM under the master key) binds no associated
 *    data, so a wrapped key stays valid under a new subject id, and the envelopes' ciphertexts
 *    (base64, which never looks like a UUID) are left as they are. master.key is copied along.
 *
 * Rows go in with plain INSERTs into the table `createEventTables` defines, in large transactions:
 * the store's append keeps a stream's events together per call, which would either break the
 * interleaving or cost one transaction per event.
 */
import Database from 'better-sqlite3';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { createEventTables } from '../src/event-store/sqlite/sqlite-schema';
import { loadMasterKey } from '../src/personal-data/master-key';
import { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../src/personal-data/sqlite-subject-key-store';
import { now, since } from './measure';

/** Written once, ids kept: every copy shares the same staff, teams, logins and policies. */
export const SHARED_STREAM_PREFIXES = ['user-', 'team-', 'credential-', 'token-', 'policy-'];

/**
 * Bump when the cached sample's layout or the generator changes in a way that matters here.
 * 2: generated with the generator's live window (the last DEFAULT_LIVE_DAYS recorded as they
 * happen, with the sagas deciding), so the SLA reports have runs to count.
 */
const SAMPLE_FORMAT = 2;
const BUILD_FORMAT = 1;
const EVENTS_FILE = 'events.sqlite';
const MASTER_KEY_FILE = 'master.key';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** The generator's command and correlation ids (`gen:<run>:<n>`) are made distinct per copy too. */
const GEN_MARK = '"gen:';
const INSERTS_PER_TRANSACTION = 20_000;
const COPY_NAMESPACE = '5b0c3f0e-6a8e-4d0b-9a57-2f1d7c4e8a10';

export type Log = (line: string) => void;

export interface SampleMeta {
  format: number;
  seed: string;
  deals: number;
  until: string;
  events: number;
  streams: Record<string, number>;
  generatedInMs: number;
}

export interface Sample {
  dir: string;
  eventsFile: string;
  masterKeyFile: string;
  meta: SampleMeta;
  /** True when this run generated it; false when it came from the cache. */
  generated: boolean;
}

export interface BenchStoreMeta {
  format: number;
  sample: { seed: string; deals: number; until: string; events: number };
  copies: number;
  events: number;
  deals: number;
  streams: Record<string, number>;
  sharedEvents: number;
  subjectKeys: number;
  buildMs: number;
  bytes: number;
}

export interface BenchStore {
  dir: string;
  eventsFile: string;
  masterKeyFile: string;
  meta: BenchStoreMeta;
  /** False when an existing store with the same sample and copies was reused. */
  built: boolean;
}

export const sampleCacheDir = (seed: string, deals: number): string =>
  join(tmpdir(), 'tradeflow-bench-samples', `seed-${seed}-deals-${deals}-f${SAMPLE_FORMAT}`);

/**
 * The sample history: generated once through the command pipeline, then reused from the temp
 * folder. A partial generation never lands in the cache (it is renamed in place when complete).
 */
export async function ensureSample(seed: string, deals: number, log: Log): Promise<Sample> {
  const dir = sampleCacheDir(seed, deals);
  const metaFile = join(dir, 'sample.json');
  const paths = {
    dir,
    eventsFile: join(dir, EVENTS_FILE),
    masterKeyFile: join(dir, MASTER_KEY_FILE),
  };
  if (existsSync(metaFile) && existsSync(paths.eventsFile) && existsSync(paths.masterKeyFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as SampleMeta;
    if (meta.format === SAMPLE_FORMAT) return { ...paths, meta, generated: false };
  }
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  log(
    `generating the sample: ${deals} deals, seed ${seed}, through the command pipeline (once; cached in ${dir})`,
  );
  const started = now();
  // The generator's app prints its first-admin notice on stdout; stdout is for the results.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    const text = String(chunk).trim();
    // The sample's throwaway first-admin password has no business in bench output.
    if (text) log(`(generator) ${text.replace(/password \S+/g, 'password (not shown)')}`);
    return true;
  }) as typeof process.stdout.write;
  // Loaded only here: the generator compiles and boots the whole app.
  const { generate } = await import('../src/cli/generate-histories');
  let summary: Awaited<ReturnType<typeof generate>>;
  try {
    summary = await generate({
      deals,
      seed,
      dataDir: partial,
      onProgress: (p) =>
        log(`generating: ${p.done}/${p.total} commands, ${Math.round(p.elapsedMs / 1000)} s`),
    });
  } finally {
    process.stdout.write = write;
  }
  // Fold the WAL into the file, so the cached sample is one self-contained database.
  const db = new Database(join(partial, EVENTS_FILE));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const streams = countStreams(db);
  db.close();
  const meta: SampleMeta = {
    format: SAMPLE_FORMAT,
    seed,
    deals,
    until: summary.until,
    events,
    streams,
    generatedInMs: Math.round(since(started) / 1e6),
  };
  writeFileSync(join(partial, 'sample.json'), JSON.stringify(meta, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`sample generated: ${events} events in ${(meta.generatedInMs / 1000).toFixed(1)} s`);
  return { ...paths, meta, generated: true };
}

function countStreams(db: Database.Database): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT substr(stream, 1, instr(stream, '-')) AS prefix, count(DISTINCT stream) AS n
       FROM events GROUP BY prefix ORDER BY prefix`,
    )
    .all() as Array<{ prefix: string; n: number }>;
  return Object.fromEntries(rows.map((row) => [row.prefix, row.n]));
}

// ---------------------------------------------------------------- templates

interface SampleRow {
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  occurred_ms: number;
  recorded_at: string;
}

const SUFFIX = 0;
const GEN = 1;
/** A string cut at each UUID to map (or marker): `parts[i] + slot(i) + parts[i + 1] …`. */
interface Template {
  text: string;
  parts: string[];
  /** A UUID to map, or SUFFIX / GEN. */
  slots: Array<string | typeof SUFFIX | typeof GEN>;
}

interface RowTemplate {
  row: SampleRow;
  shared: boolean;
  stream: Template;
  id: Template;
  data: Template;
  metadata: Template;
}

function template(
  text: string,
  keep: Set<string>,
  options: { gen?: boolean; suffix?: boolean } = {},
): Template {
  const parts: string[] = [];
  const slots: Template['slots'] = [];
  let literal = '';
  let from = 0;
  const cuts: Array<{ at: number; length: number; slot: Template['slots'][number] }> = [];
  for (const match of text.matchAll(UUID)) {
    if (!keep.has(match[0])) cuts.push({ at: match.index!, length: 36, slot: match[0] });
  }
  if (options.gen) {
    for (let at = text.indexOf(GEN_MARK); at >= 0; at = text.indexOf(GEN_MARK, at + 1)) {
      cuts.push({ at, length: GEN_MARK.length, slot: GEN });
    }
    cuts.sort((a, b) => a.at - b.at);
  }
  for (const cut of cuts) {
    literal += text.slice(from, cut.at);
    parts.push(literal);
    slots.push(cut.slot);
    literal = '';
    from = cut.at + cut.length;
  }
  literal += text.slice(from);
  parts.push(literal);
  if (options.suffix && slots.length === 0) {
    slots.push(SUFFIX);
    parts.push('');
  }
  return { text, parts, slots };
}

/** Per-copy XOR masks over the 36 characters of a UUID (0 on dashes and the version nibble). */
function copyMask(copy: number): Uint8Array {
  const source = uuidv5(`copy-${copy}`, COPY_NAMESPACE);
  const mask = new Uint8Array(36);
  for (let i = 0; i < 36; i++) {
    if (source[i] === '-' || i === 14) continue;
    const nibble = parseInt(source[i], 16);
    mask[i] = i === 19 ? nibble & 0x3 : nibble; // keep the variant bits
  }
  return mask;
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const mapped = Buffer.alloc(36);

/** `uuid` XOR the copy's mask, digit by digit (lowercase hex). */
export function mapUuid(uuid: string, mask: Uint8Array): string {
  for (let i = 0; i < 36; i++) {
    const c = uuid.charCodeAt(i);
    const m = mask[i];
    mapped[i] = m === 0 ? c : HEX[(c <= 57 ? c - 48 : c - 87) ^ m];
  }
  return mapped.toString('latin1', 0, 36);
}

function render(t: Template, copy: number, mask: Uint8Array): string {
  if (copy === 0 || t.slots.length === 0) return t.text;
  let out = t.parts[0];
  for (let i = 0; i < t.slots.length; i++) {
    const slot = t.slots[i];
    out += slot === SUFFIX ? `-c${copy}` : slot === GEN ? `"gen:c${copy}.` : mapUuid(slot, mask);
    out += t.parts[i + 1];
  }
  return out;
}

const isShared = (stream: string) => SHARED_STREAM_PREFIXES.some((p) => stream.startsWith(p));

/** UUIDs that name shared records (staff, teams, …): left as they are in every copy. */
function sharedIds(rows: SampleRow[]): Set<string> {
  const recordIds = new Set<string>();
  const shared = new Set<string>();
  for (const row of rows) {
    if (isShared(row.stream)) {
      for (const m of row.stream.matchAll(UUID)) shared.add(m[0]);
      for (const m of row.data.matchAll(UUID)) shared.add(m[0]);
    } else {
      for (const m of row.stream.matchAll(UUID)) recordIds.add(m[0]);
    }
  }
  // A shared event naming a per-copy record (none seen so far) must not pin that record's id.
  for (const id of recordIds) shared.delete(id);
  return shared;
}

// ---------------------------------------------------------------- build

export interface BuildOptions {
  sample: Sample;
  copies: number;
  /** The bench folder: events.sqlite and master.key go here. */
  dir: string;
  log: Log;
}

/** Copies needed for at least `events` events / `deals` deals out of this sample. */
export function copiesFor(sample: Sample, want: { events?: number; deals?: number }): number {
  const db = new Database(sample.eventsFile, { readonly: true });
  const rows = db.prepare('SELECT stream FROM events').all() as Array<{ stream: string }>;
  db.close();
  const shared = rows.filter((row) => isShared(row.stream)).length;
  const perCopy = rows.length - shared;
  const deals = sample.meta.streams['deal-'] ?? 0;
  let copies = 1;
  if (want.events !== undefined)
    copies = Math.max(copies, Math.ceil((want.events - shared) / perCopy));
  if (want.deals !== undefined) copies = Math.max(copies, Math.ceil(want.deals / deals));
  return copies;
}

/**
 * Builds (or reuses, when `dir` already holds the same sample × copies) the bench event store.
 */
export async function buildBenchStore(options: BuildOptions): Promise<BenchStore> {
  const { sample, copies, dir, log } = options;
  const eventsFile = join(dir, EVENTS_FILE);
  const masterKeyFile = join(dir, MASTER_KEY_FILE);
  const metaFile = join(dir, 'bench-store.json');
  if (existsSync(metaFile) && existsSync(eventsFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BenchStoreMeta;
    if (
      meta.format === BUILD_FORMAT &&
      meta.copies === copies &&
      meta.sample.seed === sample.meta.seed &&
      meta.sample.deals === sample.meta.deals &&
      meta.sample.until === sample.meta.until
    ) {
      log(`reusing the bench store in ${dir} (${meta.events} events, ${meta.deals} deals)`);
      return { dir, eventsFile, masterKeyFile, meta, built: false };
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const file of [eventsFile, `${eventsFile}-wal`, `${eventsFile}-shm`, metaFile]) {
    rmSync(file, { force: true });
  }
  copyFileSync(sample.masterKeyFile, masterKeyFile);

  const started = now();
  const source = new Database(sample.eventsFile, { readonly: true });
  const rows = source
    .prepare(
      'SELECT stream, revision, id, type, data, metadata, occurred_ms, recorded_at FROM events ORDER BY position',
    )
    .all() as SampleRow[];
  const keyRows = source
    .prepare(
      'SELECT subject_id, wrapped, created_at, erased_at, erased_by, request_ref FROM subject_keys',
    )
    .all() as Array<Record<string, unknown> & { subject_id: string }>;
  source.close();

  const keep = sharedIds(rows);
  const templates: RowTemplate[] = rows.map((row) => {
    const shared = isShared(row.stream);
    return {
      row,
      shared,
      stream: template(row.stream, keep, { suffix: !shared }),
      id: template(row.id, new Set()),
      data: template(row.data, keep),
      metadata: template(row.metadata, keep, { gen: true }),
    };
  });
  const masks = Array.from({ length: copies }, (_, copy) => copyMask(copy));

  // The store's own schema (events; subject_keys from the key store), then plain inserts.
  {
    const store = SqliteEventStore.open({ file: eventsFile, synchronous: 'NORMAL' });
    const keys = new SqliteSubjectKeyStore(
      store.sharedConnection(),
      loadMasterKey(undefined, masterKeyFile),
    );
    await keys.close();
    await store.close();
  }
  // A disposable file: no journal while it is written (checkpointing a WAL cost half the time),
  // WAL again at the end, as the store opens it.
  const db = new Database(eventsFile);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB: the unique indexes take random inserts
  createEventTables(db);
  const insert = db.prepare(
    `INSERT INTO events (stream, revision, id, type, data, metadata, occurred_ms, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let pending = 0;
  let written = 0;
  let sharedEvents = 0;
  let lastReport = now();
  const sharedRows = templates.filter((t) => t.shared).length;
  const total = sharedRows + (rows.length - sharedRows) * copies;
  db.exec('BEGIN');
  for (const t of templates) {
    const n = t.shared ? 1 : copies;
    if (t.shared) sharedEvents++;
    for (let copy = 0; copy < n; copy++) {
      const mask = masks[copy];
      insert.run(
        render(t.stream, copy, mask),
        t.row.revision,
        render(t.id, copy, mask),
        t.row.type,
        render(t.data, copy, mask),
        render(t.metadata, copy, mask),
        t.row.occurred_ms,
        t.row.recorded_at,
      );
      if (++pending >= INSERTS_PER_TRANSACTION) {
        db.exec('COMMIT');
        written += pending;
        pending = 0;
        if (since(lastReport) > 5e9) {
          lastReport = now();
          log(
            `building: ${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`,
          );
        }
        db.exec('BEGIN');
      }
    }
  }
  db.exec('COMMIT');
  written += pending;

  const insertKey = db.prepare(
    `INSERT INTO subject_keys (subject_id, wrapped, created_at, erased_at, erased_by, request_ref)
     VALUES (@subject_id, @wrapped, @created_at, @erased_at, @erased_by, @request_ref)`,
  );
  let subjectKeys = 0;
  db.transaction(() => {
    for (const key of keyRows) {
      const [kind, id] = [
        key.subject_id.slice(0, key.subject_id.indexOf(':')),
        key.subject_id.slice(key.subject_id.indexOf(':') + 1),
      ];
      const perCopy =
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) && !keep.has(id);
      for (let copy = 0; copy < (perCopy ? copies : 1); copy++) {
        insertKey.run({
          ...key,
          subject_id: copy === 0 ? key.subject_id : `${kind}:${mapUuid(id, masks[copy])}`,
        });
        subjectKeys++;
      }
    }
  })();
  db.pragma('journal_mode = WAL');
  const streams = countStreams(db);
  db.close();

  const meta: BenchStoreMeta = {
    format: BUILD_FORMAT,
    sample: {
      seed: sample.meta.seed,
      deals: sample.meta.deals,
      until: sample.meta.until,
      events: sample.meta.events,
    },
    copies,
    events: written,
    deals: streams['deal-'] ?? 0,
    streams,
    sharedEvents,
    subjectKeys,
    buildMs: Math.round(since(started) / 1e6),
    bytes: statSync(eventsFile).size,
  };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return { dir, eventsFile, masterKeyFile, meta, built: true };
}

/**
 * Opens the sealed fields of the last `count` events: proves the copied subject keys open the
 * copies' envelopes (a missing key throws). Returns how many envelopes it opened.
 */
export async function verifyPersonalData(store: BenchStore, count = 2000): Promise<number> {
  const events = SqliteEventStore.open({ file: store.eventsFile, synchronous: 'NORMAL' });
  const keys = new SqliteSubjectKeyStore(
    events.sharedConnection(),
    loadMasterKey(undefined, store.masterKeyFile),
  );
  const cipher = new PersonalDataCipher(keys, PERSONAL_FIELDS);
  try {
    const head = Number((await events.headPosition()) ?? 0);
    const after = String(Math.max(0, head - count)).padStart(20, '0');
    let opened = 0;
    for (const event of await events.readAll({ after })) {
      if (!event.data.$personal) continue;
      await cipher.open(event.data);
      opened++;
    }
    return opened;
  } finally {
    await keys.close();
    await events.close();
  }
}

/** A bench store built earlier (by this run's parent process, or kept with --keep). */
export function openBenchStore(dir: string): BenchStore {
  const metaFile = join(dir, 'bench-store.json');
  if (!existsSync(metaFile)) throw new Error(`${dir} holds no bench store (no bench-store.json)`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BenchStoreMeta;
  return {
    dir,
    eventsFile: join(dir, EVENTS_FILE),
    masterKeyFile: join(dir, MASTER_KEY_FILE),
    meta,
    built: false,
  };
}
