import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const inquiry = {
  channel: 'website_form',
  inquirer: { name: 'Lena Vogel', email: 'lena@vogel-armaturen.de', company: 'Vogel Armaturen' },
};
const MISSING = '0190a7e4-0000-7000-8000-000000000000';

describe('tasks through HTTP', () => {
  let running: RunningApp;
  let api: ReturnType<typeof httpClient>;
  let rep2: ReturnType<typeof httpClient>;
  let manager: ReturnType<typeof httpClient>;
  let leadId: string;
  const newTask = (changes: Record<string, unknown> = {}) => ({
    linkedTo: { kind: 'lead', id: leadId },
    title: 'Send the DN50 datasheet',
    dueAt: '2026-03-02T09:00:00+04:00',
    ...changes,
  });
  // Read as a manager: a task handed to someone else leaves the rep's scope.
  const types = async (taskId: string): Promise<string[]> =>
    (await manager.get(`/api/tasks/${taskId}/history`)).body.map((e: { type: string }) => e.type);

  beforeAll(async () => {
    running = await startApp();
    api = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep' });
    rep2 = api.as({ id: 'u-rep-2', role: 'rep' });
    manager = api.as({ id: 'u-mgr-1', role: 'manager' });
    leadId = (await api.post('/api/inquiries', inquiry)).body.id;
  });
  afterAll(() => running.stop());

  it('creates a task on a lead from a stage template, reassigns and completes it', async () => {
    const created = await api.post(
      '/api/tasks',
      newTask({ template: { stage: 'proposal', key: 'prepare_quote_version' } }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ revision: 0, events: ['TaskCreated'], replayed: false });
    const taskId = created.body.id;

    const task = await api.get(`/api/tasks/${taskId}`);
    expect(task.status).toBe(200);
    expect(task.headers.get('etag')).toBe('"0"');
    expect(task.body).toMatchObject({
      id: taskId,
      revision: 0,
      state: {
        taskId,
        status: 'open',
        title: 'Send the DN50 datasheet',
        linkedTo: { kind: 'lead', id: leadId },
        dueAt: '2026-03-02T05:00:00.000Z',
        assigneeId: 'u-rep-1',
        template: {
          policy: { id: 'stages.default', version: 1 },
          stage: 'proposal',
          key: 'prepare_quote_version',
        },
      },
    });

    const reassigned = await api.post(
      `/api/tasks/${taskId}/reassign`,
      { to: 'u-rep-2', reason: 'Holiday cover' },
      { 'if-match': '"0"' },
    );
    expect(reassigned).toMatchObject({
      status: 200,
      body: { events: ['TaskReassigned'], revision: 1 },
    });
    const completed = await rep2.post(`/api/tasks/${taskId}/complete`, { note: 'Sent by email' });
    expect(completed.body).toMatchObject({ events: ['TaskCompleted'], revision: 2 });
    // Handed over, the task left u-rep-1's scope.
    expect(await api.get(`/api/tasks/${taskId}`)).toMatchObject({
      status: 403,
      body: { code: 'auth.record_forbidden' },
    });

    const done = await rep2.get(`/api/tasks/${taskId}`);
    expect(done.headers.get('etag')).toBe('"2"');
    expect(done.body.state).toMatchObject({
      status: 'completed',
      assigneeId: 'u-rep-2',
      note: 'Sent by email',
    });
    const history = (await rep2.get(`/api/tasks/${taskId}/history`)).body;
    expect(history.map((entry: { type: string }) => entry.type)).toEqual([
      'TaskCreated',
      'TaskReassigned',
      'TaskCompleted',
    ]);
    expect(history[1]).toMatchObject({
      actor: { userId: 'u-rep-1', role: 'rep' },
      reason: 'Holiday cover',
      data: { from: 'u-rep-1', to: 'u-rep-2' },
    });
    expect(history[2].actor).toEqual({ userId: 'u-rep-2', role: 'rep' });
  });

  it('cancels a task with a reason, and refuses to complete it afterwards', async () => {
    // A rep creates tasks for themselves only; a manager sets one for a colleague.
    expect(await api.post('/api/tasks', newTask({ assignee: 'u-rep-3' }))).toMatchObject({
      status: 403,
      body: { code: 'auth.record_forbidden' },
    });
    const created = await manager.post('/api/tasks', newTask({ assignee: 'u-rep-3' }));
    expect(created.status).toBe(201);
    const taskId = created.body.id;
    const rep3 = api.as({ id: 'u-rep-3', role: 'rep' });
    const cancelled = await rep3.post(`/api/tasks/${taskId}/cancel`, {
      reason: 'Buyer went quiet',
    });
    expect(cancelled.body).toMatchObject({ events: ['TaskCancelled'], revision: 1 });
    const task = await rep3.get(`/api/tasks/${taskId}`);
    expect(task.body.state).toMatchObject({
      status: 'cancelled',
      assigneeId: 'u-rep-3',
      cancelReason: 'Buyer went quiet',
    });
    expect(await rep3.post(`/api/tasks/${taskId}/complete`, {})).toMatchObject({
      status: 422,
      body: { code: 'task.already_cancelled' },
    });
  });

  it('replays every write retried with the same Idempotency-Key and writes nothing twice', async () => {
    const key = { 'idempotency-key': 'task-create-0001' };
    const created = await api.post('/api/tasks', newTask(), key);
    const again = await api.post('/api/tasks', newTask(), key);
    expect(created.status).toBe(201);
    expect(again.body).toEqual({ ...created.body, replayed: true });
    const reused = await api.post('/api/tasks', newTask({ title: 'changed on retry' }), key);
    expect(reused.body).toMatchObject({ status: 422, code: 'command.idempotency_key_reused' });
    const taskId = created.body.id;

    const retried = async (
      client: typeof api,
      path: string,
      body: object,
      idempotencyKey: string,
    ) => {
      const headers = { 'idempotency-key': idempotencyKey };
      const first = await client.post(`/api/tasks/${taskId}/${path}`, body, headers);
      const second = await client.post(`/api/tasks/${taskId}/${path}`, body, headers);
      expect(first.body.replayed).toBe(false);
      expect(second.body).toEqual({ ...first.body, replayed: true });
    };
    await retried(
      api,
      'reassign',
      { to: 'u-rep-2', reason: 'Territory change' },
      'task-reassign-0001',
    );
    // The task is u-rep-2's now: they complete it.
    await retried(rep2, 'complete', {}, 'task-complete-0001');
    expect(await types(taskId)).toEqual(['TaskCreated', 'TaskReassigned', 'TaskCompleted']);

    const other = (await api.post('/api/tasks', newTask())).body.id;
    const headers = { 'idempotency-key': 'task-cancel-0001' };
    const first = await api.post(`/api/tasks/${other}/cancel`, { reason: 'Duplicate' }, headers);
    const second = await api.post(`/api/tasks/${other}/cancel`, { reason: 'Duplicate' }, headers);
    expect(second.body).toEqual({ ...first.body, replayed: true });
    expect(await types(other)).toEqual(['TaskCreated', 'TaskCancelled']);
  });

  it('answers bad input with problem+json naming each field and code', async () => {
    const response = await api.post('/api/tasks', {
      linkedTo: { kind: 'invoice', id: 'nope' },
      title: '',
      dueAt: '2026-03-02',
      template: { key: 'prepare_quote_version' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = response.body.errors.map(
      (e: { field: string; code: string }) => `${e.field}:${e.code}`,
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        'linkedTo.kind:validation.is_in',
        'linkedTo.id:validation.is_uuid',
        'title:validation.is_not_empty',
        'dueAt:validation.matches',
        'template.stage:validation.is_not_empty',
      ]),
    );
    const taskId = (await api.post('/api/tasks', newTask())).body.id;
    expect(await api.post(`/api/tasks/${taskId}/reassign`, { to: 'u-rep-2' })).toMatchObject({
      status: 400,
      body: { code: 'validation.failed', field: 'reason' },
    });
    expect(
      await api.post(`/api/tasks/${taskId}/reassign`, { to: 'u-rep-1', reason: 'x' }),
    ).toMatchObject({
      status: 422,
      body: { code: 'task.already_assignee', field: 'to' },
    });
  });

  it('refuses a task on a record or template that does not exist', async () => {
    expect(
      await api.post('/api/tasks', newTask({ linkedTo: { kind: 'deal', id: MISSING } })),
    ).toMatchObject({
      status: 422,
      body: { code: 'task.linked_record_unknown', field: 'linkedTo.id' },
    });
    expect(
      await api.post(
        '/api/tasks',
        newTask({ template: { stage: 'proposal', key: 'bake_a_cake' } }),
      ),
    ).toMatchObject({ status: 422, body: { code: 'task.template_unknown', field: 'template' } });
  });

  it('answers 404 for an unknown task and 400 for a malformed id', async () => {
    expect((await api.get(`/api/tasks/${MISSING}`)).body).toMatchObject({
      status: 404,
      code: 'task.not_found',
    });
    expect((await api.post(`/api/tasks/${MISSING}/complete`, {})).body).toMatchObject({
      status: 404,
      code: 'task.not_found',
    });
    expect((await api.get('/api/tasks/nope/history')).body).toMatchObject({
      status: 400,
      field: 'id',
    });
  });

  it('answers 409 with the current revision when the task moved on', async () => {
    const taskId = (await api.post('/api/tasks', newTask())).body.id;
    await api.post(`/api/tasks/${taskId}/reassign`, { to: 'u-rep-2', reason: 'Cover' });
    // u-rep-2, the assignee now, works from the copy read before the reassignment.
    const stale = await rep2.post(`/api/tasks/${taskId}/complete`, {}, { 'if-match': '"0"' });
    expect(stale).toMatchObject({
      status: 409,
      body: { code: 'concurrency.conflict', currentRevision: 1 },
    });
    const staleInBody = await rep2.post(`/api/tasks/${taskId}/cancel`, {
      reason: 'Not needed',
      expectedRevision: 0,
    });
    expect(staleInBody.body).toMatchObject({ status: 409, currentRevision: 1 });
    expect(await types(taskId)).toEqual(['TaskCreated', 'TaskReassigned']);
  });
});
