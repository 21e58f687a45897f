import { PolicyRef } from '../shared/decider';

export const LINK_KINDS = ['lead', 'account', 'deal'] as const;

/** The record the task is about. */
export interface TaskLink {
  kind: (typeof LINK_KINDS)[number];
  id: string;
}

/** The stage task template that produced the task, as named in the stage policy. */
export interface TaskTemplateRef {
  policy: PolicyRef;
  stage?: string;
  key: string;
}

/** The process that created the task, e.g. { saga: 'sla-escalation', id: 'lead-42' }. */
export interface TaskSource {
  saga: string;
  id: string;
}

export interface CreateTask {
  taskId: string;
  linkedTo: TaskLink;
  title: string;
  description?: string;
  /** ISO 8601 UTC. */
  dueAt: string;
  assigneeId: string;
  template?: TaskTemplateRef;
  source?: TaskSource;
}

export interface CompleteTask {
  taskId: string;
  note?: string;
}

export interface CancelTask {
  taskId: string;
  reason: string;
}

export interface ReassignTask {
  taskId: string;
  to: string;
  reason: string;
}

export type TaskCommand =
  | { type: 'CreateTask'; data: CreateTask }
  | { type: 'CompleteTask'; data: CompleteTask }
  | { type: 'CancelTask'; data: CancelTask }
  | { type: 'ReassignTask'; data: ReassignTask };
