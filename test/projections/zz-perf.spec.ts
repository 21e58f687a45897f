import stagePolicy from '../../config/policies/stages.default.json';
import lossReasonPolicy from '../../config/policies/loss-reasons.default.json';
import fxPolicy from '../../config/policies/fx.default.json';
import { dwellTimeProjection } from '../../projections/dwell-time.projection';
import { stageConversionProjection } from '../../projections/stage-conversion.projection';
import { lossReasonsProjection } from '../../projections/loss-reasons.projection';
import { dealFactsProjection } from '../../projections/deal-facts.projection';
import { dwellTime } from '../../src/reports/deals/dwell-time.query';
import { stageConversion } from '../../src/reports/deals/stage-conversion.query';
import { lossReasons } from '../../src/reports/deals/loss-reasons.query';
import { selectionOf } from '../../src/reports/deals/deal-report-selection';
import { history, project, recorded } from '../support/projection-harness';

const N = Number(process.env.PERF_DEALS ?? 20000);
it('perf', async () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const stages = ['initial_contact', 'proposal', 'sample', 'negotiation'];
  const ev = [
    recorded('policy-stages.default', 'PolicyVersionPublished', { id: 'stages.default', version: 1, body: stagePolicy }, '2024-01-01T00:00:00.000Z'),
    recorded('policy-lr', 'PolicyVersionPublished', { id: 'loss-reasons.default', version: 1, body: lossReasonPolicy }, '2024-01-01T00:00:00.000Z'),
    recorded('policy-fx', 'PolicyVersionPublished', { id: 'fx.default', version: 1, body: fxPolicy }, '2024-01-01T00:00:00.000Z'),
  ];
  for (let u = 0; u < 8; u++) ev.push(recorded(`user-u${u}`, 'UserRegistered', { userId: `u${u}`, teamId: `t${u % 4}` }, '2024-01-01T00:00:00.000Z'));
  const start = Date.parse('2024-06-01T00:00:00Z');
  for (let i = 0; i < N; i++) {
    let t = start + Math.floor(rnd() * 700 * 86400) * 1000;
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
  const events = history(process.env.SORTED ? [...ev].sort((a, b) => (a.metadata.occurredAt < b.metadata.occurredAt ? -1 : a.metadata.occurredAt > b.metadata.occurredAt ? 1 : 0)) : ev);
  console.log('events', events.length);
  const period = { from: new Date('2025-05-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z'), tz: 'UTC' };
  for (const [p, q] of [
    [dwellTimeProjection, (m: any, sel: any) => dwellTime(m.store, m.name, period, sel, new Date('2026-05-01T00:00:00Z'))],
    [stageConversionProjection, (m: any, sel: any) => stageConversion(m.store, m.name, period, sel)],
    [lossReasonsProjection, (m: any, sel: any) => lossReasons(m.store, m.name, period, sel)],
    [dealFactsProjection, null],
  ].filter(([p]) => !process.env.ONLY || (p as any).name === process.env.ONLY)) {
    const t0 = Date.now();
    const m = await project(p as any, events, 1000);
    const t1 = Date.now();
    let line = `${(p as any).name}: build ${t1 - t0} ms (${Math.round(events.length / ((t1 - t0) / 1000))} ev/s)`;
    if (q) {
      for (const [label, sel] of [['all', {}], ['owner', selectionOf({}, 'owner')], ['month', selectionOf({}, 'month')], ['tz', {}]] as const) {
        const times: number[] = [];
        const per = label === 'tz' ? { ...period, from: new Date('2025-04-30T18:30:00Z'), to: new Date('2026-04-30T18:30:00Z'), tz: 'Asia/Kolkata' } : period;
        for (let k = 0; k < 20; k++) {
          const a = performance.now();
          await (label === 'tz' ? (q as any)(m, sel) : (q as any)(m, sel));
          times.push(performance.now() - a);
        }
        times.sort((x, y) => x - y);
        line += ` | ${label} p50 ${times[10].toFixed(1)} max ${times[19].toFixed(1)}`;
        void per;
      }
    }
    console.log(line);
    await m.close();
  }
}, 600000);
