import { DomainEvent } from '../shared/decider';
import { CreateTask } from './task.commands';

export type TaskCreated = CreateTask;

export interface TaskCompleted {
  taskId: string;
  note?: string;
}

export interface TaskCancelled {
  taskId: string;
  reason: string;
}

export interface TaskReassigned {
  taskId: string;
  from: string;
  to: string;
  reason: string;
}

export type TaskEvent =
  | DomainEvent<'TaskCreated', TaskCreated>
  | DomainEvent<'TaskCompleted', TaskCompleted>
  | DomainEvent<'TaskCancelled', TaskCancelled>
  | DomainEvent<'TaskReassigned', TaskReassigned>;
