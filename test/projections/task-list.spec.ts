import { history, project, ProjectedModel, recorded } from '../support/projection-harness';
import { TASKS, taskListProjection } from '../../projections/task-list.projection';
import { taskList } from '../../src/reports/accounts/task-list.query';
import { TaskListController } from '../../src/reports/accounts/task-list.controller';
import { RequestContext, runInRequestContext } from '../../src/http/request-context';
import type { DirectoryFeed } from '../../src/identity/directory-feed';
import type { ReadModels } from '../../src/projection-runner/read-models';

/**
 * Hand-computed: three reps, seven tasks; the clock says 2026-03-10T00:00Z.
 *
 * u1's open tasks by due time: T1 (03-01), T5 (03-02, reassigned from u2), T4 (03-05), T2 (03-20).
 * The first three are due before the clock: overdue. T3 (02-15) is completed, so it is not listed
 * (earliest due of all, so it would lead the list if "done" were not excluded).
 */
const U1 = '00000000-0000-7000-8000-000000000001';
const U2 = '00000000-0000-7000-8000-000000000002';
const U3 = '00000000-0000-7000-8000-000000000003';
const T = (n: number) => `00000000-0000-7000-8000-0000000000a${n}`;
const link = { kind: 'deal', id: '00000000-0000-7000-8000-0000000000d1' };

const created = (n: number, assigneeId: string, dueAt: string, at: string) =>
  recorded(
    `task-${T(n)}`,
    'TaskCreated',
    { taskId: T(n), linkedTo: link, title: `Task ${n}`, dueAt, assigneeId },
    at,
  );

const events = history([
  recorded(
    `user-${U1}`,
    'UserRegistered',
    { userId: U1, name: 'Ulla', email: 'u1@x.test', role: 'rep', teamId: 't1' },
    '2026-01-01T00:00:00Z',
  ),
  recorded(
    `user-${U2}`,
    'UserRegistered',
    { userId: U2, name: 'Udo', email: 'u2@x.test', role: 'rep', teamId: 't1' },
    '2026-01-01T00:00:00Z',
  ),
  recorded(
    `user-${U3}`,
    'UserRegistered',
    { userId: U3, name: 'Uwe', email: 'u3@x.test', role: 'rep', teamId: 't2' },
    '2026-01-01T00:00:00Z',
  ),
  created(1, U1, '2026-03-01T09:00:00Z', '2026-02-01T00:00:00Z'),
  created(2, U1, '2026-03-20T09:00:00Z', '2026-02-01T00:00:00Z'),
  created(3, U1, '2026-02-15T09:00:00Z', '2026-02-01T00:00:00Z'),
  recorded(`task-${T(3)}`, 'TaskCompleted', { taskId: T(3) }, '2026-02-14T00:00:00Z'),
  created(4, U1, '2026-03-05T09:00:00.000+01:00', '2026-02-02T00:00:00Z'),
  created(5, U2, '2026-03-02T09:00:00Z', '2026-02-02T00:00:00Z'),
  created(6, U3, '2026-03-03T09:00:00Z', '2026-02-02T00:00:00Z'),
  recorded(
    `task-${T(6)}`,
    'TaskCancelled',
    { taskId: T(6), reason: 'duplicate' },
    '2026-02-03T00:00:00Z',
  ),
  recorded(
    `task-${T(5)}`,
    'TaskReassigned',
    { taskId: T(5), from: U2, to: U1, reason: 'holiday' },
    '2026-02-04T00:00:00Z',
  ),
  recorded(
    `user-${U3}`,
    'UserMovedToTeam',
    { userId: U3, from: 't2', to: 't1' },
    '2026-02-05T00:00:00Z',
  ),
  created(7, U3, '2026-04-01T09:00:00Z', '2026-02-06T00:00:00Z'),
]);

const NOW = new Date('2026-03-10T00:00:00Z');

