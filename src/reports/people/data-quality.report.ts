import {
  CONTACT_PROBLEMS,
  EVERYONE,
  QUALITY_COUNTERS,
  QUALITY_RECORDS,
  QUALITY_UPDATED,
  QualityCounter,
  QualityUpdated,
  RecordType,
  REQUIRED_FIELDS,
} from '../../../projections/data-quality.projection';
import { ReadStore } from '../../read-store/read-store.port';
import type { ReportRow } from '../report-response';
import { ratio } from './distribution';
import { CollectionNames } from './report-groups';

const STALE_TYPES: RecordType[] = ['account', 'lead', 'deal'];
const TYPES: RecordType[] = ['account', 'contact', 'lead', 'deal'];

export interface DataQualityQuery {
  /** The owners whose records count; undefined for everyone. */
  owners?: string[];
  /** "Not updated in N days": lastUpdatedAt before now − N days. */
  staleDays: number;
  now: Date;
}

/**
 * Live records of a type not updated since the cutoff: the `updated` buckets of the months before
 * the cutoff's month, plus the records of that month last updated before the cutoff.
 */
async function notUpdatedSince(
  store: ReadStore,
  names: CollectionNames,
  type: RecordType,
  owners: string[] | undefined,
  cutoff: string,
): Promise<number> {
  const month = cutoff.slice(0, 7);
  const owner = owners ? { in: owners } : EVERYONE;
  const [buckets, ofTheMonth] = await Promise.all([
    store.find(names(QUALITY_UPDATED), {
      where: { type, owner, month: { lt: month } },
    }) as Promise<QualityUpdated[]>,
    store.count(names(QUALITY_RECORDS), {
      type,
      live: true,
      ...(owners ? { owner: { in: owners } } : {}),
      lastUpdatedAt: { gte: `${month}-01T00:00:00.000Z`, lt: cutoff },
    }),
  ]);
  return buckets.reduce((sum, bucket) => sum + bucket.count, ofTheMonth);
}

/**
 * Live records per type, records missing each required field, contacts (and inquirers) that
 * cannot be reached, and records not updated in N days. Reads the counters (a few dozen documents
 * per owner), the `updated` month buckets, and the records of one month by index.
 */
export async function dataQuality(
  store: ReadStore,
  names: CollectionNames,
  query: DataQualityQuery,
): Promise<ReportRow[]> {
  const counters = (await store.find(names(QUALITY_COUNTERS), {
    where: { owner: query.owners ? { in: query.owners } : EVERYONE },
  })) as QualityCounter[];
  const count = new Map<string, number>();
  for (const counter of counters) {
    const key = `${counter.type}|${counter.kind}|${counter.field}`;
    count.set(key, (count.get(key) ?? 0) + counter.count);
  }
  const cutoff = new Date(query.now.getTime() - query.staleDays * 86_400_000).toISOString();
  const stale = new Map<RecordType, number>();
  for (const type of STALE_TYPES)
    stale.set(type, await notUpdatedSince(store, names, type, query.owners, cutoff));
  const rows: ReportRow[] = [];
  for (const type of TYPES) {
    const records = count.get(`${type}|records|`) ?? 0;
    const row = (measure: string, field: string | null, value: number): ReportRow => ({
      recordType: type,
      measure,
      field,
      count: value,
      share: ratio(value, records),
    });
    rows.push({ recordType: type, measure: 'records', field: null, count: records, share: null });
    for (const field of REQUIRED_FIELDS[type]) {
      rows.push(row('missing', field, count.get(`${type}|missing|${field}`) ?? 0));
    }
    if (type === 'contact' || type === 'lead') {
      for (const problem of CONTACT_PROBLEMS) {
        rows.push(row('invalid_contact', problem, count.get(`${type}|problem|${problem}`) ?? 0));
      }
      rows.push(row('unreachable', null, count.get(`${type}|unreachable|`) ?? 0));
    }
    if (stale.has(type)) rows.push(row('not_updated', `${query.staleDays}d`, stale.get(type)!));
  }
  return rows;
}
