import { TaskSource, TaskTemplateRef } from '../../domain/task/task.commands';
import { taskDecider } from '../../domain/task/task.decider';
import { TaskEvent } from '../../domain/task/task.events';
import { Task, TaskState } from '../../domain/task/task.state';
import { HistoryEntry } from '../records/record-reader';

interface TaskDetails {
  title: string;
  description?: string;
  template?: TaskTemplateRef;
  source?: TaskSource;
  createdAt: string;
  /** When it was completed or cancelled. */
  closedAt?: string;
  note?: string;
  cancelReason?: string;
}

/** The decider keeps only what decisions need; a person reading a task also wants what it says. */
export type TaskView = Task & TaskDetails;

export function taskView(history: HistoryEntry[]): TaskView {
  let task: TaskState = taskDecider.initialState;
  let details = {} as TaskDetails;
  for (const entry of history) {
    const event = { type: entry.type, data: entry.data } as unknown as TaskEvent;
    task = taskDecider.evolve(task, event);
    if (event.type === 'TaskCreated') {
      const { title, description, template, source } = event.data;
      details = { title, description, template, source, createdAt: entry.occurredAt };
    } else if (event.type === 'TaskCompleted') {
      details = { ...details, closedAt: entry.occurredAt, note: event.data.note };
    } else if (event.type === 'TaskCancelled') {
      details = { ...details, closedAt: entry.occurredAt, cancelReason: event.data.reason };
    }
  }
  return { ...(task as Task), ...details };
}
