import { existsSync } from 'node:fs';
import stagePolicy from '../../config/policies/stages.default.json';
import lossReasonPolicy from '../../config/policies/loss-reasons.default.json';
import fxPolicy from '../../config/policies/fx.default.json';
import { dwellTimeProjection } from '../../projections/dwell-time.projection';
import { stageConversionProjection } from '../../projections/stage-conversion.projection';
import { lossReasonsProjection } from '../../projections/loss-reasons.projection';
import { dwellTime } from '../../src/reports/deals/dwell-time.query';
import { stageConversion } from '../../src/reports/deals/stage-conversion.query';
import { lossReasons } from '../../src/reports/deals/loss-reasons.query';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import { history, recorded } from '../support/projection-harness';
import { SqliteReadStore } from '../../src/read-store/sqlite/sqlite-read-store';
import { ProjectionBatch } from '../../src/projection-runner/projection-batch';

const N = Number(process.env.PERF_DEALS ?? 100000);
const FILE = `/tmp/perf-${N}.db`;
function events() {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const stages = ['initial_contact', 'proposal', 'sample', 'negotiation'];
  const ev = [
    recorded('policy-stages.default', 'PolicyVersionPublished', { id: 'stages.default', version: 1, body: stagePolicy }, '2023-01-01T00:00:00.000Z'),
    recorded('policy-lr', 'PolicyVersionPublished', { id: 'loss-reasons.default', version: 1, body: lossReasonPolicy }, '2023-01-01T00:00:00.000Z'),
    recorded('policy-fx', 'PolicyVersionPublished', { id: 'fx.default', version: 1, body: fxPolicy }, '2023-01-01T00:00:00.000Z'),
  ];
  for (let u = 0; u < 8; u++) ev.push(recorded(`user-u${u}`, 'UserRegistered', { userId: `u${u}`, teamId: `t${u % 4}` }, '2023-01-01T00:00:00.000Z'));
  const start = Date.parse('2023-06-01T00:00:00Z');
  for (let i = 0; i < N; i++) {
    let t = start + Math.floor(rnd() * 1060 * 86400) * 1000;
    const s = `deal-x${i}`;
    const at = () => new Date(t).toISOString();
    ev.push(recorded(s, 'DealOpened', { dealId: `x${i}`, ownerId: `u${i % 8}`, channel: 'alibaba', country: ['DE', 'AE', 'US', 'IN'][i % 4], productLine: 'p', currency: 'EUR', amount: { minor: 100000 + i, currency: 'EUR' }, stage: 'initial_contact', policy: { id: 'stages.default', version: 1 } }, at()));
    let cur = 0;
    const moves = 1 + Math.floor(rnd() * 5);
    for (let m = 0; m < moves; m++) {
      t += Math.floor(rnd() * 20 * 86400) * 1000;
      const to = Math.floor(rnd() * 4);
      if (to === cur) continue;
      ev.push(recorded(s, 'DealStageChanged', { from: stages[cur], to: stages[to], policy: { id: 'stages.default', version: 1 } }, at()));
      cur = to;
    }
    t += Math.floor(rnd() * 20 * 86400) * 1000;
    if (t > Date.parse('2026-05-01T00:00:00Z')) continue;
    if (rnd() < 0.4) ev.push(recorded(s, 'DealWon', { stage: stages[cur], amount: { minor: 1, currency: 'EUR' }, policy: { id: 'stages.default', version: 1 } }, at()));
    else ev.push(recorded(s, 'DealLost', { reasonCode: 'price.competitor_cheaper', reason: 'price', subReason: 'competitor_cheaper', stage: stages[cur] }, at()));
  }
  return history([...ev].sort((a, b) => (a.metadata.occurredAt < b.metadata.occurredAt ? -1 : a.metadata.occurredAt > b.metadata.occurredAt ? 1 : 0)));
}
const projections = [dwellTimeProjection, stageConversionProjection, lossReasonsProjection];
it('perf2', async () => {
  const fresh = !existsSync(FILE);
  const store = await SqliteReadStore.open({ file: FILE });
  if (fresh) {
    const all = events();
    console.log('events', all.length);
    for (const projection of projections) {
      const name = (c: string) => `${projection.name}_test_${c}`;
      for (const spec of projection.collections) await store.ensureCollection({ ...spec, name: name(spec.name) });
      const preloaded = new Map<string, Map<string, any>>();
      for (const spec of projection.collections.filter((c) => c.preload)) preloaded.set(spec.name, new Map());
      const relevant = all.filter((e) => projection.eventTypes.includes(e.type));
      const t0 = Date.now();
      for (let s = 0; s < relevant.length; s += 1000) {
        const slice = relevant.slice(s, s + 1000);
        const batch = new ProjectionBatch(projection, name, preloaded);
        await batch.load(store, slice);
        for (const e of slice) batch.apply(e);
        await store.commit(batch.drain());
      }
      console.log(projection.name, 'build', Date.now() - t0, 'ms', Math.round(relevant.length / ((Date.now() - t0) / 1000)), 'ev/s');
    }
  } else {
    for (const projection of projections) {
      const name = (c: string) => `${projection.name}_test_${c}`;
      for (const spec of projection.collections) await store.ensureCollection({ ...spec, name: name(spec.name) });
    }
  }
  const period = { from: new Date('2025-05-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z'), tz: 'UTC' };
  const kolkata = { from: new Date('2025-04-30T18:30:00Z'), to: new Date('2026-04-30T18:30:00Z'), tz: 'Asia/Kolkata' };
  const now = new Date('2026-05-01T00:00:00Z');
  const names = (p: string) => (c: string) => `${p}_test_${c}`;
  const queries: Record<string, (sel: any, per: any) => Promise<unknown>> = {
    dwell: (sel, per) => dwellTime(store, names('dwell-time'), per, sel, now),
    conversion: (sel, per) => stageConversion(store, names('stage-conversion'), per, sel),
    losses: (sel, per) => lossReasons(store, names('loss-reasons'), per, sel),
  };
  for (const [q, fn] of Object.entries(queries)) {
    if (process.env.ONLY && q !== process.env.ONLY) continue;
    let line = q;
    for (const [label, sel, per] of [['all', {}, period], ['owner', selectionOf({}, 'owner'), period], ['team', selectionOf({ team: 't1' }), period], ['month', selectionOf({}, 'month'), period], ['week', selectionOf({}, 'week'), period], ['kolkata', {}, kolkata]] as const) {
      const times: number[] = [];
      for (let k = 0; k < 30; k++) {
        const a = performance.now();
        await fn(sel, per);
        times.push(performance.now() - a);
      }
      times.sort((x, y) => x - y);
      line += ` | ${label} p50 ${times[15].toFixed(1)} p99 ${times[29].toFixed(1)}`;
    }
    console.log(line);
  }
  await store.close();
}, 1800000);
