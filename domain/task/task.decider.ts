import { Decider } from '../shared/decider';
import { isIntegerInRange, isIsoInstant, isNonBlank, isOneOf, refuse } from '../shared/validation';
import {
  CancelTask,
  CompleteTask,
  CreateTask,
  LINK_KINDS,
  ReassignTask,
  TaskCommand,
} from './task.commands';
import { TaskEvent } from './task.events';
import { initialTaskState, Task, TaskState } from './task.state';

const openTask = (state: TaskState): Task => {
  const task = state ?? refuse('task.not_found', 'This task does not exist.');
  if (task.status === 'completed') refuse('task.already_completed', 'This task is already done.');
  if (task.status === 'cancelled') refuse('task.already_cancelled', 'This task was cancelled.');
  return task;
};

const checkOptionalText = (value: unknown, field: string): void => {
  if (value !== undefined && !isNonBlank(value)) {
    refuse(`task.${field}_invalid`, `The ${field} cannot be blank; leave it out instead.`, field);
  }
};

const checkReason = (reason: unknown): void => {
  if (!isNonBlank(reason))
    refuse('task.reason_required', 'Give a reason for this change.', 'reason');
};

const checkCreate = (command: CreateTask): void => {
  if (!isNonBlank(command.taskId)) refuse('task.id_required', 'The task has no id.', 'taskId');
  if (!isOneOf(LINK_KINDS, command.linkedTo?.kind) || !isNonBlank(command.linkedTo.id)) {
    refuse('task.link_invalid', 'Link the task to a lead, an account or a deal.', 'linkedTo');
  }
  if (!isNonBlank(command.title)) refuse('task.title_required', 'Give the task a title.', 'title');
  checkOptionalText(command.description, 'description');
  if (!isIsoInstant(command.dueAt)) {
    refuse('task.due_invalid', 'Give the due time in UTC ISO format.', 'dueAt');
  }
  if (!isNonBlank(command.assigneeId)) {
    refuse('task.assignee_required', 'Choose who will do the task.', 'assigneeId');
  }
  const { template, source } = command;
  if (
    template !== undefined &&
    !(
      isNonBlank(template.policy?.id) &&
      isIntegerInRange(template.policy.version, 1, Number.MAX_SAFE_INTEGER) &&
      isNonBlank(template.key) &&
      (template.stage === undefined || isNonBlank(template.stage))
    )
  ) {
    refuse(
      'task.template_invalid',
      'The task template needs its policy, version and key.',
      'template',
    );
  }
  if (source !== undefined && !(isNonBlank(source.saga) && isNonBlank(source.id))) {
    refuse('task.source_invalid', 'The creating process needs its name and id.', 'source');
  }
};

const createTask = (command: CreateTask, state: TaskState): TaskEvent[] => {
  if (state) refuse('task.already_exists', 'This task already exists.', 'taskId');
  checkCreate(command);
  const { taskId, linkedTo, title, description, dueAt, assigneeId, template, source } = command;
  return [
    {
      type: 'TaskCreated',
      data: {
        taskId,
        linkedTo: { kind: linkedTo.kind, id: linkedTo.id },
        title,
        ...(description !== undefined && { description }),
        dueAt,
        assigneeId,
        ...(template !== undefined && {
          template: {
            policy: { id: template.policy.id, version: template.policy.version },
            ...(template.stage !== undefined && { stage: template.stage }),
            key: template.key,
          },
        }),
        ...(source !== undefined && { source: { saga: source.saga, id: source.id } }),
      },
    },
  ];
};

const completeTask = (command: CompleteTask, state: TaskState): TaskEvent[] => {
  const task = openTask(state);
  checkOptionalText(command.note, 'note');
  const { note } = command;
  return [
    { type: 'TaskCompleted', data: { taskId: task.taskId, ...(note !== undefined && { note }) } },
  ];
};

const cancelTask = (command: CancelTask, state: TaskState): TaskEvent[] => {
  const task = openTask(state);
  checkReason(command.reason);
  return [{ type: 'TaskCancelled', data: { taskId: task.taskId, reason: command.reason } }];
};

const reassignTask = (command: ReassignTask, state: TaskState): TaskEvent[] => {
  const task = openTask(state);
  if (!isNonBlank(command.to))
    refuse('task.assignee_required', 'Choose who will do the task.', 'to');
  if (command.to === task.assigneeId) {
    refuse('task.already_assignee', `${command.to} already has this task.`, 'to');
  }
  checkReason(command.reason);
  return [
    {
      type: 'TaskReassigned',
      data: { taskId: task.taskId, from: task.assigneeId, to: command.to, reason: command.reason },
    },
  ];
};

const decide = (command: TaskCommand, state: TaskState): TaskEvent[] => {
  switch (command.type) {
    case 'CreateTask':
      return createTask(command.data, state);
    case 'CompleteTask':
      return completeTask(command.data, state);
    case 'CancelTask':
      return cancelTask(command.data, state);
    case 'ReassignTask':
      return reassignTask(command.data, state);
  }
};

const evolve = (state: TaskState, event: TaskEvent): TaskState => {
  switch (event.type) {
    case 'TaskCreated': {
      const { taskId, linkedTo, assigneeId, dueAt } = event.data;
      return { taskId, status: 'open', linkedTo, assigneeId, dueAt };
    }
    case 'TaskCompleted':
      return state && { ...state, status: 'completed' };
    case 'TaskCancelled':
      return state && { ...state, status: 'cancelled' };
    case 'TaskReassigned':
      return state && { ...state, assigneeId: event.data.to };
  }
};

export const taskDecider: Decider<TaskCommand, TaskEvent, TaskState> = {
  initialState: initialTaskState,
  decide,
  evolve,
};
