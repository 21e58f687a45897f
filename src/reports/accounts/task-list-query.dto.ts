import { PageLimitField } from '../../http/page-limit.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TASK_LIST_DEFAULT_LIMIT, TASK_LIST_MAX_LIMIT } from './task-list.query';

export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;

export class TaskListQueryDto {
  @ApiPropertyOptional({
    description:
      "User id. Default: a rep's own tasks, a team lead's team's, everyone's for a manager",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assignee?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'Default open' })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: (typeof TASK_STATUSES)[number];

  @PageLimitField(TASK_LIST_MAX_LIMIT, TASK_LIST_DEFAULT_LIMIT)
  limit?: number;
}
