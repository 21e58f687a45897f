import {
  TASK_COUNTS,
  taskCountId,
  TASKS,
  TaskDocument,
} from '../../../projections/task-list.projection';
import type { TaskStatus } from '../../../domain/task/task.state';
import type { ReadStore } from '../../read-store/read-store.port';

export const TASK_LIST_DEFAULT_LIMIT = 100;
export const TASK_LIST_MAX_LIMIT = 500;

export interface TaskListQuery {
  /** Whose tasks: one or more assignees, or everyone's. */
  assignees: string[] | 'all';
  status?: TaskStatus;
  limit?: number;
  /** The clock's now: a task is overdue when it is open and due before it. */
  now: Date;
}

export interface TaskListItem extends TaskDocument {
  overdue: boolean;
}

export interface TaskList {
  status: TaskStatus;
  /** Earliest due first, so for open tasks the overdue ones lead. */
  tasks: TaskListItem[];
  /** Over the whole selection, not only this page. */
  counts: { total: number; overdue: number };
  truncated: boolean;
}

const byDueAt = (a: TaskDocument, b: TaskDocument): number =>
  a.dueAt === b.dueAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.dueAt < b.dueAt ? -1 : 1;

/**
 * Tasks by due time, earliest first. One indexed page per assignee (index assigneeId, status,
 * dueAt), merged in memory, or one page of everyone's (index status, dueAt): the work is bounded
 * by assignees × limit, plus the counters and an index-only count of the open tasks overdue.
 */
export async function taskList(
  store: ReadStore,
  name: (logical: string) => string,
  query: TaskListQuery,
): Promise<TaskList> {
  const collection = name(TASKS);
  const status = query.status ?? 'open';
  const limit = Math.min(Math.max(1, query.limit ?? TASK_LIST_DEFAULT_LIMIT), TASK_LIST_MAX_LIMIT);
  const now = query.now.toISOString();
  const selections =
    query.assignees === 'all'
      ? [{ status }]
      : [...new Set(query.assignees)].map((assigneeId) => ({ assigneeId, status }));

  const pages = await Promise.all(
    selections.map((where) =>
      store.find(collection, { where, sort: [['dueAt', 'asc']], limit: limit + 1 }),
    ),
  );
  // Totals come from the projection's counters: a count over every completed task would grow
  // with the history. Only open tasks are counted by due time, and they stay few.
  const counterIds =
    query.assignees === 'all'
      ? [taskCountId(status)]
      : selections.map((where) =>
          taskCountId(status, (where as { assigneeId: string }).assigneeId),
        );
  const [counters, overdues] = await Promise.all([
    store.getMany(name(TASK_COUNTS), counterIds),
    status === 'open'
      ? Promise.all(
          selections.map((where) => store.count(collection, { ...where, dueAt: { lt: now } })),
        )
      : Promise.resolve([0]),
  ]);
  const merged = (pages.flat() as TaskDocument[]).sort(byDueAt);
  const tasks = merged.slice(0, limit).map((task) => ({
    ...task,
    overdue: task.status === 'open' && task.dueAt < now,
  }));
  return {
    status,
    tasks,
    counts: {
      total: sum(counters.map((counter) => Number(counter.n ?? 0))),
      overdue: sum(overdues),
    },
    truncated: merged.length > limit,
  };
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
