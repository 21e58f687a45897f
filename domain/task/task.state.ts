import { TaskLink } from './task.commands';

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export interface Task {
  taskId: string;
  status: TaskStatus;
  linkedTo: TaskLink;
  assigneeId: string;
  dueAt: string;
}

/** null until TaskCreated. */
export type TaskState = Task | null;

export const initialTaskState: TaskState = null;
