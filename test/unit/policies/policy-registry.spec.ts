import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { PolicyRegistry } from '../../../src/policies/policy-registry';
import { StagePolicy } from '../../../domain/policies/stage-policy';

const CONFIG = join(__dirname, '../../../config/policies');
const ops = { userId: 'u-ops', role: 'operations' };

describe('policy registry', () => {
  let dir: string;
  let store: SqliteEventStore;
  let now: Date;
  const clock = { now: () => now };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tradeflow-policy-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    now = new Date('2026-01-10T00:00:00Z');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the default policies once, as events recorded by the system', async () => {
    const registry = new PolicyRegistry(store, clock);
    await registry.load();
    expect(await registry.seed(CONFIG)).toEqual(
      expect.arrayContaining([
        'automation.default',
        'channel-costs.default',
        'fx.default',
        'loss-reasons.default',
        'scoring.default',
        'sla.default',
        'stages.default',
      ]),
    );
    const again = new PolicyRegistry(store, clock);
    await again.load();
    expect(await again.seed(CONFIG)).toEqual([]);
    const stages = again.current<StagePolicy>('stages.default');
    expect(stages.openStages.map((stage) => stage.key)).toEqual([
      'initial_contact',
      'proposal',
      'sample',
      'negotiation',
    ]);
    const [event] = await store.readStream('policy-stages.default');
    expect(event.metadata).toMatchObject({
      actor: { userId: 'system' },
      cause: { kind: 'system' },
    });
  });

  it('publishes a new version recording who and when, and keeps the old one in force before', async () => {
    const registry = new PolicyRegistry(store, clock);
    await registry.load();
    await registry.seed(CONFIG);
    const v1 = registry.current<StagePolicy>('stages.default');
    now = new Date('2026-02-01T00:00:00Z');
    const body = structuredClone(v1);
    body.openStages[1].probability = 0.35;
    const v2 = await registry.publish('stages.default', body, ops, {
      expectedVersion: 1,
      note: 'Q1 review',
    });
    expect(v2).toMatchObject({
      version: 2,
      publishedBy: ops,
      publishedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(registry.inForceAt('stages.default', '2026-01-20T00:00:00Z')?.version).toBe(1);
    expect(registry.inForceAt('stages.default', '2026-02-02T00:00:00Z')?.version).toBe(2);
    await expect(
      registry.publish('stages.default', body, ops, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', actualRevision: 2 });
    const reloaded = new PolicyRegistry(store, clock);
    await reloaded.load();
    expect(reloaded.current<StagePolicy>('stages.default').openStages[1].probability).toBe(0.35);
  });

  it('refuses an invalid change naming each key and problem, and stores nothing', async () => {
    const registry = new PolicyRegistry(store, clock);
    await registry.load();
    await registry.seed(CONFIG);
    const body = structuredClone(registry.current<StagePolicy>('stages.default'));
    (body.openStages[0] as unknown as Record<string, unknown>).probability = 1.5;
    (body.openStages[1] as unknown as Record<string, unknown>).stalAfterDays = 3;
    const failure = await registry.publish('stages.default', body, ops).catch((e) => e);
    expect(failure).toMatchObject({ name: 'InvalidPolicyError', code: 'policy.invalid' });
    expect(failure.problems).toEqual(
      expect.arrayContaining([
        { key: 'openStages.0.probability', problem: expect.stringMatching(/1/) },
        { key: 'openStages.1.stalAfterDays', problem: expect.stringMatching(/should not exist/) },
      ]),
    );
    expect(await store.readStream('policy-stages.default')).toHaveLength(1);
  });

  it('stops the start on a bad seed file, naming the file, the key and the problem', async () => {
    const config = join(dir, 'config');
    cpSync(CONFIG, config, { recursive: true });
    writeFileSync(
      join(config, 'loss-reasons.default.json'),
      JSON.stringify({
        id: 'loss-reasons.default',
        version: 1,
        reasons: [{ key: 'weather', label: { en: 'x', zh: 'y' }, subReasons: [] }],
      }),
    );
    writeFileSync(join(config, 'broken.json'), '{ "id": ');
    const registry = new PolicyRegistry(store, clock);
    await registry.load();
    await expect(registry.seed(config)).rejects.toThrow(/broken\.json: \(file\): /);
    rmSync(join(config, 'broken.json'));
    await expect(registry.seed(config)).rejects.toThrow(
      /loss-reasons\.default\.json: reasons\.0\.key: .*must be one of/,
    );
  });
});
