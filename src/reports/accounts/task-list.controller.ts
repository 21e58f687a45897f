import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../domain/shared/domain-error';
import { TASK_LIST } from '../../../projections/task-list.projection';
import { currentRequestContext } from '../../http/request-context';
import { Allow, SALES } from '../../identity/access.decorators';
import { DirectoryFeed } from '../../identity/directory-feed';
import { Principal } from '../../identity/identity-events';
import { ReadModels } from '../../projection-runner/read-models';
import { CLOCK, Clock } from '../../shared/clock';
import { TaskListQueryDto } from './task-list-query.dto';
import { TaskList, taskList } from './task-list.query';

/**
 * `/api/reports/tasks`: the task list per assignee, overdue first. Under reports because
 * `/api/tasks/:id` belongs to the task records.
 */
@ApiTags('reports')
@Allow(...SALES)
@Controller('api/reports')
export class TaskListController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly feed: DirectoryFeed,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('tasks')
  @ApiOperation({
    summary: 'Tasks per assignee, earliest due first (overdue ones lead), with overdue flags',
    description:
      'A rep sees their own tasks; a team lead those of their team; a manager anyone’s. ' +
      '`overdue` is computed from the clock at the time of the request.',
  })
  async tasks(@Query() query: TaskListQueryDto): Promise<TaskList> {
    const principal = currentRequestContext()?.principal;
    const assignees = this.assigneesFor(principal, query.assignee);
    return taskList(
      this.readModels.store,
      (logical) => this.readModels.collection(TASK_LIST, logical),
      {
        assignees,
        status: query.status,
        limit: query.limit,
        now: this.clock.now(),
      },
    );
  }

  /** The same scope as RecordAccess: a task is held by its assignee. */
  private assigneesFor(
    principal: Principal | undefined,
    assignee: string | undefined,
  ): string[] | 'all' {
    if (!principal || principal.role === 'manager' || principal.role === 'system') {
      return assignee === undefined ? 'all' : [assignee];
    }
    if (principal.role === 'team_lead') {
      const team = principal.teamId ? this.feed.directory.teamMembers(principal.teamId) : [];
      const members = [...new Set([principal.userId, ...team])];
      if (assignee === undefined) return members;
      if (members.includes(assignee)) return [assignee];
    } else if (assignee === undefined || assignee === principal.userId) {
      return [principal.userId];
    }
    throw new DomainError(
      'auth.record_forbidden',
      "These tasks are not in your scope: a rep sees their own, a team lead their team's",
      'assignee',
    );
  }
}