describe('task list projection', () => {
  let model: ProjectedModel;
  beforeAll(async () => {
    model = await project(taskListProjection, events);
  });
  afterAll(() => model.close());

  it('lists an assignee’s open tasks earliest due first, overdue ones leading, done ones left out', async () => {
    const list = await taskList(model.store, model.name, { assignees: [U1], now: NOW });
    expect(list.tasks.map((task) => [task.title, task.overdue])).toEqual([
      ['Task 1', true],
      ['Task 5', true],
      ['Task 4', true],
      ['Task 2', false],
    ]);
    expect(list.counts).toEqual({ total: 4, overdue: 3 });
    expect(list.truncated).toBe(false);
    // 09:00+01:00 is 08:00Z: dueAt is normalised to UTC so that string order is time order.
    expect(list.tasks[2].dueAt).toBe('2026-03-05T08:00:00.000Z');
  });

  it('files a task under the assignee’s team at assignment', async () => {
    expect((await model.get(TASKS, T(5)))?.teamId).toBe('t1');
    expect((await model.get(TASKS, T(6)))?.teamId).toBe('t2');
    // u3 moved to t1 before T7 was created.
    expect((await model.get(TASKS, T(7)))?.teamId).toBe('t1');
    expect(await model.get(TASKS, T(3))).toMatchObject({
      status: 'completed',
      closedAt: '2026-02-14T00:00:00.000Z',
    });
  });

  it('lists completed and cancelled tasks apart, never overdue', async () => {
    const done = await taskList(model.store, model.name, {
      assignees: [U1],
      status: 'completed',
      now: NOW,
    });
    expect(done.tasks.map((task) => [task.title, task.overdue])).toEqual([['Task 3', false]]);
    expect(done.counts).toEqual({ total: 1, overdue: 0 });
    const cancelled = await taskList(model.store, model.name, {
      assignees: [U3],
      status: 'cancelled',
      now: NOW,
    });
    expect(cancelled.tasks.map((task) => task.title)).toEqual(['Task 6']);
    expect(cancelled.counts).toEqual({ total: 1, overdue: 0 });
  });

  it('keeps the totals in counters: per status overall and per assignee, moved on reassign and close', async () => {
    const total = async (assignees: string[] | 'all', status: 'open' | 'completed' | 'cancelled') =>
      (await taskList(model.store, model.name, { assignees, status, now: NOW })).counts.total;
    // T5 moved from u2 to u1; T3 completed and T6 cancelled left the open counts.
    expect(await total([U1], 'open')).toBe(4);
    expect(await total([U2], 'open')).toBe(0);
    expect(await total([U3], 'open')).toBe(1);
    expect(await total('all', 'open')).toBe(5);
    expect(await total('all', 'completed')).toBe(1);
    expect(await total('all', 'cancelled')).toBe(1);
    expect(await total([U1, U3], 'cancelled')).toBe(1);
  });

  it('merges several assignees (a team) and everyone’s into one list by due time, with a limit', async () => {
    const team = await taskList(model.store, model.name, { assignees: [U1, U2, U3], now: NOW });
    expect(team.tasks.map((task) => task.title)).toEqual([
      'Task 1',
      'Task 5',
      'Task 4',
      'Task 2',
      'Task 7',
    ]);
    expect(team.counts).toEqual({ total: 5, overdue: 3 });
    const all = await taskList(model.store, model.name, { assignees: 'all', now: NOW, limit: 2 });
    expect(all.tasks.map((task) => task.title)).toEqual(['Task 1', 'Task 5']);
    expect(all.counts).toEqual({ total: 5, overdue: 3 });
    expect(all.truncated).toBe(true);
    // u2 has nothing left: T5 went to u1.
    expect((await taskList(model.store, model.name, { assignees: [U2], now: NOW })).tasks).toEqual(
      [],
    );
  });

  it('computes overdue from the clock at query time', async () => {
    const later = await taskList(model.store, model.name, {
      assignees: [U1],
      now: new Date('2026-03-21T00:00:00Z'),
    });
    expect(later.tasks.map((task) => task.overdue)).toEqual([true, true, true, true]);
    const earlier = await taskList(model.store, model.name, {
      assignees: [U1],
      now: new Date('2026-03-01T09:00:00Z'),
    });
    // Due exactly now is not yet overdue.
    expect(earlier.tasks.map((task) => task.overdue)).toEqual([false, false, false, false]);
  });
});

describe('task list route scope', () => {
  let model: ProjectedModel;
  let controller: TaskListController;
  beforeAll(async () => {
    model = await project(taskListProjection, events);
    const readModels = {
      store: model.store,
      collection: (_: string, logical: string) => model.name(logical),
    };
    const feed = {
      directory: { teamMembers: (team: string) => (team === 't1' ? [U1, U2] : [U3]) },
    };
    controller = new TaskListController(
      readModels as unknown as ReadModels,
      feed as unknown as DirectoryFeed,
      { now: () => NOW },
    );
  });
  afterAll(() => model.close());

  const as = <T>(
    role: string,
    userId: string,
    teamId: string | null,
    work: () => Promise<T>,
  ): Promise<T> =>
    runInRequestContext(
      {
        correlationId: 'c',
        actor: { userId, role },
        principal: { kind: 'user', tokenId: 't', userId, role, teamId },
        mayBackdate: false,
      } as unknown as RequestContext,
      work,
    );
  const titles = (list: { tasks: Array<{ title: string }> }) =>
    list.tasks.map((task) => task.title);

  it('gives a rep their own tasks and refuses anyone else’s', async () => {
    expect(titles(await as('rep', U1, 't1', () => controller.tasks({})))).toEqual([
      'Task 1',
      'Task 5',
      'Task 4',
      'Task 2',
    ]);
    await expect(
      as('rep', U2, 't1', () => controller.tasks({ assignee: U1 })),
    ).rejects.toMatchObject({
      code: 'auth.record_forbidden',
    });
  });

  it('gives a team lead their team’s tasks, and a manager anyone’s', async () => {
    const LEAD = '00000000-0000-7000-8000-0000000000f1';
    expect(titles(await as('team_lead', LEAD, 't2', () => controller.tasks({})))).toEqual([
      'Task 7',
    ]);
    await expect(
      as('team_lead', LEAD, 't2', () => controller.tasks({ assignee: U1 })),
    ).rejects.toMatchObject({
      code: 'auth.record_forbidden',
    });
    expect(
      titles(await as('manager', LEAD, null, () => controller.tasks({ assignee: U3 }))),
    ).toEqual(['Task 7']);
    expect(await as('manager', LEAD, null, () => controller.tasks({ limit: 1 }))).toMatchObject({
      truncated: true,
      counts: { total: 5, overdue: 3 },
    });
  });
});
