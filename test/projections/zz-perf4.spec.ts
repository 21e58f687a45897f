import { SqliteReadStore } from '../../src/read-store/sqlite/sqlite-read-store';
import { dwellTimeProjection } from '../../projections/dwell-time.projection';
it('finds', async () => {
  const store = await SqliteReadStore.open({ file: '/tmp/perf-100000.db' });
  const name = (c: string) => `dwell-time_test_${c}`;
  for (const spec of dwellTimeProjection.collections) await store.ensureCollection({ ...spec, name: name(spec.name) });
  const time = async (label: string, fn: () => Promise<unknown>) => {
    const t: number[] = [];
    let r: unknown;
    for (let i = 0; i < 50; i++) { const a = performance.now(); r = await fn(); t.push(performance.now() - a); }
    t.sort((a, b) => a - b);
    console.log(label, t[25].toFixed(2), 'ms', Array.isArray(r) ? r.length : r);
  };
  await time('open stays stage=proposal', () => store.find(name('open_stays'), { where: { stage: 'proposal' } }));
  await time('count stage=proposal age', () => store.count(name('open_stays'), { stage: 'proposal', enteredAt: { gte: '2026-04-01T00:00:00.000Z' } }));
  await time('values owner u1 proposal', () => store.find(name('dwell_values'), { where: { dim: 'owner', value: 'u1', level: 'month', stage: 'proposal', bin: { in: [70, 71, 72] }, start: { gte: '2025-05-01T00:00:00.000Z', lt: '2026-05-01T00:00:00.000Z' } } }));
  await time('dwell buckets owner month', () => store.find(name('dwell'), { where: { dim: 'owner', level: 'month', start: { gte: '2025-05-01T00:00:00.000Z', lt: '2026-05-01T00:00:00.000Z' } } }));
  await store.close();
});
