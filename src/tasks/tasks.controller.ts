import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandOptionsDto } from '../http/command-options.dto';
import { CommandSender, WriteHeaders, WriteResult } from '../http/command-sender';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Write } from '../http/write-headers.decorator';
import { HistoryEntry, RecordReader, RecordView } from '../records/record-reader';
import {
  CancelTaskDto,
  CompleteTaskDto,
  CreateTaskDto,
  ReassignTaskDto,
} from './dto/task-commands.dto';
import { TaskReferences } from './task-references';
import { TaskView, taskView } from './task-view';
import { Allow, SALES } from '../identity/access.decorators';

const options = ({ occurredAt, expectedRevision }: CommandOptionsDto): CommandOptionsDto => ({
  occurredAt,
  expectedRevision,
});

/** The reason also goes into the event metadata, where audits look for it. */
const withReason = (body: CommandOptionsDto & { reason: string }): CommandOptionsDto =>
  ({ ...options(body), reason: body.reason }) as CommandOptionsDto;

// A task list (`GET /api/tasks?assignee=`) waits for the task read model of the projections issue.
@ApiTags('tasks')
@Allow(...SALES)
@Controller('api/tasks')
export class TasksController {
  constructor(
    private readonly sender: CommandSender,
    private readonly records: RecordReader,
    private readonly references: TaskReferences,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a task on a lead, account or deal; retry-safe with Idempotency-Key',
  })
  async create(@Body() body: CreateTaskDto, @Write() headers: WriteHeaders): Promise<WriteResult> {
    const commandId = this.sender.commandId(headers);
    const taskId = this.sender.newId(headers, commandId, 'task');
    const linkedTo = { kind: body.linkedTo.kind, id: body.linkedTo.id.toLowerCase() };
    await this.references.assertLinkedRecordExists(linkedTo);
    const data = {
      taskId,
      linkedTo,
      title: body.title,
      description: body.description,
      dueAt: new Date(Date.parse(body.dueAt)).toISOString(),
      assigneeId: body.assignee ?? this.sender.personCause().id,
      template: body.template && this.references.template(body.template),
    };
    return this.sender.send(
      'task',
      taskId,
      { type: 'CreateTask', data },
      options(body),
      headers,
      commandId,
    );
  }

  @Get(':id')
  async task(
    @Param('id', RecordIdPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView<TaskView>> {
    const history = await this.records.history('task', id);
    const revision = history.length - 1;
    response.setHeader('ETag', `"${revision}"`);
    return { id, revision, state: taskView(history) };
  }

  @Get(':id/history')
  history(@Param('id', RecordIdPipe) id: string): Promise<HistoryEntry[]> {
    return this.records.history('task', id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: CompleteTaskDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const data = { taskId: id, note: body.note };
    return this.sender.send('task', id, { type: 'CompleteTask', data }, options(body), headers);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: CancelTaskDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const data = { taskId: id, reason: body.reason };
    return this.sender.send('task', id, { type: 'CancelTask', data }, withReason(body), headers);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  reassign(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: ReassignTaskDto,
    @Write() headers: WriteHeaders,
  ): Promise<WriteResult> {
    const data = { taskId: id, to: body.to, reason: body.reason };
    return this.sender.send('task', id, { type: 'ReassignTask', data }, withReason(body), headers);
  }
}
