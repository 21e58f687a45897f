import Database from 'better-sqlite3';
import { join } from 'node:path';
import { PROJECTION_REGISTRY } from '../../../src/projection-runner/projection-runner';
import { RunnerFixture, tallied, tallyProjection } from './runner-fixture';

const eventually = async (check: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('projection runner', () => {
  let fixture: RunnerFixture;

  beforeEach(() => {
    fixture = new RunnerFixture();
  });
  afterEach(async () => {
    await fixture.close().catch(() => undefined);
    fixture.remove();
  });

  it('builds a new projection from history, then follows live appends; reads wait for a position', async () => {
    await fixture.open([]);
    await fixture.append('acct-a', tallied(), tallied(), tallied());
    await fixture.close();

    await fixture.open([tallyProjection()]);
    await eventually(async () => fixture.readModels.isLive('tally'));
    expect(await fixture.count('acct-a')).toBe(3);

    const position = await fixture.append('acct-a', tallied());
    expect(await fixture.runner.waitFor(position, 5000)).toBe(true);
    expect(await fixture.count('acct-a')).toBe(4);
  });

  it('resumes at its checkpoint after a restart, counting nothing twice', async () => {
    await fixture.open([tallyProjection()]);
    await fixture.runner.waitFor(await fixture.append('acct-a', tallied(), tallied()), 5000);
    await fixture.close();
    await fixture.open([]);
    await fixture.append('acct-a', tallied(), tallied(), tallied());
    await fixture.close();

    await fixture.open([tallyProjection()]);
    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 5000)).toBe(true);
    expect(await fixture.count('acct-a')).toBe(5);
  });

  it('goes on from the head it has seen, so rare events do not make it rescan the log', async () => {
    await fixture.open([tallyProjection()]);
    const tallyAt = await fixture.append('acct-a', tallied());
    expect(await fixture.runner.waitFor(tallyAt, 5000)).toBe(true);
    const other = { ...tallied(), type: 'SomethingElse' };
    let head = tallyAt;
    for (let i = 0; i < 5; i += 1) head = await fixture.append(`other-${i}`, other);

    await fixture.append('acct-a', tallied());
    head = await fixture.append('other-last', other);
    await eventually(async () => fixture.runner.lane('tally', 'live')?.checkpoint === head);
    expect(await fixture.count('acct-a')).toBe(2);
    // The moved checkpoint is stored with the next commit; a restart counts nothing twice.
    await fixture.close();
    await fixture.open([tallyProjection()]);
    expect(await fixture.runner.waitFor(head, 5000)).toBe(true);
    expect(await fixture.count('acct-a')).toBe(2);
  });

  it('stops on an event it cannot apply, shows where and why, and never skips it', async () => {
    await fixture.open([tallyProjection()]);
    await fixture.append('acct-a', tallied());
    const poisoned = await fixture.append('acct-b', tallied('poison'));
    const after = await fixture.append('acct-c', tallied());

    await eventually(async () => fixture.runner.lane('tally', 'live')?.state === 'failed');
    const { projections } = await fixture.runner.status();
    expect(projections[0]).toMatchObject({
      name: 'tally',
      state: 'failed',
      failure: { position: poisoned, eventType: 'Tallied', message: 'cannot tally poison' },
    });
    expect(projections[0].behind).toBeGreaterThanOrEqual(2);
    expect(await fixture.runner.waitFor(after, 200)).toBe(false);
    expect(await fixture.count('acct-c')).toBeUndefined();
  });

  it('after a fix, a retry resumes at the failed event', async () => {
    await fixture.open([tallyProjection()]);
    await fixture.append('acct-b', tallied('poison'));
    await eventually(async () => fixture.runner.lane('tally', 'live')?.state === 'failed');
    await fixture.close();

    // The fixed definition treats the event as ordinary; same version, so no rebuild.
    await fixture.open([tallyProjection(1, 'never')]);
    const head = (await fixture.events.headPosition())!;
    expect(await fixture.runner.waitFor(head, 5000)).toBe(true);
    expect(await fixture.count('acct-b')).toBe(1);
  });

  it('rebuilds beside the live generation and switches readers only when caught up', async () => {
    await fixture.open([tallyProjection()]);
    await fixture.runner.waitFor(
      await fixture.append('acct-a', tallied(), tallied(), tallied()),
      5000,
    );
    const before = fixture.readModels.collection('tally', 'streams');

    const { generation } = await fixture.runner.rebuild('tally');
    expect(generation).toBe(2);
    await expect(fixture.runner.rebuild('tally')).rejects.toThrow(/already being rebuilt/);
    await eventually(async () => fixture.readModels.collection('tally', 'streams') !== before);
    expect(await fixture.count('acct-a')).toBe(3);
  });

  it("a build generation's indexes are built once it has caught up, before readers switch to it", async () => {
    await fixture.open([tallyProjection()]);
    await fixture.runner.waitFor(await fixture.append('acct-a', tallied(), tallied()), 5000);
    await fixture.runner.rebuild('tally');
    await eventually(
      async () => fixture.readModels.collection('tally', 'streams') === 'tally_g2_streams',
    );
    const db = new Database(join(fixture.dir, 'readmodels.sqlite'), { readonly: true });
    try {
      const index = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?")
        .get('docs[tally_g2_streams](count)');
      expect(index).toBeDefined();
      const deferred = db.prepare('SELECT name FROM read_store_deferred').all();
      expect(deferred).toEqual([]);
    } finally {
      db.close();
    }
    expect(await fixture.store.find('tally_g2_streams', { where: { count: 2 } })).toEqual([
      expect.objectContaining({ id: 'a', count: 2 }),
    ]);
  });

  it('forgets a projection no longer defined: its collections, checkpoint and registry entry', async () => {
    await fixture.open([tallyProjection()]);
    await fixture.runner.waitFor(await fixture.append('acct-a', tallied(), tallied()), 5000);
    await expect(fixture.runner.forget('tally')).rejects.toMatchObject({
      code: 'projection.still_defined',
    });
    await fixture.close();

    await fixture.open([]);
    await expect(fixture.runner.forget('nothing-here')).rejects.toMatchObject({
      code: 'projection.not_found',
    });
    expect(await fixture.runner.forget('tally')).toEqual({ dropped: ['tally_g1_streams'] });
    expect(await fixture.store.checkpoint('tally@g1')).toBeUndefined();
    expect(await fixture.store.get(PROJECTION_REGISTRY, 'tally')).toBeUndefined();
    const db = new Database(join(fixture.dir, 'readmodels.sqlite'), { readonly: true });
    try {
      const left = db
        .prepare("SELECT name FROM sqlite_master WHERE name LIKE '%tally_g1_streams%'")
        .all();
      expect(left).toEqual([]);
    } finally {
      db.close();
    }
    await fixture.close();

    // Defined again later, it is built afresh from the whole log.
    await fixture.open([tallyProjection()]);
    await eventually(async () => fixture.readModels.isLive('tally'));
    expect(await fixture.count('acct-a')).toBe(2);
  });

  it('a changed definition builds a new generation while the old one keeps serving reads', async () => {
    await fixture.open([tallyProjection(1)]);
    await fixture.runner.waitFor(await fixture.append('acct-a', tallied(), tallied()), 5000);
    await fixture.close();

    await fixture.open([tallyProjection(10)]);
    // Until the new build has caught up, readers see generation 1's complete model.
    const seen = await fixture.count('acct-a');
    expect([2, 20]).toContain(seen);
    await eventually(async () => (await fixture.count('acct-a')) === 20);
    expect(fixture.readModels.collection('tally', 'streams')).toBe('tally_g2_streams');
  });

  it('two instances on one store: only the lease holder projects, and nothing is counted twice', async () => {
    await fixture.open([tallyProjection()], 'instance-1');
    const second = new RunnerFixture();
    Object.assign(second, { dir: fixture.dir });
    await second.open([tallyProjection()], 'instance-2');
    try {
      let position = '';
      for (let i = 0; i < 10; i += 1) position = await fixture.append('acct-a', tallied());
      await eventually(async () => (await fixture.count('acct-a').catch(() => undefined)) === 10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await fixture.count('acct-a')).toBe(10);
      const laneOf = (f: RunnerFixture) =>
        f.runner.lane('tally', 'live') ?? f.runner.lane('tally', 'building');
      const states = [laneOf(fixture)?.state, laneOf(second)?.state];
      expect(states).toContain('waiting_for_lease');
      expect(position).toBeDefined();
    } finally {
      await second.close();
    }
  });
});
