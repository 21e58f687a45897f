import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { CommandOutcome } from '../../src/commands/command-envelope';
import { ExecuteDomainCommand } from '../../src/commands/execute-domain-command';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

interface Stage {
  key: string;
  entryRequirements: string[];
}

describe('policies through HTTP', () => {
  let running: RunningApp;
  let rep: ReturnType<typeof httpClient>;
  let ops: ReturnType<typeof httpClient>;

  const dealCommand = (dealId: string, type: string, data: object): Promise<CommandOutcome> =>
    running.app
      .get(CommandBus)
      .execute(
        new ExecuteDomainCommand(
          'deal',
          dealId,
          { type, data },
          { commandId: uuidv7(), actor: { userId: 'u-rep-1', role: 'rep' } },
        ),
      );
  const openDeal = (dealId: string) =>
    dealCommand(dealId, 'OpenDeal', {
      dealId,
      accountId: uuidv7(),
      title: 'DN50 ball valves 2,000 pcs',
      ownerId: 'u-rep-1',
      channel: 'alibaba',
      country: 'AE',
      productLine: 'valves',
      currency: 'USD',
      amount: { minor: 1_850_000, currency: 'USD' },
    });

  beforeAll(async () => {
    running = await startApp();
    rep = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
    ops = rep.as({ id: 'u-ops-1', role: 'operations' });
  });
  afterAll(() => running.stop());

  it('lists every policy in force, each version, and a version by number', async () => {
    const list = await ops.get('/api/policies');
    expect(list.status).toBe(200);
    const ids = list.body.map((p: { id: string }) => p.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(
      expect.arrayContaining(['fx.default', 'loss-reasons.default', 'stages.default']),
    );
    const stages = await ops.get('/api/policies/stages.default');
    expect(stages.headers.get('etag')).toBe('"1"');
    expect(stages.body).toMatchObject({
      id: 'stages.default',
      version: 1,
      publishedBy: { userId: 'system', role: 'system' },
      body: { id: 'stages.default', version: 1 },
    });
    expect(Date.parse(stages.body.publishedAt)).not.toBeNaN();
    expect((await ops.get('/api/policies/stages.default/versions')).body).toEqual([stages.body]);
    expect((await ops.get('/api/policies/stages.default/versions/1')).body).toEqual(stages.body);
  });

  it('answers 404 for an unknown policy or version, and 400 for a malformed version', async () => {
    for (const path of ['/api/policies/scoring.nope', '/api/policies/scoring.nope/versions']) {
      expect((await ops.get(path)).body).toMatchObject({ status: 404, code: 'policy.not_found' });
    }
    expect((await ops.get('/api/policies/stages.default/versions/99')).body).toMatchObject({
      status: 404,
      code: 'policy.version.not_found',
      field: 'version',
    });
    expect((await ops.get('/api/policies/stages.default/versions/two')).body).toMatchObject({
      status: 400,
      field: 'version',
    });
    expect(
      await ops.put('/api/policies/scoring.nope', { weights: {} }, { 'if-match': '"1"' }),
    ).toMatchObject({ status: 404, body: { code: 'policy.not_found' } });
  });

  it('lets only operations, managers and admins publish', async () => {
    const body = (await ops.get('/api/policies/loss-reasons.default')).body.body;
    for (const role of ['rep', 'team_lead', 'analyst']) {
      const refused = await rep
        .as({ id: `u-${role}-1`, role })
        .put('/api/policies/loss-reasons.default', body, { 'if-match': '"1"' });
      expect(refused).toMatchObject({ status: 403, body: { code: 'auth.forbidden' } });
    }
    const anonymous = await httpClient(running.baseUrl).put(
      '/api/policies/loss-reasons.default',
      body,
      { 'if-match': '"1"' },
    );
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'auth.unauthenticated' } });
    const managed = await rep
      .as({ id: 'u-mgr-1', role: 'manager' })
      .put('/api/policies/loss-reasons.default', body, { 'if-match': '"1"' });
    expect(managed).toMatchObject({
      status: 200,
      body: { version: 2, publishedBy: { userId: 'u-mgr-1', role: 'manager' } },
    });
    const byAdmin = await rep
      .as({ id: 'u-admin-1', role: 'admin' })
      .put('/api/policies/loss-reasons.default', body, { 'if-match': '"2"' });
    expect(byAdmin).toMatchObject({ status: 200, body: { version: 3 } });
  });

  it('refuses an invalid body naming each key and problem, and writes nothing', async () => {
    const policy = (await ops.get('/api/policies/stages.default')).body.body;
    const broken = {
      ...policy,
      openStages: policy.openStages.map((stage: Stage, index: number) =>
        index === 0 ? { ...stage, probability: 1.5, entryRequirements: ['horoscope'] } : stage,
      ),
      colour: 'blue',
    };
    const response = await ops.put('/api/policies/stages.default', broken, { 'if-match': '"1"' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('policy.invalid');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([
        'openStages.0.probability',
        'openStages.0.entryRequirements',
        'colour',
      ]),
    );
    expect(await ops.put('/api/policies/stages.default', policy)).toMatchObject({
      status: 400,
      body: { field: 'If-Match', errors: [{ code: 'validation.if_match_required' }] },
    });
    expect(
      await ops.put(
        '/api/policies/stages.default',
        { ...policy, id: 'stages.other' },
        {
          'if-match': '"1"',
        },
      ),
    ).toMatchObject({ status: 400, body: { field: 'id' } });
    expect((await ops.get('/api/policies/stages.default')).body.version).toBe(1);
  });

  it('a new stage-policy version changes what a deal needs, and the deal names that version', async () => {
    const dealId = uuidv7();
    await openDeal(dealId);
    await expect(dealCommand(dealId, 'ChangeStage', { to: 'proposal' })).rejects.toMatchObject({
      code: 'deal.stage.requirement_missing',
      message: expect.stringMatching(/Incoterm/),
    });

    const current = await ops.get('/api/policies/stages.default');
    const body = {
      ...current.body.body,
      openStages: current.body.body.openStages.map((stage: Stage) =>
        stage.key === 'proposal' ? { ...stage, entryRequirements: ['amount'] } : stage,
      ),
    };
    const published = await ops.put('/api/policies/stages.default', body, {
      'if-match': current.headers.get('etag') ?? '',
    });
    expect(published.status).toBe(200);
    expect(published.headers.get('etag')).toBe('"2"');
    expect(published.body).toMatchObject({
      id: 'stages.default',
      version: 2,
      publishedBy: { userId: 'u-ops-1', role: 'operations' },
      body: { version: 2 },
    });
    expect(
      (await ops.get('/api/policies/stages.default/versions')).body.map(
        (v: { version: number }) => v.version,
      ),
    ).toEqual([1, 2]);

    const moved = await dealCommand(dealId, 'ChangeStage', { to: 'proposal' });
    expect(moved.events).toEqual([
      expect.objectContaining({
        type: 'DealStageChanged',
        data: expect.objectContaining({
          to: 'proposal',
          policy: { id: 'stages.default', version: 2 },
        }),
      }),
    ]);
  });

  it('answers 409 with the current version when a colleague published first; * overwrites', async () => {
    const current = await ops.get('/api/policies/fx.default');
    const body = { ...current.body.body };
    const first = await ops.put('/api/policies/fx.default?note=Monthly%20rates', body, {
      'if-match': '"1"',
    });
    expect(first.body).toMatchObject({ version: 2, note: 'Monthly rates' });
    const stale = await ops.put('/api/policies/fx.default', body, { 'if-match': '"1"' });
    expect(stale).toMatchObject({
      status: 409,
      body: { code: 'concurrency.conflict', currentRevision: 2 },
    });
    const inQuery = await ops.put('/api/policies/fx.default?expectedVersion=1', body);
    const inBody = await ops.put('/api/policies/fx.default', { ...body, expectedVersion: 1 });
    for (const guarded of [inQuery, inBody]) {
      expect(guarded.body).toMatchObject({ status: 409, currentRevision: 2 });
    }
    const overwrite = await ops.put('/api/policies/fx.default', body, { 'if-match': '*' });
    expect(overwrite.body).toMatchObject({ version: 3 });
    const history = await ops.get('/api/policies/fx.default/versions');
    expect(history.body.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
  });
});
