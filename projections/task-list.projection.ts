import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import type { TaskCreated, TaskReassigned } from '../domain/task/task.events';
import type { UserMovedToTeam, UserRegistered } from '../domain/identity/user.events';
import type { TaskLink } from '../domain/task/task.commands';
import type { TaskStatus } from '../domain/task/task.state';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';

/**
 * Tasks per assignee, open ones by due time: the first page of an assignee's open tasks is the
 * overdue ones, earliest first. "Overdue" depends on the clock, so the query computes it; the
 * documents hold only what the events say.
 */
export const TASK_LIST = 'task-list';

export const TASKS = 'tasks';
/** userId → team, folded from the user streams: the team a task is filed under when assigned. */
export const TASK_MEMBERS = 'members';
/**
 * Task counts per status, overall (`all|<status>`) and per assignee (`assignee|<id>|<status>`):
 * a list's total is then one read, not a count over every completed task.
 */
export const TASK_COUNTS = 'counts';

export const taskCountId = (status: TaskStatus, assigneeId?: string): string =>
  assigneeId === undefined ? `all|${status}` : `assignee|${assigneeId}|${status}`;

/** Moves one task between counters: from its old (assignee, status) to its new one. */
const recount = (
  view: ProjectionView,
  from: { assigneeId: string; status: TaskStatus } | undefined,
  to: { assigneeId: string; status: TaskStatus },
): void => {
  for (const [task, step] of [
    [from, -1],
    [to, 1],
  ] as const) {
    if (!task) continue;
    view.increment(TASK_COUNTS, taskCountId(task.status), { n: step });
    view.increment(TASK_COUNTS, taskCountId(task.status, task.assigneeId), { n: step });
  }
};

export interface TaskDocument extends ReadDocument {
  /** The task id. */
  id: string;
  title: string;
  description: string | null;
  linkedTo: TaskLink;
  /** ISO 8601 UTC, normalised to milliseconds so that string order is time order. */
  dueAt: string;
  assigneeId: string;
  status: TaskStatus;
  /** The assignee's team when the task was created or last reassigned; null for none. */
  teamId: string | null;
  /** The stage task template key, when a template produced the task. */
  templateKey: string | null;
  /** The saga that created the task, e.g. sla-escalation. */
  sourceSaga: string | null;
  createdAt: string;
  /** When it was completed or cancelled. */
  closedAt: string | null;
}

interface MemberDocument extends ReadDocument {
  teamId: string | null;
}

const iso = (value: string): string => new Date(value).toISOString();

const teamOf = (view: ProjectionView, userId: string): string | null =>
  view.get<MemberDocument>(TASK_MEMBERS, userId)?.teamId ?? null;

export const taskListProjection: Projection = {
  name: TASK_LIST,
  version: 2,
  collections: [
    {
      name: TASKS,
      indexes: [
        ['assigneeId', 'status', 'dueAt'],
        ['teamId', 'status', 'dueAt'],
        ['status', 'dueAt'],
      ],
    },
    { name: TASK_MEMBERS, preload: true },
    { name: TASK_COUNTS },
  ],
  eventTypes: [
    'TaskCreated',
    'TaskCompleted',
    'TaskCancelled',
    'TaskReassigned',
    'UserRegistered',
    'UserMovedToTeam',
  ],

  reads(event: RecordedEvent): DocumentRef[] {
    if (event.type.startsWith('Task') && event.type !== 'TaskCreated') {
      return [{ collection: TASKS, id: streamId(event) }];
    }
    return [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    const at = iso(event.metadata.occurredAt);
    switch (event.type) {
      case 'UserRegistered': {
        const data = event.data as unknown as UserRegistered;
        view.put(TASK_MEMBERS, { id: data.userId, teamId: data.teamId ?? null });
        return;
      }
      case 'UserMovedToTeam': {
        const data = event.data as unknown as UserMovedToTeam;
        view.put(TASK_MEMBERS, { id: streamId(event), teamId: data.to ?? null });
        return;
      }
      case 'TaskCreated': {
        const data = event.data as unknown as TaskCreated;
        const task: TaskDocument = {
          id: data.taskId,
          title: data.title,
          description: data.description ?? null,
          linkedTo: { kind: data.linkedTo.kind, id: data.linkedTo.id },
          dueAt: iso(data.dueAt),
          assigneeId: data.assigneeId,
          status: 'open',
          teamId: teamOf(view, data.assigneeId),
          templateKey: data.template?.key ?? null,
          sourceSaga: data.source?.saga ?? null,
          createdAt: at,
          closedAt: null,
        };
        view.put(TASKS, task);
        recount(view, undefined, task);
        return;
      }
      case 'TaskReassigned': {
        const data = event.data as unknown as TaskReassigned;
        const task = view.get<TaskDocument>(TASKS, streamId(event));
        if (!task) return;
        const moved = { ...task, assigneeId: data.to, teamId: teamOf(view, data.to) };
        view.put(TASKS, moved);
        recount(view, task, moved);
        return;
      }
      case 'TaskCompleted':
      case 'TaskCancelled': {
        const task = view.get<TaskDocument>(TASKS, streamId(event));
        if (!task) return;
        const status: TaskStatus = event.type === 'TaskCompleted' ? 'completed' : 'cancelled';
        view.put(TASKS, { ...task, status, closedAt: at });
        recount(view, task, { assigneeId: task.assigneeId, status });
        return;
      }
    }
  },
};
