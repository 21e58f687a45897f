/**
 * The same answers as REPORT_QUERIES computed by folding every event: the "compute it from the
 * events" cost issue 6 compares each query's p99 with. Stage conversion folds by hand; the others
 * replay the projections the query reads over every stored event into a fresh in-memory read
 * store and run the same query once on it.
 */
import { ALL_PROJECTIONS } from '../projections/all-projections';
import type { Projection } from '../projections/projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { DocumentCache } from '../src/projection-runner/document-cache';
import { ProjectionBatch } from '../src/projection-runner/projection-batch';
import { physicalName } from '../src/projection-runner/read-models';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { SqliteReadStore } from '../src/read-store/sqlite/sqlite-read-store';
import {
  FoldBaseline,
  foldPeriod,
  QueryContext,
  REPORT_QUERIES,
  ReportQuery,
  StageCounts,
} from './report-queries';

const PAGE_SIZE = 5000;

/** DESIGN.md's definition, folded by hand from the raw events. */
const STAGE_CONVERSION_FOLD: FoldBaseline = {
  // DESIGN.md: the cohort is the deals opened in the period; per open stage, entered, and
  // advanced (after first entering it, entered a later open stage of the policy the move names,
  // or won); lost never counts; a reopened deal counts once per stage.
  name: 'stage conversion',
  async run(ctx) {
    const { from, to } = foldPeriod(ctx.until);
    const stageOrders = new Map<string, string[]>();
    const latest = new Map<string, string[]>();
    const deals = new Map<string, { entered: string[]; advanced: Set<string>; won: boolean }>();
    const counts: StageCounts = { opened: 0, won: 0, stages: {} };
    const stage = (key: string) => (counts.stages[key] ??= { entered: 0, advanced: 0 });
    let after: string | undefined;
    for (;;) {
      const page = await ctx.events.readAll({ after, maxCount: PAGE_SIZE });
      for (const event of page) {
        const data = event.data as Record<string, any>;
        if (event.type === 'PolicyVersionPublished' && String(data.id).startsWith('stages.')) {
          const keys = (data.body.openStages as Array<{ key: string }>).map((s) => s.key);
          stageOrders.set(`${data.id}@${data.version}`, keys);
          latest.set(data.id, keys);
        } else if (event.type === 'DealOpened') {
          const at = Date.parse(event.metadata.occurredAt);
          if (at < from.getTime() || at >= to.getTime()) continue;
          deals.set(data.dealId, { entered: [data.stage], advanced: new Set(), won: false });
          counts.opened++;
          stage(data.stage).entered++;
        } else if (event.type === 'DealStageChanged' || event.type === 'DealWon') {
          const deal = deals.get(event.streamName.slice('deal-'.length));
          if (!deal) continue;
          if (event.type === 'DealWon') {
            for (const s of deal.entered) {
              if (!deal.advanced.has(s)) {
                deal.advanced.add(s);
                stage(s).advanced++;
              }
            }
            if (!deal.won) {
              deal.won = true;
              counts.won++;
            }
            continue;
          }
          const ref = data.policy as { id: string; version: number } | undefined;
          const order =
            (ref && stageOrders.get(`${ref.id}@${ref.version}`)) ??
            latest.get(ref?.id ?? 'stages.default') ??
            [];
          const target = order.indexOf(data.to);
          for (const s of deal.entered) {
            const at = order.indexOf(s);
            if (!deal.advanced.has(s) && at >= 0 && target > at) {
              deal.advanced.add(s);
              stage(s).advanced++;
            }
          }
          if (!deal.entered.includes(data.to)) {
            deal.entered.push(data.to);
            stage(data.to).entered++;
          }
        }
      }
      if (page.length < PAGE_SIZE) return counts;
      after = page[page.length - 1].position;
    }
  },
};

/** Generation 0 of a fold's own store: the live read models are never touched. */
const foldNames = (projection: string) => (logical: string) => physicalName(projection, 0, logical);

/**
 * Replays each projection the query reads over every event it applies into a fresh in-memory
 * read store, then answers run 0 of the query from it.
 */
export function replayFold(query: ReportQuery): FoldBaseline {
  return {
    name: query.name,
    async run(ctx) {
      const store = SqliteReadStore.open({ file: ':memory:' });
      try {
        for (const name of query.projections) await replay(ctx, store, projectionNamed(name));
        return await query.run({ ...ctx, store, names: foldNames }, 0);
      } finally {
        await store.close();
      }
    },
  };
}

/** As a projection lane builds from scratch, in one batch and one commit: nothing is read back. */
async function replay(ctx: QueryContext, store: SqliteReadStore, projection: Projection) {
  const names = foldNames(projection.name);
  for (const spec of projection.collections) {
    await store.ensureCollection({ ...spec, name: names(spec.name) });
  }
  const preloaded = new Map<string, Map<string, ReadDocument>>(
    projection.collections.filter((spec) => spec.preload).map((spec) => [spec.name, new Map()]),
  );
  const complete = new DocumentCache(true, Number.MAX_SAFE_INTEGER);
  const batch = new ProjectionBatch(projection, names, preloaded, complete);
  const filter = { eventTypes: [...projection.eventTypes] };
  const opened = async (event: RecordedEvent): Promise<RecordedEvent> =>
    projection.personalData ? { ...event, data: await ctx.cipher.open(event.data) } : event;
  let after: string | undefined;
  for (;;) {
    const page = await ctx.events.readAll({ after, maxCount: PAGE_SIZE, filter });
    if (page.length === 0) break;
    await batch.load(store, page);
    for (const event of page) batch.apply(await opened(event));
    after = page[page.length - 1].position;
  }
  await store.commit(batch.drain());
}

function projectionNamed(name: string): Projection {
  const projection = ALL_PROJECTIONS.find((p) => p.name === name);
  if (!projection) throw new Error(`no projection named ${name} in ALL_PROJECTIONS`);
  return projection;
}

export const FOLD_BASELINES: FoldBaseline[] = [
  STAGE_CONVERSION_FOLD,
  ...REPORT_QUERIES.filter((query) => query.foldByReplay).map(replayFold),
];
