import {
  CONTACT_PROBLEMS,
  EVERYONE,
  QUALITY_COUNTERS,
  QUALITY_RECORDS,
  QualityCounter,
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
 * Live records per type, records missing each required field, contacts (and inquirers) that
 * cannot be reached, and records not updated in N days. Reads the counters (a few dozen documents
 * per owner) and one indexed count per record type; never the records themselves.
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
  for (const type of STALE_TYPES) {
    stale.set(
      type,
      await store.count(names(QUALITY_RECORDS), {
        type,
        live: true,
        ...(query.owners ? { owner: { in: query.owners } } : {}),
        lastUpdatedAt: { lt: cutoff },
      }),
    );
  }
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
