import { taskDecider } from '../../domain/task/task.decider';
import { CreateTask, TaskCommand } from '../../domain/task/task.commands';
import { TaskEvent } from '../../domain/task/task.events';
import { specify } from './decider-spec';

const task = specify(taskDecider);

const newTask: CreateTask = {
  taskId: 't-1',
  linkedTo: { kind: 'deal', id: 'd-1' },
  title: 'Send sample invoice',
  dueAt: '2026-03-02T09:00:00.000Z',
  assigneeId: 'u-rep-1',
};

const created: TaskEvent = { type: 'TaskCreated', data: newTask };
const completed: TaskEvent = { type: 'TaskCompleted', data: { taskId: 't-1' } };
const cancelled: TaskEvent = {
  type: 'TaskCancelled',
  data: { taskId: 't-1', reason: 'Deal lost' },
};

const create = (changes: Partial<CreateTask> = {}): TaskCommand => ({
  type: 'CreateTask',
  data: { ...newTask, ...changes },
});
const complete: TaskCommand = {
  type: 'CompleteTask',
  data: { taskId: 't-1', note: 'Sent by DHL' },
};
const cancel: TaskCommand = { type: 'CancelTask', data: { taskId: 't-1', reason: 'Not needed' } };
const reassign = (to = 'u-rep-2', reason = 'Holiday cover'): TaskCommand => ({
  type: 'ReassignTask',
  data: { taskId: 't-1', to, reason },
});

describe('CreateTask', () => {
  it('creates a task linked to its record', () => {
    task.given([]).when(create()).then([created]);
  });

  it('records the stage template and the saga that created it', () => {
    const template = { policy: { id: 'stages', version: 3 }, stage: 'sample', key: 'sample-fee' };
    const source = { saga: 'stage-tasks', id: 'd-1' };
    task
      .given([])
      .when(create({ template, source, description: 'Ask who pays the courier' }))
      .then([
        {
          type: 'TaskCreated',
          data: { ...newTask, description: 'Ask who pays the courier', template, source },
        },
      ]);
  });

  it('refuses a second task with the same id', () => {
    task.given([created]).when(create()).thenThrows('task.already_exists');
  });

  it.each<[string, Partial<CreateTask>, string]>([
    ['no id', { taskId: ' ' }, 'task.id_required'],
    ['an unknown link', { linkedTo: { kind: 'order' as 'deal', id: 'o-1' } }, 'task.link_invalid'],
    ['a link without id', { linkedTo: { kind: 'lead', id: '' } }, 'task.link_invalid'],
    ['no title', { title: '' }, 'task.title_required'],
    ['a blank description', { description: ' ' }, 'task.description_invalid'],
    ['a due date that is not UTC ISO', { dueAt: '2026-03-02 09:00' }, 'task.due_invalid'],
    ['an impossible due date', { dueAt: '2026-02-30T09:00:00Z' }, 'task.due_invalid'],
    ['no assignee', { assigneeId: '' }, 'task.assignee_required'],
    [
      'a template without version',
      { template: { policy: { id: 'stages', version: 0 }, key: 'k' } },
      'task.template_invalid',
    ],
    ['a source without id', { source: { saga: 'sla', id: '' } }, 'task.source_invalid'],
  ])('refuses %s', (_case, changes, code) => {
    task.given([]).when(create(changes)).thenThrows(code);
  });
});

describe('CompleteTask', () => {
  it('completes an open task with a note', () => {
    task
      .given([created])
      .when(complete)
      .then([{ type: 'TaskCompleted', data: { taskId: 't-1', note: 'Sent by DHL' } }]);
  });

  it('refuses a blank note', () => {
    task
      .given([created])
      .when({ type: 'CompleteTask', data: { taskId: 't-1', note: '' } })
      .thenThrows('task.note_invalid');
  });
});

describe('CancelTask', () => {
  it('cancels an open task with its reason', () => {
    task
      .given([created])
      .when(cancel)
      .then([{ type: 'TaskCancelled', data: { taskId: 't-1', reason: 'Not needed' } }]);
  });

  it('refuses without a reason', () => {
    task
      .given([created])
      .when({ type: 'CancelTask', data: { taskId: 't-1', reason: '' } })
      .thenThrows('task.reason_required');
  });
});

describe('ReassignTask', () => {
  it('hands the task to someone else', () => {
    task
      .given([created])
      .when(reassign())
      .then([
        {
          type: 'TaskReassigned',
          data: { taskId: 't-1', from: 'u-rep-1', to: 'u-rep-2', reason: 'Holiday cover' },
        },
      ]);
  });

  it('follows earlier reassignments', () => {
    const reassigned: TaskEvent = {
      type: 'TaskReassigned',
      data: { taskId: 't-1', from: 'u-rep-1', to: 'u-rep-2', reason: 'Holiday cover' },
    };
    task.given([created, reassigned]).when(reassign('u-rep-2')).thenThrows('task.already_assignee');
    task
      .given([created, reassigned])
      .when(reassign('u-rep-1', 'Back from holiday'))
      .then([
        {
          type: 'TaskReassigned',
          data: { taskId: 't-1', from: 'u-rep-2', to: 'u-rep-1', reason: 'Back from holiday' },
        },
      ]);
  });

  it('refuses handing it to its current assignee', () => {
    task
      .given([created])
      .when(reassign('u-rep-1'))
      .thenThrows('task.already_assignee', /already/);
  });

  it('refuses without a new assignee or a reason', () => {
    task.given([created]).when(reassign('')).thenThrows('task.assignee_required');
    task.given([created]).when(reassign('u-rep-2', ' ')).thenThrows('task.reason_required');
  });
});

describe('closed and missing tasks', () => {
  it.each([complete, cancel, reassign()])('refuses $type on a missing task', (command) => {
    task.given([]).when(command).thenThrows('task.not_found');
  });

  it.each([complete, cancel, reassign()])('refuses $type on a completed task', (command) => {
    task.given([created, completed]).when(command).thenThrows('task.already_completed');
  });

  it.each([complete, cancel, reassign()])('refuses $type on a cancelled task', (command) => {
    task.given([created, cancelled]).when(command).thenThrows('task.already_cancelled');
  });
});
