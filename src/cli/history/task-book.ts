import { TaskTemplate } from '../../../domain/policies/stage-policy';
import { EventActor } from '../../event-store/event-store.port';
import { HOUR, iso } from './business-hours';
import { Story } from './plan';
import { INTAKE, World } from './world';

interface TaskRecord {
  taskId: string;
  title: string;
  assignee: string;
  open: boolean;
}

const rep = (userId: string): EventActor => ({ userId, role: 'rep' });

/** The must-do tasks of a deal's stages: created on entry, done by their assignee, or called off. */
export class TaskBook {
  private readonly tasks: TaskRecord[] = [];

  constructor(
    private readonly world: World,
    private readonly story: Story,
    private readonly dealId: string,
  ) {}

  /**
   * Creates the stage's task templates for the owner; most get done, some late, some never. Once
   * the stage-tasks saga acts, it creates them (and the generated reps work them: rep-habits.ts).
   */
  createFor(stage: string, templates: TaskTemplate[], assignee: string): void {
    const { stages } = this.world.policies;
    const random = this.world.random;
    const enteredAt = this.story.now;
    if (this.world.isAutomated(enteredAt)) return;
    for (const template of templates) {
      const taskId = this.story.newId();
      const dueAt = enteredAt + template.dueOffsetHours * HOUR;
      this.story.domain(
        'task',
        taskId,
        'CreateTask',
        {
          taskId,
          linkedTo: { kind: 'deal', id: this.dealId },
          title: template.title.en,
          dueAt: iso(dueAt),
          assigneeId: assignee,
          template: {
            policy: { id: stages.id, version: stages.version },
            stage,
            key: template.key,
          },
        },
        {
          actor: INTAKE,
          cause: { kind: 'rule', id: stages.id, version: stages.version },
          reason: `Stage task template ${template.key}`,
        },
      );
      const task: TaskRecord = { taskId, title: template.title.en, assignee, open: true };
      this.tasks.push(task);
      if (random.chance(0.12)) continue; // forgotten: stays open until the deal closes
      const doneAt = enteredAt + template.dueOffsetHours * HOUR * random.between(0.25, 1.5);
      this.story.schedule(doneAt, () => this.complete(task), task.taskId);
    }
  }

  /** Closing a deal as won settles its leftover stage tasks: the terms were agreed after all. */
  completeOpen(note: string): void {
    for (const task of this.tasks.filter((candidate) => candidate.open)) {
      this.story.unschedule(task.taskId);
      this.complete(task, note);
    }
  }

  cancelOpen(reason: string, actor: EventActor): void {
    for (const task of this.tasks.filter((candidate) => candidate.open)) {
      this.story.unschedule(task.taskId);
      this.story.domain(
        'task',
        task.taskId,
        'CancelTask',
        { taskId: task.taskId, reason },
        {
          actor,
          cause: { kind: 'person', id: actor.userId },
        },
      );
      task.open = false;
    }
  }

  /** Open tasks follow the deal to its new owner. */
  reassignOpen(from: string, to: string, reason: string, actor: EventActor): void {
    for (const task of this.tasks.filter(
      (candidate) => candidate.open && candidate.assignee === from,
    )) {
      this.story.domain(
        'task',
        task.taskId,
        'ReassignTask',
        { taskId: task.taskId, to, reason },
        {
          actor,
          cause: { kind: 'person', id: actor.userId },
        },
      );
      task.assignee = to;
    }
  }

  private complete(task: TaskRecord, note?: string): void {
    if (!task.open) return;
    this.story.domain(
      'task',
      task.taskId,
      'CompleteTask',
      { taskId: task.taskId, ...(note && { note }) },
      { actor: rep(task.assignee), cause: { kind: 'person', id: task.assignee } },
    );
    task.open = false;
  }
}
